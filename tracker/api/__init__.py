"""What every resource of the REST API shares, one concern a module: content negotiation
(`negotiation`), error answers (`errors`), filters and ordering (`filters`), cursor pagination
(`pagination`), throttles (`throttles`), CSV and JSON Lines files (`files`), links (`links`), shared
serializer fields (`fields`), the base of the views with their documented answers (`views`), and
the fast JSON renderer (`renderers`). The apps import these names from here."""

from .errors import Conflict, api_exception_handler
from .fields import DetailSerializer, StrictCharField
from .files import (
    FORMULA_TRIGGERS,
    CSVRenderer,
    JSONLinesRenderer,
    csv_response,
    jsonl_response,
    streamed_file,
)
from .filters import SLUG_PATTERN, MomentFilter, RecordFilter, StrictFilterBackend
from .links import HyperlinkedIdentityField, HyperlinkedRelatedField, OptionalURLField, PageUrlField, api_url
from .negotiation import StrictContentNegotiation
from .pagination import StableCursorPagination
from .renderers import FastJSONRenderer
from .throttles import AnonymousThrottle, AuthenticatedThrottle, SignInThrottle
from .views import ERRORS, MISSING_RECORD, NOT_FOUND, WRITE_ERRORS, TrackerViewSetMixin, documented_resource

__all__ = [
    "ERRORS",
    "FORMULA_TRIGGERS",
    "MISSING_RECORD",
    "NOT_FOUND",
    "SLUG_PATTERN",
    "WRITE_ERRORS",
    "AnonymousThrottle",
    "AuthenticatedThrottle",
    "CSVRenderer",
    "Conflict",
    "DetailSerializer",
    "FastJSONRenderer",
    "HyperlinkedIdentityField",
    "HyperlinkedRelatedField",
    "JSONLinesRenderer",
    "MomentFilter",
    "OptionalURLField",
    "PageUrlField",
    "RecordFilter",
    "SignInThrottle",
    "StableCursorPagination",
    "StrictCharField",
    "StrictContentNegotiation",
    "StrictFilterBackend",
    "TrackerViewSetMixin",
    "api_exception_handler",
    "api_url",
    "csv_response",
    "documented_resource",
    "jsonl_response",
    "streamed_file",
]
