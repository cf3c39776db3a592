from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

from claims.api.views import TrackerViewSetMixin, documented_resource
from claims.models import Claim
from sources.models import Citation, Source

from .serializers import CitationSerializer, SourceSerializer


@documented_resource(SourceSerializer, "source")
class SourceViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.with_claim_count()
    serializer_class = SourceSerializer
    ordering = ["id"]


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
        claim = Claim.objects.select_for_update().get(pk=citation.claim_id)
        if claim.is_published and claim.citations.count() == 1:
            raise ValidationError(
                {"claim": "This is the claim's only citation; a published claim keeps one."}
            )
        citation.delete()
