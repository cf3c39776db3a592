"""`Claim.objects.similar_to`: the claims that say what a text says, found by their words and by
their meaning, and ranked by both.

Candidates come from two sides: on PostgreSQL, the claims sharing the text's telling words (the
GIN index on the search vectors), best first by full-text rank; elsewhere, the claims sharing its
longest words; and from the vector index (`index.py`), the claims nearest it in meaning. Each
candidate is then scored once, by a weighted mean of the evidence (`SimilarityWeights`): its
words' BM25 (`words_score`; elsewhere the share of the text's longest words it has), its trigram
similarity, and the cosine of its vector with the text's; the boosts
for the same speaker, target, topic and a nearby date are added, and the sum is divided by the
most it could be, so that a similarity stays from 0 to 1. The best few are then read again by a
closer, slower model (`reranking.py`), whose agreement adds to their similarity."""

import datetime
import math
import operator
import re
import time
from functools import reduce
from typing import NamedTuple

import numpy as np
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField, SearchRank
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

from . import embedding, index, reranking


class SimilarityWeights(NamedTuple):
    """What each signal adds to `Claim.objects.similar_to`'s similarity. The text signals are
    averaged by their weights; each boost that applies is added to that, and the sum is divided by
    the most it could be (`_most_boosted`). A zero weight leaves its signal out, and its index out of
    the candidate search."""

    # Tuned on CheckThat! 2020 Task 2's train split (bench/eval_similar.py --tune), keeping
    # fixtures/similar_claims.yaml's MAP@5 above 0.852: paraphrases sharing no rare word need
    # meaning (without it the labelled set falls to 0.813). The words alone seem better on the
    # tweets (train MAP@5 0.861 against 0.844) only while ties go to the lower id, as the data's
    # README breaks them and as its labelled claims are numbered; broken the other way they score
    # 0.793 and the fusion 0.844 (see bench/eval_clef.py's `in_order`). Scaling each signal over
    # the candidates first (z-score, or by the best) gained at most 0.002 on train, ties broken
    # either way. The boosts are kept small, so that they order near-equals only.
    words: float = 1.0  # BM25 of the claim's lexemes against the text's (`words_score`)
    wording: float = 0.15  # trigram similarity of the summary or quote to the text
    meaning: float = 0.2  # cosine of the claim's vector with the text's
    # The re-ranking model's agreement (`_agreement`), for the best `RERANKED_BEST` only. Chosen
    # with `RERANKED_BEST` and `RERANKING_FLOOR` on train, the others as they were: MAP@5 0.843 ->
    # 0.904 (dev 0.820 -> 0.900), ties broken either way; the curated queries 0.877 -> 0.933.
    reranking: float = 0.5
    same_speaker: float = 0.05
    same_target: float = 0.02
    # One names the other's speaker as its target: a denial and the accusation it answers.
    answering: float = 0.1
    shared_topic: float = 0.02
    nearby_date: float = 0.05

    @property
    def of_text(self):
        return self.words + self.wording + self.meaning + self.reranking


SIMILARITY_WEIGHTS = SimilarityWeights()
NO_BOOSTS = {"same_speaker": 0, "same_target": 0, "answering": 0, "shared_topic": 0, "nearby_date": 0}
WORDS_ONLY = SimilarityWeights(words=1, wording=0, meaning=0, reranking=0, **NO_BOOSTS)
WORDING_ONLY = SimilarityWeights(words=0, wording=1, meaning=0, reranking=0, **NO_BOOSTS)
MEANING_ONLY = SimilarityWeights(words=0, wording=0, meaning=1, reranking=0, **NO_BOOSTS)
# Links say nothing of what a text says (a tweet's t.co link, its picture), and match nothing.
LINKS = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+")
# A pasted tweet's signature at its end: "— Jane Doe (@janedoe) May 5, 2019".
TWEET_SIGNATURE = re.compile(r"[—–-]\s*[^—–\n]{0,80}\(@\w+\)\s*\w+\s+\d{1,2},\s+\d{4}\s*$")
# A hashtag's words run together ("#DefundTheCBC"): split where a capital follows a small letter.
HASHTAGS = re.compile(r"#(\w+)")
RUN_TOGETHER = re.compile(r"(?<=[a-z])(?=[A-Z])")
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
# The most of those read to rank them, however many have the telling words: at a million claims
# the pages read for them are most of the time `similar_to` takes (3,000 claims, up to 20,000 pages
# where updated rows await a vacuum).
SIMILAR_CANDIDATES_READ = 1_000
# The best of those by their words, ranked again with every signal.
SIMILAR_RERANKED = 100
# From this many claims, a process keeps PostgreSQL's statistics of their search vectors for this
# long rather than reading them for every text (`_lexemes_and_statistics`).
STATISTICS_KEPT_FROM_CLAIMS = 50_000
STATISTICS_KEPT_SECONDS = 300
_kept_statistics = {}  # database name -> (when read, statistics)
# Okapi BM25's usual constants: how soon a word's repeats stop counting (k1), and how much the
# words of a longer claim count less (b).
BM25_SATURATION = 1.2
BM25_LENGTH = 0.75
# A lexeme and its positions in a `tsvector`'s text: 'treati':3A,9B
TSVECTOR_ENTRY = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")
# The claims read again by the re-ranking model: the best this many by every other signal. Its
# agreement is its cosine from `RERANKING_FLOOR` (about where unrelated claims are) to 1, scaled
# to 0 to 1; from `RERANKING_SIMILAR` up it is said to have a "similar meaning".
RERANKED_BEST = 20
RERANKING_FLOOR = 0.75
RERANKING_SIMILAR = 0.5
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
    return Cast(Value(_tsquery_text(lexemes, operator)), SearchQueryField())


