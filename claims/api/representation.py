"""Claims as the API's JSON reads show them, built from rows rather than serializer objects.

`ClaimSerializer` documents the representation, and stays what the schema, the browsable API and
the answers to writes use. A page of fifty claims through it meant thousands of field calls, and a
model instance a claim, citation and relation, tied to each other by back-references that only
the garbage collector frees. Here a page is read as rows (`values()`): the claims with their
speakers and targets, and each claim's records (its topics, status history, citations with their
sources, and relations either way) as lists. On PostgreSQL the records come in the claims' own
query, a JSON array each that the database builds (`RECORDS`): one query a page, whatever its size.
Elsewhere (SQLite) four more queries read them, one a kind, for the whole page. The rows become
plain dicts, with no reference cycle, in the serializer's keys, order (its `Meta.fields`, the one
list of them) and values (claims/tests/test_lean_api.py compares the two, byte for byte, on every
field).
"""

import datetime
import re
from functools import partial

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from claims.choices import DatePrecision, EvidenceStatus, PublicationState
from claims.models import Claim, ClaimRelation, EvidenceStatusChange, citation_model, citations_in_order
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

# The fields of a claim, in their order: the serializer's, listed once.
CLAIM_FIELDS = ClaimSerializer.Meta.fields

# The relation fields ("disputes", "disputed_by"...), by (relation type, whether incoming), as
# ClaimSerializer declares them.
RELATION_FIELDS = {
    (str(field.relation_type.value), field.incoming): name
    for name, field in ClaimSerializer().fields.items()
    if isinstance(field, RelatedClaimsField)
}

# Citations and sources are the sources app's: reached through the claim's relation, as
# `citation_model` explains.
Citation = citation_model()
Source = Citation._meta.get_field("source").related_model

PRECISIONS = {precision.value: precision for precision in DatePrecision}
PLAIN_SLUG = re.compile(SLUG_PATTERN).match


# Each claim's records, as PostgreSQL builds them into the claim's row: a JSON array of arrays
# each, in the order the representation lists them, from a subquery of the claim's id (`{claim}`).
# Dates and moments are ISO 8601 texts. `{shown}` keeps a reader's relations to published claims.
# Tables are named as the models name them (`_meta.db_table`).
_TABLES = {
    "claim_table": Claim._meta.db_table,
    "claim_topic": Claim.topics.through._meta.db_table,
    "topic": Claim.topics.field.related_model._meta.db_table,
    "status_change": EvidenceStatusChange._meta.db_table,
    "citation": Citation._meta.db_table,
    "source": Source._meta.db_table,
    "relation": ClaimRelation._meta.db_table,
}
RECORDS = {
    name: sql.format(**_TABLES, claim="{claim}", shown="{shown}")
    for name, sql in {
        "topic_records": """
        SELECT json_agg(json_build_array(topic.id, topic.slug, topic.name) ORDER BY topic.name)
          FROM {claim_topic} claim_topic JOIN {topic} topic ON topic.id = claim_topic.topic_id
         WHERE claim_topic.claim_id = {claim}""",
        "history_records": """
        SELECT json_agg(json_build_array(change.from_status, change.to_status, change.changed_at,
                                         change.reason) ORDER BY change.changed_at, change.id)
          FROM {status_change} change
         WHERE change.claim_id = {claim}""",
        "citation_records": """
        SELECT json_agg(json_build_array(citation.source_id, source.title, source.outlet, source.url,
                                         source.published_on, citation.stance, citation.excerpt,
                                         citation.locator)
                        ORDER BY source.published_on NULLS LAST, citation.id)
          FROM {citation} citation JOIN {source} source ON source.id = citation.source_id
         WHERE citation.claim_id = {claim}""",
        "outgoing_records": """
        SELECT json_agg(json_build_array(relation.relation_type, relation.to_claim_id) ORDER BY relation.id)
          FROM {relation} relation JOIN {claim_table} other ON other.id = relation.to_claim_id
         WHERE relation.from_claim_id = {claim}{shown}""",
        "incoming_records": """
        SELECT json_agg(json_build_array(relation.relation_type, relation.from_claim_id) ORDER BY relation.id)
          FROM {relation} relation JOIN {claim_table} other ON other.id = relation.from_claim_id
         WHERE relation.to_claim_id = {claim}{shown}""",
    }.items()
}
SHOWN_TO_READERS = f" AND other.publication_state = '{PublicationState.PUBLISHED}'"


class Records(Func):
    """A claim's records of one kind, from one of `RECORDS`. psycopg2 reads JSON as Python lists,
    so the output field converts nothing."""

    output_field = models.Field()

    def __init__(self, sql, *, include_drafts):
        shown = "" if include_drafts else SHOWN_TO_READERS
        sql = sql.replace("{shown}", shown).replace("{claim}", "%(expressions)s")
        super().__init__(F("pk"), template=f"({sql})")


def claim_rows(claims, *, include_drafts):
    """The rows of `claims` (a queryset, filtered and ordered) that `claim_representations` reads:
    dicts of `CLAIM_COLUMNS`, `similarity` when `similar_to` ranked them, and on PostgreSQL the
    claims' `RECORDS` (relations with drafts only with `include_drafts`, for editors). The
    serializer's prefetches are left out."""
    columns = [*CLAIM_COLUMNS, *(["similarity"] if "similarity" in claims.query.annotations else [])]
    claims = claims.prefetch_related(None)
    if connection.vendor == "postgresql":
        claims = claims.annotate(
            **{name: Records(sql, include_drafts=include_drafts) for name, sql in RECORDS.items()}
        )
        columns += RECORDS
    return claims.values(*columns)


