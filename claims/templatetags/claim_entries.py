"""Claims in lists, as HTML: a card in the lists of claims, an entry on a topic's timeline. Written
out here rather than in a template included once a claim: a page shows twenty to fifty claims, and
filling the template in took most of the page's time."""

from html import escape

from django import template
from django.template.defaultfilters import pluralize
from django.utils.safestring import mark_safe

from .claim_pages import status_badge

register = template.Library()

WHERE_NOTES = {
    "page": "",
    "timeline": ' <span class="note">(elsewhere in this timeline)</span>',
    "elsewhere": ' <span class="note">(on another topic)</span>',
}


@register.simple_tag
def claim_card(claim, *, hide_speaker=False, hide_target=False, with_excerpts=False):
    """`claim` as a card: its status, kind, how many claims dispute it, its summary, speaker (with
    their role), date and target; the excerpts cited from a source with `with_excerpts` (a
    source's page, from `ClaimQuerySet.cited_in`)."""
    kind = f'<span class="kind kind-{escape(claim.kind)}">{escape(claim.get_kind_display())}</span>'
    top = [status_badge(claim.evidence_status), kind]
    if count := claim.counter_claim_count:
        top.append(f'<span class="counter-count">Disputed by {count} claim{pluralize(count)}</span>')
    title = _anchor(claim, claim.summary)
    meta = []
    if not hide_speaker:
        speaker = claim.speaker
        role = f", {escape(claim.speaker_role)}" if claim.speaker_role else ""
        meta.append(f"{_anchor(speaker, speaker.name)}{role}")
    meta.append(_date(claim))
    if claim.target and not hide_target:
        meta.append(f"against {_anchor(claim.target, claim.target.name)}")
    excerpts = "".join(map(_excerpt, claim.source_citations)) if with_excerpts else ""
    return mark_safe(
        f'<li class="claim-card">\n  <div class="claim-card-top">\n    {" ".join(top)}\n  </div>\n'
        f'  <h3 class="claim-card-title">{title}</h3>\n'
        f'  <p class="claim-card-meta">\n    {" · ".join(meta)}\n  </p>\n{excerpts}</li>'
    )


def _anchor(record, text):
    """A link to `record`'s page, reading `text`."""
    return f'<a href="{escape(record.get_absolute_url())}">{escape(text)}</a>'


def _date(claim):
    return f'<time datetime="{claim.stated_on.isoformat()}">{claim.display_date}</time>'


def _excerpt(citation):
    footer = ""
    if citation.locator:
        footer = f"<footer>{escape(citation.get_stance_display())} · {escape(citation.locator)}</footer>"
    return f'  <blockquote class="excerpt"><p>{escape(citation.excerpt)}</p>{footer}</blockquote>\n'


@register.simple_tag
def timeline_entries(entries):
    """`entries` (`claims.threads.TimelineEntry`) as the `<li>` of a list, each with its replies in
    an `<ol>` under it."""
    return mark_safe("".join(map(_entry, entries)))


def _entry(entry):
    claim, speaker = entry.claim, entry.claim.speaker
    summary = _anchor(claim, claim.summary)
    meta = _anchor(speaker, speaker.name)
    if claim.target:
        meta += f' <span class="against">against {escape(claim.target.name)}</span>'
    return (
        f'<li class="timeline-entry" id="claim-{claim.pk}">\n  <div class="timeline-card">\n'
        f'    <p class="thread-date">{_date(claim)} · {escape(claim.get_kind_display())}</p>\n'
        f'    <p class="thread-summary">{summary}</p>\n'
        f'    <p class="thread-meta">{meta} {status_badge(claim.evidence_status)}</p>\n'
        f"{_links(entry.relations)}  </div>\n{_replies(entry)}</li>"
    )


def _links(relations):
    if not relations:
        return ""
    return f'    <ul class="links">\n{"".join(_link(*relation) for relation in relations)}    </ul>\n'


def _link(relation_types, other, where):
    labels = "".join(
        f'<span class="relation relation-{escape(relation_type)}">{escape(relation_type.label)}</span> '
        for relation_type in relation_types
    )
    href = f"#claim-{other.pk}" if where == "page" else escape(other.get_absolute_url())
    return (
        f'      <li>{labels}<a href="{href}">{escape(other.speaker.name)}, {other.display_date}</a>'
        f"{WHERE_NOTES[where]}</li>\n"
    )


def _replies(entry):
    if not entry.replies:
        return ""
    claim = entry.claim
    return (
        f'  <ol class="replies" aria-label="Replies to {escape(claim.speaker.name)}, {claim.display_date}">\n'
        f"    {timeline_entries(entry.replies)}\n  </ol>\n"
    )
