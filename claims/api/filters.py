import django_filters

from claims.choices import ActorKind, Attribution, ClaimKind, EvidenceStatus, TombstoneState
from claims.models import SIMILAR_CLAIMS_LIMIT, Actor, Claim, ClaimTombstone, Topic
from tracker.api import MomentFilter, RecordFilter

# Longer than any summary, enough for a quote's gist; a longer text is a 400, not a slow query.
SIMILAR_TO_MAX_LENGTH = 1000


def actors_visible_to(request):
    """The actors a client may filter by (and the browsable API lists): every actor for editors,
    public ones for everyone else, so that a draft-only actor's slug is a 404 like an unknown one."""
    return Actor.objects.visible_to(request.user) if request else Actor.objects.public()


def topics_visible_to(request):
    """The same for topics."""
    return Topic.objects.visible_to(request.user) if request else Topic.objects.public()


class ClaimFilterSet(django_filters.FilterSet):
    speaker = RecordFilter(queryset=actors_visible_to, help_text="The speaker's slug.")
    target = RecordFilter(queryset=actors_visible_to, help_text="The accused party's slug.")
    topic = RecordFilter(field_name="topics", queryset=topics_visible_to, help_text="A topic's slug.")
    status = django_filters.ChoiceFilter(
        field_name="evidence_status", choices=EvidenceStatus.choices, help_text="An evidence status code."
    )
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    attribution = django_filters.ChoiceFilter(choices=Attribution.choices)
    stated_after = django_filters.DateFilter(
        method="filter_stated_after",
        help_text="ISO date. Claims stated on or after it; a month- or year-precise claim is included "
        "when its month or year reaches the date.",
    )
    stated_before = django_filters.DateFilter(
        method="filter_stated_before",
        help_text="ISO date. Claims stated on or before it; a month- or year-precise claim is included "
        "when its month or year starts by the date.",
    )
    updated_since = MomentFilter(
        field_name="updated_at",
        help_text="ISO 8601 date-time. Claims created or changed at or after it, for incremental sync.",
    )
    has_counter_claims = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_has_counter_claims",
        help_text="true: claims that published counter-claims dispute; false: claims that none disputes. "
        "Not the evidence status `disputed` (see `status`).",
    )
    disputed = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_has_counter_claims",
        help_text="Deprecated: the old name of `has_counter_claims`, kept so that existing scripts work.",
    )
    q = django_filters.CharFilter(
        method="filter_search",
        help_text="Full-text search in the summary, quote, and the speaker's name and aliases.",
    )

    # Declared last, so that it ranks the claims the other filters leave (filters apply in order).
    similar_to = django_filters.CharFilter(
        method="filter_similar_to",
        max_length=SIMILAR_TO_MAX_LENGTH,
        help_text=f"A claim's text (up to {SIMILAR_TO_MAX_LENGTH} characters): the {SIMILAR_CLAIMS_LIMIT} "
        "claims that say the most nearly the same, the most similar first, each with its `similarity` "
        "(0 to 1). Combines with the other filters; `ordering` orders those claims instead of the ranking. "
        "One page: `page_size` returns fewer, never more, and there is no `next` page.",
    )

    deprecated_filters = {"disputed"}  # marked deprecated in the OpenAPI schema

    class Meta:
        model = Claim
        fields = []

    def filter_stated_after(self, claims, name, value):
        return claims.stated_after(value)

    def filter_stated_before(self, claims, name, value):
        return claims.stated_before(value)

    def filter_has_counter_claims(self, claims, name, value):
        return claims.with_counter_claims(value == "true")

    def filter_search(self, claims, name, value):
        return claims.search(value) if value.strip() else claims

    def filter_similar_to(self, claims, name, value):
        return claims.similar_to(value)


class ActorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_named", help_text="Part of the name or of any alias.")
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)

    class Meta:
        model = Actor
        fields = []

    def filter_named(self, actors, name, value):
        return actors.named(value)


class TopicFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_named", help_text="Part of the name or of any alias.")

    class Meta:
        model = Topic
        fields = []

    def filter_named(self, topics, name, value):
        return topics.named(value)


class ClaimTombstoneFilterSet(django_filters.FilterSet):
    updated_since = MomentFilter(
        field_name="removed_at",
        help_text="ISO 8601 date-time. Claims withdrawn or merged at or after it, for incremental sync.",
    )
    state = django_filters.ChoiceFilter(choices=TombstoneState.choices)

    class Meta:
        model = ClaimTombstone
        fields = []
