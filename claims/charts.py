"""Pictures of a dispute, drawn on the server as SVG (claims/templates/claims/charts/): a topic's
exchange over time, who accuses whom, an actor's record, a claim's thread. No JavaScript, no inline
styles (the Content-Security-Policy allows neither): colours come from site.css by class.

Each chart reads a bounded number of rows, whatever the size of the record: the latest claims of a
topic (`EXCHANGE_MARKS`, who accuses whom among them too), an actor's latest claims
(`RECORD_CLAIMS_READ`). A chart drawn from fewer claims than there are says so.

Horizontal positions are percentages and vertical ones pixels, so a chart fills the column at any
width and its text keeps its size: readable at 375 px as at 1280 px.
"""

import datetime
import functools
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from tracker.caching import (
    PAGE_PARAMETERS,
    StoredAnswer,
    answer_key,
    caching_is_on,
    clock,
    is_anonymous_read,
    store,
)

from .choices import ClaimKind, DatePrecision, EvidenceStatus, PublicationState, RelationType
from .models import Actor, Claim, ClaimRelation

# The latest claims a topic's exchange chart draws; a home-page thumbnail draws fewer.
EXCHANGE_MARKS = 60
THUMBNAIL_MARKS = 24
# Lanes (sides) a chart draws; the speakers of any others share one last lane.
MOST_LANES = 5
# The most actors the "who accuses whom" diagram shows.
MOST_ACCUSERS = 6
# An actor's record: its latest claims and accusations counted, and accusations against it whose
# answers are timed.
RECORD_CLAIMS_READ = 500
RECORD_ANSWERS_READ = 100
# Named accusers and accused on an actor's record.
RECORD_NAMES = 5

# Relations that make one claim an answer to another.
ANSWERING = [RelationType.DISPUTES, RelationType.RESPONDS_TO]

# The shape of a claim's mark, by kind: what it does in the exchange.
SHAPES = {
    ClaimKind.ACCUSATION: "triangle",
    ClaimKind.DENIAL: "square",
    ClaimKind.COUNTER_ACCUSATION: "diamond",
}
OTHER_SHAPE = "circle"
SHAPE_LEGEND = [
    ("triangle", "Accusation"),
    ("square", "Denial"),
    ("diamond", "Counter-accusation"),
    ("circle", "Other (assertion, position, assessment)"),
]
# Points of each shape around (0, 0), at a mark's size.
SHAPE_POINTS = {
    "triangle": "0,-8 7,5 -7,5",
    "square": "-6,-6 6,-6 6,6 -6,6",
    "diamond": "0,-8 8,0 0,8 -8,0",
}

# Geometry of the exchange chart, in pixels.
AXIS_HEIGHT = 28
LANE_LABEL = 18
ROW_GAP = 16  # between stacked marks
# Rows of marks in a lane at most: the middle one, then above and below it in turn.
LANE_ROWS = 7
# Marks closer than this (in percent of the width) stack in rows: 17 px apart on a phone's 320 px,
# so that no mark hides another (each stays a link a reader can tap).
CROWDED = 5.5
# Ticks on the time axis at least this far apart (percent): their labels never meet on a phone.
TICK_SPACING = 28
# The plot spans these percentages of the width, so marks at either end are whole.
LEFT, RIGHT = 3.0, 97.0


def about_url(status):
    return f"{reverse('claims:about')}#status-{EvidenceStatus(status).value}"


def claims_url(**filters):
    return f"{reverse('claims:claim-list')}?{urlencode(filters)}"


def status_legend():
    return [(status, status.label, status.meaning, about_url(status)) for status in EvidenceStatus]


def kind_shape(kind):
    return SHAPES.get(kind, OTHER_SHAPE)


def _plural(count, word, plural=None):
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


# --- Sides ----------------------------------------------------------------------------------------


def side_of(actor, public):
    """The state or organisation `actor` speaks for: the last public one up its affiliations (as
    far as they were read), else the actor itself. `public`: ids of public actors; an affiliation
    no published claim names is not named on a public page."""
    side = actor
    # Two levels up, as far as `_drawable` reads them (speaker__affiliation__affiliation).
    parent = actor.affiliation if actor.affiliation_id else None
    grandparent = parent.affiliation if parent is not None and parent.affiliation_id else None
    for up in (parent, grandparent):
        if up is not None and up.pk in public:
            side = up
    return side


