"""Finding claims by their words: full-text search (`ClaimQuerySet.search`) and the likely
duplicates of a claim being entered (`ClaimQuerySet.likely_duplicates_of`). The similar-claims
engine is `claims.similarity`."""

import difflib
import re

from django.contrib.postgres.search import (
    SearchQuery,
    TrigramSimilarity,
)
from django.db import connection, models
from django.db.models import (
    F,
    Func,
    Q,
)
from django.db.models.functions import Greatest

from ..choices import DatePrecision
from ..stemming import searched_fragment
from .base import app_model
from .text import plain_name

# Above these, two claims by one speaker on overlapping dates read as the same claim: trigram
# similarity on PostgreSQL ("Russia has not violated the treaty." against "Russia has not violated
# the Open Skies Treaty." is about 0.7), difflib's ratio elsewhere.
TRIGRAM_DUPLICATE_THRESHOLD = 0.5
TEXT_DUPLICATE_THRESHOLD = 0.75


def text_similarity(first, second):
    return difflib.SequenceMatcher(None, plain_name(first), plain_name(second)).ratio()


def _trigram_similarity(summary, quote=""):
    """The trigram similarity (0 to 1) of a claim's summary to `summary`, or of its quote to
    `quote` when that is closer."""
    similarity = TrigramSimilarity("summary", summary)
    if quote.strip():
        similarity = Greatest(similarity, TrigramSimilarity("quote", quote))
    return similarity


def _difflib_similarity(claim_summary, claim_quote, summary, quote=""):
    """The same as `_trigram_similarity`, by difflib, for a claim's summary and quote in memory."""
    return max(
        text_similarity(summary, claim_summary),
        text_similarity(quote, claim_quote) if quote.strip() and claim_quote.strip() else 0,
    )


# The text-search configuration of claims' search vectors (kept up to date by database triggers).
SEARCH_CONFIG = "english"


# The most words of a text `similar_to` searches for: a long quote says what it says in its first
# sixty-four words, and a longer query only costs time.
QUERY_WORDS = 64


# How `search` tells a query many claims match: at least DENSE_MATCHES among the newest
# DENSE_SAMPLE published claims (1 %), so a page of 50 read in date order reads ~5,000 claims.
DENSE_SAMPLE = 2_000
DENSE_MATCHES = 20


class _MatchesOneByOne(Func):
    """`vector @@ query` as the function behind the operator: the same test, which the GIN index
    cannot serve, so that PostgreSQL reads the claims in an index's order and tests each."""

    function = "ts_match_vq"
    output_field = models.BooleanField()


def _matched_by_many(query):
    """Whether at least `DENSE_MATCHES` of the newest `DENSE_SAMPLE` published claims match
    `query` (a `SearchQuery`): one walk of the date index, stopping once they are found."""
    newest = app_model("Claim").objects.published().order_by("-stated_on", "-pk").values("pk")[:DENSE_SAMPLE]
    matching = (
        app_model("Claim").objects.filter(pk__in=newest).filter(_MatchesOneByOne(F("search_vector"), query))
    )
    return matching.values("pk")[:DENSE_MATCHES].count() >= DENSE_MATCHES


def _query_words(text):
    """The words of `text`, lower-cased, each once, in order, without the web-search operators."""
    words = dict.fromkeys(re.findall(r"\w+", text.casefold()))
    return [word for word in words if word not in ("or", "and")][:QUERY_WORDS]


def likely_duplicates(claims, claim, *, limit):
    """`ClaimQuerySet.likely_duplicates_of`: among `claims`, those that may be `claim` entered again."""

    if claim.speaker_id is None or claim.stated_on is None:
        return []
    precision = DatePrecision(claim.stated_on_precision)
    start = precision.truncate(claim.stated_on)
    candidates = (
        claims.filter(speaker=claim.speaker_id)
        .exclude(pk=claim.pk)
        .stated_after(start)
        .stated_before(precision.period_end(start))
    )
    if connection.vendor == "postgresql":
        found = (
            candidates.annotate(similarity=_trigram_similarity(claim.summary, claim.quote))
            .filter(similarity__gte=TRIGRAM_DUPLICATE_THRESHOLD)
            .order_by("-similarity", "-pk")[:limit]
        )
        return [(found_claim, found_claim.similarity) for found_claim in found]
    scored = []
    for other in candidates.only("pk", "slug", "summary", "quote", "speaker", "stated_on"):
        similarity = _difflib_similarity(other.summary, other.quote, claim.summary, claim.quote)
        if similarity >= TEXT_DUPLICATE_THRESHOLD:
            scored.append((other, similarity))
    return sorted(scored, key=lambda pair: (-pair[1], -pair[0].pk))[:limit]


def matching(claims, text):
    """`ClaimQuerySet.search`: those of `claims` that match `text`."""

    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        if len(_query_words(text)) > 1 and _matched_by_many(query):
            return claims.filter(_MatchesOneByOne(F("search_vector"), query))
        return claims.filter(search_vector=query)
    matches = claims
    for word in map(searched_fragment, text.split()):
        matches = matches.filter(
            Q(summary__icontains=word)
            | Q(quote__icontains=word)
            | Q(speaker__name__icontains=word)
            | Q(speaker__aliases__icontains=word)
        )
    return matches
