"""The stored counts of published claims: an actor's claims made and accusations received, a
topic's claims, a claim's counter-claims. Pages and lists read them instead of counting. Every
operation on claims (`claims.operations`) runs in `recounting`, which counts again what the claims
it changes were counted in and are counted in now; the merges of actors and topics
(`claims.merging`) and a relation's change count the records they change with `recount`."""

from contextlib import contextmanager
from typing import NamedTuple

from django.db import transaction

from .choices import RelationType
from .models import Actor, Claim, ClaimRelation, Topic


class Counted(NamedTuple):
    """The records whose stored counts some claims are counted in (primary keys)."""

    actors: set
    topics: set
    claims: set

    def __or__(self, other):
        return Counted(*(mine | theirs for mine, theirs in zip(self, other, strict=True)))


def counted_in(claim_ids):
    """The actors (speaker, target), topics and claims (themselves, and those they dispute) whose
    stored counts the claims `claim_ids` are counted in, as the database holds them now."""
    claim_ids = {pk for pk in claim_ids if pk is not None}
    if not claim_ids:
        return Counted(set(), set(), set())
    actors = {
        actor
        for pair in Claim.objects.filter(pk__in=claim_ids).values_list("speaker_id", "target_id")
        for actor in pair
        if actor is not None
    }
    topics = set(
        Claim.topics.through.objects.filter(claim_id__in=claim_ids).values_list("topic_id", flat=True)
    )
    disputed = ClaimRelation.objects.filter(from_claim_id__in=claim_ids, relation_type=RelationType.DISPUTES)
    return Counted(actors, topics, claim_ids | set(disputed.values_list("to_claim_id", flat=True)))


@contextmanager
def recounting(*claims):
    """Within the block, the claims may change in any way that counts (speaker, target, kind,
    publication state, topics, the claims they dispute); at its end, the counts they were in and are
    in now are counted again. The claims' rows are locked
    first, so that what is counted stays as read until the transaction ends."""

    def primary_keys():
        return {claim.pk for claim in claims}

    saved = primary_keys() - {None}
    list(Claim.objects.select_for_update().filter(pk__in=saved).values_list("pk", flat=True))
    before = counted_in(saved)
    yield
    recount(*(before | counted_in(primary_keys())))


def recount(actors=(), topics=(), claims=()):
    """Count again the stored counts of these actors, topics and claims (primary keys): now, so that
    the writing transaction reads them right, and again once it commits, so that two transactions
    committing side by side cannot leave a count that misses the other's write."""
    actors, topics, claims = ({pk for pk in ids if pk is not None} for ids in (actors, topics, claims))

    def count():
        if actors:
            Actor.objects.filter(pk__in=actors).recount()
        if topics:
            Topic.objects.filter(pk__in=topics).recount()
        if claims:
            Claim.objects.filter(pk__in=claims).recount_counter_claims()

    count()
    transaction.on_commit(count)
