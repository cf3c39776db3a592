"""What every resource of the REST API shares: pagination, ordering, strict query parameters,
errors, throttling, the CSV format, links, and the base of its views with their documented
answers."""

import csv
import datetime
import io
import json
import math
from itertools import islice

import django_filters
import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.urls import NoReverseMatch
from django_filters.fields import IsoDateTimeField, ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import APIException, ErrorDetail, NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)
from rest_framework.views import exception_handler

from .caching import CachedAnonymousReadsMixin
from .clients import client_address
from .pages import rows_after

# Query parameters that every list understands, beside its own filters.
COMMON_PARAMETERS = {"cursor", "page_size", "ordering", "format"}


class StrictContentNegotiation(DefaultContentNegotiation):
    """An unknown `format` is a 400 naming it, not a bare 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError({"format": [f"Unknown format. Known: {known}."]}) from None


# The error code of a request that names a record which does not exist (or which the client may not
# see): DRF's own for related fields, ours for filters and cursors.
DOES_NOT_EXIST = "does_not_exist"


class Conflict(APIException):
    """A 409: the request is well formed, and what is stored refuses it."""

    status_code = 409
    default_code = "conflict"

    @classmethod
    def naming(cls, field, messages):
        return cls({"detail": " ".join(messages), field: messages})


# A request whose only faults have these codes is well formed: what it names is missing, or what it
# would write exists already. Its answer is the status of that, not a 400.
ANSWER_WHEN_THE_ONLY_FAULT = {
    DOES_NOT_EXIST: (NotFound, "A record named in this request does not exist."),
    "unique": (Conflict, "A record with these values exists already."),
}


def api_exception_handler(exc, context):
    """DRF's handler, except that a request whose only faults are naming a record that does not
    exist is a 404, as for an unknown id in the URL, and one that would duplicate a unique record a
    409 (a 404 when it does both); each keeps every field named beside a `detail`."""
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
        codes = set(_leaves(exc.get_codes()))
        if codes and codes <= set(ANSWER_WHEN_THE_ONLY_FAULT):
            # Both kinds at once: the missing record first, as a 404 would say of the URL.
            code = DOES_NOT_EXIST if DOES_NOT_EXIST in codes else codes.pop()
            exception_class, detail = ANSWER_WHEN_THE_ONLY_FAULT[code]
            exc = exception_class({"detail": detail, **exc.detail})
    return exception_handler(exc, context)


def _leaves(codes):
    if isinstance(codes, dict):
        return [code for nested in codes.values() for code in _leaves(nested)]
    if isinstance(codes, list):
        return [code for nested in codes for code in _leaves(nested)]
    return [codes]


class RecordChoiceField(ModelChoiceField):
    """A filter's choice of a record by slug; an unknown slug says so with `DOES_NOT_EXIST`."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except DjangoValidationError as error:
            if error.code != "invalid_choice":
                raise
            name = self.queryset.model._meta.verbose_name
            # Django formats a message with its params: the value goes in as one, never into the
            # message itself, where a `%` it holds would be read as a format.
            raise DjangoValidationError(
                "No %(name)s has the slug %(value)r.",
                code=DOES_NOT_EXIST,
                params={"name": name, "value": value},
            ) from None


# What Django's SlugField accepts. Ended by a look-ahead rather than `$`, which in Python (as
# schemathesis reads patterns) also matches before a final newline that Django refuses.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+(?![\s\S])"


class RecordFilter(django_filters.ModelChoiceFilter):
    """Filters by the slug of a related record: `?speaker=alexander-grushko`."""

    field_class = RecordChoiceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="slug", **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, in UTC: any offset is valid ISO, not every one is PostgreSQL's."""

    def to_python(self, value):
        moment = super().to_python(value)
        try:
            return moment.astimezone(datetime.UTC) if moment else moment
        except OverflowError:
            raise DjangoValidationError(
                "Enter a date and time within years 1 to 9999.", code="invalid"
            ) from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    """Records at or after an ISO 8601 date-time (`?updated_since=2020-11-22T00:00:00Z`)."""

    field_class = UTCDateTimeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, lookup_expr="gte", **kwargs)


