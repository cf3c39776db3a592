"""The base of every resource's views, and the answers the schema documents for them."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.permissions import SAFE_METHODS

from ..caching import CachedAnonymousReadsMixin
from .fields import DetailSerializer
from .filters import StableOrderingFilter, StrictFilterBackend

ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="A parameter or field is not valid: each is named, with its messages.",
        examples=[OpenApiExample("A bad date", value={"stated_after": ["Enter a valid date."]})],
    ),
    429: OpenApiResponse(
        DetailSerializer, description="Too many requests; retry after `Retry-After` seconds."
    ),
}
NOT_FOUND = {404: OpenApiResponse(DetailSerializer, description="No such object, or not published.")}
# A request that names a record (`?speaker=`, `"claim": 7`, a cursor) which does not exist.
MISSING_RECORD = {
    404: OpenApiResponse(
        DetailSerializer,
        description="A record named in the request does not exist, or is not published: `detail`, "
        "and each parameter or field that names one, with its message.",
        examples=[
            OpenApiExample(
                "An unknown speaker",
                value={
                    "detail": "A record named in this request does not exist.",
                    "speaker": ["No actor has the slug 'nobody'."],
                },
            )
        ],
    )
}
WRITE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        DetailSerializer,
        description="What is stored refuses the change: a record with these values exists already, or the "
        "change would leave a published claim without a citation. `detail`, and each field with its message.",
    ),
    401: OpenApiResponse(DetailSerializer, description="No credentials: send `Authorization: Token <key>`."),
    403: OpenApiResponse(DetailSerializer, description="Only editors may write."),
    411: OpenApiResponse(
        DetailSerializer, description="A body must be sent with its length (Content-Length)."
    ),
    413: OpenApiResponse(DetailSerializer, description="The body is larger than the server takes."),
    415: OpenApiResponse(
        DetailSerializer, description="The body is not JSON (`Content-Type: application/json`)."
    ),
}


def documented_resource(serializer, name, *, editable=False):
    """OpenAPI summaries and responses for a resource's standard actions."""
    actions = {
        "list": extend_schema(
            summary=f"List {name}s", responses={200: serializer(many=True), **ERRORS, **MISSING_RECORD}
        ),
        "retrieve": extend_schema(summary=f"One {name}", responses={200: serializer, **ERRORS, **NOT_FOUND}),
    }
    if editable:
        changed = {200: serializer, **WRITE_ERRORS, **NOT_FOUND}
        actions |= {
            "create": extend_schema(
                summary=f"Create a {name} (editors)",
                responses={201: serializer, **WRITE_ERRORS, **MISSING_RECORD},
            ),
            "update": extend_schema(summary=f"Replace a {name} (editors)", responses=changed),
            "partial_update": extend_schema(summary=f"Change a {name} (editors)", responses=changed),
            "destroy": extend_schema(
                summary=f"Remove a {name} (editors)", responses={204: None, **WRITE_ERRORS, **NOT_FOUND}
            ),
        }
    return extend_schema_view(**actions)


class TrackerViewSetMixin(CachedAnonymousReadsMixin):
    filter_backends = [StrictFilterBackend, StableOrderingFilter]
    ordering_fields = ["id"]
    # Any id reaches the view, so that a malformed one ("1.5", "abc") is the API's JSON 404.
    lookup_value_regex = r"[^/]+"

    @property
    def _ignore_model_permissions(self):
        # DRF's model permissions ask none for a read, but find the model by building the view's
        # whole queryset: most of the time of an answer from the cache.
        return self.request.method in SAFE_METHODS

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        # A write is one transaction: one that fails half-way (DRF's error answers roll it back)
        # or whose client is gone mid-request leaves nothing behind.
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)
