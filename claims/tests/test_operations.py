"""The stored counts of published claims (an actor's claims and accusations, a topic's claims, a
claim's counter-claims) are kept by the operations that change claims (`claims.operations`) and by
the merges (`claims.counts`): after each, they equal a fresh count, also once a write that
committed meanwhile has stored its own, and a write that goes around them is caught."""

import pytest

from claims import operations
from claims.choices import PublicationState, RelationType
from claims.merging import merge_actors, merge_topics
from claims.models import Actor, Claim, ClaimRelation, Topic
from claims.operations import merge_claims
from sources.merging import merge_sources
from sources.tests.factories import CitationFactory

from .factories import ActorFactory, ClaimFactory, ClaimRelationFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db


def stored_counts():
    """Every stored count, as stored: {("actor", pk): (made, accusations), ...}."""
    return {
        **{
            ("actor", pk): (made, against)
            for pk, made, against in Actor.objects.values_list(
                "pk", "claims_made_count", "accusations_received_count"
            )
        },
        **{("topic", pk): count for pk, count in Topic.objects.values_list("pk", "claim_count")},
        **{("claim", pk): count for pk, count in Claim.objects.values_list("pk", "counter_claim_count")},
    }


def counted_afresh():
    """The same counts, counted from the claims now."""
    published = Claim.objects.published()
    return {
        **{
            ("actor", actor.pk): (
                published.filter(speaker=actor).count(),
                published.filter(target=actor).accusations().count(),
            )
            for actor in Actor.objects.all()
        },
        **{("topic", topic.pk): published.filter(topics=topic).count() for topic in Topic.objects.all()},
        **{
            ("claim", claim.pk): published.filter(
                relations_from__to_claim=claim, relations_from__relation_type=RelationType.DISPUTES
            ).count()
            for claim in Claim.objects.all()
        },
    }


class TestStoredCounts:
    """Pages and lists read an actor's, a topic's and a claim's counts of published claims from
    stored columns: every operation must leave them as a fresh count would."""

    def test_every_operation_keeps_the_stored_counts_right(self, editor):
        first, second, third = ActorFactory.create_batch(3)
        treaty, flights = TopicFactory.create_batch(2)
        accusation = PublishedClaimFactory(speaker=first, target=second, kind="accusation", topics=[treaty])
        denial = ClaimFactory(speaker=second, target=first, kind="denial", topics=[treaty, flights])
        CitationFactory(claim=denial)
        ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type=RelationType.DISPUTES)
        moved_to = PublishedClaimFactory(speaker=first)

        def edit(claim, topics=None, **values):
            for name, value in values.items():
                setattr(claim, name, value)
            operations.edit_claim(claim, by=editor, topics=topics)

        def change_relation(**values):
            relation = ClaimRelation.objects.get(from_claim=denial)
            for name, value in values.items():
                setattr(relation, name, value)
            operations.save_relation(relation, by=editor)

        steps = [
            lambda: operations.publish(denial, by=editor),
            lambda: edit(denial, topics=[flights]),
            lambda: edit(denial, topics=[treaty, flights]),
            lambda: edit(denial, topics=[]),
            lambda: edit(accusation, topics=[treaty, flights]),
            lambda: edit(denial, topics=[flights]),
            lambda: edit(accusation, topics=[treaty]),
            lambda: edit(accusation, target=third),
            lambda: edit(accusation, kind="assertion"),
            lambda: edit(accusation, speaker=third, kind="accusation"),
            lambda: operations.unpublish(denial, by=editor),
            lambda: operations.publish(denial, by=editor),
            lambda: change_relation(relation_type="responds_to"),
            lambda: change_relation(relation_type="disputes"),
            lambda: change_relation(to_claim=moved_to),
            lambda: change_relation(to_claim=accusation),
            lambda: operations.edit_claim(
                denial, by=editor, publication_state=PublicationState.DRAFT, unpublish_reason="Doubtful."
            ),
            lambda: operations.edit_claim(denial, by=editor, publication_state=PublicationState.PUBLISHED),
            lambda: operations.delete_claim(PublishedClaimFactory(speaker=first, topics=[treaty])),
            lambda: merge_topics(treaty, flights, by=editor),
            lambda: merge_actors(first, third, by=editor),
            lambda: merge_claims(
                Claim.objects.get(pk=accusation.pk),
                PublishedClaimFactory(speaker=first, target=second, kind="accusation"),
                by=editor,
            ),
            lambda: operations.delete_relation(ClaimRelation.objects.get(from_claim=denial), by=editor),
            lambda: operations.delete_claim(denial, by=editor),
        ]
        for number, step in enumerate(steps, 1):
            step()
            assert stored_counts() == counted_afresh(), f"after step {number}"

    def test_a_write_around_the_operations_is_caught(self):
        claim = PublishedClaimFactory()
        assert stored_counts() == counted_afresh()

        Claim.objects.filter(pk=claim.pk).update(publication_state=PublicationState.DRAFT)

        assert stored_counts() != counted_afresh()

    def test_saving_a_record_read_before_a_count_changed_keeps_the_new_count(self, editor):
        topic = TopicFactory()
        stale = Topic.objects.get(pk=topic.pk)
        PublishedClaimFactory(topics=[topic])
        stale.description = "Edited while a claim was published."
        stale.save()
        assert Topic.objects.get(pk=topic.pk).claim_count == 1


def store(counts):
    """Write `counts` (from `stored_counts`) back, for the records that are still there."""
    for (kind, pk), count in counts.items():
        if kind == "actor":
            made, accusations = count
            Actor.objects.filter(pk=pk).update(claims_made_count=made, accusations_received_count=accusations)
        elif kind == "topic":
            Topic.objects.filter(pk=pk).update(claim_count=count)
        else:
            Claim.objects.filter(pk=pk).update(counter_claim_count=count)


class TestMerges:
    """A merge moves claims from one record to another, or into another claim: the counts they
    were in and are in now are counted again, as an operation's are, in the merge's transaction and
    once it commits."""

    @pytest.fixture
    def merges(self, editor):
        kept_actor, merged_actor = ActorFactory.create_batch(2)
        kept_topic, merged_topic = TopicFactory.create_batch(2)
        accusation = PublishedClaimFactory(
            speaker=kept_actor, target=merged_actor, kind="accusation", topics=[kept_topic]
        )
        again = PublishedClaimFactory(
            speaker=merged_actor, target=kept_actor, kind="accusation", topics=[merged_topic, kept_topic]
        )
        denial = PublishedClaimFactory(speaker=merged_actor, kind="denial", topics=[merged_topic])
        ClaimRelationFactory(from_claim=denial, to_claim=again, relation_type=RelationType.DISPUTES)
        return {
            "actors": lambda: merge_actors(kept_actor, merged_actor, by=editor),
            "topics": lambda: merge_topics(kept_topic, merged_topic, by=editor),
            "claims": lambda: merge_claims(accusation, again, by=editor),
            "sources": lambda: merge_sources(
                accusation.citations.get().source, again.citations.get().source, by=editor
            ),
        }

    @pytest.mark.parametrize("merged", ["actors", "topics", "claims", "sources"])
    def test_a_merge_leaves_every_count_right_once_it_commits(
        self, merges, merged, django_capture_on_commit_callbacks
    ):
        before = stored_counts()
        with django_capture_on_commit_callbacks() as on_commit:
            merges[merged]()
        assert stored_counts() == counted_afresh()

        # A write committed while the merge was under way stored counts that could not see the
        # claims the merge moved: the counts as they were before it.
        store(before)
        for callback in on_commit:
            callback()

        assert stored_counts() == counted_afresh()
