import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from claims import operations
from claims.choices import DatePrecision, EvidenceStatus, PublicationState, RelationType
from claims.models import Actor, Claim, ClaimTombstone, UnrecordedStateChange
from claims.models import search as claim_search
from sources.tests.factories import CitationFactory

from .factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EditorFactory,
    PublishedClaimFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    """True when the database refuses the write (inside a savepoint, so the test can go on)."""
    try:
        with transaction.atomic():
            callable_(*args, **kwargs)
    except IntegrityError:
        return True
    return False


class TestConstraints:
    def test_a_claim_cannot_relate_to_itself(self):
        claim = ClaimFactory()
        assert refused(ClaimRelationFactory, from_claim=claim, to_claim=claim)

    def test_one_relation_of_a_type_per_ordered_pair(self):
        relation = ClaimRelationFactory(relation_type=RelationType.DISPUTES)
        duplicate = {"from_claim": relation.from_claim, "to_claim": relation.to_claim}
        assert refused(ClaimRelationFactory, relation_type=RelationType.DISPUTES, **duplicate)
        # Another type between the same pair, and the opposite direction, are different relations.
        assert not refused(ClaimRelationFactory, relation_type=RelationType.RESPONDS_TO, **duplicate)
        assert not refused(
            ClaimRelationFactory,
            from_claim=relation.to_claim,
            to_claim=relation.from_claim,
            relation_type=RelationType.DISPUTES,
        )

    def test_slugs_are_unique(self):
        ActorFactory(slug="alexander-grushko")
        assert refused(Actor.objects.create, name="Another", slug="alexander-grushko", kind="person")
        first = ClaimFactory()
        assert refused(ClaimFactory, slug=first.slug)
        TopicFactory(slug="open-skies-treaty")
        assert refused(TopicFactory, slug="open-skies-treaty")

    def test_a_reviewed_claim_needs_a_rationale(self):
        assert refused(ClaimFactory, evidence_status=EvidenceStatus.DISPUTED, rationale="")
        assert not refused(
            ClaimFactory, evidence_status=EvidenceStatus.DISPUTED, rationale="Denied; no evidence."
        )
        assert not refused(ClaimFactory, evidence_status=EvidenceStatus.UNREVIEWED, rationale="")

    def test_a_reviewed_claim_without_rationale_fails_validation_on_the_rationale_field(self):
        claim = ClaimFactory.build(speaker=ActorFactory(), evidence_status=EvidenceStatus.SUPPORTED)
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "a reviewed claim needs a rationale" in str(error.value.message_dict["rationale"])

    def test_a_wikidata_id_is_q_and_digits(self):
        assert refused(ActorFactory, wikidata_id="Putin")
        assert refused(ActorFactory, wikidata_id="Q0123")
        assert not refused(ActorFactory, wikidata_id="Q7747")
        assert refused(ActorFactory, wikidata_id="Q7747")  # one actor per Wikidata item
        assert not refused(ActorFactory, wikidata_id="")
        assert not refused(ActorFactory, wikidata_id="")  # many actors may have none

    def test_an_actor_cannot_be_affiliated_with_itself(self):
        actor = ActorFactory()
        actor.affiliation = actor
        assert refused(actor.save)


class TestDates:
    @pytest.mark.parametrize(
        ("precision", "shown"),
        [(DatePrecision.DAY, "21 May 2020"), (DatePrecision.MONTH, "May 2020"), (DatePrecision.YEAR, "2020")],
    )
    def test_the_date_is_shown_at_its_precision(self, precision, shown):
        claim = ClaimFactory(stated_on=datetime.date(2020, 5, 21), stated_on_precision=precision)
        assert claim.display_date == shown

    def test_a_month_precise_date_is_stored_as_the_first_of_the_month(self):
        claim = ClaimFactory(stated_on=datetime.date(2020, 12, 17), stated_on_precision=DatePrecision.MONTH)
        claim.refresh_from_db()
        assert claim.stated_on == datetime.date(2020, 12, 1)
        assert claim.display_date == "December 2020"


