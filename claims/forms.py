from django import forms

from .choices import ClaimKind, EvidenceStatus
from .models import Actor, Claim, Topic


class ClaimFilterForm(forms.Form):
    """The claims list's search box and filters, read from the query string. Each one is optional
    and they combine; a value that does not validate is reported and ignored, not a 400."""

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), to_field_name="slug", required=False, empty_label="All topics"
    )
    speaker = forms.ModelChoiceField(
        queryset=Actor.objects.none(), to_field_name="slug", required=False, empty_label="Anyone"
    )
    status = forms.ChoiceField(
        label="Evidence status", choices=[("", "Any status"), *EvidenceStatus.choices], required=False
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ClaimKind.choices], required=False)
    year = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what published claims use, so no option leads to an empty list or names a draft's
        # speaker or topic.
        self.fields["topic"].queryset = Topic.objects.public()
        self.fields["speaker"].queryset = Actor.objects.published_speakers()
        years = [day.year for day in Claim.objects.published().dates("stated_on", "year", order="DESC")]
        self.fields["year"].choices = [("", "Any year"), *((year, year) for year in years)]

    def filter(self, claims):
        """`claims` narrowed by every filter that validated."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("q"):
            claims = claims.search(values["q"])
        if values.get("topic"):
            claims = claims.about(values["topic"])
        if values.get("speaker"):
            claims = claims.for_speaker(values["speaker"])
        if values.get("status"):
            claims = claims.filter(evidence_status=values["status"])
        if values.get("kind"):
            claims = claims.filter(kind=values["kind"])
        if values.get("year"):
            claims = claims.filter(stated_on__year=values["year"])
        return claims

    def descriptions(self):
        """The filters in force, in words: ["matching “Grushko”", "about INF Treaty", ...]."""
        values = self.cleaned_data
        words = []
        if values.get("q"):
            words.append(f"matching “{values['q']}”")
        if values.get("topic"):
            words.append(f"about {values['topic']}")
        if values.get("speaker"):
            words.append(f"by {values['speaker']}")
        if values.get("status"):
            words.append(f"rated {EvidenceStatus(values['status']).label}")
        if values.get("kind"):
            words.append(f"of kind {ClaimKind(values['kind']).label.lower()}")
        if values.get("year"):
            words.append(f"from {values['year']}")
        return words