def _tsquery_text(lexemes, operator="|"):
    return f" {operator} ".join(
        "'{}'".format(lexeme.replace("\\", "\\\\").replace("'", "''")) for lexeme in lexemes
    )


class QueryLexemes(NamedTuple):
    """A text's lexemes, which of them find the candidates, and how common each is."""

    lexemes: list
    # The lexemes the candidates are found by (see `_query_lexemes`), any ("|") or all ("&") of
    # them; None when no lexeme is telling.
    telling: list | None
    operator: str
    claims: float  # as PostgreSQL estimates them
    frequencies: dict  # the share of claims having a lexeme, for the most common ones
    rare: float  # the share counted for a lexeme not among those

    def document_frequencies(self, counted):
        """How many claims have each of the lexemes: as `counted` (exactly, among the candidates
        found by any telling lexeme), else as the statistics say."""
        estimated = {lexeme: self.frequencies.get(lexeme, self.rare) * self.claims for lexeme in self.lexemes}
        return {**estimated, **counted}


def _query_lexemes(text):
    """The lexemes of `text` (None when it has none: "He said"), and those that tell most about it:
    the rarest among the claims first, as many as the candidate budget allows, any of which a
    candidate has ("|"). When even the rarest is in more claims than the budget, the fewest of the
    rarest that the claims having them all are few enough ("&"); when no such lexemes are, none.

    How common a lexeme is comes from PostgreSQL's statistics of the search vectors
    (`most_common_elems`, kept by ANALYZE; after them in `most_common_elem_freqs` come the lowest
    and highest of their frequencies); a lexeme not among them counts as half as common as the
    rarest that is. Without statistics, or on a small table, every lexeme is telling."""
    lexemes, (common, frequencies, claims) = _lexemes_and_statistics(text)
    if not lexemes:
        return None
    if not common:
        return QueryLexemes(lexemes, lexemes, "|", claims, {}, 0.0)
    frequency = dict(zip(common, frequencies, strict=False))
    rare = frequencies[len(common)] / 2
    every = QueryLexemes(lexemes, lexemes, "|", claims, frequency, rare)
    if claims <= SIMILAR_CANDIDATES_BUDGET:
        return every
    ranked = sorted(lexemes, key=lambda lexeme: frequency.get(lexeme, rare))
    telling, expected = [], 0.0
    for lexeme in ranked:
        expected += frequency.get(lexeme, rare) * claims
        if expected > SIMILAR_CANDIDATES_BUDGET:
            break
        telling.append(lexeme)
    if telling:
        return every._replace(telling=telling)
    # Even the rarest is too common: the rarest together, as few as make the claims few enough
    # (as if the words were independent).
    together, expected = [], float(claims)
    for lexeme in ranked:
        together.append(lexeme)
        expected *= frequency.get(lexeme, rare)
        if expected <= SIMILAR_CANDIDATES_BUDGET:
            return every._replace(telling=together, operator="&")
    return every._replace(telling=None)


