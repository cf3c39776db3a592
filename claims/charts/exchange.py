"""A topic's exchange over time, and a claim's thread, as lanes of marks (`exchange_chart`)."""

import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..choices import DatePrecision
from ..models import Claim, ClaimRelation
from .drawing import (
    ANSWERING,
    AXIS_HEIGHT,
    CROWDED,
    EXCHANGE_MARKS,
    LANE_LABEL,
    LANE_ROWS,
    LEFT,
    MOST_LANES,
    RIGHT,
    ROW_GAP,
    SHAPE_POINTS,
    TICK_SPACING,
    counted,
    kind_shape,
    public_affiliations,
    side_of,
)


@dataclass
class Mark:
    claim: Claim
    side: str
    x: float = 0.0  # percent
    y: int = 0  # pixels
    is_current: bool = False

    @property
    def shape(self):
        return kind_shape(self.claim.kind)

    @property
    def points(self):
        return SHAPE_POINTS.get(self.shape, "")

    @functools.cached_property
    def label(self):
        claim = self.claim
        return (
            f"{claim.display_date}, {claim.speaker.name}: {claim.get_kind_display()}, "
            f"{claim.status.label}. {claim.summary}"
        )


@dataclass
class Lane:
    label: str
    url: str
    top: int = 0
    marks: list = field(default_factory=list)
    rows_above: int = 0  # rows of marks above the middle one, and below it
    rows_below: int = 0

    @property
    def label_y(self):
        return self.top + 13

    @property
    def line_y(self):
        return self.top + LANE_LABEL + ROW_GAP * self.rows_above + 14

    @property
    def height(self):
        return LANE_LABEL + ROW_GAP * (self.rows_above + self.rows_below) + 26


@dataclass
class Exchange:
    """An exchange chart: `lanes` of `marks`, `links` between answers and what they answer, `ticks`
    on the time axis; `shown` of `total` claims (the latest)."""

    chart_id: str
    title: str
    lanes: list
    marks: list
    links: list
    ticks: list
    height: int
    shown: int
    total: int
    first: str = ""
    last: str = ""

    @property
    def is_capped(self):
        return self.total > self.shown

    @property
    def axis_y(self):
        return self.height - 8

    @functools.cached_property
    def which_claims(self):
        """Which claims are drawn: "The latest 60 of 1,200 claims, from 3 May 2020 to 1 June 2021"."""
        which = f"The latest {self.shown:,} of {self.total:,}" if self.is_capped else f"All {self.shown:,}"
        period = self.first if self.first == self.last else f"from {self.first} to {self.last}"
        return f"{which} claims, {period}"

    @functools.cached_property
    def summary(self):
        """What the chart shows, in a sentence (its caption)."""
        if not self.marks:
            return "No published claims to draw."
        return (
            f"{self.which_claims}, one lane per side; a dashed line joins an answer to the claim it answers."
        )

    @functools.cached_property
    def description(self):
        if not self.marks:
            return "No published claims to draw."
        sides = []
        for lane in self.lanes:
            kinds = Counter(mark.claim.get_kind_display().lower() for mark in lane.marks)
            by_kind = ", ".join(counted(count, kind) for kind, count in kinds.most_common())
            sides.append(f"{lane.label}: {by_kind}")
        answers = counted(len(self.links), "answer is", "answers are")
        return (
            f"{self.which_claims}, one lane per side. {'; '.join(sides)}. "
            f"{answers.capitalize()} joined by a line to the claim they answer."
        )


def _place(claims):
    """Each claim's date as a fraction of the span of their dates (0 to 1), by the middle of its
    period, and the span's first and last day."""
    middles = {}
    for claim in claims:
        start = claim.stated_on
        end = DatePrecision(claim.stated_on_precision).period_end(start)
        middles[claim.pk] = start + (end - start) / 2
    first, last = min(middles.values()), max(middles.values())
    span = (last - first).days or 1
    return {pk: (middle - first).days / span for pk, middle in middles.items()}, first, last