class StableCursorPagination(CursorPagination):
    """Cursor pagination whose pages stay consistent while rows are added or changed, and cost the
    same however deep they are.

    A cursor holds the values of every ordering field (ties broken by the id) of the row a page
    follows, and the page is read from just after it, along the index that orders the rows. DRF's
    own cursor holds the first field's value only, and skips the rows it shares with those already
    seen: an offset that grows with the rows of one date, which a million claims made hundreds.
    A cursor written that way, in a link handed out before, is still followed.

    A cursor that names no page is a 404 naming `cursor`, with a message saying where cursors come
    from (DRF's own is a bare "Invalid cursor").
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-id",)
    invalid_cursor_message = "This cursor is not valid: use the `next` or `previous` link of a page."

    def paginate_queryset(self, queryset, request, view=None):
        """The page the cursor points at: DRF's, with the rows after a position read by their
        ordering fields' values (`following`)."""
        self.request, self.model = request, queryset.model
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        offset, reverse, position = self.cursor or (0, False, None)
        ordering = reversed_ordering(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(self.following(ordering, position))
        rows = list(queryset[offset : offset + self.page_size + 1])
        self.page = rows[: self.page_size]
        following = (
            self._get_position_from_instance(rows[-1], self.ordering) if rows[self.page_size :] else None
        )
        has_preceding = position is not None or offset > 0
        if reverse:
            self.page.reverse()
            self.has_next, self.next_position = has_preceding, position
            self.has_previous, self.previous_position = following is not None, following
        else:
            self.has_next, self.next_position = following is not None, following
            self.has_previous, self.previous_position = has_preceding, position
        self.display_page_controls = (self.has_previous or self.has_next) and self.template is not None
        return self.page

    def _get_position_from_instance(self, instance, ordering):
        values = [
            instance[name] if isinstance(instance, dict) else getattr(instance, name)
            for name in (order.lstrip("-") for order in ordering)
        ]
        return json.dumps([str(value) for value in values], separators=(",", ":"))

    def following(self, ordering, position):
        """The rows after `position` in `ordering` (`rows_after`). A position of one value (DRF's)
        bounds the first field only, and the cursor's offset skips the rows that share it."""
        values = self.position_values(position)
        if len(values) == 1 and len(ordering) > 1:
            first = ordering[0]
            return Q(**{f"{first.lstrip('-')}__{'lt' if first.startswith('-') else 'gt'}": values[0]})
        return rows_after(ordering, values)

    def position_values(self, position):
        """The typed values a position holds (a JSON list of texts), one for each ordering field;
        or one value for the first field, as DRF's cursors hold. Anything else is not a cursor."""
        texts = json.loads(position) if position.startswith("[") else [position]
        names = [order.lstrip("-") for order in self.ordering]
        if (
            not isinstance(texts, list)
            or len(texts) not in {1, len(names)}
            or not all(isinstance(text, str) for text in texts)
        ):
            raise self.invalid_cursor()
        try:
            values = [
                self.model._meta.get_field(name).to_python(text)
                for name, text in zip(names, texts, strict=False)
            ]
            # In UTC, as the database compares them: a moment near year 1 or 9999 may not be one.
            return [
                value.astimezone(datetime.UTC)
                if isinstance(value, datetime.datetime) and value.tzinfo
                else value
                for value in values
            ]
        except (DjangoValidationError, OverflowError):
            raise self.invalid_cursor() from None

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
            try:
                size = int(value)
            except ValueError:
                size = 0
            if not 1 <= size <= self.max_page_size:
                raise ValidationError(
                    {"page_size": [f"A whole number from 1 to {self.max_page_size}, not {value!r}."]}
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
            if parameter["name"] == self.cursor_query_param:
                # Any text but a NUL, which no query parameter may hold (tracker.middleware).
                parameter["schema"]["pattern"] = r"^[^\u0000]*$"
        return parameters

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                self.position_values(cursor.position)
        except Exception:  # DRF raises NotFound; binascii, unicode and JSON errors slip through too
            raise self.invalid_cursor() from None
        return cursor

    def invalid_cursor(self):
        return ValidationError({"cursor": [ErrorDetail(self.invalid_cursor_message, code=DOES_NOT_EXIST)]})


def reversed_ordering(ordering):
    return [order.removeprefix("-") if order.startswith("-") else f"-{order}" for order in ordering]


class StableOrderingFilter(OrderingFilter):
    """`ordering` with a 400 for an unknown field and `id` to break ties, so pages never overlap."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len(fields):
            allowed = ", ".join(f"{name}, -{name}" for name in view.ordering_fields)
            raise ValidationError({"ordering": [f"Order by one of: {allowed}."]})
        return valid

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        tie_breaker = "-id" if ordering[0].startswith("-") else "id"
        return (*ordering, tie_breaker) if ordering[0].lstrip("-") != "id" else tuple(ordering)

    def get_schema_operation_parameters(self, view):
        """The orderings the server accepts, listed: one or more, comma-separated."""
        choices = [order for name in view.ordering_fields for order in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by these fields, comma-separated; `-` for descending. "
                "Ties are broken by id.",
                "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
                "style": "form",
                "explode": False,
                "allowEmptyValue": True,
            }
        ]


class StrictFilterBackend(DjangoFilterBackend):
    """Filters, plus a 400 for a query parameter that no filter knows (a typo filters nothing)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        unknown = sorted(set(request.query_params) - known - COMMON_PARAMETERS)
        if unknown:
            known_list = ", ".join(sorted(known | COMMON_PARAMETERS))
            raise ValidationError({name: [f"Unknown parameter. Known: {known_list}."] for name in unknown})
        if not set(request.query_params) & known:
            # No filter asked for: the filter set would change nothing, at the cost of building its
            # form and the choices of its record filters on every request.
            return queryset
        return super().filter_queryset(request, queryset, view)


class ReadThrottleMixin:
    """Rates read from the settings at request time, so that they can be changed without a restart
    of the class attributes (and in tests); clients counted by `client_address`."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)


class WindowCountThrottle(SimpleRateThrottle):
    """A client's requests counted in windows of the rate's duration, each starting at the
    client's first request after the last one ended: the cache holds two numbers a client. (DRF's
    own keeps the time of every request in the window and reads and writes them all at each
    request, which at a high rate costs more than the answer.) With Redis down, the counts are
    each process's own (tracker.fallback_cache)."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        started, count = self.cache.get(self.key) or (now, 0)
        if now - started >= self.duration:
            started, count = now, 0
        self.seconds_left = started + self.duration - now
        if count >= self.num_requests:
            return self.throttle_failure()
        self.cache.set(self.key, (started, count + 1), math.ceil(self.seconds_left))
        return True

    def wait(self):
        return self.seconds_left


class AnonymousThrottle(ReadThrottleMixin, AnonRateThrottle, WindowCountThrottle):
    pass


class SignInThrottle(ReadThrottleMixin, ScopedRateThrottle, WindowCountThrottle):
    """Sign-in attempts per address (the view's `throttle_scope`), on top of the lockouts."""


class AuthenticatedThrottle(ReadThrottleMixin, UserRateThrottle, WindowCountThrottle):
    """Signed-in clients, per account; anonymous ones are the AnonymousThrottle's alone."""

    def allow_request(self, request, view):
        if not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


class CSVRenderer(BaseRenderer):
    """Marks `?format=csv`; the view streams the rows itself (see `csv_response`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by the view, not rendered")


class JSONLinesRenderer(BaseRenderer):
    """Marks `?format=jsonl`: JSON Lines, one JSON object a line, streamed by the view (see
    `jsonl_response`). Served as `application/x-ndjson`, the type that tools which read a stream
    of JSON objects (Elasticsearch, Kibana, jq users' HTTP clients) know; `application/jsonl` is
    only proposed. JSON is UTF-8, so the type takes no charset."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("JSON Lines are streamed by the view, not rendered")


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(row):
    """The row's cells as text, a cell that a spreadsheet would run prefixed with a quote."""
    cells = ["" if value is None else str(value) for value in row]
    return [f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell for cell in cells]


def csv_response(header, rows, filename, rows_per_chunk=500):
    """Stream `rows` (an iterable of lists) as CSV: memory stays flat however many rows there are.

    The header goes out at once; then rows go `rows_per_chunk` at a time, so that each chunk is
    worth a write to the client (a chunk a row cost more than writing the row)."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(neutralised(header))
        yield buffer.getvalue()
        rows_left = iter(rows)
        while batch := list(islice(rows_left, rows_per_chunk)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(map(neutralised, batch))
            yield buffer.getvalue()

    return streamed_file(chunks(), CSVRenderer, filename)


def jsonl_response(objects, filename, objects_per_chunk=500):
    """Stream `objects` (an iterable of dicts) as JSON Lines, compact and in UTF-8 as written, a
    line an object, `objects_per_chunk` at a time: memory stays flat."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def chunks():
        objects_left = iter(objects)
        while batch := list(islice(objects_left, objects_per_chunk)):
            yield "".join(f"{encode(item)}\n" for item in batch)

    return streamed_file(chunks(), JSONLinesRenderer, filename)


def streamed_file(chunks, renderer, filename):
    """A download of `chunks`, sent as they come: its length is not known before the end, so it
    goes out in HTTP/1.1's chunked encoding, whose last, empty chunk tells a complete download
    from one that a failure cut short (the chunks' generator raises: the connection is aborted)."""
    content_type = renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else "")
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StrictCharField(serializers.CharField):
    """A text, and only a text: DRF's CharField takes a number (`"outlet": 0`) as "0", which the
    schema, saying `string`, does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DetailSerializer(serializers.Serializer):
    """A 401, 403, 404 or 429's body."""

    detail = serializers.CharField()


# --- Links ---------------------------------------------------------------------------------------


# Stands in for an object's id while a view's URL is reversed once, to make a template of it.
URL_PLACEHOLDER = "0placeholder0"


def api_url(request, view_name, pk, lookup_url_kwarg="pk"):
    """The absolute URL of `view_name` for the object `pk`, as DRF's `reverse` makes it.

    A page of claims links to hundreds of objects, and reversing each link cost more than the rest
    of its serialisation: the view's URL is reversed once a request, with a placeholder, and every
    integer id is put in its place (an id of digits is what `reverse` would write anyway)."""
    if type(pk) is not int:
        return reverse(view_name, kwargs={lookup_url_kwarg: pk}, request=request)
    templates = request.__dict__.setdefault("_api_url_templates", {})
    template = templates.get((view_name, lookup_url_kwarg))
    if template is None:
        try:
            url = reverse(view_name, kwargs={lookup_url_kwarg: URL_PLACEHOLDER}, request=request)
        except NoReverseMatch:  # the URL pattern takes ids only: reverse each one
            url = ""
        template = templates[view_name, lookup_url_kwarg] = url.split(URL_PLACEHOLDER)
    if len(template) != 2:
        return reverse(view_name, kwargs={lookup_url_kwarg: pk}, request=request)
    return f"{template[0]}{pk}{template[1]}"


class TemplatedUrlMixin:
    """A hyperlink field that builds its URLs with `api_url`."""

    def get_url(self, obj, view_name, request, format):
        pk = getattr(obj, self.lookup_field)
        if format or type(pk) is not int:
            return super().get_url(obj, view_name, request, format)
        return api_url(request, view_name, pk, self.lookup_url_kwarg)


class HyperlinkedIdentityField(TemplatedUrlMixin, serializers.HyperlinkedIdentityField):
    pass


class HyperlinkedRelatedField(TemplatedUrlMixin, serializers.HyperlinkedRelatedField):
    pass


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.context["request"].build_absolute_uri(instance.get_absolute_url())


class OptionalURLField(serializers.URLField):
    """A URL, or null where none is known (never an empty string)."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


# --- Views and their documented answers --------------------------------------------------------


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


# --- Fast JSON ------------------------------------------------------------------------------------


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON, written by orjson: the same bytes, several times faster for a page of claims.

    Compact, UTF-8, with U+2028 and U+2029 escaped as DRF escapes them; dates, times and whatever
    orjson does not write itself go through DRF's encoder, as they would. Two spellings differ from
    `json.dumps`, for values the claims never hold: a float under 1e-4 or from 1e16 up (0.00001
    and 1e16, not 1e-05 and 1e+16: the same numbers), and NaN or an infinity (null, where DRF's
    strict JSON refuses it). An indent (`Accept: application/json; indent=4`, the browsable API),
    ASCII-only settings, or a value orjson refuses (an integer beyond 64 bits, a key that is not
    text) go to `json.dumps`."""

    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            data is None
            or not self.compact
            or self.ensure_ascii
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=self.encoder_class().default, option=self.options)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        return content.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