def _lexemes_and_statistics(text):
    """The lexemes of `text`, and (most common lexemes, their frequencies, claims) from PostgreSQL's
    statistics. Reading the statistics takes tens of milliseconds on a large table, and they change
    only when PostgreSQL analyses it: there, a process keeps them for `STATISTICS_KEPT_SECONDS`."""
    table = Claim._meta.db_table
    lexemes_sql = "ARRAY(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, %s)) ORDER BY lexeme)"
    database = connection.settings_dict["NAME"]
    kept_at, statistics = _kept_statistics.get(database, (None, None))
    with connection.cursor() as cursor:
        if kept_at is not None and time.monotonic() - kept_at < STATISTICS_KEPT_SECONDS:
            cursor.execute(f"SELECT {lexemes_sql}", [SEARCH_CONFIG, text])
            return cursor.fetchone()[0], statistics
        cursor.execute(
            f"SELECT {lexemes_sql}, s.most_common_elems::text::text[], s.most_common_elem_freqs, "
            # Counted only when never analysed (a new or small table): PostgreSQL runs the
            # subquery only if the CASE needs it.
            f"CASE WHEN c.reltuples > 0 THEN c.reltuples ELSE (SELECT count(*) FROM {table}) END "
            "FROM (SELECT 1) AS one "
            "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = %s "
            "AND s.attname = 'search_vector' "
            "LEFT JOIN pg_class c ON c.oid = to_regclass(%s)",
            [SEARCH_CONFIG, text, table, table],
        )
        lexemes, *statistics = cursor.fetchone()
    if statistics[0] and statistics[2] >= STATISTICS_KEPT_FROM_CLAIMS:
        _kept_statistics[database] = (time.monotonic(), tuple(statistics))
    return lexemes, tuple(statistics)


def words_score(lexemes, document_frequencies, claims, vectors):
    """Okapi BM25 of each claim's search vector (`tsvector` as text) against the text's `lexemes`,
    each found in `document_frequencies[lexeme]` of the `claims`: the rarer a lexeme, the more it
    counts. Divided by the most the text's lexemes could score (each found as often as saturates),
    so that it stays from 0 to 1. Claim lengths are averaged over `vectors`, the candidates."""
    claims = max(claims, max(document_frequencies.values(), default=0))
    counts = [_lexeme_counts(vector) for vector in vectors]
    lengths = [sum(count.values()) for count in counts]
    average_length = max(1.0, sum(lengths) / len(lengths)) if lengths else 1.0
    idf = {
        lexeme: math.log(1 + (claims - found + 0.5) / (found + 0.5))
        for lexeme, found in document_frequencies.items()
    }
    most = (BM25_SATURATION + 1) * sum(idf.values()) or 1.0
    scores = []
    for count, length in zip(counts, lengths, strict=True):
        damping = BM25_SATURATION * (1 - BM25_LENGTH + BM25_LENGTH * length / average_length)
        score = sum(
            idf[lexeme] * count[lexeme] * (BM25_SATURATION + 1) / (count[lexeme] + damping)
            for lexeme in lexemes
            if lexeme in count
        )
        scores.append(score / most)
    return scores


def _lexeme_counts(vector):
    """{lexeme: how many times it occurs} of a `tsvector`'s text ("'treati':3A,9B 'russia':1A")."""
    return {
        lexeme.replace("''", "'").replace("\\\\", "\\"): positions.count(",") + 1
        for lexeme, positions in TSVECTOR_ENTRY.findall(vector or "")
    }


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
    most = _most_boosted(boosts)
    # Read by the re-ranking model while the database finds the candidates: it takes about as long.
    # A pasted tweet's signature is kept: unlike WordLlama's average (`meaning_text`), the model reads
    # a name as part of the statement (leaving it out, with the best ten read again, took train's
    # MAP@5 from 0.903 to 0.895).
    text_vector = reranking.query_vector_soon(query_text(text)) if weights.reranking else None
    scored, stored_vectors = [], {}
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
        scored.append([similarity / most, row["pk"], reasons])
        stored_vectors[row["pk"]] = row["reranking_embedding"]
    scored.sort(reverse=True)
    if text_vector is not None and scored:
        _read_again(text_vector.result(), scored[:RERANKED_BEST], stored_vectors, weights, most)
        scored.sort(reverse=True)
    elif text_vector is not None and not text_vector.cancel():
        # Nothing to read again, but the reading has begun: it is waited for here, so that
        # searches finding nothing cannot queue readings that every later search would wait behind.
        text_vector.result()
    return _ranked(
        claims, [(similarity, pk, "; ".join(reasons)) for similarity, pk, reasons in scored[:limit]]
    )


