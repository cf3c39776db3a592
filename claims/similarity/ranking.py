"""`Claim.objects.similar_to`: the claims that say what a text says, found by their words and by
their meaning, and ranked by both.

Candidates come from two sides: on PostgreSQL, the claims sharing the text's telling words (the
GIN index on the search vectors), best first by full-text rank; elsewhere, the claims sharing its
longest words; and from the vector index (`index.py`), the claims nearest it in meaning. Each
candidate is then scored once, by a weighted mean of the evidence (`SimilarityWeights`): its
full-text rank, its trigram similarity, and the cosine of its vector with the text's; the boosts
for the same speaker, target, topic and a nearby date are added, and the sum is divided by the
most it could be, so that a similarity stays from 0 to 1."""

import datetime
import operator
import re
from functools import reduce
from typing import NamedTuple

import numpy as np
from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection, models
from django.db.models import Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from claims.models import (
    SEARCH_CONFIG,
    SLUG_STOP_WORDS,
    Actor,
    Claim,
    _difflib_similarity,
    _query_words,
    _trigram_similarity,
)

from . import embedding, index


class SimilarityWeights(NamedTuple):
    """What each signal adds to `Claim.objects.similar_to`'s similarity. The text signals are
    averaged by their weights; each boost that applies is added to that, and the sum is divided by
    the most it could be (`_most_boosted`). A zero weight leaves its signal out, and its index out of
    the candidate search."""

    # Tuned on CheckThat! 2020 Task 2's train split and on fixtures/similar_claims.yaml
    # (bench/eval_similar.py); the boosts are kept small, so that they order near-equals only.
    words: float = 0.6  # full-text rank of the claim's words (stems) against the text's
    wording: float = 0.2  # trigram similarity of the summary or quote to the text
    meaning: float = 0.2  # cosine of the claim's vector with the text's
    same_speaker: float = 0.05
    same_target: float = 0.02
    # One names the other's speaker as its target: a denial and the accusation it answers.
    answering: float = 0.1
    shared_topic: float = 0.02
    nearby_date: float = 0.05

    @property
    def of_text(self):
        return self.words + self.wording + self.meaning


SIMILARITY_WEIGHTS = SimilarityWeights()
NO_BOOSTS = {"same_speaker": 0, "same_target": 0, "answering": 0, "shared_topic": 0, "nearby_date": 0}
WORDS_ONLY = SimilarityWeights(words=1, wording=0, meaning=0, **NO_BOOSTS)
WORDING_ONLY = SimilarityWeights(words=0, wording=1, meaning=0, **NO_BOOSTS)
MEANING_ONLY = SimilarityWeights(words=0, wording=0, meaning=1, **NO_BOOSTS)
# Links say nothing of what a text says (a tweet's t.co link), and match nothing.
LINKS = re.compile(r"https?://\S+|www\.\S+")
# Claims stated this close to `around` count as nearby.
NEARBY_DAYS = 31
# Claims ranked in Python on databases without full-text and trigram search: those sharing the
# most telling (longest) words of the text, this many at most.
SIMILAR_CANDIDATES_WITHOUT_POSTGRESQL = 500
SALIENT_WORDS = 8
# ts_rank's normalization 32: rank / (rank + 1), from 0 to 1.
RANK_BETWEEN_0_AND_1 = 32
# pg_trgm's default threshold for `%`; difflib's ratio runs higher on unrelated texts.
TRIGRAM_SIMILAR_THRESHOLD = 0.3
TEXT_SIMILAR_THRESHOLD = 0.5
# A claim found by its meaning alone is kept from this cosine up, and said to have a "similar
# meaning" from the next ("Moscow broke the pact" and "Russia violated the treaty" are about 0.44;
# unrelated claims below 0.1; a tweet and the claim it repeats often near 0.3).
MEANING_KEPT_THRESHOLD = 0.2
MEANING_SIMILAR_THRESHOLD = 0.35
# The claims `similar_to` may rank by their words, as PostgreSQL estimates them from its statistics:
# enough for the telling words of a text, few enough to rank in tens of milliseconds at a million
# claims.
SIMILAR_CANDIDATES_BUDGET = 3_000
# The best of those by their words, ranked again with every signal.
SIMILAR_RERANKED = 100
# The nearest claims by meaning, ranked again with every signal: the best of those the index
# shortlists by their sign bits, compared by their stored vectors.
NEAREST_BY_MEANING = 100
SHORTLISTED_BY_SIGN_BITS = 500


