"""Which renderer answers a request, and which query parameters every list understands."""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

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