def _read_again(text_vector, best, stored_vectors, weights, most):
    """Add the re-ranking model's agreement with `text_vector` to each of the `best` ([similarity,
    id, reasons])."""
    vectors = reranking.vectors_of({pk: stored_vectors[pk] for _, pk, _ in best})
    for entry in best:
        vector = vectors.get(entry[1])
        if vector is None:
            continue  # deleted meanwhile
        agreement = _agreement(float(vector @ text_vector))
        entry[0] += weights.reranking * agreement / weights.of_text / most
        if agreement >= RERANKING_SIMILAR and "similar meaning" not in entry[2]:
            entry[2].append("similar meaning")


def _agreement(cosine):
    return min(1.0, max(0.0, (cosine - RERANKING_FLOOR) / (1 - RERANKING_FLOOR)))


def fused(weights, words, wording, meaning):
    """The similarity of a claim's text to the text before it is read again, from 0 to 1: the
    weighted mean of its words' BM25 (or share of words), trigram similarity (or difflib's ratio)
    and cosine, the re-ranking model's agreement counted as none (`_read_again` adds it)."""
    return (weights.words * words + weights.wording * wording + weights.meaning * meaning) / weights.of_text


def query_text(text):
    """What of `text` is compared with the claims: without links, with hashtags' words apart. A
    pasted tweet's signature ("— Jane Doe (@janedoe) May 5, 2019") is kept: who said it, and
    when, are often in the claim that it repeats."""
    text = LINKS.sub(" ", text)
    return HASHTAGS.sub(lambda tag: f" {RUN_TOGETHER.sub(' ', tag[1])} ", text)


def meaning_text(text):
    """What of `text` (as `query_text` gives it) is compared by meaning: without a pasted tweet's
    signature, which the words keep. Averaged into the vector, its name and date pull it toward
    every claim about the tweet's author: on CheckThat! 2020 leaving it out took the fusion's
    MAP@5 from 0.835 to 0.844 on train, 0.800 to 0.811 on dev, ties broken either way."""
    return TWEET_SIGNATURE.sub(" ", text)


def evidence(claims, text, boosts, weights):
    """Each candidate's evidence, a dict: `pk`, `words`, `wording`, `meaning` (0 to 1 each),
    `text_reasons` ((reason, whether it holds)), and `boost_<n>` (whether the nth boost holds)."""
    text = query_text(text)
    on_postgresql = connection.vendor == "postgresql"
    words = _query_words(text)
    lexemes = _query_lexemes(" ".join(words)) if on_postgresql and weights.words and words else None
    if on_postgresql:
        by_words = _candidates_by_search(claims, text, lexemes, weights)
    else:
        by_words = _candidates_by_shared_words(claims, text, weights)
    text_vector = _vector_of(meaning_text(text)) if weights.meaning else None
    by_meaning = _nearest_by_meaning(claims, text_vector) if text_vector is not None else []
    if on_postgresql:
        # The candidates by their words as a subquery of the query that scores them all.
        if by_words is None and not by_meaning:
            return
        wanted = Q(pk__in=by_meaning) if by_words is None else index.any_id(by_meaning, by_words)
        rows = list(_scored_by_search(claims, wanted, text, lexemes, boosts, weights))
        _score_words(rows, lexemes)
    else:
        candidates = list(dict.fromkeys([*by_words, *by_meaning]))
        if not candidates:
            return
        rows = _scored_by_shared_words(claims, candidates, text, boosts, weights)
    for row in rows:
        row["text_reasons"] = [
            ("shared words", row["words"] > 0 and weights.words),
            ("similar wording", row["wording"] >= row.pop("wording_threshold") and weights.wording),
        ]
        row["meaning"] = 0.0
        if text_vector is not None and row["embedding"]:
            row["meaning"] = max(0.0, float(embedding.from_bytes(row["embedding"]) @ text_vector))
        yield row


def _score_words(rows, lexemes):
    """Each row's `words`: BM25 of its search vector against the text's lexemes (0 without any)."""
    counts = rows[0]["telling_counts"] if rows else None
    counted = dict(zip(lexemes.telling, counts, strict=True)) if counts else {}
    vectors = [row.pop("search_vector") for row in rows]
    if lexemes is None:
        scores = [0.0] * len(rows)
    else:
        frequencies = lexemes.document_frequencies(counted)
        scores = words_score(lexemes.lexemes, frequencies, lexemes.claims, vectors)
    for row, score in zip(rows, scores, strict=True):
        row["words"] = score
        del row["telling_counts"]


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


def _boost_names(boosts):
    return [f"boost_{number}" for number in range(len(boosts))]


