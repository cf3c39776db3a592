from django import forms
from django.contrib import admin, messages
from django.db.models.functions import ExtractYear
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline

from .choices import EvidenceStatus, PublicationState
from .models import Actor, Claim, ClaimRelation, EvidenceStatusChange, Topic

admin.site.site_header = "Claim tracker"
admin.site.site_title = "Claim tracker admin"
admin.site.index_title = "Curate claims, actors and sources"


def evidence_badge(status):
    status = EvidenceStatus(status)
    return format_html(
        '<span class="evidence-badge evidence-{}" title="{}">{}</span>',
        status.value,
        status.meaning,
        status.label,
    )


class EditorAdmin(SimpleHistoryAdmin):
    """Base for the editors' admin pages: the tracker's stylesheet and the audit trail."""

    class Media:
        css = {"all": ["claims/admin.css"]}


@admin.register(Actor)
class ActorAdmin(EditorAdmin):
    list_display = ["name", "kind", "affiliation", "also_written_as", "wikidata_id"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "aliases", "slug", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    fields = ["name", "slug", "kind", "aliases", "affiliation", "description", "wikidata_id"]

    @admin.display(description="Also written as")
    def also_written_as(self, actor):
        return ", ".join(actor.alias_list)


@admin.register(Topic)
class TopicAdmin(EditorAdmin):
    list_display = ["name", "also_written_as", "description"]
    search_fields = ["name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Also written as")
    def also_written_as(self, topic):
        return ", ".join(topic.alias_list)


class StatedYearFilter(admin.SimpleListFilter):
    title = "year stated"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Claim.objects.annotate(year=ExtractYear("stated_on"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(stated_on__year=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


class OutgoingRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    fields = ["relation_type", "to_claim"]
    autocomplete_fields = ["to_claim"]
    extra = 0
    verbose_name = "relation: this claim …"
    verbose_name_plural = "Relations: this claim disputes, supports, responds to or repeats …"


class IncomingRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "to_claim"
    fields = ["from_claim", "relation_type"]
    autocomplete_fields = ["from_claim"]
    extra = 0
    verbose_name = "relation: … this claim"
    verbose_name_plural = "Relations from other claims: … disputes, supports, answers or repeats this claim"


class EvidenceStatusChangeInline(admin.TabularInline):
    model = EvidenceStatusChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Evidence status timeline"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimAdminForm(forms.ModelForm):
    status_change_reason = forms.CharField(
        label="Reason for the status change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        help_text="Shown in the claim's status timeline when the evidence status changes. "
        "Left blank, the rationale is used.",
    )

    class Meta:
        model = Claim
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose and order the fields
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "quote": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "rationale": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        }


@admin.register(Claim)
class ClaimAdmin(EditorAdmin):
    form = ClaimAdminForm
    list_display = [
        "short_summary",
        "speaker",
        "date",
        "status_badge",
        "is_published",
    ]
    list_display_links = ["short_summary"]
    list_filter = [
        "evidence_status",
        "kind",
        "publication_state",
        "attribution",
        StatedYearFilter,
        ("topics", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["speaker"]
    list_per_page = 50
    search_fields = ["summary", "quote", "speaker__name", "speaker__aliases", "slug"]
    search_help_text = "Words of the summary or quote, or the speaker's name in any spelling."
    autocomplete_fields = ["speaker", "target", "topics"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    inlines = [CitationInline, OutgoingRelationInline, IncomingRelationInline, EvidenceStatusChangeInline]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by", "published_at"]
    fieldsets = [
        (None, {"fields": ["summary", "quote", "kind", "topics"]}),
        (
            "Who and when",
            {
                "fields": [
                    ("speaker", "speaker_role"),
                    "target",
                    ("stated_on", "stated_on_precision"),
                    "attribution",
                ]
            },
        ),
        ("Evidence", {"fields": ["evidence_status", "rationale", "status_change_reason"]}),
        ("Publication", {"fields": ["publication_state", "slug"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [("created_at", "created_by"), ("updated_at", "updated_by"), "published_at"],
            },
        ),
    ]

    @admin.display(description="Summary", ordering="summary")
    def short_summary(self, claim):
        return Truncator(claim.summary).words(16)

    @admin.display(description="Stated", ordering="stated_on")
    def date(self, claim):
        return claim.display_date

    @admin.display(description="Evidence status", ordering="evidence_status")
    def status_badge(self, claim):
        return evidence_badge(claim.evidence_status)

    @admin.display(description="Published", boolean=True, ordering="publication_state")
    def is_published(self, claim):
        return claim.is_published

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.status_change_reason = form.cleaned_data.get("status_change_reason", "")
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request, queryset):
        drafts = queryset.drafts()
        publishable = list(drafts.with_citations())
        for claim in publishable:
            claim.publication_state = PublicationState.PUBLISHED
            claim.updated_by = request.user
            claim._history_user = request.user
            claim.save()
        self.message_user(request, f"Published {len(publishable)} claim(s).", messages.SUCCESS)
        uncited = drafts.exclude(pk__in=[claim.pk for claim in publishable]).count()
        if uncited:
            self.message_user(
                request,
                f"{uncited} claim(s) left as drafts: a claim needs at least one citation to be published.",
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected claims (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        published = list(queryset.published())
        for claim in published:
            claim.publication_state = PublicationState.DRAFT
            claim.updated_by = request.user
            claim._history_user = request.user
            claim.save()
        self.message_user(request, f"Unpublished {len(published)} claim(s).", messages.SUCCESS)


@admin.register(ClaimRelation)
class ClaimRelationAdmin(EditorAdmin):
    list_display = ["from_claim", "relation_type", "to_claim"]
    list_filter = ["relation_type"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__summary", "to_claim__summary"]
    autocomplete_fields = ["from_claim", "to_claim"]
