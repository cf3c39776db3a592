"""What every chart shares: its sizes, shapes and legends, and the side an actor is on."""

from django.urls import reverse
from django.utils.http import urlencode

from ..choices import ClaimKind, EvidenceStatus, RelationType
from ..models import Actor

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


def counted(count, word, plural=None):
    """ "1 answer", "3 answers": `count` and `word`, or `plural` (else `word` + "s") for more than one."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


# --- Sides ----------------------------------------------------------------------------------------


def side_of(actor, public):
    """The state or organisation `actor` speaks for: the last public one up its affiliations (as
    far as they were read), else the actor itself. `public`: ids of public actors; an affiliation
    no published claim names is not named on a public page."""
    side = actor
    # Two levels up, as far as `drawable` reads them (speaker__affiliation__affiliation).
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