class _Matches(Func):
    """`vector @@ query`, for a query already made of lexemes (`_tsquery`)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def _tsquery(lexemes, operator="|"):
    """A query matching any of `lexemes` (`|`), or all (`&`), as they are: no parsing or stemming
    again."""
    quoted = f" {operator} ".join(
        "'{}'".format(lexeme.replace("\\", "\\\\").replace("'", "''")) for lexeme in lexemes
    )
    return Cast(Value(quoted), SearchQueryField())


def _telling_lexemes(text):
    """The lexemes of `text` that tell most about it: the rarest among the claims first, as many
    as the candidate budget allows: (lexemes, "|"), any of which a candidate has. When even the
    rarest is in more claims than the budget, the fewest of the rarest that the claims having
    them all are few enough: (lexemes, "&"); None when no such lexemes are ("He said").

    How common a lexeme is comes from PostgreSQL's statistics of the search vectors
    (`most_common_elems`, kept by ANALYZE; after them in `most_common_elem_freqs` come the lowest
    and highest of their frequencies); a lexeme not among them counts as half as common as the
    rarest that is. Without statistics, or on a small table, every lexeme is kept."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, %s)) ORDER BY lexeme), "
            "s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM (SELECT 1) AS one "
            "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = %s "
            "AND s.attname = 'search_vector' "
            "LEFT JOIN pg_class c ON c.oid = to_regclass(%s)",
            [SEARCH_CONFIG, text, Claim._meta.db_table, Claim._meta.db_table],
        )
        lexemes, *statistics = cursor.fetchone()
    if not lexemes:
        return None
    if not statistics[0] or statistics[2] <= SIMILAR_CANDIDATES_BUDGET:
        return lexemes, "|"
    common, frequencies, claims = statistics
    frequency = dict(zip(common, frequencies, strict=False))
    rare = frequencies[len(common)] / 2
    ranked = sorted(lexemes, key=lambda lexeme: frequency.get(lexeme, rare))
    telling, expected = [], 0.0
    for lexeme in ranked:
        expected += frequency.get(lexeme, rare) * claims
        if expected > SIMILAR_CANDIDATES_BUDGET:
            break
        telling.append(lexeme)
    if telling:
        return telling, "|"
    # Even the rarest is too common: the rarest together, as few as make the claims few enough
    # (as if the words were independent).
    together, expected = [], float(claims)
    for lexeme in ranked:
        together.append(lexeme)
        expected *= frequency.get(lexeme, rare)
        if expected <= SIMILAR_CANDIDATES_BUDGET:
            return together, "&"
    return None


def _stem(word):
    """A crude stem that serves without a text-search engine: "violated", "violating" -> "viola"."""
    return word[:5]


def _most_boosted(boosts):
    """What a claim identical to the text and given every boost scores: similarities are divided by
    it, to stay from 0 to 1 without capping (a cap would hide the boosts among identical texts)."""
    return 1 + sum(weight for weight, _, _ in boosts)


