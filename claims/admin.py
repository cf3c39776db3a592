from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import ExtractYear
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.models import to_historic

from tracker.admin import EditorAdmin

from .choices import ClaimKind, EvidenceStatus, PublicationState
from .claim_form import ClaimAdminForm, rows_changed_since_opened
from .correction_admin import correction_link
from .history_admin import citation_and_relation_changes
from .merge_admin import DuplicateWarningForm, MergeActionMixin
from .merging import merge_actors, merge_topics
from .models import (
    PUBLISHED_CLAIM_NEEDS_A_CITATION,
    Actor,
    Claim,
    ClaimRelation,
    EvidenceStatusChange,
    Topic,
    citation_model,
    split_aliases,
)
from .operations import (
    delete_claim,
    delete_relation,
    edit_claim,
    merge_claims,
    publish,
    save_relation,
    unpublish,
)

# The sources app declares citations and sources, building on this one: the claim's page edits its
# citations, reached through the claim's relation rather than an import.
Citation = citation_model()

# The claims a claim's change form shows as similar to it.
SIMILAR_CLAIMS_SHOWN = 5

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


def publication_badge(state):
    state = PublicationState(state)
    return format_html('<span class="publication-badge publication-{}">{}</span>', state.value, state.label)


class ClaimCitationFormSet(forms.BaseInlineFormSet):
    """The citations of a claim; a claim that is (being) published must keep at least one."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        remaining = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        self.instance.check_keeps_a_citation(len(remaining))


class CitationInline(admin.StackedInline):
    """A claim's citations, edited on the claim's page."""

    model = Citation  # declared by the sources app, reached through the claim's relation
    formset = ClaimCitationFormSet
    fields = [("source", "stance", "locator"), "excerpt"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 100})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "claim")

    def get_extra(self, request, obj=None, **kwargs):
        # A new claim starts with one empty citation row: most claims are entered from a source.
        return 1 if obj is None else 0

    def initial_rows(self, request):
        """The new claim's citation row with the source chosen already, when the editor came from a
        source's "Add a claim cited from this source" (`?citation_source=<id>`)."""
        source_id = request.GET.get("citation_source", "")
        return [{"source": int(source_id)}] if source_id.isdecimal() else []


class NamedRecordForm(DuplicateWarningForm):
    """Actors and topics: a name or alias that is another record's, ignoring accents and case."""

    identity_fields = ("name", "aliases")

    def likely_duplicates(self, cleaned_data):
        names = [cleaned_data.get("name", ""), *split_aliases(cleaned_data.get("aliases", ""))]
        others = self._meta.model.objects.exclude(pk=self.instance.pk).sharing_a_name_with(*names)
        return [(other, "the same name or alias") for other in others[:5]]


