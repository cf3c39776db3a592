"""Who accuses whom among a topic's latest published claims."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..choices import ClaimKind, EvidenceStatus
from ..models import Actor, Claim
from .drawing import EXCHANGE_MARKS, MOST_ACCUSERS, claims_url, counted
from .exchange import drawable


@dataclass
class Accusations:
    """Who accuses whom among the latest accusations of a topic: `arrows` between `accusers` (left)
    and `accused` (right), each a count by status."""

    chart_id: str
    title: str
    accusers: list
    accused: list
    arrows: list
    height: int
    counted: int
    left_out: int

    @property
    def description(self):
        if not self.arrows:
            return "No published accusation names whom it accuses."
        lines = [
            f"{arrow.accuser.name} accused {arrow.target.name} {counted(arrow.count, 'time')} "
            f"({arrow.breakdown})"
            for arrow in self.arrows
        ]
        return f"From the latest {counted(self.counted, 'accusation')}: {'; '.join(lines)}."


@dataclass
class Arrow:
    accuser: Actor
    target: Actor
    statuses: Counter
    url: str
    y1: int = 0
    y2: int = 0

    @property
    def count(self):
        return sum(self.statuses.values())

    @property
    def status(self):
        """The status most of these accusations have: the arrow's colour."""
        return self._by_count()[0][0]

    def _by_count(self):
        order = list(EvidenceStatus)
        counts = [(EvidenceStatus(status), count) for status, count in self.statuses.items()]
        return sorted(counts, key=lambda pair: (-pair[1], order.index(pair[0])))

    @property
    def width(self):
        return min(12, 2 + 2 * (self.count - 1) ** 0.5)

    @property
    def breakdown(self):
        """The counts by status, the most first, ties in the scale's order."""
        return ", ".join(f"{count} {status.label.lower()}" for status, count in self._by_count())

    @property
    def label(self):
        return (
            f"{self.accuser.name} accused {self.target.name} {counted(self.count, 'time')}: {self.breakdown}"
        )

    @property
    def label_y(self):
        return self.y1 + (self.y2 - self.y1) * 0.3 - 4


ACCUSATION_ROW = 34


def who_accuses_whom(topic, claims=None, *, chart_id="accusations"):
    """Who accuses whom in the accusations among `claims`: the exchange chart's, the latest of the
    topic (with their speakers and targets read), so that both charts draw the same claims and this
    one costs no query; read here when not given."""
    if claims is None:
        claims = drawable(Claim.objects.published().about(topic))[:EXCHANGE_MARKS]
    rows = [
        (claim.speaker_id, claim.target_id, claim.evidence_status)
        for claim in claims
        if claim.kind in ClaimKind.accusations() and claim.target_id
    ]
    names = {claim.speaker_id: claim.speaker for claim in claims}
    names |= {claim.target_id: claim.target for claim in claims if claim.target_id}
    pairs = defaultdict(Counter)
    for speaker, target, status in rows:
        pairs[speaker, target][status] += 1
    involvement = Counter()
    for (speaker, target), statuses in pairs.items():
        involvement[speaker] += sum(statuses.values())
        involvement[target] += sum(statuses.values())
    shown = {pk for pk, _ in involvement.most_common(MOST_ACCUSERS)}
    actors = {pk: names[pk] for pk in shown}
    arrows = [
        Arrow(
            actors[speaker],
            actors[target],
            statuses,
            claims_url(topic=topic.slug, speaker=actors[speaker].slug, target=actors[target].slug),
        )
        for (speaker, target), statuses in pairs.items()
        if speaker in shown and target in shown
    ]
    arrows.sort(key=lambda arrow: (-arrow.count, arrow.accuser.name, arrow.target.name))
    made, received = Counter(), Counter()
    for arrow in arrows:
        made[arrow.accuser.pk] += arrow.count
        received[arrow.target.pk] += arrow.count
    accusers = [(actors[pk], count) for pk, count in made.most_common()]
    accused = [(actors[pk], count) for pk, count in received.most_common()]
    row_of = {}
    for column, people in (("from", accusers), ("to", accused)):
        for number, (actor, _) in enumerate(people):
            row_of[column, actor.pk] = 36 + number * ACCUSATION_ROW
    for arrow in arrows:
        arrow.y1, arrow.y2 = row_of["from", arrow.accuser.pk], row_of["to", arrow.target.pk]
    height = 36 + max(len(accusers), len(accused), 1) * ACCUSATION_ROW
    drawn = sum(arrow.count for arrow in arrows)
    return Accusations(
        chart_id,
        f"{topic.name}: who accuses whom",
        [(actor, count, row_of["from", actor.pk]) for actor, count in accusers],
        [(actor, count, row_of["to", actor.pk]) for actor, count in accused],
        arrows,
        height,
        len(rows),
        len(rows) - drawn,
    )