def claim_representations(rows, request, *, include_drafts):
    """What `ClaimSerializer(many=True)` shows of the claims of `rows` (from `claim_rows`), in their
    order. Rows without their records (SQLite) get them here, relations with drafts only with
    `include_drafts` (for editors), as `with_relations`; rows from PostgreSQL carry them, as
    `claim_rows` chose them with the same flag."""
    if rows and "topic_records" not in rows[0]:
        read_records(rows, include_drafts=include_drafts)
    # `api_url` reverses each view's URL once a request, then puts each id in its place.
    claim_url = partial(api_url, request, "api:claim-detail")
    actor_url = partial(api_url, request, "api:actor-detail")
    topic_url = partial(api_url, request, "api:topic-detail")
    source_url = partial(api_url, request, "api:source-detail")
    page_url = _page_link_maker(request)
    moment = _moment_maker()
    date = _date_maker()
    labels = {status.value: str(status.label) for status in EvidenceStatus}

    def claims_linked(records, incoming):
        links = {name: [] for (_, is_incoming), name in RELATION_FIELDS.items() if is_incoming == incoming}
        for relation_type, claim_id in records or ():
            links[RELATION_FIELDS[relation_type, incoming]].append(
                {"id": claim_id, "url": claim_url(claim_id)}
            )
        return links

    representations = []
    for row in rows:
        pk = row["id"]
        stated_on, precision = row["stated_on"], row["stated_on_precision"]
        status = row["evidence_status"]
        target_id = row["target_id"]
        similarity = row.get("similarity")
        linked = claims_linked(row["outgoing_records"], False) | claims_linked(row["incoming_records"], True)
        values = {
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
            "topics": [
                {"id": topic_id, "url": topic_url(topic_id), "slug": slug, "name": name}
                for topic_id, slug, name in row["topic_records"] or ()
            ],
            "evidence_status": {"code": status, "label": labels[status]},
            "rationale": row["rationale"],
            "status_history": [
                {
                    "from_status": {"code": from_status, "label": labels[from_status]},
                    "to_status": {"code": to_status, "label": labels[to_status]},
                    "changed_at": moment(datetime.datetime.fromisoformat(changed_at)),
                    "reason": reason,
                }
                for from_status, to_status, changed_at, reason in row["history_records"] or ()
            ],
            "attribution": row["attribution"],
            "citations": [
                {
                    "source_id": source_id,
                    "source": source_url(source_id),
                    "title": title,
                    "outlet": outlet,
                    "document_url": url or None,
                    "published_on": None
                    if published_on is None
                    else date(datetime.date.fromisoformat(published_on)),
                    "stance": stance,
                    "excerpt": excerpt,
                    "locator": locator,
                }
                for source_id, title, outlet, url, published_on, stance, excerpt, locator in (
                    row["citation_records"] or ()
                )
            ],
            **{name: linked[name] for name in RELATION_FIELDS.values()},
            "publication_state": row["publication_state"],
            "created_at": moment(row["created_at"]),
            "updated_at": moment(row["updated_at"]),
            "similarity": None if similarity is None else round(similarity, 3),
        }
        representations.append({name: values[name] for name in CLAIM_FIELDS})
    return representations


def read_records(rows, *, include_drafts):
    """Add to each of `rows` its claim's records, as `RECORDS` has PostgreSQL build them, read in
    four queries for all the rows: topics, status changes, citations with their sources, and
    relations either way (a reader's with published claims)."""
    records = {row["id"]: {name: [] for name in RECORDS} for row in rows}
    ids = list(records)
    for claim_id, *topic in (
        # In the prefetch's order: Topic's, by name.
        Claim.topics.through.objects.filter(claim_id__in=ids)
        .order_by("topic__name")
        .values_list("claim_id", "topic_id", "topic__slug", "topic__name")
    ):
        records[claim_id]["topic_records"].append(topic)
    for claim_id, from_status, to_status, changed_at, reason in (
        # In the model's order (changed_at, pk), as the prefetch reads them.
        EvidenceStatusChange.objects.filter(claim_id__in=ids).values_list(
            "claim_id", "from_status", "to_status", "changed_at", "reason"
        )
    ):
        records[claim_id]["history_records"].append([from_status, to_status, changed_at.isoformat(), reason])
    for claim_id, *citation, published_on, stance, excerpt, locator in (
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
        published_on = None if published_on is None else published_on.isoformat()
        records[claim_id]["citation_records"].append([*citation, published_on, stance, excerpt, locator])
    # A reader sees a relation when the claim at its other end is published too (the rows' own are).
    outgoing, incoming = Q(from_claim_id__in=ids), Q(to_claim_id__in=ids)
    if not include_drafts:
        published = Claim.objects.published()
        outgoing &= Exists(published.filter(pk=OuterRef("to_claim_id")))
        incoming &= Exists(published.filter(pk=OuterRef("from_claim_id")))
    for from_claim_id, relation_type, to_claim_id in (
        ClaimRelation.objects.filter(outgoing | incoming)
        .order_by("pk")
        .values_list("from_claim_id", "relation_type", "to_claim_id")
    ):
        if from_claim_id in records:
            records[from_claim_id]["outgoing_records"].append([relation_type, to_claim_id])
        if to_claim_id in records:
            records[to_claim_id]["incoming_records"].append([relation_type, from_claim_id])
    for row in rows:
        row.update(records[row["id"]])


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
