"""Claims as the API's JSON reads show them, built from rows rather than serializer objects.

`ClaimSerializer` documents the representation, and stays what the schema, the browsable API and
the answers to writes use. A page of fifty claims through it meant thousands of field calls, and a
model instance a claim, citation and relation, tied to each other by back-references that only
the garbage collector frees. Here a page is read as rows (`values()`, the same on SQLite and
PostgreSQL): the claims with their speakers and targets, then their topics, status histories,
citations with their sources, and relations either way, one query each (five, whatever the page's
size), and the rows become plain dicts, with no reference cycle, in the serializer's keys, order
and values (claims/tests/test_lean_api.py compares the two, byte for byte, on every field).
"""

import datetime
import re
from functools import partial

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from claims.choices import DatePrecision, EvidenceStatus, PublicationState
from claims.models import Claim, ClaimRelation, EvidenceStatusChange, citations_in_order
from tracker.api import SLUG_PATTERN, api_url
from tracker.pages import slug_url_parts

from .serializers import ClaimSerializer, RelatedClaimsField

# What a claim's representation reads from its row: the claim's own fields, its speaker's and its
# target's. The cursor paginator orders these rows by the `ordering` fields, all of them here.
CLAIM_COLUMNS = (
    "id",
    "slug",
    "summary",
    "quote",
    "speaker_id",
    "speaker__slug",
    "speaker__name",
    "speaker__kind",
    "speaker_role",
    "target_id",
    "target__slug",
    "target__name",
    "target__kind",
    "kind",
    "stated_on",
    "stated_on_precision",
    "evidence_status",
    "rationale",
    "attribution",
    "publication_state",
    "created_at",
    "updated_at",
)

# The relation fields ("disputes", "disputed_by"...), by (relation type, whether incoming), as
# ClaimSerializer declares them.
RELATION_FIELDS = {
    (str(field.relation_type.value), field.incoming): name
    for name, field in ClaimSerializer._declared_fields.items()
    if isinstance(field, RelatedClaimsField)
}

PRECISIONS = {precision.value: precision for precision in DatePrecision}
PLAIN_SLUG = re.compile(SLUG_PATTERN).match


def claim_rows(claims):
    """The rows of `claims` (a queryset, filtered and ordered) that `claim_representations` reads:
    dicts of `CLAIM_COLUMNS`, and `similarity` when `similar_to` ranked them. The serializer's
    prefetches are left out: the representation reads its own."""
    ranked = "similarity" in claims.query.annotations
    return claims.prefetch_related(None).values(*CLAIM_COLUMNS, *(["similarity"] if ranked else []))