class TestEvidenceStatusTimeline:
    def test_each_status_change_is_kept_with_its_editor_and_reason(self):
        editor = EditorFactory()
        claim = ClaimFactory()
        assert claim.status_changes.count() == 0

        claim.rationale = "Russia denies it; neither side cites evidence."
        operations.change_evidence_status(
            claim, EvidenceStatus.DISPUTED, reason="Denied by the accused; no evidence cited.", by=editor
        )
        claim.rationale = "The treaty body's report shows no violation."
        operations.change_evidence_status(claim, EvidenceStatus.CONTRADICTED)

        first, second = claim.status_changes.all()
        assert (first.from_status, first.to_status) == ("unreviewed", "disputed")
        assert first.reason == "Denied by the accused; no evidence cited."
        assert first.changed_by == editor
        assert (second.from_status, second.to_status) == ("disputed", "contradicted")
        assert (
            second.reason == "The treaty body's report shows no violation."
        )  # the rationale, when no reason

    def test_the_step_starts_from_the_stored_status_whatever_the_instance_holds(self):
        claim = ClaimFactory(evidence_status=EvidenceStatus.SUPPORTED, rationale="A report confirms it.")
        stale = Claim.objects.get(pk=claim.pk)
        claim.rationale = "Russia denies it."
        operations.change_evidence_status(claim, EvidenceStatus.DISPUTED)
        stale.evidence_status = EvidenceStatus.UNREVIEWED  # what an old version would carry
        operations.change_evidence_status(stale, EvidenceStatus.SUPPORTED, reason="Back to the report.")
        steps = [(step.from_status, step.to_status) for step in claim.status_changes.all()]
        assert steps == [("unreviewed", "supported"), ("supported", "disputed"), ("disputed", "supported")]

    def test_a_plain_save_cannot_change_the_status_or_publication_unrecorded(self):
        claim = ClaimFactory()
        claim.evidence_status = EvidenceStatus.DISPUTED
        claim.rationale = "Denied."
        with pytest.raises(UnrecordedStateChange):
            claim.save()
        claim = PublishedClaimFactory()
        claim.publication_state = PublicationState.DRAFT
        with pytest.raises(UnrecordedStateChange):
            claim.save()

    def test_a_status_change_needs_a_reason_or_a_rationale(self):
        claim = ClaimFactory(evidence_status=EvidenceStatus.DISPUTED, rationale="Denied.")
        claim.rationale = ""
        with pytest.raises(ValidationError) as error:
            operations.change_evidence_status(claim, EvidenceStatus.UNREVIEWED)
        assert "status_change_reason" in error.value.message_dict
        assert claim.status_changes.count() == 1

    def test_saving_without_a_status_change_adds_nothing_to_the_timeline(self):
        claim = ClaimFactory(evidence_status=EvidenceStatus.DISPUTED, rationale="Denied.")
        claim = Claim.objects.get(pk=claim.pk)
        claim.summary = "Reworded."
        claim.save()
        assert [change.to_status for change in claim.status_changes.all()] == ["disputed"]

    def test_the_audit_trail_keeps_the_reason_of_a_status_change(self):
        claim = ClaimFactory()
        claim.rationale = "No evidence offered."
        operations.change_evidence_status(claim, EvidenceStatus.UNSUBSTANTIATED)
        assert (
            "Not yet reviewed → Unsubstantiated: No evidence offered."
            in claim.history.first().history_change_reason
        )


class TestPublication:
    def test_publishing_records_when(self):
        claim = CitationFactory().claim
        assert claim.published_at is None
        operations.publish(claim)
        assert claim.published_at is not None
        assert claim.history.first().history_change_reason == "Published"

    def test_a_claim_without_a_citation_cannot_be_published(self):
        claim = ClaimFactory()
        with pytest.raises(ValidationError, match="needs at least one citation"):
            operations.publish(claim)
        assert Claim.objects.get(pk=claim.pk).publication_state == PublicationState.DRAFT

    def test_unpublishing_leaves_a_tombstone_that_publishing_again_removes(self):
        claim = PublishedClaimFactory()
        operations.unpublish(claim, reason="Attribution in doubt.")
        tombstone = ClaimTombstone.objects.get(claim_id=claim.pk)
        assert tombstone.state == "withdrawn"
        assert claim.history.first().history_change_reason == "Unpublished: Attribution in doubt."
        operations.publish(claim)
        assert not ClaimTombstone.objects.exists()

    def test_published_hides_drafts(self):
        ClaimFactory(summary="A draft")
        published = PublishedClaimFactory(summary="Out there")
        assert list(Claim.objects.published()) == [published]


def test_claim_slugs_are_made_readable_and_unique():
    speaker = ActorFactory(name="Alexander Grushko")
    first = ClaimFactory(speaker=speaker, summary="Russia has not violated the treaty.")
    second = ClaimFactory(speaker=speaker, summary="Russia has not violated the treaty.")
    assert first.slug == "grushko-russia-violated-treaty-2020-05-21"
    assert second.slug == "grushko-russia-violated-treaty-2020-05-21-2"
    assert first.get_absolute_url() == f"/claims/{first.slug}/"


def test_search_finds_a_speaker_by_an_alias():
    grushko = ActorFactory(name="Alexander Grushko", aliases="Glushko\nГрушко")
    claim = ClaimFactory(speaker=grushko)
    ClaimFactory()
    assert list(Claim.objects.search("glushko")) == [claim]
    assert list(Actor.objects.named("Грушко")) == [grushko]


