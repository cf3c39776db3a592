import difflib
import operator
import re
import unicodedata
from functools import reduce

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
    TrigramSimilarity,
)
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from tracker.pages import rows_after, slug_url

from .choices import (
    ActorKind,
    Attribution,
    ClaimKind,
    DatePrecision,
    EvidenceStatus,
    PublicationState,
    RelationType,
    TombstoneState,
)
from .history import save_with_history
from .stemming import searched_fragment

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
# The longest an alias list, quote, rationale or reason may be (about two pages): enough for any
# real one, and what keeps a claim's search vector far below PostgreSQL's 1 MB limit.
LONG_TEXT = 5000
CITATION_RULE = "published_claim_needs_a_citation"  # the code of its ValidationError
PUBLISHED_CLAIM_NEEDS_A_CITATION = (
    "A published claim needs at least one citation: add one, or keep the claim as a draft."
)


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


# The most claims `similar_to` returns: the API's one page of results.
SIMILAR_CLAIMS_LIMIT = 50


class UnrecordedStateChange(Exception):
    """A claim's evidence status or publication state was changed by a plain save, which would
    leave the change out of its status history and its researchers' tombstones."""


# The text-search configuration of claims' search vectors (kept up to date by database triggers).
SEARCH_CONFIG = "english"


def unique_slug(instance, text, max_length=80):
    """A slug made from `text`, cut at a word boundary, suffixed with -2, -3... until no other row
    of the model has it."""
    base = slugify(text)
    if len(base) > max_length:
        base = base[: max_length + 1].rsplit("-", 1)[0]
    base = base[:max_length].strip("-") or instance._meta.model_name
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    slug, counter = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{counter}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return slug


# Words that carry no gist in a slug.
SLUG_STOP_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "that",
        "this",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "it",
        "his",
        "her",
        "their",
        "as",
        "said",
        "says",
        "say",
        "not",
        "no",
        "will",
        "would",
        "could",
        "should",
    )
)


def claim_slug_text(claim, gist_words=6):
    """What a claim's slug is made from, as the dataset's slugs read: the speaker's surname (or a
    short name for an organization or state), the gist of the summary and the date at its
    precision, e.g. "ryabkov us accusation unfounded 2020-07"."""
    speaker_words = slugify(claim.speaker.name).split("-")
    who = speaker_words[-1] if claim.speaker.kind == ActorKind.PERSON else claim.speaker.slug
    known = set(speaker_words) | set(who.split("-"))
    words = [word for word in slugify(claim.summary).split("-") if word not in SLUG_STOP_WORDS | known]
    date = DatePrecision(claim.stated_on_precision).iso_format(claim.stated_on)
    return " ".join([who, *words[:gist_words], date])


def changed_fields(instance, names):
    """Those of `names` whose stored value differs from the instance's (all of them for a new row)."""
    if instance.pk is None:
        return names
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return names
    return [name for name in names if stored[name] != getattr(instance, name)]


def split_aliases(text):
    """The aliases of a one-per-line text field, stripped, without blanks or repeats."""
    aliases = []
    for line in text.splitlines():
        alias = line.strip()
        if alias and alias not in aliases:
            aliases.append(alias)
    return aliases


def plain_name(text):
    """`text` compared as a name: without accents, case or extra spaces ("Borrell" = "borréll ")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def importer_aliases(aliases, unpublished_aliases):
    """An actor's aliases as the importer matches them, one per line: the public ones and those
    learned from imported articles that no published claim quotes yet."""
    return "\n".join(split_aliases(f"{aliases}\n{unpublished_aliases}"))


class AliasedQuerySet(models.QuerySet):
    def named(self, text):
        """Rows whose name or any alias contains `text`, ignoring case."""
        return self.filter(Q(name__icontains=text) | Q(aliases__icontains=text))

    def called(self, text, *, most):
        """The rows `text` names, at most `most` + 1 of them (one too many says there are more):
        the one whose slug it is (as pages link to them), else those whose name it is, else those
        whose name or an alias contains it, ignoring case."""
        for rows in (self.filter(slug=text), self.filter(name__iexact=text), self.named(text)):
            found = list(rows[: most + 1])
            if found:
                return found
        return []

    def sharing_a_name_with(self, *names):
        """Rows whose name or an alias is one of `names`, ignoring accents, case and spacing: the
        likely duplicates of a record with those names. Compared in Python, so that it works the
        same on every database; the table of names is small beside the claims'."""
        wanted = {plain_name(name) for name in names if name.strip()}
        matching = [
            pk
            for pk, name, aliases in self.values_list("pk", "name", "aliases").iterator()
            if wanted & {plain_name(known) for known in [name, *split_aliases(aliases)]}
        ]
        return self.filter(pk__in=matching)


