"""Pictures of a dispute, drawn on the server as SVG (claims/templates/claims/charts/): a topic's
exchange over time, who accuses whom, an actor's record, a claim's thread. No JavaScript, no inline
styles (the Content-Security-Policy allows neither): colours come from site.css by class.

Each chart reads a bounded number of rows, whatever the size of the record: the latest claims of a
topic (`EXCHANGE_MARKS`, who accuses whom among them too), an actor's latest claims
(`RECORD_CLAIMS_READ`). A chart drawn from fewer claims than there are says so.

Horizontal positions are percentages and vertical ones pixels, so a chart fills the column at any
width and its text keeps its size: readable at 375 px as at 1280 px.

`drawing` holds what every chart shares; `exchange`, `accusations` and `record` draw one kind each;
`kept` keeps them between requests.
"""

from .accusations import who_accuses_whom
from .drawing import OTHER_SHAPE, SHAPE_LEGEND, SHAPE_POINTS, THUMBNAIL_MARKS, status_legend
from .exchange import thread_exchange, topic_exchange
from .kept import kept_record, kept_topic_charts
from .record import actor_record

__all__ = [
    "OTHER_SHAPE",
    "SHAPE_LEGEND",
    "SHAPE_POINTS",
    "THUMBNAIL_MARKS",
    "actor_record",
    "kept_record",
    "kept_topic_charts",
    "status_legend",
    "thread_exchange",
    "topic_exchange",
    "who_accuses_whom",
]
