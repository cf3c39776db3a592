"""The OpenAPI schema's view of the API (drf-spectacular)."""

import django_filters
from django.db.models import SlugField
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from .api import SLUG_PATTERN, RecordFilter

DRF_SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Text fields whose validators give their own pattern.
PATTERNED_FIELDS = (serializers.SlugField, serializers.RegexField)
# Texts as DRF's CharField takes them: no null character; and one that is not white space.
TEXT = r"^[^\u0000]*$"
TEXT_WITH_A_CHARACTER = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


class TrackerAutoSchema(AutoSchema):
    """The schema says what the server enforces: reads of the resources that anonymous clients
    may read need no credentials (an empty security requirement beside the token and session),
    and a text sent is one the server takes (its patterns below)."""

    def get_auth(self):
        auths = super().get_auth()
        permissions = {type(permission) for permission in self.view.get_permissions()}
        anonymous_read = DjangoModelPermissionsOrAnonReadOnly in permissions and self.method in SAFE_METHODS
        if anonymous_read and {} not in auths:
            auths.append({})
        return auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or schema.get("type") != "string":
            return schema
        if isinstance(field, serializers.SlugRelatedField) and self._names_by_slug(field):
            schema["pattern"] = SLUG_PATTERN
        elif isinstance(field, serializers.CharField) and not isinstance(field, PATTERNED_FIELDS):
            # DRF refuses a null character in any text. A text that may not be blank is stripped
            # first (`trim_whitespace`): it needs a character that is not white space, which
            # `minLength: 1` alone does not say.
            must_show_text = not field.allow_blank and field.trim_whitespace
            schema["pattern"] = TEXT_WITH_A_CHARACTER if must_show_text else TEXT
        return schema

    @staticmethod
    def _names_by_slug(field):
        model = field.queryset.model if field.queryset is not None else None
        return model is not None and isinstance(model._meta.get_field(field.slug_field), SlugField)


def exact_slug_patterns(result, generator, request, public):
    """A postprocessing hook: drf-spectacular's slug pattern (`$`-ended) replaced by `SLUG_PATTERN`
    throughout the schema."""
    return _with_exact_slug_patterns(result)


def _with_exact_slug_patterns(schema):
    if isinstance(schema, dict):
        return {
            key: SLUG_PATTERN
            if key == "pattern" and value == DRF_SLUG_PATTERN
            else _with_exact_slug_patterns(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_with_exact_slug_patterns(item) for item in schema]
    return schema


class StrictFilterBackendExtension(DjangoFilterExtension):
    """The filters' parameters, each allowing an empty value (`?kind=`, as the browsable API's
    filter form sends it, filters nothing, whatever the parameter's format), a record's slug
    shaped as a slug."""

    target_class = "tracker.api.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            if isinstance(filter_field, RecordFilter):
                parameter["schema"]["pattern"] = SLUG_PATTERN
            elif isinstance(filter_field, django_filters.CharFilter):
                parameter["schema"]["pattern"] = TEXT
            if field_name in getattr(filterset_class, "deprecated_filters", ()):
                parameter["deprecated"] = True
        return parameters