def count_of(rows, grouped_by, counting="pk"):
    """A subquery counting `rows` (their distinct `counting` values) per `grouped_by` value, 0 when
    there are none."""
    count = Count(counting, distinct=counting != "pk")  # primary keys are distinct already
    counted = rows.order_by().values(grouped_by).annotate(count=count).values("count")
    return Coalesce(Subquery(counted), 0)


class PublicRecordQuerySet(models.QuerySet):
    """Records that readers see only once a published claim refers to them (the subclass's
    `public()`), as they see published claims only: a record made only for a draft must not tip
    anyone off."""

    def visible_to(self, user):
        """Every record for those who curate claims (as `Claim.objects.visible_to`); the public
        ones for everyone else."""
        return self if user.has_perm("claims.view_claim") else self.public()


def _is_public_actor(actor="pk"):
    """Whether a published claim names the actor (`OuterRef(actor)`) as its speaker or target: two
    EXISTS, each an index probe (Claim's speaker and target indexes)."""
    published = Claim.objects.published()
    return Q(Exists(published.filter(speaker=OuterRef(actor)))) | Q(
        Exists(published.filter(target=OuterRef(actor)))
    )


def _published_claims_about(topic):
    """The rows of the claim-topic table that tie `topic` to a published claim."""
    return Claim.topics.through.objects.filter(
        topic=topic, claim__publication_state=PublicationState.PUBLISHED
    )


class ActorQuerySet(AliasedQuerySet, PublicRecordQuerySet):
    def public(self):
        """Actors that a published claim names as its speaker or target; nothing made only for a
        draft. Being the affiliation of one is not enough: following affiliations made the API's
        list of actors a hundred times slower on PostgreSQL (the planner hashes the whole table),
        so a page names such an affiliation without linking to it (`with_public_affiliations`)."""
        return self.filter(_is_public_actor())

    def listed(self):
        """The public actors, as the actors' index finds them: by their stored counts of published
        claims first, a comparison in the row; looking for a published claim (two index probes)
        only for actors whose counts are zero, such as the target of a denial."""
        return self.filter(
            Q(claims_made_count__gt=0) | Q(accusations_received_count__gt=0) | _is_public_actor()
        )

    def with_public_affiliations(self):
        """Annotate whether the actor's affiliation, and that one's, is public
        (`affiliation_is_public`, `affiliation_affiliation_is_public`), so that a page links only
        to pages readers can open."""
        return self.annotate(
            affiliation_is_public=ExpressionWrapper(_is_public_actor("affiliation"), models.BooleanField()),
            affiliation_affiliation_is_public=ExpressionWrapper(
                _is_public_actor("affiliation__affiliation"), models.BooleanField()
            ),
        )

    def publish_spellings_quoted_by(self, claim_id):
        """Make public the unpublished spellings of the claim's speaker and target that one of its
        citations quotes (ignoring case), when the claim is published: one query when neither has an
        unpublished spelling (almost always), else one more for the excerpts and a save for each
        actor whose spelling moved."""
        published = Claim.objects.published().filter(pk=claim_id)
        actors = list(
            self.filter(Q(pk__in=published.values("speaker")) | Q(pk__in=published.values("target")))
            .exclude(unpublished_aliases="")
            .only("name", "aliases", "unpublished_aliases")
        )
        if not actors:
            return
        excerpts = [
            excerpt.casefold()
            for excerpt in published.values_list("citations__excerpt", flat=True)
            if excerpt
        ]
        for actor in actors:
            unpublished = split_aliases(actor.unpublished_aliases)
            quoted = [spelling for spelling in unpublished if any(spelling.casefold() in e for e in excerpts)]
            if quoted:
                actor.aliases = "\n".join(split_aliases("\n".join([actor.aliases, *quoted])))
                actor.unpublished_aliases = "\n".join(s for s in unpublished if s not in quoted)
                save_with_history(
                    actor,
                    reason="Spelling quoted by a published claim",
                    update_fields=["aliases", "unpublished_aliases"],
                )

    def recount(self):
        """Store each actor's counts of published claims: made (`claims_made_count`) and accusations
        received (`accusations_received_count`). Run on every write that could change them
        (`claims.operations`), so that lists read them instead of counting."""
        published = Claim.objects.published()
        return self.update(
            claims_made_count=count_of(published.filter(speaker=OuterRef("pk")), "speaker"),
            accusations_received_count=count_of(
                published.accusations().filter(target=OuterRef("pk")), "target"
            ),
        )

    def most_prolific(self):
        """Actors who made published claims, those who made the most first (from the stored counts,
        as `TopicQuerySet.by_claim_count`)."""
        return self.filter(claims_made_count__gt=0).order_by("-claims_made_count", "name")


