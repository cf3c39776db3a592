"""The OpenAPI schema's view of the API (drf-spectacular)."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly


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
