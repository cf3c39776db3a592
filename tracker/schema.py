"""The OpenAPI schema's view of the API (drf-spectacular)."""

from django.db.models import SlugField
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from .api import SLUG_PATTERN, RecordFilter


class TrackerAutoSchema(AutoSchema):
    """The schema says what the server enforces: reads of the resources that anonymous clients
    may read need no credentials (an empty security requirement beside the token and session)."""

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
        # A text field that may not be blank is stripped first (DRF's `trim_whitespace`): it needs
        # a character that is not white space, which `minLength: 1` alone does not say.
        elif isinstance(field, serializers.CharField) and not field.allow_blank and field.trim_whitespace:
            schema.setdefault("pattern", r"\S")
        return schema

    @staticmethod
    def _names_by_slug(field):
        model = field.queryset.model if field.queryset is not None else None
        return model is not None and isinstance(model._meta.get_field(field.slug_field), SlugField)


class StrictFilterBackendExtension(DjangoFilterExtension):
    """The filters' parameters, each allowing an empty value (`?kind=`, as the browsable API's
    filter form sends it, filters nothing, whatever the parameter's format), a record's slug
    shaped as a slug."""

    target_class = "tracker.api.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
            if isinstance(filter_field, RecordFilter):
                parameter["schema"]["pattern"] = SLUG_PATTERN
            if field_name in getattr(filterset_class, "deprecated_filters", ()):
                parameter["deprecated"] = True
        return parameters
