from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

from claims.api.views import ERRORS, NOT_FOUND, WRITE_ERRORS, TrackerViewSetMixin
from claims.models import Claim
from sources.models import Citation, Source

from .serializers import CitationSerializer, SourceSerializer


@extend_schema_view(
    list=extend_schema(summary="List sources", responses={200: SourceSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="A source", responses={200: SourceSerializer, **ERRORS, **NOT_FOUND}),
)
class SourceViewSet(TrackerViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.with_claim_count()
    serializer_class = SourceSerializer
    ordering = ["id"]


@extend_schema_view(
    list=extend_schema(summary="List citations", responses={200: CitationSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="A citation", responses={200: CitationSerializer, **ERRORS, **NOT_FOUND}),
    create=extend_schema(
        summary="Cite a source for a claim (editors)", responses={201: CitationSerializer, **WRITE_ERRORS}
    ),
    update=extend_schema(
        summary="Replace a citation (editors)",
        responses={200: CitationSerializer, **WRITE_ERRORS, **NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Change a citation (editors)",
        responses={200: CitationSerializer, **WRITE_ERRORS, **NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Remove a citation (editors)", responses={204: None, **WRITE_ERRORS, **NOT_FOUND}
    ),
)
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