def public_affiliations(actors):
    """The ids, among the affiliations of `actors` (two levels up), of public actors: one query."""
    ids = set()
    for actor in actors:
        if actor.affiliation_id:
            ids.add(actor.affiliation_id)
            if actor.affiliation.affiliation_id:
                ids.add(actor.affiliation.affiliation_id)
    return set(Actor.objects.public().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


# --- The exchange chart ---------------------------------------------------------------------------


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
            counted = ", ".join(_plural(count, kind) for kind, count in kinds.most_common())
            sides.append(f"{lane.label}: {counted}")
        answers = _plural(len(self.links), "answer is", "answers are")
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


def _drawable(claims):
    return (
        claims.select_related("speaker__affiliation__affiliation", "target")
        .only(*CHART_FIELDS)
        .order_by("-stated_on", "-pk")
    )


def topic_exchange(topic, *, latest=None, chart_id="exchange", title=None):
    """The exchange chart of `topic`'s latest published claims: three queries."""
    claims = list(_drawable(Claim.objects.published().about(topic))[: latest or EXCHANGE_MARKS])
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
        _drawable(Claim.objects.filter(pk__in=ids)),
        _answers_among(ids),
        chart_id="thread-chart",
        title="This claim's thread over time",
        current=claim,
    )


# --- Who accuses whom ------------------------------------------------------------------------------


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
            f"{arrow.accuser.name} accused {arrow.target.name} {_plural(arrow.count, 'time')} "
            f"({arrow.breakdown})"
            for arrow in self.arrows
        ]
        return f"From the latest {_plural(self.counted, 'accusation')}: {'; '.join(lines)}."


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
            f"{self.accuser.name} accused {self.target.name} {_plural(self.count, 'time')}: {self.breakdown}"
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
        claims = _drawable(Claim.objects.published().about(topic))[:EXCHANGE_MARKS]
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


# --- An actor's record ------------------------------------------------------------------------------


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


# --- Charts kept between requests -----------------------------------------------------------------

EXCHANGE_TEMPLATE = "claims/charts/_exchange_drawn.html"
ACCUSATIONS_TEMPLATE = "claims/charts/_accusations_drawn.html"
RECORD_TEMPLATE = "claims/charts/_record_drawn.html"


def record_version(request):
    """The record's version the public page cache read for this request (`tracker.caching`), or
    None when it read none (caching off, a signed-in reader, a page it does not store): then charts
    are drawn afresh. Taken before a chart reads its rows, so that no chart is filed under a version
    older than what it shows."""
    if not (caching_is_on() and is_anonymous_read(request) and answer_key(request, "page", PAGE_PARAMETERS)):
        return None
    return None if clock.last_read is None else (clock.last_read, clock.generation)


class KeptChart:
    """A chart's markup: `draw()` rendered through `template`, kept in this process's public cache
    under the record's `version` (any write draws it afresh). A page's timeline or record changes
    with its position (`?before=`) while its charts do not, so each position is a page of its own
    to the page cache but draws no chart again. The chart templates print `markup` when given one
    of these, and draw the chart themselves when given the chart."""

    def __init__(self, version, key, template, draw, *, name="chart", **context):
        self.version = version
        self.key = ("chart", *key)
        self.template = template
        self.draw = draw
        self.name = name
        self.context = context

    @functools.cached_property
    def markup(self):
        if self.version is not None:
            kept = store.get(self.version, self.key)
            if kept is not None:
                return mark_safe(kept.content.decode())
        markup = render_to_string(self.template, {self.name: self.draw(), **self.context})
        if self.version is not None:
            expires_at = time.monotonic() + settings.PUBLIC_CACHE_SECONDS
            store.put(self.version, self.key, StoredAnswer(200, (), markup.encode(), expires_at))
        return markup


def kept_topic_charts(request, topic):
    """The topic page's exchange chart and who-accuses-whom diagram, kept (`KeptChart`): both drawn
    from the same claims, read once when either is drawn."""
    version = record_version(request)
    exchange = functools.cache(lambda: topic_exchange(topic))
    return (
        KeptChart(version, ("exchange", topic.pk), EXCHANGE_TEMPLATE, exchange),
        KeptChart(
            version,
            ("accusations", topic.pk),
            ACCUSATIONS_TEMPLATE,
            lambda: who_accuses_whom(topic, [mark.claim for mark in exchange().marks]),
        ),
    )


def kept_record(request, actor):
    """An actor's record on its page, kept."""
    draw = functools.partial(actor_record, actor)
    return KeptChart(record_version(request), ("record", actor.pk), RECORD_TEMPLATE, draw, name="record")
