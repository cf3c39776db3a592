import functools
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from claims import charts
from claims.choices import EvidenceStatus

register = template.Library()

# As Django's json_script: inside <script>, "</script>" or "<!--" in a summary must not end the
# element, so <, > and & are written as JSON unicode escapes, which JSON parsers read back.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# A shape beside each status label, so the badge reads without colour.
STATUS_SYMBOLS = {
    EvidenceStatus.UNREVIEWED: "○",
    EvidenceStatus.UNSUBSTANTIATED: "?",
    EvidenceStatus.DISPUTED: "⇄",
    EvidenceStatus.SUPPORTED: "✓",
    EvidenceStatus.CONFIRMED: "✔",
    EvidenceStatus.CONTRADICTED: "✗",
}


@register.filter
def json_ld(data):
    """`data` as a <script type="application/ld+json"> element, safe to embed in HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).translate(SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@functools.lru_cache(maxsize=16)
def _about_url(script_prefix, urlconf):
    """The about page's path, reversed once for each script prefix and URL configuration."""
    return reverse("claims:about", urlconf=urlconf)


@register.simple_tag
def status_badge(status, *, large=False):
    """The evidence status as a badge: a symbol, and the label, linking to what the label means
    on the about page. A list shows fifty of them, so each badge is written once for each script
    prefix and URL configuration, and kept."""
    return _badge(EvidenceStatus(status), large, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=64)
def _badge(status, large, script_prefix, urlconf):
    return format_html(
        '<a class="status status-{}{}" href="{}#status-{}"><span class="status-symbol" aria-hidden="true">'
        '{}</span><span class="visually-hidden">Evidence status: </span>{}</a>',
        status.value,
        " status-large" if large else "",
        _about_url(script_prefix, urlconf),
        status.value,
        STATUS_SYMBOLS[status],
        status.label,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number, parameter="page"):
    """The current query string with `parameter` set to page `number`, other filters kept."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop(parameter, None)
    else:
        query[parameter] = number
    return f"?{query.urlencode()}" if query else "?"


@register.simple_tag
def datalist(element_id, names):
    """A <datalist> of `names`, built in one call: a list's filters suggest hundreds of them."""
    options = format_html_join("", '<option value="{}">', ((name,) for name in names))
    return format_html('<datalist id="{}">{}</datalist>', element_id, options)


@register.filter
def language_name(code):
    """The name of language `code` ("English" for "en"), or the code when Django does not know it."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


@register.filter
def outlet_name(source):
    return source.known_outlet or "Outlet not identified"


@register.filter
def shape_points(shape):
    return charts.SHAPE_POINTS.get(shape, "")


@register.simple_tag
def chart_shapes():
    return charts.SHAPE_LEGEND


@register.simple_tag
def chart_statuses():
    return charts.status_legend()


# A chart's marks and its table's rows are many: each is one f-string whose texts are escaped
# (numbers and codes need not be), where a template each took most of a topic page's time and
# format_html's escaping of every argument half of what was left.
_MARK_SHAPES = {
    shape: f'<polygon class="shape" points="{points}"/>' for shape, points in charts.SHAPE_POINTS.items()
}
_MARK_SHAPES[charts.OTHER_SHAPE] = '<circle class="shape" r="6"/>'
_CURRENT_RING = '<circle class="current-ring" r="11"/>'


@register.simple_tag
def chart_marks(chart):
    """The exchange chart's marks: each a link to its claim, named by its label."""
    marks = []
    for mark in chart.marks:
        label = escape(mark.label)
        marks.append(
            f'<a href="{escape(mark.claim.get_absolute_url())}" class="mark" aria-label="{label}">'
            f'<title>{label}</title><svg x="{mark.x:.2f}%" y="{int(mark.y)}" width="1" height="1" '
            f'overflow="visible" class="st-{EvidenceStatus(mark.claim.evidence_status).value}">'
            f"{_CURRENT_RING if mark.is_current else ''}{_MARK_SHAPES[mark.shape]}</svg></a>"
        )
    return mark_safe("\n".join(marks))


@register.simple_tag
def chart_rows(chart):
    """The exchange chart as table rows: date, side and speaker, kind, status and claim."""
    badges = {status.value: status_badge(status) for status in EvidenceStatus}
    rows = []
    for mark in chart.marks:
        claim = mark.claim
        who = mark.side if mark.side == claim.speaker.name else f"{mark.side}: {claim.speaker.name}"
        rows.append(
            f"<tr><td>{escape(claim.display_date)}</td><td>{escape(who)}</td><td>"
            f"{escape(claim.get_kind_display())}, {badges[claim.evidence_status]} "
            f'<a href="{escape(claim.get_absolute_url())}">{escape(claim.summary)}</a></td></tr>'
        )
    return mark_safe("\n".join(rows))