def _similarity_boosts(weights, *, speaker, target, topics, around):
    """(weight, condition on a claim, reason) of each boost of `similar_to` that applies. `topics`
    may be a list of topics or ids, or a queryset (read as a subquery)."""

    def pk(record):
        return getattr(record, "pk", record)

    boosts = []
    if speaker is not None:
        boosts.append((weights.same_speaker, Q(speaker=pk(speaker)), "same speaker"))
    if target is not None:
        boosts.append((weights.same_target, Q(target=pk(target)), "same target"))
    answering = [Q(speaker=pk(target))] if target is not None else []
    if speaker is not None:
        # A minister's denial answers the accusation against their state: the speaker's
        # organization and its state count as the speaker.
        speaker_and_affiliations = Actor.objects.filter(pk=pk(speaker))
        answering += [
            Q(target=pk(speaker)),
            Q(target__in=speaker_and_affiliations.values("affiliation")),
            Q(target__in=speaker_and_affiliations.values("affiliation__affiliation")),
        ]
    if answering:
        boosts.append((weights.answering, reduce(operator.or_, answering), "answers or is answered"))
    if topics is not None:
        if not isinstance(topics, models.QuerySet):
            topics = [pk(topic) for topic in topics]
        about = Claim.topics.through.objects.filter(claim=OuterRef("pk"), topic__in=topics)
        boosts.append((weights.shared_topic, Q(Exists(about)), "same topic"))
    if around is not None:
        nearby = datetime.timedelta(days=NEARBY_DAYS)
        boosts.append(
            (weights.nearby_date, Q(stated_on__range=(around - nearby, around + nearby)), "nearby date")
        )
    return [boost for boost in boosts if boost[0]]


def similar_claims(claims, text, *, speaker, target, topics, around, limit, weights):
    """See `ClaimQuerySet.similar_to`."""
    boosts = _similarity_boosts(weights, speaker=speaker, target=target, topics=topics, around=around)
    scored = []
    for row in evidence(claims, text, boosts, weights):
        reasons = [reason for reason, present in row["text_reasons"] if present]
        if weights.meaning and row["meaning"] >= MEANING_SIMILAR_THRESHOLD:
            reasons.append("similar meaning")
        elif not reasons and not (weights.meaning and row["meaning"] >= MEANING_KEPT_THRESHOLD):
            continue  # found by its meaning, but not near enough
        similarity = fused(weights, row["words"], row["wording"], row["meaning"])
        for number, (weight, _, reason) in enumerate(boosts):
            if row[f"boost_{number}"]:
                similarity += weight
                reasons.append(reason)
        scored.append((similarity / _most_boosted(boosts), row["pk"], "; ".join(reasons)))
    return _ranked(claims, sorted(scored, reverse=True)[:limit])


def fused(weights, words, wording, meaning):
    """The similarity of a claim's text to the text, from 0 to 1: the weighted mean of its full-text
    rank (or share of words), trigram similarity (or difflib's ratio) and cosine."""
    return (weights.words * words + weights.wording * wording + weights.meaning * meaning) / weights.of_text


def evidence(claims, text, boosts, weights):
    """Each candidate's evidence, a dict: `pk`, `words`, `wording`, `meaning` (0 to 1 each),
    `text_reasons` ((reason, whether it holds)), and `boost_<n>` (whether the nth boost holds)."""
    text = LINKS.sub(" ", text)
    on_postgresql = connection.vendor == "postgresql"
    words = _query_words(text)
    telling = _telling_lexemes(" ".join(words)) if on_postgresql and weights.words and words else None
    if on_postgresql:
        by_words = _candidates_by_search(claims, text, words, telling, weights)
    else:
        by_words = _candidates_by_shared_words(claims, text, weights)
    text_vector = _vector_of(text) if weights.meaning else None
    by_meaning = _nearest_by_meaning(claims, text_vector) if text_vector is not None else []
    if on_postgresql:
        # The candidates by their words as a subquery of the query that scores them all.
        if by_words is None and not by_meaning:
            return
        wanted = Q(pk__in=by_meaning) if by_words is None else index.any_id(by_meaning, by_words)
        rows = _scored_by_search(claims, wanted, text, words, telling, boosts, weights)
    else:
        candidates = list(dict.fromkeys([*by_words, *by_meaning]))
        if not candidates:
            return
        rows = _scored_by_shared_words(claims, candidates, text, boosts, weights)
    for row in rows:
        row["meaning"] = 0.0
        if text_vector is not None and row["embedding"]:
            row["meaning"] = max(0.0, float(embedding.from_bytes(row["embedding"]) @ text_vector))
        yield row