def _ticks(first, last):
    """Up to four dates on the axis: years, else months, else the two ends."""
    if last.year - first.year >= 2:
        step = max(1, (last.year - first.year + 3) // 4)
        dates = [datetime.date(year, 1, 1) for year in range(first.year + 1, last.year + 1, step)]
        label = "{:%Y}"
    else:
        months, month = [], datetime.date(first.year, first.month, 1)
        while month <= last:
            if month > first:
                months.append(month)
            month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        dates = months[:: max(1, (len(months) + 3) // 4)] if months else []
        label = "{:%b %Y}"
    if not dates:
        return [(LEFT, f"{first:%d %b %Y}"), (RIGHT, f"{last:%d %b %Y}")]
    span = (last - first).days or 1
    ticks = []
    for date in dates:
        x = LEFT + (RIGHT - LEFT) * (date - first).days / span
        if not ticks or x - ticks[-1][0] >= TICK_SPACING:
            ticks.append((x, label.format(date)))
    return ticks


def _anchor(x):
    """Where a label at `x` percent hangs from, so that none sticks out of the chart."""
    return "start" if x < 8 else "end" if x > 92 else "middle"


def _row_step(row):
    """Row `row` as steps from the middle one, in the order rows fill: 0, -1 (above), 1, -2, 2..."""
    return (row + 1) // 2 * (-1 if row % 2 else 1)


def _stack(lane):
    """Rows for the lane's marks (in time order), so that none is within `CROWDED` of another in
    its row: each goes to the first row free at its date. When the `LANE_ROWS` rows are taken, it
    goes just after the mark that ends the least crowded row, a little later than its date, rather
    than over another mark; at the right edge, to a row of its own. Sets each mark's `y` relative
    to the lane's middle line, and the rows the lane uses."""
    row_ends = []
    for mark in lane.marks:
        free = [row for row, end in enumerate(row_ends) if mark.x - end >= CROWDED]
        if free:
            row = free[0]
        elif len(row_ends) < LANE_ROWS:
            row = len(row_ends)
            row_ends.append(0.0)
        else:
            row = min(range(len(row_ends)), key=row_ends.__getitem__)
            if row_ends[row] + CROWDED <= RIGHT:
                mark.x = row_ends[row] + CROWDED
            else:
                row = len(row_ends)
                row_ends.append(0.0)
        row_ends[row] = mark.x
        step = _row_step(row)
        mark.y = step * ROW_GAP
        lane.rows_above = max(lane.rows_above, -step)
        lane.rows_below = max(lane.rows_below, step)


def exchange_chart(claims, relations, *, chart_id, title, total=None, current=None):
    """The exchange chart of `claims` (with speaker__affiliation__affiliation read), answers joined
    by `relations` ((answer id, answered id) pairs): one lane per side, the busiest first."""
    claims = list(claims)
    total = len(claims) if total is None else max(total, len(claims))
    if not claims:
        return Exchange(chart_id, title, [], [], [], [], AXIS_HEIGHT, 0, total)
    public = public_affiliations([claim.speaker for claim in claims])
    by_side = defaultdict(list)
    sides = {}
    for claim in claims:
        side = side_of(claim.speaker, public)
        sides[side.pk] = side
        by_side[side.pk].append(claim)
    ranked = sorted(by_side, key=lambda pk: (-len(by_side[pk]), sides[pk].name))
    kept, others = (
        ranked[: MOST_LANES - 1 if len(ranked) > MOST_LANES else MOST_LANES],
        ranked[MOST_LANES - 1 :],
    )
    lane_of = {}
    lanes = []
    for pk in kept:
        lanes.append(Lane(sides[pk].name, sides[pk].get_absolute_url()))
        for claim in by_side[pk]:
            lane_of[claim.pk] = lanes[-1]
    if len(ranked) > MOST_LANES:
        lanes.append(Lane("Other speakers", ""))
        for pk in others:
            for claim in by_side[pk]:
                lane_of[claim.pk] = lanes[-1]

    fractions, first, last = _place(claims)
    marks = {}
    for claim in sorted(claims, key=lambda claim: (fractions[claim.pk], claim.pk)):
        lane = lane_of[claim.pk]
        mark = Mark(claim, lane.label, LEFT + (RIGHT - LEFT) * fractions[claim.pk])
        mark.is_current = current is not None and claim.pk == current.pk
        lane.marks.append(mark)
        marks[claim.pk] = mark
    top = 0
    for lane in lanes:
        _stack(lane)
        lane.top = top
        for mark in lane.marks:
            mark.y += lane.line_y
        top += lane.height
    links = [
        (marks[answer], marks[answered])
        for answer, answered in dict.fromkeys(relations)
        if answer in marks and answered in marks
    ]
    height = top + AXIS_HEIGHT
    return Exchange(
        chart_id,
        title,
        lanes,
        sorted(marks.values(), key=lambda mark: -mark.claim.stated_on.toordinal()),
        links,
        [(x, label, _anchor(x)) for x, label in _ticks(first, last)],
        height,
        len(claims),
        total,
        min(claims, key=lambda claim: (claim.stated_on, claim.pk)).display_date,
        max(claims, key=lambda claim: (claim.stated_on, claim.pk)).display_date,
    )


# What a chart reads of a claim and the actors around it: not its texts or search vector.
_ACTOR_FIELDS = ("name", "slug", "affiliation_id")
CHART_FIELDS = (
    "slug",
    "summary",
    "kind",
    "stated_on",
    "stated_on_precision",
    "evidence_status",
    "target_id",
    *(f"{actor}__{field}" for actor in ("speaker", "target") for field in _ACTOR_FIELDS),
    *(f"speaker__affiliation__{field}" for field in _ACTOR_FIELDS),
    "speaker__affiliation__affiliation__name",
    "speaker__affiliation__affiliation__slug",
)


def _answers_among(claim_ids):
    return ClaimRelation.objects.filter(
        from_claim__in=claim_ids, to_claim__in=claim_ids, relation_type__in=ANSWERING
    ).values_list("from_claim_id", "to_claim_id")


def drawable(claims):
    return (
        claims.select_related("speaker__affiliation__affiliation", "target")
        .only(*CHART_FIELDS)
        .order_by("-stated_on", "-pk")
    )


def topic_exchange(topic, *, latest=None, chart_id="exchange", title=None):
    """The exchange chart of `topic`'s latest published claims: three queries."""
    claims = list(drawable(Claim.objects.published().about(topic))[: latest or EXCHANGE_MARKS])
    return exchange_chart(
        claims,
        _answers_among([claim.pk for claim in claims]),
        chart_id=chart_id,
        title=title or f"{topic.name}: who said what, when",
        total=topic.claim_count,
    )


def thread_exchange(claim, thread):
    """A claim's thread (`claims.threads.claim_thread`) as an exchange chart, the claim ringed."""
    claims = [entry.claim for entry in thread]
    ids = [other.pk for other in claims]
    return exchange_chart(
        drawable(Claim.objects.filter(pk__in=ids)),
        _answers_among(ids),
        chart_id="thread-chart",
        title="This claim's thread over time",
        current=claim,
    )
