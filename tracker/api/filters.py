"""Filters and ordering: records named by slug or id, moments in UTC, orderings kept stable, and
unknown query parameters refused."""

import datetime

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.fields import IsoDateTimeField, ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from .errors import DOES_NOT_EXIST
from .negotiation import COMMON_PARAMETERS


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