def _boost_flags(boosts):
    return {
        f"boost_{number}": ExpressionWrapper(condition, output_field=models.BooleanField())
        for number, (_, condition, _) in enumerate(boosts)
    }


def _candidates_by_search(claims, text, lexemes, weights):
    """The claims best ranked by their words (full-text rank), as a subquery of their ids (a
    queryset, or its SQL and parameters; None
    when the text has no telling word): the claims with one of the text's telling lexemes (or all,
    when each is common), found in the GIN index `claim_search_vector` without reading the claims
    that share only common words."""
    if lexemes is not None and lexemes.telling:
        arm = Q(_Matches(F("search_vector"), _tsquery(lexemes.telling, lexemes.operator)))
        # Words that go together ("biological laboratories") are in far more claims than their
        # frequencies multiplied say: at most `SIMILAR_CANDIDATES_READ` of them are ranked.
        # Each is ranked as it is read, in the scan that finds it: reading them again by id to
        # rank them cost as much as finding them.
        found = claims.filter(arm).order_by().annotate(first_pass=_words_rank(lexemes.lexemes))
        sql, params = found.values("pk", "first_pass")[:SIMILAR_CANDIDATES_READ].query.sql_with_params()
        return (
            f"SELECT found.pk FROM ({sql}) AS found "
            f"ORDER BY found.first_pass DESC, found.pk DESC LIMIT {SIMILAR_RERANKED}",
            params,
        )
    elif weights.wording and not weights.words and text.strip():
        # Wording alone (to evaluate it on its own): the GIN trigram index
        # `claim_summary_trigrams`, which reads more claims the longer the text.
        arm = Q(summary__trigram_similar=text)
        rank = _trigram_similarity(text, text)
    else:  # nothing telling ("He said")
        return None
    ranked = claims.filter(arm).annotate(first_pass=rank).order_by("-first_pass", "-pk")
    return ranked.values("pk")[:SIMILAR_RERANKED]


def _telling_lexeme_counts(lexemes):
    """How many claims have each telling lexeme, counted exactly, as a column of the scoring query
    (the same for every row): one more read of the claims the candidates were found among, whose
    pages that search has just read (of `SIMILAR_CANDIDATES_READ` at most, as that search). None
    when the candidates needed all the telling lexemes (the counts would be of the claims having
    them all), or when there are none."""
    if lexemes is None or not lexemes.telling or lexemes.operator != "|":
        return None
    counts = ", ".join(["count(*) FILTER (WHERE search_vector @@ %s::tsquery)"] * len(lexemes.telling))
    return RawSQL(
        f"(SELECT ARRAY[{counts}] FROM (SELECT search_vector FROM {Claim._meta.db_table} "
        "WHERE search_vector @@ %s::tsquery LIMIT %s) AS found)",
        [
            *(_tsquery_text([lexeme]) for lexeme in lexemes.telling),
            _tsquery_text(lexemes.telling),
            SIMILAR_CANDIDATES_READ,
        ],
        output_field=ArrayField(models.IntegerField()),
    )


def _words_rank(lexemes):
    # Ranked by any of the text's lexemes (a paraphrase shares some, rarely all).
    return SearchRank(F("search_vector"), _tsquery(lexemes), normalization=RANK_BETWEEN_0_AND_1)


def _scored_by_search(claims, wanted, text, lexemes, boosts, weights):
    zero = Value(0.0, output_field=models.FloatField())
    counts = _telling_lexeme_counts(lexemes)
    rows = (
        claims.filter(wanted)
        .annotate(
            wording=_trigram_similarity(text, text) if weights.wording else zero,
            telling_counts=counts if counts is not None else Value(None, ArrayField(models.IntegerField())),
            **_boost_flags(boosts),
        )
        .values(
            "pk",
            "embedding",
            "reranking_embedding",
            "search_vector",
            "wording",
            "telling_counts",
            *_boost_names(boosts),
        )
    )
    for row in rows:
        row["wording_threshold"] = TRIGRAM_SIMILAR_THRESHOLD
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
        .values(
            "pk",
            "summary",
            "quote",
            "embedding",
            "reranking_embedding",
            *(f"boost_{n}" for n in range(len(boosts))),
        )
    )
    for row in rows:
        stems = {_stem(word) for word in _query_words(f"{row['summary']} {row['quote']}")}
        row["words"] = len(wanted_stems & stems) / len(wanted_stems) if wanted_stems else 0.0
        row["wording"] = _difflib_similarity(row["summary"], row["quote"], text, text)
        row["wording_threshold"] = TEXT_SIMILAR_THRESHOLD
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