def answers_to(claims, text, *, speaker, target=None, topics=None, around=None, limit, weights):
    """See `ClaimQuerySet.answered_by`."""
    speaking_for = _speaking_for(speaker)
    accusations = claims.accusations().filter(target__in=speaking_for)
    # The roles swapped: the accusation's speaker is the one the answer names as its target, and
    # its target is the answer's speaker.
    return similar_claims(
        accusations,
        text,
        speaker=target,
        target=speaker,
        topics=topics,
        around=around,
        limit=limit,
        weights=weights,
    )


def _speaking_for(actor):
    """The actor's id and those of the bodies it speaks for (its affiliation, and that one's)."""
    actor_id = getattr(actor, "pk", actor)
    affiliations = Actor.objects.filter(pk=actor_id).values_list("affiliation", "affiliation__affiliation")
    return [actor_id, *(pk for pk in next(iter(affiliations), ()) if pk is not None)]


def _vector_of(text):
    vector = embedding.unit_vectors([embedding.claim_text(text, "")])[0]
    return vector if vector.any() else None


def _nearest_by_meaning(claims, text_vector):
    """The ids of the claims nearest `text_vector`: a shortlist from the index by sign bits, and
    the claims added since it was built, compared exactly by their stored vectors."""
    previous = index.current_index(build=False)
    vectors = index.current_index()
    shortlist = vectors.nearest(text_vector, SHORTLISTED_BY_SIGN_BITS) if vectors is not None else []
    if vectors is not None and vectors is not previous:
        added_after = None  # built just now, from every claim
    else:
        added_after = vectors.covers_up_to if vectors is not None else 0
    rows, more = index.stored_vectors(claims, shortlist, added_after=added_after)
    if more and vectors is not None:
        vectors.built_at = float("-inf")  # built again on the next query
    if not rows:
        return []
    cosines = np.vstack([vector for _, vector in rows]) @ text_vector
    return [rows[position][0] for position in np.argsort(-cosines)[:NEAREST_BY_MEANING]]


def _boost_flags(boosts):
    return {
        f"boost_{number}": ExpressionWrapper(condition, output_field=models.BooleanField())
        for number, (_, condition, _) in enumerate(boosts)
    }


def _candidates_by_search(claims, text, words, telling, weights):
    """The claims best ranked by their words, as a subquery of their ids (None when the text has
    no telling word): the claims with one of the text's telling words (or all of its words, when
    each is common), found in the GIN index `claim_search_vector` without reading the claims that
    share only common words."""
    if telling:
        arm = Q(_Matches(F("search_vector"), _tsquery(*telling)))
        rank = _words_rank(words)
    elif weights.wording and not weights.words and text.strip():
        # Wording alone (to evaluate it on its own): the GIN trigram index
        # `claim_summary_trigrams`, which reads more claims the longer the text.
        arm = Q(summary__trigram_similar=text)
        rank = _trigram_similarity(text, text)
    else:  # nothing telling ("He said")
        return None
    ranked = claims.filter(arm).annotate(first_pass=rank).order_by("-first_pass", "-pk")
    return ranked.values("pk")[:SIMILAR_RERANKED]


def _words_rank(words):
    # Ranked by all of the text's words ("any of them": a paraphrase shares some, rarely all;
    # web-search syntax, so no word of the text is read as an operator).
    query = SearchQuery(" or ".join(words), config=SEARCH_CONFIG, search_type="websearch")
    return SearchRank(F("search_vector"), query, normalization=RANK_BETWEEN_0_AND_1)


