from django.db import transaction
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import BasePagination
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from claims.models import Actor, Claim, ClaimRelation, ClaimTombstone, Topic
from claims.operations import delete_relation
from tracker.api import (
    ERRORS,
    MISSING_RECORD,
    NOT_FOUND,
    WRITE_ERRORS,
    CSVRenderer,
    DetailSerializer,
    FastJSONRenderer,
    JSONLinesRenderer,
    StableCursorPagination,
    TrackerViewSetMixin,
    documented_resource,
)

from .export import FORMATS, export_response
from .filters import ActorFilterSet, ClaimFilterSet, ClaimTombstoneFilterSet, TopicFilterSet
from .representation import claim_representations, claim_rows
from .serializers import (
    ActorDetailSerializer,
    ActorSerializer,
    ClaimRelationSerializer,
    ClaimSerializer,
    ClaimTombstoneSerializer,
    ClaimWriteSerializer,
    TopicSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The `ETag` of the version you read: the change is refused (412) if the claim changed "
    "since, so no one's edit is silently lost. Optional, and recommended.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="An `ETag` you hold."
)
STALE = {
    412: OpenApiResponse(
        DetailSerializer, description="The claim changed since the version in `If-Match`: read it again."
    )
}


DUPLICATE = {
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="The claim reads like one already recorded: `likely_duplicates` lists them (id, url, "
        "summary, similarity). Cite the source on that claim instead, or confirm with "
        "`confirm_not_duplicate: true`. Or its slug is taken: `detail`, and `slug` with its message.",
    )
}


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description="Published claims, newest first, 50 a page (`page_size` up to 500). "
        "Add `format=csv` for every matching claim as one streamed CSV file, one row a claim, or "
        "`format=jsonl` for JSON Lines (`application/x-ndjson`), one JSON object a line with the "
        "CSV's columns as keys (ids as numbers, `topics` as a list, null for no target or source). "
        "Either is sent as it is read, in chunked transfer encoding (HTTP/1.1): if it fails "
        "half-way, the connection is aborted without the final, empty chunk, so a download that "
        "your client reports as ended cleanly is complete; one that it reports as cut "
        '(curl: exit 18, "transfer closed with outstanding read data remaining") is not. '
        "No row count is sent ahead: counting the claims would take about as long as the export.",
        responses={
            (200, "application/json"): ClaimSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="With `format=csv`: every claim, a header row first; a cell that a "
                "spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a "
                "carriage return) is prefixed with `'`.",
            ),
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR,
                description="With `format=jsonl`: every claim, one JSON object a line, texts as "
                "written (no formula prefix).",
            ),
            **{(code, "application/json"): response for code, response in (ERRORS | MISSING_RECORD).items()},
        },
    ),
    retrieve=extend_schema(
        summary="A claim",
        description="The `ETag` header names this version of the claim; send it back in `If-Match` "
        "when you change the claim, or in `If-None-Match` for a 304 when nothing changed.",
        parameters=[IF_NONE_MATCH],
        responses={
            200: ClaimSerializer,
            304: OpenApiResponse(description="Not modified since the version in If-None-Match."),
            **ERRORS,
            **NOT_FOUND,
        },
    ),
    create=extend_schema(
        summary="Create a claim (editors)",
        request=ClaimWriteSerializer,
        responses={201: ClaimSerializer, **WRITE_ERRORS, **DUPLICATE, **MISSING_RECORD},
    ),
    update=extend_schema(
        summary="Replace a claim (editors)",
        request=ClaimWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ClaimSerializer, **WRITE_ERRORS, **NOT_FOUND, **STALE, **DUPLICATE},
    ),
    partial_update=extend_schema(
        summary="Change a claim (editors)",
        request=ClaimWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ClaimSerializer, **WRITE_ERRORS, **NOT_FOUND, **STALE, **DUPLICATE},
    ),
)
class ClaimViewSet(
    TrackerViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    filterset_class = ClaimFilterSet
    ordering_fields = ["stated_on", "updated_at", "id"]
    queryset = Claim.objects.none()  # for the schema and permissions; see get_queryset
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @property
    def ranks_by_similarity(self):
        return bool(self.request.query_params.get("similar_to", "").strip())

    @property
    def ordering(self):
        # `?similar_to=` ranks the claims: the ranking is their order, unless `ordering` asks for another.
        return None if self.ranks_by_similarity else ["-stated_on"]

    @property
    def paginator(self):
        if self.ranks_by_similarity:
            return RankedPagination()
        return super().paginator

    def get_queryset(self):
        user = self.request.user
        # The search vector is for filtering only: a few kilobytes a claim that no reader sees.
        claims = Claim.objects.visible_to(user).with_related().defer("search_vector")
        return claims.with_evidence(include_drafts=user.has_perm("claims.view_claim"))

    def get_serializer_class(self):
        return ClaimSerializer if self.action in ("list", "retrieve") else ClaimWriteSerializer

    def get_renderers(self):
        renderers = super().get_renderers()
        exports = [CSVRenderer(), JSONLinesRenderer()]
        return [*renderers, *exports] if self.action == "list" else renderers

    @property
    def reads_lean(self):
        """Whether this read's JSON is built from rows (`representation`) rather than by
        `ClaimSerializer`, which shows the same: for JSON without a format suffix, whose links
        the serializer would suffix too. The browsable API shows the serializer's."""
        return isinstance(self.request.accepted_renderer, FastJSONRenderer) and not self.format_kwarg

    @property
    def includes_drafts(self):
        return self.request.user.has_perm("claims.view_claim")

    def rows(self):
        """The claims this request reads, filtered, as rows for `represent`."""
        claims = self.filter_queryset(Claim.objects.visible_to(self.request.user))
        return claim_rows(claims, include_drafts=self.includes_drafts)

    def represent(self, rows):
        return claim_representations(rows, self.request, include_drafts=self.includes_drafts)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format in FORMATS:
            claims = self.filter_queryset(Claim.objects.visible_to(request.user))
            return export_response(claims, request, request.accepted_renderer.format)
        if not self.reads_lean:
            return super().list(request, *args, **kwargs)
        # The paginator picks the page's rows, as it would pick the claims.
        rows = self.rows()
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(self.represent(list(rows)))
        return self.get_paginated_response(self.represent(page))

    def handle_exception(self, exc):
        # Errors are JSON, even for an export: a client reads them the same way everywhere.
        if (
            getattr(self.request, "accepted_renderer", None)
            and self.request.accepted_renderer.format in FORMATS
        ):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def retrieve(self, request, *args, **kwargs):
        if not self.reads_lean:
            claim = self.get_object()
            return versioned_response(request, claim_etag(claim), lambda: self.get_serializer(claim).data)
        # As `get_object`, on the claim's row: a 304 runs this one query and nothing more.
        row = get_object_or_404(self.rows(), pk=self.kwargs["pk"])
        self.check_object_permissions(request, row)
        etag = version_etag(row["id"], row["updated_at"])
        return versioned_response(request, etag, lambda: self.represent([row])[0])

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = claim_etag(Claim.objects.only("updated_at").get(pk=response.data["id"]))
        return response

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        claim = self.get_object()
        stored = Claim.objects.select_for_update().only("updated_at").get(pk=claim.pk)
        expected = request.headers.get("If-Match")
        if expected is not None and not etag_matches(expected, claim_etag(stored)):
            raise PreconditionFailed()
        response = super().update(request, *args, **kwargs)
        response["ETag"] = claim_etag(Claim.objects.only("updated_at").get(pk=claim.pk))
        return response


class RankedPagination(BasePagination):
    """The first page of a ranked list, and no other (the ranking is bounded: `similar_to` finds at
    most `SIMILAR_CLAIMS_LIMIT` claims): `page_size` as the cursor pages read it, in the same shape,
    with no `next` or `previous` link."""

    def paginate_queryset(self, queryset, request, view=None):
        return list(queryset[: StableCursorPagination().get_page_size(request)])

    def get_paginated_response(self, data):
        return Response({"next": None, "previous": None, "results": data})


def versioned_response(request, etag, representation):
    """A 304 when the client holds this version (`etag`) already, else `representation()`; both
    with the ETag."""
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(representation(), headers={"ETag": etag})


def claim_etag(claim):
    """The version of a claim's representation: `updated_at` moves whenever anything it shows does."""
    return version_etag(claim.pk, claim.updated_at)


def version_etag(pk, updated_at):
    return quote_etag(f"{pk}-{updated_at.timestamp():.6f}")


def etag_matches(if_match, etag):
    tags = parse_etags(if_match)
    return "*" in tags or etag in tags


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This claim changed since the version in If-Match: GET it again (its ETag header names the "
        "current version), apply your change to that, and send the new ETag."
    )
    default_code = "precondition_failed"


@extend_schema_view(
    retrieve=extend_schema(
        summary="One actor, with its record", responses={200: ActorDetailSerializer, **ERRORS, **NOT_FOUND}
    )
)
@documented_resource(ActorSerializer, "actor")
class ActorViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Actor.objects.none()  # for the schema and the router; see get_queryset
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    ordering = ["id"]

    def get_serializer_class(self):
        return ActorDetailSerializer if self.action == "retrieve" else ActorSerializer

    def get_queryset(self):
        actors = Actor.objects.visible_to(self.request.user).select_related("affiliation")
        return (
            actors if self.request.user.has_perm("claims.view_claim") else actors.with_public_affiliations()
        )


@documented_resource(TopicSerializer, "topic")
class TopicViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Topic.objects.none()  # for the schema and the router; see get_queryset
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    ordering = ["id"]

    def get_queryset(self):
        return Topic.objects.visible_to(self.request.user)


@documented_resource(ClaimRelationSerializer, "relation", editable=True)
class ClaimRelationViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    serializer_class = ClaimRelationSerializer
    ordering = ["id"]
    queryset = ClaimRelation.objects.none()

    def get_queryset(self):
        if self.request.user.has_perm("claims.view_claim"):
            return ClaimRelation.objects.all()
        return ClaimRelation.objects.between_published()

    def perform_destroy(self, relation):
        delete_relation(relation, by=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List withdrawn and merged claims (tombstones)",
        description="Claims that were published and are no longer public: `withdrawn` (back to draft) "
        "or `merged` into the claim `merged_into`. A replica deletes each; a claim published again "
        "loses its tombstone and comes back in `claims/` with a new `updated_at`. Oldest first; "
        "`updated_since` gives those removed at or after a moment.",
        responses={200: ClaimTombstoneSerializer(many=True), **ERRORS, **MISSING_RECORD},
    )
)
class ClaimTombstoneViewSet(TrackerViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = ClaimTombstone.objects.select_related("merged_into")
    serializer_class = ClaimTombstoneSerializer
    filterset_class = ClaimTombstoneFilterSet
    ordering_fields = ["removed_at"]
    ordering = ["removed_at"]