class TopicQuerySet(AliasedQuerySet, PublicRecordQuerySet):
    def public(self):
        """Topics that published claims are about; nothing made only for a draft."""
        return self.filter(Exists(_published_claims_about(OuterRef("pk"))))

    def recount(self):
        """Store each topic's count of published claims about it (`claim_count`); see
        `ActorQuerySet.recount`."""
        return self.update(claim_count=count_of(_published_claims_about(OuterRef("pk")), "topic"))

    def by_claim_count(self):
        """Topics with published claims, those with the most first: read off the stored counts, as
        `public()` would find them by looking for a published claim about each topic (which, for
        every topic at once, reads every claim)."""
        return self.filter(claim_count__gt=0).order_by("-claim_count", "name")


class StoredCounts(models.Model):
    """A record with counts kept by queries (the `recount` methods), never by the instance: saving
    an instance read before a recount must not write its stale counts back."""

    stored_counts = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.stored_counts
            ]
        super().save(*args, **kwargs)


class Actor(StoredCounts):
    name = models.CharField(max_length=200, help_text="Canonical name, in English.")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind)
    aliases = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="Other spellings and transliterations as sources write them, one per line.",
    )
    # Spellings learned from imported articles: the importer knows them at once; each moves to
    # `aliases`, which readers see and search, once a published claim quotes it
    # (`ActorQuerySet.publish_spellings_quoted_by`), so no alias tells of an unpublished claim.
    unpublished_aliases = models.TextField(blank=True, db_default="", editable=False, max_length=LONG_TEXT)
    description = models.CharField(max_length=300, blank=True)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The organization or state this actor belongs to.",
    )
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(WIKIDATA_ID_PATTERN, "A Wikidata id is Q followed by digits.")],
    )
    # Kept by `ActorQuerySet.recount`.
    claims_made_count = models.PositiveIntegerField(default=0, editable=False)
    accusations_received_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("claims_made_count", "accusations_received_count")
    # What a claim's representation shows of its speaker and target.
    shown_in_claims = ["name", "slug", "kind"]

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["claims_made_count", "accusations_received_count"])

    class Meta:
        ordering = ["name"]
        indexes = [
            # The speakers a list's filter suggests, those with the most claims first (`most_prolific`).
            models.Index(
                name="actor_most_claims",
                fields=["-claims_made_count", "name"],
                condition=Q(claims_made_count__gt=0),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="actor_wikidata_id_format",
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
            ),
            models.UniqueConstraint(
                name="actor_unique_wikidata_id",
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
            ),
            models.CheckConstraint(
                name="actor_not_affiliated_with_itself",
                condition=~Q(affiliation=models.F("pk")),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        renamed = self.pk is not None and changed_fields(self, self.shown_in_claims)
        super().save(*args, **kwargs)
        if renamed:
            # What their representation shows changed (`updated_at` tells researchers' pulls).
            Claim.objects.filter(Q(speaker=self.pk) | Q(target=self.pk)).touch()

    def get_absolute_url(self):
        return slug_url("claims:actor-detail", self.slug)

    @property
    def alias_list(self):
        """The aliases readers see (never the unpublished ones)."""
        return split_aliases(self.aliases)


class Topic(StoredCounts):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    aliases = models.TextField(
        blank=True, max_length=LONG_TEXT, help_text="Other names the sources use for it, one per line."
    )
    description = models.CharField(max_length=300, blank=True)
    # Kept by `TopicQuerySet.recount`.
    claim_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("claim_count",)
    # What a claim's representation shows of its topics.
    shown_in_claims = ["name", "slug"]

    objects = TopicQuerySet.as_manager()
    # The count stays in the history: simple-history records a topic when claims are added to it
    # from its side (`topic.claims.add`) with the claim's history settings, which would not leave
    # it out.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The topics of the home page and of a list's filter, those with the most claims first
            # (`by_claim_count`).
            models.Index(
                name="topic_most_claims", fields=["-claim_count", "name"], condition=Q(claim_count__gt=0)
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        renamed = self.pk is not None and changed_fields(self, self.shown_in_claims)
        super().save(*args, **kwargs)
        if renamed:
            Claim.objects.filter(topics=self.pk).touch()

    def get_absolute_url(self):
        return slug_url("claims:topic-detail", self.slug)

    @property
    def alias_list(self):
        return split_aliases(self.aliases)


def citation_model():
    """The Citation model, reached through the claim's relation: the sources app declares it,
    building on this one, which never imports it."""
    return Claim.citations.rel.related_model


def _citations():
    return citation_model().objects


def citations_in_order():
    """A claim's citations with their sources, in the one order the pages, the API and the feeds
    show them: the oldest source first, undated ones last."""
    return (
        _citations().select_related("source").order_by(F("source__published_on").asc(nulls_last=True), "pk")
    )


def _counter_claims_of(claim):
    """The relations by which published claims dispute `claim` (a claim or an `OuterRef`)."""
    return ClaimRelation.objects.filter(
        to_claim=claim,
        relation_type=RelationType.DISPUTES,
        from_claim__publication_state=PublicationState.PUBLISHED,
    )


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
    newest = Claim.objects.published().order_by("-stated_on", "-pk").values("pk")[:DENSE_SAMPLE]
    matching = Claim.objects.filter(pk__in=newest).filter(_MatchesOneByOne(F("search_vector"), query))
    return matching.values("pk")[:DENSE_MATCHES].count() >= DENSE_MATCHES


def _query_words(text):
    """The words of `text`, lower-cased, each once, in order, without the web-search operators."""
    words = dict.fromkeys(re.findall(r"\w+", text.casefold()))
    return [word for word in words if word not in ("or", "and")][:QUERY_WORDS]


class ClaimQuerySet(models.QuerySet):
    def touch(self):
        """Move these claims' `updated_at` to now, without a history record: something their
        representation shows (a relation, a citation, a speaker's name...) changed."""
        return self.update(updated_at=timezone.now())

    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def likely_duplicates_of(self, claim, *, limit=5):
        """Claims that may be `claim` entered again: by the same speaker, on a date that overlaps its
        date at both precisions, with a summary or quote that reads nearly the same. A list of
        (claim, similarity from 0 to 1), the most similar first. PostgreSQL compares by trigram
        similarity; elsewhere, Python's difflib compares the few candidates."""
        if claim.speaker_id is None or claim.stated_on is None:
            return []
        precision = DatePrecision(claim.stated_on_precision)
        start = precision.truncate(claim.stated_on)
        candidates = (
            self.filter(speaker=claim.speaker_id)
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

    def similar_to(
        self,
        text,
        *,
        speaker=None,
        target=None,
        topics=None,
        around=None,
        limit=SIMILAR_CLAIMS_LIMIT,
        weights=None,
    ):
        """Claims that say what `text` says, the most similar first, at most `limit` of them, each
        annotated with `similarity` (0 to 1) and `similarity_reason` ("shared words; similar
        meaning; same speaker").

        Similarity is a weighted mean of the evidence (`claims.similarity.ranking`): on
        PostgreSQL, the full-text rank of the claim's words against any of the text's and trigram
        similarity to its summary or quote; elsewhere, the share of the text's salient words the
        claim contains and difflib's ratio; everywhere, the cosine of the claim's stored vector
        with the text's. Claims by `speaker` (an actor or id), against `target`, about one of
        `topics` or stated within a month of `around` (a date) are boosted. The result is a
        queryset of those claims, which can be narrowed further; its order is the ranking."""
        from claims.similarity import ranking

        return ranking.similar_claims(
            self,
            text,
            speaker=speaker,
            target=target,
            topics=topics,
            around=around,
            limit=limit,
            weights=weights or ranking.SIMILARITY_WEIGHTS,
        )

    def answered_by(
        self, text, *, speaker, target=None, topics=None, around=None, limit=SIMILAR_CLAIMS_LIMIT
    ):
        """The accusations that `text`, a denial or counter-accusation by `speaker` (against
        `target`, when known), answers: accusations against the speaker or the bodies it speaks
        for, ranked as `similar_to` ranks them with the speaker and target swapped (the
        accusation's speaker is the answer's target)."""
        from claims.similarity import ranking

        return ranking.answers_to(
            self,
            text,
            speaker=speaker,
            target=target,
            topics=topics,
            around=around,
            limit=limit,
            weights=ranking.SIMILARITY_WEIGHTS,
        )

    def related_to(self, claim):
        """Claims linked to `claim` by a relation in either direction."""
        linked = ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
        return self.filter(
            Q(pk__in=linked.values("from_claim")) | Q(pk__in=linked.values("to_claim"))
        ).exclude(pk=claim.pk)

    def drafts(self):
        return self.filter(publication_state=PublicationState.DRAFT)

    def for_speaker(self, actor):
        return self.filter(speaker=actor)

    def targeting(self, actor):
        return self.filter(target=actor)

    def about_any(self, topics):
        """Claims about one or more of `topics`, each once."""
        return self.filter(pk__in=Claim.topics.through.objects.filter(topic__in=topics).values("claim"))

    def about(self, topic):
        return self.filter(topics=topic)

    def accusations(self):
        """Accusations and counter-accusations."""
        return self.filter(kind__in=ClaimKind.accusations())

    def with_citations(self):
        return self.filter(Exists(_citations().filter(claim=OuterRef("pk"))))

    def search(self, text):
        """Claims matching `text` in their summary, quote, or speaker's name or aliases.

        On PostgreSQL, full-text search (web-search syntax: "quoted phrases", or, -not) over the
        stored `search_vector`; elsewhere, every word's stem must appear somewhere, ignoring case
        (`claims.stemming`: "expelled" finds "expelling").

        A search of several words that many claims match (see `_matched_by_many`) is written so
        that PostgreSQL reads the claims in the list's order, keeping those that match, and stops
        after a page; otherwise it finds every match in the GIN index and sorts them. PostgreSQL's
        own estimate chooses well for one word, not for several: it takes words that go together
        ("Persian Gulf") as independent, and expects a thousand matches where there are thirty
        thousand, each a heap page to read.
        """
        if connection.vendor == "postgresql":
            query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
            if len(_query_words(text)) > 1 and _matched_by_many(query):
                return self.filter(_MatchesOneByOne(F("search_vector"), query))
            return self.filter(search_vector=query)
        matches = self
        for word in map(searched_fragment, text.split()):
            matches = matches.filter(
                Q(summary__icontains=word)
                | Q(quote__icontains=word)
                | Q(speaker__name__icontains=word)
                | Q(speaker__aliases__icontains=word)
            )
        return matches

    def stated_after(self, date):
        """Claims whose period (day, month or year) ends on or after `date`: a claim of "May 2020"
        is in a range that starts on 15 May 2020."""
        return self.filter(self._by_precision(lambda precision: Q(stated_on__gte=precision.truncate(date))))

    def before(self, stated_on, pk):
        """Claims after the claim stated on `stated_on` with primary key `pk` in the newest-first
        order (`-stated_on`, `-pk`): those stated earlier, or the same day with a smaller key."""
        return self.filter(rows_after(["-stated_on", "-pk"], [stated_on, pk]))

    def after(self, stated_on, pk):
        """Claims before that claim in the newest-first order: the converse of `before`."""
        return self.filter(rows_after(["stated_on", "pk"], [stated_on, pk]))

    def stated_before(self, date):
        """Claims whose period starts on or before `date`."""
        return self.filter(stated_on__lte=date)

    @staticmethod
    def _by_precision(condition):
        return reduce(
            operator.or_,
            (Q(stated_on_precision=precision) & condition(precision) for precision in DatePrecision),
        )

    def recount_counter_claims(self):
        """Store each claim's count of the published claims that dispute it (`counter_claim_count`);
        see `ActorQuerySet.recount`."""
        return self.update(counter_claim_count=count_of(_counter_claims_of(OuterRef("pk")), "to_claim"))

    def with_counter_claims(self, has_them=True):
        """Claims that published claims dispute (or, with False, that none disputes). Not the
        evidence status *Disputed*, which is the editors' judgement of the evidence."""
        counter_claims = Exists(_counter_claims_of(OuterRef("pk")))
        return self.filter(counter_claims) if has_them else self.exclude(counter_claims)

    def with_related(self):
        return self.select_related("speaker", "target").prefetch_related("topics")

    def with_evidence(self, *, include_drafts=False):
        """Prefetch what a claim's full record shows, as lists: its status history
        (`status_history`), its citations with their sources (`citation_list`, oldest source
        first), and its relations (`with_relations`)."""
        return self.prefetch_related(
            models.Prefetch("status_changes", to_attr="status_history"),
            models.Prefetch("citations", queryset=citations_in_order(), to_attr="citation_list"),
        ).with_relations(include_drafts=include_drafts)

    def with_relations(self, *, include_drafts=False):
        """Prefetch each claim's relations both ways, with the other claim and its speaker, into
        the lists `relations_from_list` and `relations_to_list`: relations with published claims
        only (a relation to a draft never reaches a reader), or all of them with `include_drafts`
        (for editors)."""
        outgoing = ClaimRelation.objects.select_related("to_claim__speaker").order_by("pk")
        incoming = ClaimRelation.objects.select_related("from_claim__speaker").order_by("pk")
        if not include_drafts:
            outgoing = outgoing.filter(to_claim__publication_state=PublicationState.PUBLISHED)
            incoming = incoming.filter(from_claim__publication_state=PublicationState.PUBLISHED)
        # Into plain lists (`to_attr`): reading them costs no queryset per claim and lookup.
        return self.prefetch_related(
            models.Prefetch("relations_from", queryset=outgoing, to_attr="relations_from_list"),
            models.Prefetch("relations_to", queryset=incoming, to_attr="relations_to_list"),
        )

    def with_first_source_url(self):
        """Annotate `first_source_url`: the URL of the source of each claim's first citation."""
        first = _citations().filter(claim=OuterRef("pk")).order_by("pk").values("source__url")[:1]
        return self.annotate(first_source_url=Subquery(first))

    def visible_to(self, user):
        """Every claim for those who curate them; published claims for everyone else."""
        return self if user.has_perm("claims.view_claim") else self.published()

    # --- Public pages -------------------------------------------------------------------------

    def for_listing(self):
        """What a claim in a public list shows: speaker and target (and its stored counter-claim
        count)."""
        return self.select_related("speaker", "target")

    def for_page(self):
        """Everything a claim's page shows, in six queries whatever the claim: the claim with its
        speaker (and their affiliation) and target; its topics; its record (`with_evidence`)."""
        return (
            self.select_related("speaker__affiliation", "target").prefetch_related("topics").with_evidence()
        )

    def speaker_roles(self, latest=500):
        """The roles their speakers held, as written ("Russian Deputy Foreign Minister"), each once,
        in alphabetical order: those of the `latest` most recent claims, so that a prolific
        speaker's page reads a bounded number of rows."""
        roles = (
            self.exclude(speaker_role="").order_by("-stated_on", "-pk").values_list("speaker_role", flat=True)
        )
        return sorted(set(roles[:latest]))

    def cited_in(self, source):
        """Claims cited from `source`, each with those citations prefetched into `source_citations`."""
        citations = _citations().filter(source=source)
        return self.filter(Exists(citations.filter(claim=OuterRef("pk")))).prefetch_related(
            models.Prefetch("citations", queryset=citations, to_attr="source_citations")
        )

    def with_most_counter_claims(self):
        """Claims that published claims dispute, those with the most counter-claims first."""
        return self.filter(counter_claim_count__gt=0).order_by("-counter_claim_count", "-stated_on", "-pk")


class Claim(StoredCounts):
    summary = models.CharField(
        max_length=400, help_text="The claim in one plain sentence, in the editor's words."
    )
    slug = models.SlugField(
        max_length=100, unique=True, blank=True, help_text="Left blank, it is made from the summary."
    )
    quote = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="The words as reported, verbatim, when a source gives them.",
    )
    speaker = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims_made")
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when they said it."
    )
    target = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_targeting",
        help_text="The accused party, for an accusation.",
    )
    kind = models.CharField(max_length=20, choices=ClaimKind)
    stated_on = models.DateField(
        help_text="When it was said; the first day of the month or year if less precise."
    )
    stated_on_precision = models.CharField(
        "date precision", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    topics = models.ManyToManyField(Topic, related_name="claims", blank=True)
    evidence_status = models.CharField(
        max_length=20, choices=EvidenceStatus, default=EvidenceStatus.UNREVIEWED
    )
    rationale = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="Why this evidence status: what the cited sources do and do not show.",
    )
    attribution = models.CharField(
        max_length=20,
        choices=Attribution,
        default=Attribution.REPORTED,
        help_text="How sure we are the speaker said it: on record (primary source), reported "
        "(secondary reports only), or contested.",
    )
    publication_state = models.CharField(
        max_length=10, choices=PublicationState, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed for incremental pulls (`updated_since`) and the admin's "recently changed" order.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Summary, quote, and the speaker's name and aliases, for full-text search on PostgreSQL; filled
    # by triggers (see migration claims 0003), left empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The sentence vector of the summary and quote (`claims.similarity.embedding`), computed when
    # either changes; empty for rows written without it until `manage.py embed_claims` fills them.
    embedding = models.BinaryField(null=True, editable=False)
    # Kept by `ClaimQuerySet.recount_counter_claims`.
    counter_claim_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("counter_claim_count",)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics],
        history_change_reason_field=models.TextField(null=True),
        excluded_fields=["search_vector", "counter_claim_count", "embedding"],
    )

    class Meta:
        ordering = ["-stated_on", "-pk"]
        indexes = [
            # Public lists: published claims, newest first.
            models.Index(
                name="claim_published_by_date",
                fields=["publication_state", "-stated_on", "-id"],
            ),
            # Full-text search (`search`).
            GinIndex(name="claim_search_vector", fields=["search_vector"]),
            # The trigram arm of `similar_to` (`summary % text`): pg_trgm's operator class.
            GinIndex(name="claim_summary_trigrams", fields=["summary"], opclasses=["gin_trgm_ops"]),
            # A speaker's claims, newest first, within a date range (`for_speaker`, the API's
            # ?speaker= with stated_after/stated_before): read in order, stopping after a page.
            models.Index(name="claim_speaker_by_date", fields=["speaker", "-stated_on", "-id"]),
            # The same for the claims against an actor (`targeting`, an actor's page).
            models.Index(name="claim_target_by_date", fields=["target", "-stated_on", "-id"]),
            # The feeds: published claims, the most recently published first.
            models.Index(
                name="claim_published_by_publication",
                fields=["-published_at", "-id"],
                condition=Q(publication_state=PublicationState.PUBLISHED),
            ),
            # The home page's claims with the most counter-claims.
            models.Index(
                name="claim_most_counter_claims",
                fields=["-counter_claim_count", "-stated_on", "-id"],
                condition=Q(counter_claim_count__gt=0),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_reviewed_status_has_rationale",
                condition=Q(evidence_status=EvidenceStatus.UNREVIEWED) | ~Q(rationale=""),
                violation_error_message="A reviewed claim needs a rationale for its evidence status.",
            ),
            models.CheckConstraint(
                name="claim_published_has_publication_time",
                condition=Q(publication_state=PublicationState.DRAFT) | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.summary

    def save(self, *args, as_recorded_step=False, **kwargs):
        """Save the claim. Its evidence status and publication state change only through the
        operations of `claims.operations`, which record each step (`as_recorded_step`); a plain
        save that would change either is refused, so no path can skip the record."""
        self.stated_on = DatePrecision(self.stated_on_precision).truncate(self.stated_on)
        if not self.slug:
            self.slug = unique_slug(self, claim_slug_text(self))
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        kwargs["update_fields"] = self._embed_if_text_changed(kwargs.get("update_fields"))
        with transaction.atomic():
            if self._state.adding:
                super().save(*args, **kwargs)
                if self.evidence_status != EvidenceStatus.UNREVIEWED:
                    # Entered already reviewed: its status history starts here, explained by its rationale.
                    self.status_changes.create(
                        from_status=EvidenceStatus.UNREVIEWED,
                        to_status=self.evidence_status,
                        reason=self.rationale,
                        changed_by=self.created_by,
                    )
                return
            if not as_recorded_step:
                stored = self.stored_states()
                if stored and stored != (self.evidence_status, self.publication_state):
                    raise UnrecordedStateChange(
                        "Change a claim's evidence status and publication state with the functions "
                        "of claims.operations, so the change is recorded."
                    )
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("claims:claim-detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        if {"summary", "quote", "embedding"} <= set(field_names) and claim.embedding is not None:
            claim._embedded_text = (claim.summary, claim.quote)
        return claim

    def _embed_if_text_changed(self, update_fields):
        """Compute the claim's vector when its summary or quote changed since it was read (a
        fraction of a millisecond; the model loads on a process's first), and `update_fields`
        with the vector in it."""
        if update_fields is not None and not {"summary", "quote"} & set(update_fields):
            return update_fields
        text = (self.summary, self.quote)
        if getattr(self, "_embedded_text", None) == text:
            return update_fields
        from claims.similarity.embedding import embedding_of

        self.embedding = embedding_of(*text)
        self._embedded_text = text
        return None if update_fields is None else [*update_fields, "embedding"]

    def cited_sources(self):
        """The claim's sources, each once, in citation order (with `with_evidence()`)."""
        sources = {}
        for citation in self.citation_list:
            sources.setdefault(citation.source_id, citation.source)
        return list(sources.values())

    def stored_states(self, *, lock=False):
        """(evidence status, publication state) as the database holds them, or None for a new claim."""
        if self.pk is None:
            return None
        rows = type(self)._default_manager.filter(pk=self.pk)
        if lock:
            rows = rows.select_for_update()
        return rows.values_list("evidence_status", "publication_state").first()

    def check_keeps_a_citation(self, citation_count):
        """The rule that a published claim keeps at least one citation, for a claim that would be
        left with `citation_count` citations. PostgreSQL also enforces it (a constraint trigger,
        checked at commit); every form, API call and command that publishes a claim or removes a
        citation checks it here first, to say so in words."""
        if self.is_published and citation_count < 1:
            raise ValidationError(PUBLISHED_CLAIM_NEEDS_A_CITATION, code=CITATION_RULE)

    def clean(self):
        # Set here as well as in save(): full_clean() checks the constraint that a published claim
        # has a publication time before save() runs, and a form publishing a claim would fail it.
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        if self.evidence_status != EvidenceStatus.UNREVIEWED and not self.rationale.strip():
            raise ValidationError(
                {"rationale": "Explain the evidence status: a reviewed claim needs a rationale."}
            )

    @property
    def is_published(self):
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def display_date(self):
        """`stated_on` at its precision: "21 May 2020", "May 2020" or "2020"."""
        return DatePrecision(self.stated_on_precision).format(self.stated_on)

    @property
    def status(self):
        return EvidenceStatus(self.evidence_status)


class EvidenceStatusChangeQuerySet(models.QuerySet):
    def corrections(self):
        """Steps of published claims that editors marked as corrected, the latest correction first
        (the public corrections log)."""
        return (
            self.filter(corrected_at__isnull=False, claim__publication_state=PublicationState.PUBLISHED)
            .select_related("claim__speaker")
            .order_by("-corrected_at", "-pk")
        )


# How the admin's revert explains a step ("Reverted to version #225 of 2026-12-07 05:35 UTC: ...").
REVERT_NOTE = re.compile(r"^Reverted to version #\d+ of (\d{4}-\d{2}-\d{2}) \d{2}:\d{2} UTC(?:: )?")


class EvidenceStatusChange(models.Model):
    """One step of a claim's status history. A mistaken step is never deleted: an editor marks it
    corrected (`mark_corrected`), with a note readers see on the claim and in the corrections log."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=EvidenceStatus)
    to_status = models.CharField(max_length=20, choices=EvidenceStatus)
    reason = models.TextField(blank=True, max_length=LONG_TEXT)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A database default too: rows written by COPY (the benchmark's corpus, restores) need none.
    correction_note = models.TextField(
        blank=True,
        db_default="",
        max_length=LONG_TEXT,
        help_text="For readers: what was wrong with this step.",
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = EvidenceStatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            # The corrections log (`corrections`), the latest first.
            models.Index(
                name="status_change_corrections",
                fields=["-corrected_at", "-id"],
                condition=Q(corrected_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="status_change_changes_status",
                condition=~Q(from_status=models.F("to_status")),
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def public_reason(self):
        """The reason as readers read it: an admin revert's version number becomes words."""
        return REVERT_NOTE.sub(r"Restored the assessment as it stood on \1. ", self.reason).strip()

    def mark_corrected(self, note, *, by=None):
        """Mark the step as a mistake, explained to readers by `note`; the step itself stays."""
        if not note.strip():
            raise ValidationError({"correction_note": "Say, for readers, what was wrong with this step."})
        self.correction_note = note.strip()
        self.corrected_at = timezone.now()
        self.corrected_by = by
        self.save(update_fields=["correction_note", "corrected_at", "corrected_by"])


class ClaimRelationQuerySet(models.QuerySet):
    def between_published(self):
        return self.filter(
            from_claim__publication_state=PublicationState.PUBLISHED,
            to_claim__publication_state=PublicationState.PUBLISHED,
        )


class ClaimRelation(models.Model):
    """A directed link: `from_claim` disputes / supports / responds to / repeats `to_claim`."""

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    relation_type = models.CharField("relation", max_length=20, choices=RelationType)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimRelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="relation_not_to_itself",
                condition=~Q(from_claim=models.F("to_claim")),
                violation_error_message="A claim cannot be related to itself.",
            ),
            models.UniqueConstraint(
                name="relation_unique_per_type_and_pair",
                fields=["from_claim", "to_claim", "relation_type"],
                violation_error_message="These two claims are already related this way.",
            ),
        ]

    def __str__(self):
        relation = self.get_relation_type_display().lower()
        return f"Claim #{self.from_claim_id} {relation} claim #{self.to_claim_id}"

    def clean(self):
        # The constraint says so too, but a form that sets one side itself (an inline on the claim's
        # page) leaves that side out of constraint validation.
        if self.from_claim_id is not None and self.from_claim_id == self.to_claim_id:
            raise ValidationError("A claim cannot be related to itself.")


class ClaimTombstoneQuerySet(models.QuerySet):
    def removed_since(self, moment):
        return self.filter(removed_at__gte=moment)


class ClaimTombstone(models.Model):
    """A claim that was published and is no longer public: withdrawn to draft, or merged into
    another claim. Researchers' replicas delete it on reading this (API `tombstones/`); publishing
    the claim again removes its tombstone and moves its `updated_at`."""

    # Not a foreign key: a merged claim is gone, and its tombstone must outlive it.
    claim_id = models.BigIntegerField(unique=True)
    state = models.CharField(max_length=20, choices=TombstoneState)
    merged_into = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Indexed for researchers' incremental pulls (`updated_since`).
    removed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ClaimTombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["removed_at", "claim_id"]
        constraints = [
            models.CheckConstraint(
                name="tombstone_merged_into_only_when_merged",
                condition=Q(state=TombstoneState.MERGED) | Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self):
        return f"Claim #{self.claim_id}: {self.get_state_display().lower()}"


class MergedRecord(models.Model):
    """An actor, topic, source or claim merged into another: its old page and API URLs redirect
    (301) to the kept record's, and the merge is kept with who did it, when and why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    merged_id = models.BigIntegerField()
    merged_slug = models.SlugField(max_length=100)
    merged_name = models.CharField(max_length=400)
    kept_id = models.BigIntegerField()
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(name="merged_record_unique_id", fields=["content_type", "merged_id"]),
        ]
        indexes = [
            # The redirect of an old page URL (`/actors/<slug>/`): looked up by slug.
            models.Index(name="merged_record_by_slug", fields=["content_type", "merged_slug"]),
        ]

    def __str__(self):
        return f"{self.merged_name} (#{self.merged_id}) → #{self.kept_id}"
