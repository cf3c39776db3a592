"""What the editors' admin pages of actors, topics, claims and sources share to keep one record per
fact: a warning of likely duplicates before a save, and the "Merge" action for those that slipped
through (select the two, choose which to keep, say why; see `claims.merging`)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join


class DuplicateWarningForm(forms.ModelForm):
    """A form that names the likely duplicates of what is being saved and saves only once the
    editor confirms it is not one of them (the box appears with the warning)."""

    confirm_not_duplicate = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label="It is not a duplicate: save it anyway"
    )
    # The fields whose change can make a record a duplicate of another.
    identity_fields = ()

    def likely_duplicates(self, cleaned_data):
        """[(record, why it looks the same)] for the record as it would be saved."""
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        is_new = self.instance.pk is None
        if self.errors or cleaned_data.get("confirm_not_duplicate"):
            return cleaned_data
        if not is_new and not set(self.identity_fields) & set(self.changed_data):
            return cleaned_data
        duplicates = self.likely_duplicates(cleaned_data)
        if duplicates:
            self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()
            opts = self._meta.model._meta
            links = format_html_join(
                "; ",
                '<a href="{}">{}</a> ({})',
                (
                    (
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
                        record,
                        why,
                    )
                    for record, why in duplicates
                ),
            )
            raise ValidationError(
                format_html(
                    "This may be a {} already recorded: {}. Edit that one instead (or merge them), or tick "
                    "“It is not a duplicate” to save it anyway.",
                    opts.verbose_name,
                    links,
                ),
                code="likely_duplicate",
            )
        return cleaned_data


class MergeForm(forms.Form):
    kept = forms.TypedChoiceField(coerce=int, label="Keep", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why they are the same",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Kept in both records' history.",
    )

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(record.pk, f"#{record.pk} {record}") for record in records]


class MergeActionMixin:
    """Adds "Merge the two selected …" to a ModelAdmin; `merge` is the function that merges."""

    merge = None  # e.g. staticmethod(merge_actors)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            name = self.model._meta.verbose_name_plural
            actions["merge_selected"] = (
                type(self).merge_selected,
                "merge_selected",
                f"Merge the two selected {name} (duplicates)",
            )
        return actions

    def merge_selected(self, request, queryset):
        records = list(queryset.order_by("pk"))
        if len(records) != 2:
            self.message_user(request, "Select exactly two records to merge.", messages.ERROR)
            return None
        form = MergeForm(request.POST if "confirm_merge" in request.POST else None, records=records)
        if form.is_valid():
            kept = next(record for record in records if record.pk == form.cleaned_data["kept"])
            merged = next(record for record in records if record.pk != kept.pk)
            merged_name = str(merged)
            try:
                type(self).merge(kept, merged, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                format_html(
                    'Merged “{}” into <a href="{}">{}</a>; its old page and API URLs now lead there.',
                    merged_name,
                    self.get_change_url(kept),
                    kept,
                ),
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge two {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "records": [(record, self.get_change_url(record)) for record in records],
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/merge_confirmation.html", context)

    def get_change_url(self, record):
        opts = record._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
