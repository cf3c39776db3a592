"""Cursor pagination in a stable order, whatever the list's ordering."""

import datetime
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.pagination import CursorPagination

from ..pages import rows_after
from .errors import DOES_NOT_EXIST
from .filters import reversed_ordering


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
