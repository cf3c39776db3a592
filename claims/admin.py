from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from simple_history.models import to_historic

from tracker.admin import EditorAdmin

from .choices import EvidenceStatus, PublicationState
from .correction_admin import correction_link
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
Source = Citation._meta.get_field("source").related_model

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


class ClaimAdminForm(DuplicateWarningForm):
    identity_fields = ("summary", "quote", "speaker", "stated_on", "stated_on_precision")

    status_change_reason = forms.CharField(
        label="Reason for the status change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        help_text="Shown in the claim's status timeline when the evidence status changes. "
        "Left blank, the rationale is used.",
    )

    opened_version = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        help_text="The claim's version when the form was opened (`version_token`): a save is refused "
        "if someone changed the claim, its citations or its relations since.",
    )

    class Meta:
        model = Claim
        fields = "__all__"
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "quote": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "rationale": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            # claims/speaker_roles.js offers the speaker's earlier roles from this URL.
            "speaker_role": forms.TextInput(
                attrs={
                    "class": "vTextField",
                    "data-roles-url": reverse_lazy("admin:claims_claim_speaker_roles"),
                }
            ),
        }
        help_texts = {
            "speaker_role": "The speaker's role when they said it; their roles in earlier claims are offered."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = version_token(self.instance)

    def likely_duplicates(self, cleaned_data):
        claim = Claim(
            pk=self.instance.pk,
            speaker=cleaned_data.get("speaker"),
            summary=cleaned_data.get("summary", ""),
            quote=cleaned_data.get("quote", ""),
            stated_on=cleaned_data.get("stated_on"),
            stated_on_precision=cleaned_data.get("stated_on_precision") or "day",
        )
        return [
            (other, f"same speaker and date, {similarity:.0%} alike")
            for other, similarity in Claim.objects.likely_duplicates_of(claim)
        ]

    def clean(self):
        cleaned_data = super().clean()
        opened = cleaned_data.get("opened_version")
        if self.instance.pk is None or not opened:
            return cleaned_data
        current = version_token(self.instance)
        if opened == current:
            return cleaned_data
        opened_history_id, _, _ = opened.partition("-")
        opened_history_id = int(opened_history_id) if opened_history_id.isdigit() else 0
        changes = Claim.history.filter(id=self.instance.pk, history_id__gt=opened_history_id).order_by(
            "history_id"
        )
        # The form shown again merges the editor's input with what is stored; saving it again, now
        # knowingly, is allowed.
        self.data = self.data.copy()
        self.data["opened_version"] = current
        self.merge_with_stored(
            Claim.history.filter(id=self.instance.pk, history_id=opened_history_id).first()
        )
        raise forms.ValidationError(
            [
                "Not saved: this claim was changed since you opened it. The fields you did not change "
                "now show what is stored; a field you both changed keeps yours, with the stored value "
                "beside it. Check them, then save again.",
                *(describe_change(change) for change in changes),
                *([] if changes else ["Its citations or relations changed: see its History."]),
            ],
            code="changed_since_opened",
        )

    def merge_with_stored(self, opened):
        """Put what another editor stored since the form was opened (`opened`, the claim's history
        entry then) into the fields this editor left alone, and mark the fields both changed."""
        if opened is None:
            return  # nothing to tell the two editors' changes apart: the input stays as it is
        stored_by = changed_by(self.instance)
        for name, field in self.fields.items():
            model_field = field_of_claim(name)
            if model_field is None:
                continue
            was, stored = value_in(opened, model_field), value_in(self.instance, model_field)
            if was == stored:
                continue  # only this editor changed it, if anyone did
            posted = self[name].data
            if isinstance(posted, str):
                posted = posted.replace("\r\n", "\n")  # as browsers send a text area's lines
            if not field.has_changed(sorted(was) if model_field.many_to_many else was, posted):
                self.show_in_form(name, field, stored)
            elif field.has_changed(sorted(stored) if model_field.many_to_many else stored, posted):
                self.add_error(name, self.both_changed(name, model_field, stored_by))

    def show_in_form(self, name, field, value):
        if isinstance(field, forms.ModelMultipleChoiceField):
            self.data.setlist(name, [str(pk) for pk in sorted(value)])
        else:
            self.data[name] = "" if value is None else str(field.prepare_value(value))

    def both_changed(self, name, model_field, stored_by):
        if model_field.many_to_many:
            yours = ", ".join(str(topic) for topic in self.cleaned_data.get(name) or []) or "—"
            stored = ", ".join(str(topic) for topic in getattr(self.instance, name).all()) or "—"
        else:
            yours = shown_value(model_field, self.cleaned_data.get(name))
            stored = shown_value(model_field, getattr(self.instance, model_field.name))
        return forms.ValidationError(
            format_html(
                "Changed by you and by {} since you opened it. Saving keeps yours, in the box; to keep "
                "theirs, copy it in."
                '<table class="both-changed"><tr><th>Yours</th><th>Stored now</th></tr>'
                "<tr><td>{}</td><td>{}</td></tr></table>",
                stored_by,
                yours,
                stored,
            ),
            code="changed_by_both",
        )


def field_of_claim(name):
    """The claim's model field a form field edits, or None for the form's own fields."""
    try:
        return Claim._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def value_in(record, model_field):
    """A field's value in a claim or in one of its history entries: a set of ids for the topics."""
    if model_field.many_to_many:
        manager = getattr(record, model_field.name)
        ids = manager.values_list("topic_id" if hasattr(record, "history_id") else "pk", flat=True)
        return set(ids)
    return model_field.value_from_object(record)


def shown_value(model_field, value):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return Truncator(str(value)).chars(300)


def changed_by(claim):
    """Who saved the claim last, for the refused editor: "alice", or "another editor"."""
    latest = Claim.history.filter(id=claim.pk).order_by("-history_id").select_related("history_user").first()
    return str(latest.history_user) if latest and latest.history_user else "another editor"


def version_token(claim):
    """The claim as it stands: its latest history entry, and its `updated_at`, which also moves
    when its citations, relations or the names it shows change (without a history entry)."""
    latest = (
        Claim.history.filter(id=claim.pk).order_by("-history_id").values_list("history_id", flat=True).first()
    )
    return f"{latest or 0}-{int(claim.updated_at.timestamp() * 1_000_000)}"


def describe_change(record):
    """One history entry in words: "alice, 2026-03-02 09:14 UTC: rationale → “Denied…” (…)"."""
    who = record.history_user or "the system"
    previous = record.prev_record
    changed = [] if previous is None else record.diff_against(previous).changes
    fields = "; ".join(
        f"{Claim._meta.get_field(change.field).verbose_name} → “{Truncator(change.new).chars(120)}”"
        for change in changed
    )
    reason = f" ({record.history_change_reason})" if record.history_change_reason else ""
    return f"{who}, {record.history_date:%Y-%m-%d %H:%M} UTC: {fields or 'saved'}{reason}"


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
        return [*fieldsets, ("Similar claims", {"fields": ["similar_claims"]})]

    @admin.display(description="Most similar")
    def similar_claims(self, claim):
        """Up to five other claims that read like this one, with what makes them alike: three
        queries on SQLite, one on PostgreSQL, whatever the claim."""
        similar = (
            Claim.objects.exclude(pk=claim.pk)
            .similar_to(
                claim.summary,
                speaker=claim.speaker_id,
                target=claim.target_id,
                topics=claim.topics.values("pk"),
                around=claim.stated_on,
                limit=SIMILAR_CLAIMS_SHOWN,
            )
            .select_related("speaker")
        )
        return render_to_string("admin/claims/claim/similar_claims.html", {"similar_claims": similar})

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
        if version is not None:
            note = f"Reverted to version #{version.history_id} of {version.history_date:%Y-%m-%d %H:%M} UTC"
            reason = f"{note}: {reason}" if reason else note
        else:
            note = edit_note(form, change)
        edit_claim(
            claim,
            note=note,
            reason=reason,
            by=request.user,
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


class RelatedChange(NamedTuple):
    """One change of a claim's citation or relation, as the claim's history page lists it."""

    record: object  # the historical Citation or ClaimRelation: who, when, created/changed/deleted, why
    what: str
    changes: list


def citation_and_relation_changes(claim_id):
    """Every change of every citation and relation the claim has had, newest first. Four queries,
    however many changes: the two histories, then the names of the sources and claims they name."""
    if not str(claim_id).isdecimal():
        return []
    # By record id, so a citation or relation moved to another claim keeps its whole story here.
    citation_ids = Citation.history.filter(claim_id=claim_id).values("id")
    touching_the_claim = Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id)
    relation_ids = ClaimRelation.history.filter(touching_the_claim).values("id")
    citations = list(Citation.history.filter(id__in=citation_ids).select_related("history_user"))
    relations = list(ClaimRelation.history.filter(id__in=relation_ids).select_related("history_user"))
    sources = Source.objects.in_bulk({citation.source_id for citation in citations})
    claims = Claim.objects.in_bulk(
        {citation.claim_id for citation in citations}
        | {relation.from_claim_id for relation in relations}
        | {relation.to_claim_id for relation in relations}
    )
    names = {
        Source: {pk: source.title for pk, source in sources.items()},
        Claim: {pk: f"“{Truncator(claim.summary).words(12)}”" for pk, claim in claims.items()},
    }
    records = sorted([*citations, *relations], key=lambda record: (record.history_date, record.history_id))
    previous_versions = {}
    rows = []
    for record in records:
        previous = previous_versions.get((type(record), record.id))
        previous_versions[type(record), record.id] = record
        changes = [] if previous is None else changed_values(record, previous, names)
        rows.append(RelatedChange(record, describe_related_record(record, int(claim_id), names), changes))
    return rows[::-1]


def describe_related_record(record, claim_id, names):
    """ "Citation: <source> (reports)" or "Relation: this claim disputes “…”"."""
    if isinstance(record, Citation.history.model):
        source = names[Source].get(record.source_id, f"source #{record.source_id} (deleted)")
        return f"Citation: {source} ({record.get_stance_display().lower()})"

    def claim(claim_id_in_record):
        if claim_id_in_record == claim_id:
            return "this claim"
        return names[Claim].get(claim_id_in_record, f"claim #{claim_id_in_record} (deleted)")

    relation = record.get_relation_type_display().lower()
    return f"Relation: {claim(record.from_claim_id)} {relation} {claim(record.to_claim_id)}"


def changed_values(record, previous, names):
    """What `record` changed since `previous`: [{"field", "old", "new"}], in words."""

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if field.is_relation:
            return names[field.related_model].get(value, f"#{value} (deleted)")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return Truncator(value).chars(80)

    return [
        {
            "field": capfirst(field.verbose_name),
            "old": shown(field, change.old),
            "new": shown(field, change.new),
        }
        for change in record.diff_against(previous).changes
        for field in [record._meta.get_field(change.field)]
    ]


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
