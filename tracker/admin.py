"""What the editors' admin pages of every app share."""

from django import forms
from django.db import models
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper


class IsoDateField(forms.DateField):
    """A date typed as 2020-05-21 and in no other way: "02/03/2023" is 2 March to one editor and
    3 February to another, and the admin's British locale would save it as March without a word."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter the date as YYYY-MM-DD, e.g. 2020-05-21."}

    def __init__(self, *, help_text="", **kwargs):
        help_text = f"{help_text} Format: YYYY-MM-DD." if help_text else "Format: YYYY-MM-DD."
        super().__init__(help_text=help_text, **kwargs)


# A plain text box, not the admin's calendar: the calendar writes dates in the locale's DD/MM/YYYY.
ISO_DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "YYYY-MM-DD", "size": 10})


class HistoryWithoutNones(HistoricalRecordContextHelper):
    """A history page's "Changes" column that shows an empty value as "—", never as "None" (nor,
    for an empty foreign key, as "Deleted actor (pk=None)")."""

    def prepare_delta_change_value(self, change, value):
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return super().prepare_delta_change_value(change, value)


class EditorAdmin(SimpleHistoryAdmin):
    """Base for the editors' admin pages in every app: the tracker's stylesheet, dates as
    YYYY-MM-DD and the audit trail."""

    formfield_overrides = {models.DateField: {"form_class": IsoDateField, "widget": ISO_DATE_INPUT}}
    object_history_list_template = "admin/editor_history_list.html"

    class Media:
        css = {"all": ["claims/admin.css"]}

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryWithoutNones(self.model, historical_record)
