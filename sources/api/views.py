from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Claim
from sources.importing.review import client_has_gone, review_article
from sources.models import Citation, Source
from tracker.api import WRITE_ERRORS, Conflict, TrackerViewSetMixin, documented_resource
from tracker.parsers import BoundedJSONParser

from .serializers import ArticleImportSerializer, CitationSerializer, SourceSerializer


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


class MayAddClaims(IsAuthenticated):
    """Editors: those who may add claims."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm("claims.add_claim")


class ArticleImportView(APIView):
    """The importer, for scripts: the claims an article attributes to someone. Writes no claim (only
    the re-ranking vectors its searches compute for recorded claims that had none)."""

    permission_classes = [MayAddClaims]
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Find the claims in an article (editors; writes nothing)",
        description="The article's source (title, outlet, author, date, language, full text; "
        "`existing_source_id` when it is recorded already) and its candidate claims: speaker (with "
        "`actor_id`, `as_written` and alternatives), role, target, kind, date with its precision, "
        "summary, quote, excerpt and locator, topics, the recorded claims it may repeat "
        "(`duplicates`) and those it answers (`answers`: claim ids, or `candidate:N` for another "
        "candidate), each with reasons. The same JSON as `manage.py import_article --json`.",
        request=ArticleImportSerializer,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The proposal."), **WRITE_ERRORS},
    )
    def post(self, request):
        given = ArticleImportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return Response(review_article(**given.validated_data, should_stop=lambda: client_has_gone(request)))
