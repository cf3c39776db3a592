"""Links: API URLs reversed once a request and filled in for each record, and pages' URLs."""

from django.urls import NoReverseMatch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.reverse import reverse

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
