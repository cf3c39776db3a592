"""An actor's record: its claims and the accusations against it, and how they were answered."""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from ..choices import ClaimKind, EvidenceStatus, PublicationState
from ..models import Actor, Claim, ClaimRelation
from .drawing import ANSWERING, RECORD_ANSWERS_READ, RECORD_CLAIMS_READ, RECORD_NAMES, claims_url


@dataclass
class Record:
    """How an actor's claims stand and how it meets accusations (see `actor_record`)."""

    actor: Actor
    statuses: list  # (status, count, url, x percent, width percent)
    claims_counted: int
    claims_total: int
    accused: list  # (actor, count): whom its accusations name, most first
    accusers: list  # (actor, count): who accuses it
    accusations_made: int
    accusations_received: int
    answered: int
    timed: int
    median_days_to_answer: float | None

    @property
    def is_capped(self):
        return self.claims_total > self.claims_counted

    @property
    def description(self):
        counted = ", ".join(f"{count:,} {status.label.lower()}" for status, count, *_ in self.statuses)
        latest = f"Of its latest {self.claims_counted:,} claims" if self.is_capped else "Of its claims"
        return f"{latest}: {counted or 'none'}."

    def as_data(self):
        """The record as the API gives it."""
        return {
            "claims_by_evidence_status": {status.value: count for status, count, *_ in self.statuses},
            "claims_counted": self.claims_counted,
            "accusations_made": self.accusations_made,
            "accusations_made_against": [
                {"slug": a.slug, "name": a.name, "count": n} for a, n in self.accused
            ],
            "accusations_received": self.accusations_received,
            "accusations_received_from": [
                {"slug": a.slug, "name": a.name, "count": n} for a, n in self.accusers
            ],
            "accusations_timed": self.timed,
            "accusations_answered": self.answered,
            "median_days_to_answer": self.median_days_to_answer,
        }


def _latest(claims, limit):
    return claims.order_by("-stated_on", "-pk")[:limit]


def actor_record(actor):
    """`actor`'s record from its latest claims and accusations (`RECORD_CLAIMS_READ`): its claims by
    evidence status, whom it accuses and who accuses it, and the median days from an accusation
    against it (of the latest `RECORD_ANSWERS_READ`) to its side's first denial or
    counter-accusation answering it: its own, or that of one of its members, two levels down. Six
    queries."""
    published = Claim.objects.published()
    made = published.for_speaker(actor)
    by_status = Counter(_latest(made, RECORD_CLAIMS_READ).values_list("evidence_status", flat=True))
    accused = Counter(
        _latest(made.accusations().filter(target__isnull=False), RECORD_CLAIMS_READ).values_list(
            "target", flat=True
        )
    )
    against = published.targeting(actor).accusations()
    accusers = Counter(_latest(against, RECORD_CLAIMS_READ).values_list("speaker", flat=True))
    names = (
        Actor.objects.public()
        .only("name", "slug")
        .in_bulk(
            [pk for pk, _ in accused.most_common(RECORD_NAMES)]
            + [pk for pk, _ in accusers.most_common(RECORD_NAMES)]
        )
    )

    timed = dict(_latest(against, RECORD_ANSWERS_READ).values_list("pk", "stated_on"))
    answers = (
        ClaimRelation.objects.filter(
            to_claim__in=list(timed),
            relation_type__in=ANSWERING,
            from_claim__publication_state=PublicationState.PUBLISHED,
            from_claim__kind__in=ClaimKind.answers_to_accusations(),
        )
        .filter(
            Q(from_claim__speaker=actor)
            | Q(from_claim__speaker__affiliation=actor)
            | Q(from_claim__speaker__affiliation__affiliation=actor)
        )
        .values_list("to_claim_id", "from_claim__stated_on")
        if timed
        else []
    )
    first_answer = {}
    for accusation, answered_on in answers:
        first_answer[accusation] = min(answered_on, first_answer.get(accusation, answered_on))
    days = [max(0, (answered_on - timed[pk]).days) for pk, answered_on in first_answer.items()]

    total = sum(by_status.values())
    statuses, x = [], 0.0
    for status in EvidenceStatus:
        count = by_status.get(status.value, 0)
        if count:
            width = 100 * count / total
            statuses.append((status, count, claims_url(speaker=actor.slug, status=status.value), x, width))
            x += width
    return Record(
        actor,
        statuses,
        total,
        actor.claims_made_count,
        [(names[pk], count) for pk, count in accused.most_common(RECORD_NAMES) if pk in names],
        [(names[pk], count) for pk, count in accusers.most_common(RECORD_NAMES) if pk in names],
        sum(accused.values()),
        actor.accusations_received_count,
        len(days),
        len(timed),
        statistics.median(days) if days else None,
    )