class TestSearch:
    def test_every_word_must_match_somewhere(self):
        grushko = ActorFactory(name="Alexander Grushko")
        wanted = ClaimFactory(
            speaker=grushko, summary="The US withdrew from the treaty for imagined reasons."
        )
        ClaimFactory(summary="The treaty kept the peace for twenty years.")
        assert list(Claim.objects.search("Grushko treaty")) == [wanted]

    def test_a_quote_is_searched(self):
        wanted = ClaimFactory(quote="It is absolutely unacceptable.")
        ClaimFactory(quote="Something else.")
        assert list(Claim.objects.search("unacceptable")) == [wanted]

    def test_renaming_or_aliasing_a_speaker_updates_what_finds_their_claims(self):
        speaker = ActorFactory(name="Sergei Ryabkov")
        claim = ClaimFactory(speaker=speaker)
        assert not Claim.objects.search("Libuyakov").exists()
        speaker.aliases = "Libuyakov\nRiyabkov"
        speaker.save()
        assert list(Claim.objects.search("Libuyakov")) == [claim]


class TestDateRanges:
    def test_a_month_precise_claim_is_in_any_range_that_touches_its_month(self):
        may = ClaimFactory(stated_on=datetime.date(2020, 5, 1), stated_on_precision=DatePrecision.MONTH)
        day = ClaimFactory(stated_on=datetime.date(2020, 5, 10))
        after_the_tenth = Claim.objects.stated_after(datetime.date(2020, 5, 15))
        assert list(after_the_tenth) == [may]
        assert set(Claim.objects.stated_before(datetime.date(2020, 5, 10))) == {may, day}
        assert not Claim.objects.stated_after(datetime.date(2020, 6, 1)).exists()

    def test_a_year_precise_claim_spans_its_year(self):
        year = ClaimFactory(stated_on=datetime.date(2018, 1, 1), stated_on_precision=DatePrecision.YEAR)
        in_december = Claim.objects.stated_after(datetime.date(2018, 12, 31)).stated_before(
            datetime.date(2018, 12, 31)
        )
        assert list(in_december) == [year]

    def test_a_period_ends_on_its_last_day(self):
        assert DatePrecision.MONTH.period_end(datetime.date(2020, 2, 10)) == datetime.date(2020, 2, 29)
        assert DatePrecision.MONTH.period_end(datetime.date(2020, 12, 1)) == datetime.date(2020, 12, 31)
        assert DatePrecision.YEAR.period_end(datetime.date(2020, 5, 1)) == datetime.date(2020, 12, 31)


class TestCounterClaims:
    def test_only_published_counter_claims_count(self):
        accusation = PublishedClaimFactory()
        ClaimRelationFactory(from_claim=PublishedClaimFactory(), to_claim=accusation)
        ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=accusation)  # a draft denial
        ClaimRelationFactory(
            from_claim=PublishedClaimFactory(), to_claim=accusation, relation_type="supports"
        )
        assert Claim.objects.get(pk=accusation.pk).counter_claim_count == 1
        assert accusation in Claim.objects.with_counter_claims()
        assert accusation not in Claim.objects.with_counter_claims(False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
class TestSearchAtScale:
    """A search of several words that many claims match is read along the date index instead of
    the GIN index: the same claims in the same order, whichever way they are found."""

    def test_a_search_many_claims_match_finds_what_the_index_finds(self, monkeypatch):
        for day in range(30):
            PublishedClaimFactory(
                summary=f"Ships in the Persian Gulf, report {day}.", stated_on=datetime.date(2020, 1, 1 + day)
            )
        PublishedClaimFactory(summary="The Gulf of Finland.")
        PublishedClaimFactory(summary="A Persian carpet.")
        assert claim_search._matched_by_many(SearchQuery("Persian Gulf", config="english"))
        walked = list(Claim.objects.published().search("Persian Gulf").values_list("pk", flat=True))
        monkeypatch.setattr(claim_search, "_matched_by_many", lambda query: False)
        indexed = list(Claim.objects.published().search("Persian Gulf").values_list("pk", flat=True))
        assert walked == indexed
        assert len(walked) == 30

    def test_a_search_few_claims_match_uses_the_index(self):
        PublishedClaimFactory.create_batch(5, summary="Ships in the Persian Gulf.")
        PublishedClaimFactory.create_batch(30, summary="Something else entirely.")
        assert not claim_search._matched_by_many(SearchQuery("Persian Gulf", config="english"))
        assert Claim.objects.published().search("Persian Gulf").count() == 5
