"""Charts kept between requests for anonymous readers, under the record's version."""

import functools
import time

from django.conf import settings
from django.template.loader import render_to_string
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

from .accusations import who_accuses_whom
from .exchange import topic_exchange
from .record import actor_record

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
