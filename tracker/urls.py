from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api.views import (
    ActorViewSet,
    ClaimRelationViewSet,
    ClaimTombstoneViewSet,
    ClaimViewSet,
    TopicViewSet,
)
from claims.sitemaps import SITEMAPS as CLAIMS_SITEMAPS
from sources.api.views import ArticleImportView, CitationViewSet, SourceViewSet
from sources.sitemaps import SITEMAPS as SOURCES_SITEMAPS
from tracker.sitemaps import sitemap_file
from tracker.tokens import TokenDetailView, TokenListView, TokenView

SITEMAPS = CLAIMS_SITEMAPS | SOURCES_SITEMAPS

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("actors", ActorViewSet, basename="actor")
router.register("topics", TopicViewSet, basename="topic")
router.register("sources", SourceViewSet, basename="source")
router.register("citations", CitationViewSet, basename="citation")
router.register("relations", ClaimRelationViewSet, basename="claimrelation")
router.register("tombstones", ClaimTombstoneViewSet, basename="tombstone")

api_urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script as a file, as the Content-Security-Policy wants;
    # Swagger UI sets inline styles, allowed on this page alone.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("imports/", ArticleImportView.as_view(), name="imports"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_key>/", TokenDetailView.as_view(), name="token-detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("", include("claims.urls")),
    path("", include("sources.urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_file, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

handler500 = "tracker.middleware.server_error"
