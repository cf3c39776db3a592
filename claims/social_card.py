"""A topic's exchange chart as a PNG for link previews (`og:image`): the chart the topic page draws,
under the topic's name, on a 1200 by 630 card (the size the large previews of social sites and
messengers use), rasterised by resvg from the same SVG template the page includes."""

import resvg_py
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import Truncator

from . import charts
from .choices import EvidenceStatus

WIDTH = 1200
HEIGHT = 630
TITLE_CHARACTERS = 44
# Where the chart goes on the card.
CHART_LEFT, CHART_TOP, CHART_WIDTH, CHART_HEIGHT = 56, 196, WIDTH - 112, HEIGHT - 300
# The legend below it, shapes on one row and colours on the next: each entry's swatch and label
# take this much room, its label an average character's width a character (at the legend's size).
LEGEND_ENTRY_SPACE, LEGEND_CHARACTER_WIDTH = 48, 10
# The status colours of `tracker/static/css/site.css` (Okabe-Ito, each of its own lightness): an
# image carries its own styles.
STATUS_COLOURS = {
    EvidenceStatus.UNREVIEWED: "#ffffff",
    EvidenceStatus.UNSUBSTANTIATED: "#f0e442",
    EvidenceStatus.DISPUTED: "#e69f00",
    EvidenceStatus.SUPPORTED: "#009e73",
    EvidenceStatus.CONFIRMED: "#0072b2",
    EvidenceStatus.CONTRADICTED: "#8a2c00",
}


def topic_card_svg(topic):
    chart = charts.topic_exchange(topic)
    # A chart taller than its place is scaled down to fit; it is drawn that much wider first, so
    # that it still fills the card's width.
    drawn_width = max(CHART_WIDTH, round(CHART_WIDTH * chart.height / CHART_HEIGHT))
    return render_to_string(
        "claims/cards/topic.svg",
        {
            "chart": chart,
            "title": Truncator(topic.name).chars(TITLE_CHARACTERS),
            "site_name": settings.SITE_NAME,
            "chart_box": (CHART_LEFT, CHART_TOP, CHART_WIDTH, CHART_HEIGHT),
            "drawn_width": drawn_width,
            "width": WIDTH,
            "height": HEIGHT,
            "shapes": [
                (x, shape, charts.SHAPE_POINTS.get(shape), label)
                for x, (shape, label) in _in_a_row(
                    (shape, label.split(" (")[0]) for shape, label in charts.SHAPE_LEGEND
                )
            ],
            "statuses": list(_in_a_row((status.value, status.label) for status in EvidenceStatus)),
            "colours": [(status.value, colour) for status, colour in STATUS_COLOURS.items()],
        },
    )


def _in_a_row(entries):
    """Legend entries `(key, label)` with the x of each, one after the other."""
    x = CHART_LEFT
    for key, label in entries:
        yield x, (key, label)
        x += LEGEND_ENTRY_SPACE + len(label) * LEGEND_CHARACTER_WIDTH


def topic_card_png(topic):
    return bytes(resvg_py.svg_to_bytes(svg_string=topic_card_svg(topic)))
