"""Editors mark a mistaken step of a claim's status history as corrected, with a note for
readers; the step is never edited or deleted (the public corrections log lists it)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import EvidenceStatusChange


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = EvidenceStatusChange
        fields = ["correction_note"]

    def clean_correction_note(self):
        note = self.cleaned_data["correction_note"].strip()
        if not note:
            raise forms.ValidationError("Say, for readers, what was wrong with this step.")
        return note


@admin.register(EvidenceStatusChange)
class EvidenceStatusChangeAdmin(admin.ModelAdmin):
    form = CorrectionForm
    list_display = ["claim", "changed_at", "__str__", "corrected_at"]
    list_filter = [("corrected_at", admin.EmptyFieldListFilter)]
    list_select_related = ["claim"]
    search_fields = ["claim__summary"]
    date_hierarchy = "changed_at"
    fields = ["claim", "changed_at", "from_status", "to_status", "reason", "changed_by", "correction_note"]
    readonly_fields = ["claim", "changed_at", "from_status", "to_status", "reason", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, step, form, change):
        step.mark_corrected(form.cleaned_data["correction_note"], by=request.user)


def correction_link(step):
    """A link to mark the step corrected, or its correction (for the claim's status inline)."""
    url = reverse("admin:claims_evidencestatuschange_change", args=[step.pk])
    if step.corrected_at:
        return format_html(
            'Corrected {:%Y-%m-%d}: <a href="{}">{}</a>', step.corrected_at, url, step.correction_note
        )
    return format_html('<a href="{}">Mark as corrected…</a>', url)
