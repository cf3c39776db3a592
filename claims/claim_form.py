"""The claim's admin form: a save is refused when someone changed the claim since the form was
opened, and the form shown again merges what they stored with what this editor typed."""

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.text import Truncator

from .choices import DatePrecision
from .merge_admin import DuplicateWarningForm
from .models import (
    Claim,
)


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
            stated_on_precision=cleaned_data.get("stated_on_precision") or DatePrecision.DAY,
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
        opened_history_id, _ = read_version_token(opened)
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


def rows_changed_since_opened(claim, opened_version, rows, claim_field):
    """Whether a save from the form opened at `opened_version` is refused (`ClaimAdminForm.clean`)
    and, since the form was opened, another editor changed the claim's `rows` (a model with
    history whose `claim_field` names the claim: its citations, its relations)."""
    _, opened_at = read_version_token(opened_version or "")
    if claim.pk is None or opened_at is None or opened_version == version_token(claim):
        return False
    return rows.history.filter(**{f"{claim_field}_id": claim.pk}, history_date__gt=opened_at).exists()


def version_token(claim):
    """The claim as it stands: its latest history entry, and its `updated_at`, which also moves
    when its citations, relations or the names it shows change (without a history entry)."""
    latest = (
        Claim.history.filter(id=claim.pk).order_by("-history_id").values_list("history_id", flat=True).first()
    )
    return f"{latest or 0}-{int(claim.updated_at.timestamp() * 1_000_000)}"


def read_version_token(token):
    """(history id, `updated_at`) from a `version_token`: 0 and None for what cannot be read."""
    history_id, _, updated_at = token.partition("-")
    try:
        updated_at = datetime.datetime.fromtimestamp(int(updated_at) / 1_000_000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):  # not a number, or no date
        updated_at = None
    return int(history_id) if history_id.isdigit() else 0, updated_at


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
