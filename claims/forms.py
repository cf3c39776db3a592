import datetime

from django import forms
from django.db.models import Exists

from .choices import ClaimKind, EvidenceStatus
from .models import Actor, Claim, Topic

# Speakers and topics the fields suggest as the reader types, those with the most claims first.
SUGGESTED = 100
# The most speakers or topics a typed name may match; more, and the reader is asked to type more.
MATCHED = 10


def named_field(placeholder, suggestions):
    """A name to type, with suggestions, not a list of every record: there may be tens of
    thousands."""
    return forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": suggestions, "placeholder": placeholder}),
    )


# The year filter offers at most this many years back from the latest claim's: each is a column
# of one query, and a database allows some hundreds (a claim mistyped as dated in year 20 must not
# ask for two thousand).
YEARS_OFFERED = 100


def years_with_claims():
    """The years with published claims, the latest first (at most `YEARS_OFFERED` back): the first
    and last claims' dates (two index reads), then one query asking of each year between whether a
    claim is dated in it (an index probe each), where grouping the claims by year would read every
    one."""
    dates = Claim.objects.published().values_list("stated_on", flat=True)
    first, last = dates.order_by("stated_on").first(), dates.order_by("-stated_on").first()
    if first is None:
        return []
    years = range(last.year, max(first.year, last.year - YEARS_OFFERED + 1) - 1, -1)
    probes = {
        f"in_{year}": Exists(
            Claim.objects.published().filter(
                stated_on__gte=datetime.date(year, 1, 1), stated_on__lte=datetime.date(year, 12, 31)
            )
        )
        for year in years
    }
    found = Claim.objects.published().order_by().annotate(**probes).values(*probes).first() or {}
    return [year for year in years if found.get(f"in_{year}")]


class ClaimFilterForm(forms.Form):
    """The claims list's search box and filters, read from the query string. Each one is optional
    and they combine; a value that does not validate is reported, and matches nothing (not a 400,
    and not every claim as if the filter were not there)."""

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput)
    topic = named_field("All topics", "topic-suggestions")
    speaker = named_field("Anyone", "speaker-suggestions")
    target = named_field("Anyone", "speaker-suggestions")
    status = forms.ChoiceField(
        label="Evidence status", choices=[("", "Any status"), *EvidenceStatus.choices], required=False
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ClaimKind.choices], required=False)
    year = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].label = "Against"
        self.fields["year"].choices = [("", "Any year"), *((year, year) for year in years_with_claims())]

    # Only what published claims use, so no suggestion leads to an empty list or names a draft's
    # speaker or topic.

    def suggested_speakers(self):
        return Actor.objects.most_prolific().values_list("name", flat=True)[:SUGGESTED]

    def suggested_topics(self):
        return Topic.objects.by_claim_count().values_list("name", flat=True)[:SUGGESTED]

    def clean_speaker(self):
        return self.named("speaker", Actor.objects.most_prolific())

    def clean_topic(self):
        return self.named("topic", Topic.objects.by_claim_count())

    def clean_target(self):
        return self.named("target", Actor.objects.filter(accusations_received_count__gt=0), "target")

    def named(self, field, records, role=None):
        """The records of published claims that the field's text names (see `called`)."""
        text = self.cleaned_data[field].strip()
        if not text:
            return None
        found = records.called(text, most=MATCHED)
        if not found:
            role = role or field
            raise forms.ValidationError(f"No published claim has a {role} called “{text}”.", code="unknown")
        if len(found) > MATCHED:
            raise forms.ValidationError(
                f"Too many {field}s have that in their name: type more of it.", code="many"
            )
        return found

    def filter(self, claims):
        """`claims` narrowed by every filter that validated."""
        if not self.is_valid():
            return claims.none()
        values = self.cleaned_data
        if values.get("q"):
            claims = claims.search(values["q"])
        if values.get("topic"):
            claims = claims.about_any(values["topic"])
        if values.get("speaker"):
            claims = claims.filter(speaker__in=values["speaker"])
        if values.get("target"):
            claims = claims.filter(target__in=values["target"])
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
            words.append(f"about {' or '.join(str(topic) for topic in values['topic'])}")
        if values.get("speaker"):
            words.append(f"by {' or '.join(str(speaker) for speaker in values['speaker'])}")
        if values.get("target"):
            words.append(f"against {' or '.join(str(target) for target in values['target'])}")
        if values.get("status"):
            words.append(f"rated {EvidenceStatus(values['status']).label}")
        if values.get("kind"):
            words.append(f"of kind {ClaimKind(values['kind']).label.lower()}")
        if values.get("year"):
            words.append(f"from {values['year']}")
        return words


ACTOR_SORTS = {
    "claims": ("Most claims made", ["-claims_made_count", "name", "pk"]),
    "accusations": ("Most accusations received", ["-accusations_received_count", "name", "pk"]),
    "name": ("Name", ["name", "pk"]),
}


class ActorSearchForm(forms.Form):
    """The actors list's search and order; an unknown order is the default one."""

    q = forms.CharField(label="Name", required=False, max_length=200, widget=forms.SearchInput)
    sort = forms.ChoiceField(
        label="Order by", required=False, choices=[(key, label) for key, (label, _) in ACTOR_SORTS.items()]
    )

    def actors(self):
        self.is_valid()
        values = self.cleaned_data
        actors = Actor.objects.listed()
        if values.get("q"):
            actors = actors.named(values["q"].strip())
        return actors.order_by(*ACTOR_SORTS[values.get("sort") or "claims"][1])
