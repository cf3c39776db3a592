from django import forms

from .choices import ClaimKind, EvidenceStatus
from .models import Actor, Claim, Topic

# Speakers the speaker field suggests as the reader types, the most prolific first.
SUGGESTED_SPEAKERS = 100
# The most speakers a typed name may match; more, and the reader is asked to type more of it.
MATCHED_SPEAKERS = 10


class ClaimFilterForm(forms.Form):
    """The claims list's search box and filters, read from the query string. Each one is optional
    and they combine; a value that does not validate is reported and ignored, not a 400."""

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), to_field_name="slug", required=False, empty_label="All topics"
    )
    # A name to type, not a list of every speaker: there may be tens of thousands.
    speaker = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "speaker-suggestions", "placeholder": "Anyone"}),
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
        # The years from the first published claim to the last: two index reads, where listing the
        # years that have claims would read every claim.
        dates = Claim.objects.published().values_list("stated_on", flat=True)
        first, last = dates.order_by("stated_on").first(), dates.order_by("-stated_on").first()
        years = range(last.year, first.year - 1, -1) if first else []
        self.fields["year"].choices = [("", "Any year"), *((year, year) for year in years)]

    def suggested_speakers(self):
        return Actor.objects.most_prolific().values_list("name", flat=True)[:SUGGESTED_SPEAKERS]

    def clean_speaker(self):
        """The published speakers named by the text: the one whose slug it is (as the links of the
        pages give it), else those whose name is the text, else those whose name or an alias
        contains it, ignoring case."""
        text = self.cleaned_data["speaker"].strip()
        if not text:
            return None
        speakers = Actor.objects.published_speakers()
        for matching in (
            lambda: speakers.filter(slug=text),
            lambda: speakers.filter(name__iexact=text),
            lambda: speakers.named(text),
        ):
            found = list(matching()[: MATCHED_SPEAKERS + 1])
            if found:
                break
        if not found:
            raise forms.ValidationError("No published claim has a speaker of that name.", code="unknown")
        if len(found) > MATCHED_SPEAKERS:
            raise forms.ValidationError(
                "Too many speakers have that in their name: type more of it.", code="many"
            )
        return found

    def filter(self, claims):
        """`claims` narrowed by every filter that validated."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("q"):
            claims = claims.search(values["q"])
        if values.get("topic"):
            claims = claims.about(values["topic"])
        if values.get("speaker"):
            claims = claims.filter(speaker__in=values["speaker"])
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
            words.append(f"by {' or '.join(str(speaker) for speaker in values['speaker'])}")
        if values.get("status"):
            words.append(f"rated {EvidenceStatus(values['status']).label}")
        if values.get("kind"):
            words.append(f"of kind {ClaimKind(values['kind']).label.lower()}")
        if values.get("year"):
            words.append(f"from {values['year']}")
        return words
