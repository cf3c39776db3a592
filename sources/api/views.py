from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import viewsets
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

from claims.models import Claim
from sources.models import Citation, Source
from tracker.api import Conflict, TrackerViewSetMixin, documented_resource

from .serializers import CitationSerializer, SourceSerializer


@documented_resource(SourceSerializer, "source")
class SourceViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.none()  # for the schema and the router; see get_queryset
    serializer_class = SourceSerializer
    ordering = ["id"]

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user).with_claim_count()


@documented_resource(CitationSerializer, "citation", editable=True)
class CitationViewSet(TrackerViewSetMixin, viewsets.ModelViewSet):
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    serializer_class = CitationSerializer
    ordering = ["id"]
    queryset = Citation.objects.none()

    def get_queryset(self):
        return Citation.objects.filter(claim__in=Claim.objects.visible_to(self.request.user))

    @transaction.atomic
    def perform_destroy(self, citation):
        Claim.objects.select_for_update().filter(pk=citation.claim_id).first()
        try:
            citation.check_can_be_removed()
        except DjangoValidationError as error:
            raise Conflict.naming("claim", error.messages) from None
        citation.delete()