def _scored_by_search(claims, wanted, text, words, telling, boosts, weights):
    zero = Value(0.0, output_field=models.FloatField())
    rows = (
        claims.filter(wanted)
        .annotate(
            words=_words_rank(words) if telling else zero,
            wording=_trigram_similarity(text, text) if weights.wording else zero,
            **_boost_flags(boosts),
        )
        .values("pk", "embedding", "words", "wording", *(f"boost_{n}" for n in range(len(boosts))))
    )
    for row in rows:
        row["text_reasons"] = [
            ("shared words", row["words"] > 0 and weights.words),
            ("similar wording", row["wording"] >= TRIGRAM_SIMILAR_THRESHOLD and weights.wording),
        ]
        yield row


def _candidates_by_shared_words(claims, text, weights):
    words = _salient_words(text)
    if not words or not (weights.words or weights.wording):
        return []
    shares_a_word = reduce(
        operator.or_, (Q(summary__icontains=word) | Q(quote__icontains=word) for word in words)
    )
    candidates = claims.prefetch_related(None).filter(shares_a_word).order_by("-pk")
    return list(candidates.values_list("pk", flat=True)[:SIMILAR_CANDIDATES_WITHOUT_POSTGRESQL])


def _salient_words(text):
    return sorted(set(_query_words(text)) - SLUG_STOP_WORDS, key=len, reverse=True)[:SALIENT_WORDS]


def _scored_by_shared_words(claims, candidates, text, boosts, weights):
    wanted_stems = {_stem(word) for word in _salient_words(text)}
    rows = (
        claims.prefetch_related(None)
        .filter(pk__in=candidates)
        .annotate(**_boost_flags(boosts))
        .values("pk", "summary", "quote", "embedding", *(f"boost_{n}" for n in range(len(boosts))))
    )
    for row in rows:
        stems = {_stem(word) for word in _query_words(f"{row['summary']} {row['quote']}")}
        row["words"] = len(wanted_stems & stems) / len(wanted_stems) if wanted_stems else 0.0
        row["wording"] = _difflib_similarity(row["summary"], row["quote"], text, text)
        row["text_reasons"] = [
            ("shared words", row["words"] > 0 and weights.words),
            ("similar wording", row["wording"] >= TEXT_SIMILAR_THRESHOLD and weights.wording),
        ]
        yield row


def _ranked(claims, best):
    """`claims` narrowed to `best` ((similarity, id, reason), the best first), annotated with
    each one's similarity and reason, in that order: a queryset, which the API narrows and pages.
    Each annotation is one CASE written out (as Django's `Case` of fifty `When`s, it took longer
    to build than the query to run)."""
    if not best:
        # An empty queryset, which callers can tell (`query.is_empty()`) without running it.
        return claims.none().annotate(
            similarity=Value(0.0, output_field=models.FloatField()),
            similarity_reason=Value("", output_field=models.CharField()),
        )
    return (
        claims.filter(pk__in=[pk for _, pk, _ in best])
        .annotate(
            similarity=_by_id(best, lambda similarity, reason: similarity, 0.0, models.FloatField()),
            similarity_reason=_by_id(best, lambda similarity, reason: reason, "", models.CharField()),
        )
        .order_by("-similarity", "-pk")
    )


def _by_id(best, value_of, default, output_field):
    column = f'"{Claim._meta.db_table}"."{Claim._meta.pk.column}"'
    cast = "double precision" if isinstance(output_field, models.FloatField) else "text"
    if connection.vendor != "postgresql":
        cast = "real" if cast == "double precision" else "text"
    params = []
    for similarity, pk, reason in best:
        params += [pk, value_of(similarity, reason)]
    sql = f"CASE {column} {' '.join(['WHEN %s THEN CAST(%s AS ' + cast + ')'] * len(best))} ELSE %s END"
    return RawSQL(sql, [*params, default], output_field=output_field)
