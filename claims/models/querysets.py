"""The reads of every record, as chainable QuerySet methods shared by the admin, the API and the
pages. Other models are looked up when a query runs (`_model`): the models import these classes."""

import operator
from functools import reduce

from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tracker.caching import RecordQuerySet
from tracker.pages import rows_after

from ..choices import (
    ClaimKind,
    DatePrecision,
    PublicationState,
    RelationType,
)
from ..history import save_with_history
from .base import app_model
from .search import likely_duplicates, matching
from .text import plain_name, split_aliases

# The most claims `similar_to` returns: the API's one page of results.
SIMILAR_CLAIMS_LIMIT = 50


class AliasedQuerySet(RecordQuerySet):
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


class PublicRecordQuerySet(RecordQuerySet):
    """Records that readers see only once a published claim refers to them (the subclass's
    `public()`), as they see published claims only: a record made only for a draft must not tip
    anyone off."""

    def visible_to(self, user):
        """Every record for those who curate claims (as `app_model("Claim").objects.visible_to`); the public
        ones for everyone else."""
        return self if user.has_perm("claims.view_claim") else self.public()


def _is_public_actor(actor="pk"):
    """Whether a published claim names the actor (`OuterRef(actor)`) as its speaker or target: two
    EXISTS, each an index probe (Claim's speaker and target indexes)."""
    published = app_model("Claim").objects.published()
    return Q(Exists(published.filter(speaker=OuterRef(actor)))) | Q(
        Exists(published.filter(target=OuterRef(actor)))
    )


def _published_claims_about(topic):
    """The rows of the claim-topic table that tie `topic` to a published claim."""
    return app_model("Claim").topics.through.objects.filter(
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
        published = app_model("Claim").objects.published().filter(pk=claim_id)
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
        (`claims.operations`), so that lists read them instead of counting; only the counts that
        changed are written."""
        published = app_model("Claim").objects.published()
        return self.update_changed(
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
        return self.update_changed(claim_count=count_of(_published_claims_about(OuterRef("pk")), "topic"))

    def by_claim_count(self):
        """Topics with published claims, those with the most first: read off the stored counts, as
        `public()` would find them by looking for a published claim about each topic (which, for
        every topic at once, reads every claim)."""
        return self.filter(claim_count__gt=0).order_by("-claim_count", "name")


def citation_model():
    """The Citation model, reached through the claim's relation: the sources app declares it,
    building on this one, which never imports it."""
    return app_model("Claim").citations.rel.related_model


def _citations():
    return citation_model().objects


def citations_in_order():
    """A claim's citations with their sources, in the one order the pages, the API and the feeds
    show them: the oldest source first, undated ones last."""
    return (
        _citations().select_related("source").order_by(F("source__published_on").asc(nulls_last=True), "pk")
    )


def _relations_with(other, include_drafts):
    """Relations in the order made, with their `other` claim ("to_claim" or "from_claim") and its
    speaker: those with published claims only, or all of them with `include_drafts`."""
    relations = app_model("ClaimRelation").objects.select_related(f"{other}__speaker").order_by("pk")
    if include_drafts:
        return relations
    return relations.filter(**{f"{other}__publication_state": PublicationState.PUBLISHED})


def _counter_claims_of(claim):
    """The relations by which published claims dispute `claim` (a claim or an `OuterRef`)."""
    return app_model("ClaimRelation").objects.filter(
        to_claim=claim,
        relation_type=RelationType.DISPUTES,
        from_claim__publication_state=PublicationState.PUBLISHED,
    )


class ClaimQuerySet(RecordQuerySet):
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
        return likely_duplicates(self, claim, limit=limit)

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
        linked = app_model("ClaimRelation").objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
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
        return self.filter(
            pk__in=app_model("Claim").topics.through.objects.filter(topic__in=topics).values("claim")
        )

    def about(self, topic):
        return self.filter(topics=topic)

    def accusations(self):
        """Accusations and counter-accusations."""
        return self.filter(kind__in=ClaimKind.accusations())

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
        return matching(self, text)

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
        return self.update_changed(
            counter_claim_count=count_of(_counter_claims_of(OuterRef("pk")), "to_claim")
        )

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
        outgoing = _relations_with("to_claim", include_drafts)
        incoming = _relations_with("from_claim", include_drafts)
        # Into plain lists (`to_attr`): reading them costs no queryset per claim and lookup.
        return self.prefetch_related(
            models.Prefetch("relations_from", queryset=outgoing, to_attr="relations_from_list"),
            models.Prefetch("relations_to", queryset=incoming, to_attr="relations_to_list"),
        )

    def with_timeline_relations(self):
        """Prefetch into `relations_from_list` each claim's relations to published claims, with what
        a topic's timeline shows of the other claim: its address, date and speaker's name. A
        timeline indents a claim under the one it answers, so it reads the relations one way only,
        and only those columns."""
        outgoing = _relations_with("to_claim", include_drafts=False).only(
            "from_claim_id",
            "relation_type",
            "to_claim__slug",
            "to_claim__stated_on",
            "to_claim__stated_on_precision",
            "to_claim__speaker__name",
            "to_claim__speaker__slug",
        )
        return self.prefetch_related(
            models.Prefetch("relations_from", queryset=outgoing, to_attr="relations_from_list")
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
        count). Not its search vector nor its embedding, which no list shows and which are most of
        a row's bytes."""
        return self.select_related("speaker", "target").defer(
            "search_vector", "embedding", "reranking_embedding"
        )

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


class EvidenceStatusChangeQuerySet(RecordQuerySet):
    def corrections(self):
        """Steps of published claims that editors marked as corrected, the latest correction first
        (the public corrections log)."""
        return (
            self.filter(corrected_at__isnull=False, claim__publication_state=PublicationState.PUBLISHED)
            .select_related("claim__speaker")
            .order_by("-corrected_at", "-pk")
        )


class ClaimRelationQuerySet(RecordQuerySet):
    def between_published(self):
        return self.filter(
            from_claim__publication_state=PublicationState.PUBLISHED,
            to_claim__publication_state=PublicationState.PUBLISHED,
        )