def claim_representations(rows, request, *, include_drafts):
    """What `ClaimSerializer(many=True)` shows of the claims of `rows` (from `claim_rows`), in their
    order; relations with drafts only with `include_drafts` (for editors), as `with_relations`."""
    ids = [row["id"] for row in rows]
    # `api_url` reverses each view's URL once a request, then puts each id in its place.
    claim_url = partial(api_url, request, "api:claim-detail")
    actor_url = partial(api_url, request, "api:actor-detail")
    topic_url = partial(api_url, request, "api:topic-detail")
    source_url = partial(api_url, request, "api:source-detail")
    page_url = _page_link_maker(request)
    moment = _moment_maker()
    date = _date_maker()
    labels = {status.value: str(status.label) for status in EvidenceStatus}

    topics = {}
    for claim_id, topic_id, slug, name in (
        # In the prefetch's order: Topic's, by name.
        Claim.topics.through.objects.filter(claim_id__in=ids)
        .order_by("topic__name")
        .values_list("claim_id", "topic_id", "topic__slug", "topic__name")
    ):
        topic = {"id": topic_id, "url": topic_url(topic_id), "slug": slug, "name": name}
        topics.setdefault(claim_id, []).append(topic)

    histories = {}
    for claim_id, from_status, to_status, changed_at, reason in (
        # In the model's order (changed_at, pk), as the prefetch reads them.
        EvidenceStatusChange.objects.filter(claim_id__in=ids).values_list(
            "claim_id", "from_status", "to_status", "changed_at", "reason"
        )
    ):
        step = {
            "from_status": {"code": from_status, "label": labels[from_status]},
            "to_status": {"code": to_status, "label": labels[to_status]},
            "changed_at": moment(changed_at),
            "reason": reason,
        }
        histories.setdefault(claim_id, []).append(step)

    citations = {}
    for claim_id, source_id, title, outlet, url, published_on, stance, excerpt, locator in (
        citations_in_order()
        .filter(claim_id__in=ids)
        .values_list(
            "claim_id",
            "source_id",
            "source__title",
            "source__outlet",
            "source__url",
            "source__published_on",
            "stance",
            "excerpt",
            "locator",
        )
    ):
        citation = {
            "source_id": source_id,
            "source": source_url(source_id),
            "title": title,
            "outlet": outlet,
            "document_url": url or None,
            "published_on": None if published_on is None else date(published_on),
            "stance": stance,
            "excerpt": excerpt,
            "locator": locator,
        }
        citations.setdefault(claim_id, []).append(citation)

    # Relations both ways in one query: from a claim of the page (outgoing) or to one (incoming),
    # and, for readers, with a published claim on the other side.
    links = {claim_id: {name: [] for name in RELATION_FIELDS.values()} for claim_id in ids}
    outgoing, incoming = Q(from_claim_id__in=ids), Q(to_claim_id__in=ids)
    columns = ["from_claim_id", "relation_type", "to_claim_id"]
    if not include_drafts:  # a relation to a draft never reaches a reader
        outgoing &= Q(to_claim__publication_state=PublicationState.PUBLISHED)
        incoming &= Q(from_claim__publication_state=PublicationState.PUBLISHED)
        columns += ["from_claim__publication_state", "to_claim__publication_state"]
    for from_claim_id, relation_type, to_claim_id, *states in (
        ClaimRelation.objects.filter(outgoing | incoming).order_by("pk").values_list(*columns)
    ):
        # A reader sees a relation on a claim of the page when the claim at its other end is published.
        from_shown, to_shown = (
            (state == PublicationState.PUBLISHED for state in states) if states else (True, True)
        )
        if from_claim_id in links and to_shown:
            links[from_claim_id][RELATION_FIELDS[relation_type, False]].append(
                {"id": to_claim_id, "url": claim_url(to_claim_id)}
            )
        if to_claim_id in links and from_shown:
            links[to_claim_id][RELATION_FIELDS[relation_type, True]].append(
                {"id": from_claim_id, "url": claim_url(from_claim_id)}
            )

    representations = []
    for row in rows:
        pk = row["id"]
        stated_on, precision = row["stated_on"], row["stated_on_precision"]
        status = row["evidence_status"]
        target_id = row["target_id"]
        similarity = row.get("similarity")
        claim_links = links[pk]
        representations.append(
            {
                "id": pk,
                "url": claim_url(pk),
                "page_url": page_url(row["slug"]),
                "slug": row["slug"],
                "summary": row["summary"],
                "quote": row["quote"],
                "speaker": {
                    "id": row["speaker_id"],
                    "url": actor_url(row["speaker_id"]),
                    "slug": row["speaker__slug"],
                    "name": row["speaker__name"],
                    "kind": row["speaker__kind"],
                },
                "speaker_role": row["speaker_role"],
                "target": None
                if target_id is None
                else {
                    "id": target_id,
                    "url": actor_url(target_id),
                    "slug": row["target__slug"],
                    "name": row["target__name"],
                    "kind": row["target__kind"],
                },
                "kind": row["kind"],
                "stated_on": date(stated_on),
                "date_precision": precision,
                "date_display": PRECISIONS[precision].format(stated_on),
                "topics": topics.get(pk, []),
                "evidence_status": {"code": status, "label": labels[status]},
                "rationale": row["rationale"],
                "status_history": histories.get(pk, []),
                "attribution": row["attribution"],
                "citations": citations.get(pk, []),
                "disputes": claim_links["disputes"],
                "disputed_by": claim_links["disputed_by"],
                "supports": claim_links["supports"],
                "supported_by": claim_links["supported_by"],
                "responds_to": claim_links["responds_to"],
                "responses": claim_links["responses"],
                "repeats": claim_links["repeats"],
                "repeated_by": claim_links["repeated_by"],
                "publication_state": row["publication_state"],
                "created_at": moment(row["created_at"]),
                "updated_at": moment(row["updated_at"]),
                "similarity": None if similarity is None else round(similarity, 3),
            }
        )
    return representations


def _page_link_maker(request):
    """A function of a claim's slug making the absolute URL of its page as `PageUrlField` does
    (`request.build_absolute_uri(claim.get_absolute_url())`): a slug of the characters a slug
    takes goes as it is into the URL reversed once; any other is reversed on its own."""
    before, after = slug_url_parts("claims:claim-detail")
    prefix = request.build_absolute_uri(before)

    def page_url(slug):
        if PLAIN_SLUG(slug):
            return f"{prefix}{slug}{after}"
        return request.build_absolute_uri(reverse("claims:claim-detail", kwargs={"slug": slug}))

    return page_url


def _moment_maker():
    """A function writing a date-time as DRF's `DateTimeField` does: ISO 8601 in the current time
    zone, UTC as "Z" (DRF's field itself under other settings)."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    if zone is None or api_settings.DATETIME_FORMAT.lower() != ISO_8601:
        return serializers.DateTimeField().to_representation

    def moment(value):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return moment


def _date_maker():
    """A function writing a date as DRF's `DateField` does."""
    if api_settings.DATE_FORMAT.lower() != ISO_8601:
        return serializers.DateField().to_representation
    return datetime.date.isoformat