@admin.register(Actor)
class ActorAdmin(MergeActionMixin, EditorAdmin):
    form = NamedRecordForm
    merge = staticmethod(merge_actors)
    list_display = ["name", "kind", "affiliation", "also_written_as", "wikidata_id"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "aliases", "slug", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    fields = [
        "name",
        "slug",
        "kind",
        "aliases",
        "affiliation",
        "description",
        "wikidata_id",
        "confirm_not_duplicate",
    ]

    @admin.display(description="Also written as")
    def also_written_as(self, actor):
        return ", ".join(actor.alias_list)


@admin.register(Topic)
class TopicAdmin(MergeActionMixin, EditorAdmin):
    form = NamedRecordForm
    merge = staticmethod(merge_topics)
    fields = ["name", "slug", "aliases", "description", "confirm_not_duplicate"]
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


# The claim page's rows another editor may change meanwhile, as the warning names them.
ROWS_OTHERS_MAY_CHANGE = {
    CitationInline: "Its citations",
    OutgoingRelationInline: "Its relations to other claims",
    IncomingRelationInline: "Other claims' relations to it",
}


class EvidenceStatusChangeInline(admin.TabularInline):
    model = EvidenceStatusChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by", "correction"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Evidence status timeline"

    @admin.display(description="Correction")
    def correction(self, step):
        return correction_link(step)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _ranked_around(claim):
    """What the admin's panels rank other claims by, besides the claim's words: its speaker,
    target, topics and date, the most they show."""
    return {
        "speaker": claim.speaker_id,
        "target": claim.target_id,
        "topics": claim.topics.values("pk"),
        "around": claim.stated_on,
        "limit": SIMILAR_CLAIMS_SHOWN,
    }


@admin.register(Claim)
class ClaimAdmin(MergeActionMixin, EditorAdmin):
    merge = staticmethod(merge_claims)
    form = ClaimAdminForm
    list_display = [
        "short_summary",
        "speaker",
        "date",
        "status_badge",
        "publication_badge",
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
    object_history_template = "admin/claims/claim/object_history.html"
    readonly_fields = [
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "published_at",
        "similar_claims",
        "may_answer",
    ]
    fieldsets = [
        (None, {"fields": ["summary", "quote", "kind", "topics", "opened_version", "confirm_not_duplicate"]}),
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

    class Media:
        js = ["claims/speaker_roles.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        similar = ("Similar claims", {"fields": ["similar_claims"]})
        if obj.kind in ClaimKind.answers_to_accusations():
            return [*fieldsets, ("Accusations it may answer", {"fields": ["may_answer"]}), similar]
        return [*fieldsets, similar]

    @admin.display(description="Most similar")
    def similar_claims(self, claim):
        """Up to five other claims that read like this one, with what makes them alike: three
        queries on SQLite, one on PostgreSQL, whatever the claim."""
        similar = Claim.objects.exclude(pk=claim.pk).similar_to(claim.summary, **_ranked_around(claim))
        return render_to_string(
            "admin/claims/claim/similar_claims.html", {"similar_claims": similar.select_related("speaker")}
        )

    @admin.display(description="Most likely")
    def may_answer(self, claim):
        """For a denial or counter-accusation: the accusations against its speaker's side that it
        reads as answering (`answered_by`, the similar-claims ranking with speaker and target
        swapped), those it is already linked to left out."""
        answered = (
            Claim.objects.exclude(pk=claim.pk)
            .exclude(pk__in=claim.relations_from.values("to_claim"))
            .answered_by(claim.summary, **_ranked_around(claim))
        )
        return render_to_string(
            "admin/claims/claim/similar_claims.html",
            {
                "similar_claims": answered.select_related("speaker"),
                "table_id": "accusations-answered",
                "none_found": "No accusation against this speaker's side, not yet linked, reads like one "
                "this answers. Link one under “Relations: this claim disputes…”.",
            },
        )

    @admin.display(description="Summary", ordering="summary")
    def short_summary(self, claim):
        return Truncator(claim.summary).words(12)

    @admin.display(description="Stated", ordering="stated_on")
    def date(self, claim):
        return claim.display_date

    @admin.display(description="Evidence status", ordering="evidence_status")
    def status_badge(self, claim):
        return evidence_badge(claim.evidence_status)

    @admin.display(description="Publication", ordering="publication_state")
    def publication_badge(self, claim):
        return publication_badge(claim.publication_state)

    def get_urls(self):
        speaker_roles = path(
            "speaker-roles/",
            self.admin_site.admin_view(self.speaker_roles_view),
            name="claims_claim_speaker_roles",
        )
        return [speaker_roles, *super().get_urls()]

    def speaker_roles_view(self, request):
        """The roles a speaker had in their claims, the latest first, as JSON: `{"roles": [...]}`."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        speaker_id = request.GET.get("speaker", "")
        if not speaker_id.isdecimal():
            return JsonResponse({"error": "Name the speaker by id: ?speaker=<id>."}, status=400)
        # The speaker's latest claims, read in order from the index `claim_speaker_by_date`.
        roles = (
            Claim.objects.filter(speaker_id=int(speaker_id))
            .exclude(speaker_role="")
            .order_by("-stated_on", "-pk")
            .values_list("speaker_role", flat=True)[:100]
        )
        return JsonResponse({"roles": list(dict.fromkeys(roles))[:10]})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A refused save shows the form again with what this editor typed, and saving that again
        # writes it: rows another editor changed since the form was opened would go back to what
        # this editor was shown. Those rows are shown as stored instead, unbound, and the editor
        # is told.
        rows = ROWS_OTHERS_MAY_CHANGE.get(type(inline))
        opened = request.POST.get("opened_version")
        if rows and rows_changed_since_opened(obj, opened, inline.model, inline.fk_name or "claim"):
            kwargs.pop("data", None)
            kwargs.pop("files", None)
            self.message_user(
                request,
                f"{rows} were changed by another editor since you opened this claim: they now show "
                "what is stored. Make your changes to them again.",
                messages.WARNING,
            )
        # Only on the form's first display: a posted row that still matched its initial values
        # would count as unchanged, and its citation would not be saved.
        if isinstance(inline, CitationInline) and request.method == "GET":
            kwargs["initial"] = inline.initial_rows(request)
        return kwargs

    def history_view(self, request, object_id, extra_context=None):
        # Citations and relations are edited on the claim's page: their changes are its history too.
        context = {"related_changes": citation_and_relation_changes(unquote(object_id))}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic():  # a revert refused half-way leaves nothing behind
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as error:
            self.message_user(request, f"Not reverted: {' '.join(error.messages)}", messages.ERROR)
            return redirect(reverse("admin:claims_claim_history", args=[object_id]))

    def save_model(self, request, claim, form, change):
        # Saved with its inlines (`save_related`), but for History → Revert, which saves no inlines.
        if to_historic(claim) is not None:
            self.save_claim(request, form, change)

    def save_related(self, request, form, formsets, change):
        self.save_claim(
            request,
            form,
            change,
            save_related=lambda: super(ClaimAdmin, self).save_related(request, form, formsets, change),
        )

    def save_claim(self, request, form, change, save_related=None):
        """Save the claim the form edits, its citations and relations (`save_related`), then
        publish it or take it back to draft as the form asks: one operation (`edit_claim`)."""
        claim = form.instance
        if not change:
            claim.created_by = request.user
        reason = form.cleaned_data.get("status_change_reason", "").strip()
        version = to_historic(claim)
        topics = None
        if version is not None:
            note = f"Reverted to version #{version.history_id} of {version.history_date:%Y-%m-%d %H:%M} UTC"
            reason = f"{note}: {reason}" if reason else note
            # A revert saves no inlines; its form's topics are set here, where they are recounted
            # (simple-history sets them again afterwards, to the same).
            topics = form.cleaned_data.get("topics")
        else:
            note = edit_note(form, change)
        edit_claim(
            claim,
            note=note,
            reason=reason,
            by=request.user,
            topics=topics,
            publication_state=form.cleaned_data["publication_state"],
            save_related=save_related,
        )

    def delete_model(self, request, claim):
        delete_claim(claim, by=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            delete_claim(claim, by=request.user)

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request, queryset):
        published, uncited = 0, 0
        for claim in queryset.drafts():
            try:
                publish(claim, by=request.user)
            except ValidationError:
                uncited += 1
            else:
                published += 1
        self.message_user(request, f"Published {published} claim(s).", messages.SUCCESS)
        if uncited:
            self.message_user(
                request,
                f"{uncited} claim(s) left as drafts: {PUBLISHED_CLAIM_NEEDS_A_CITATION}",
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected claims (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        published = list(queryset.published())
        for claim in published:
            unpublish(claim, by=request.user)
        self.message_user(request, f"Unpublished {len(published)} claim(s).", messages.SUCCESS)


def edit_note(form, change):
    """The edit in words, for the record's history: "Created" or "Changed summary, rationale"."""
    if not change:
        return "Created"
    claim_fields = {field.name: field for field in Claim._meta.get_fields()}
    changed = [str(claim_fields[name].verbose_name) for name in form.changed_data if name in claim_fields]
    return f"Changed {', '.join(changed)}" if changed else "Saved without changes to its fields"


@admin.register(ClaimRelation)
class ClaimRelationAdmin(EditorAdmin):
    list_display = ["from_claim", "relation_type", "to_claim"]
    list_filter = ["relation_type"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__summary", "to_claim__summary"]
    autocomplete_fields = ["from_claim", "to_claim"]

    def save_model(self, request, relation, form, change):
        save_relation(relation, by=request.user)

    def delete_model(self, request, relation):
        delete_relation(relation, by=request.user)

    def delete_queryset(self, request, queryset):
        for relation in queryset:
            delete_relation(relation, by=request.user)
