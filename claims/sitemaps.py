from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from sources.models import Source

from .models import Actor, Claim, Topic


def published_claims():
    return Claim.objects.published()


class PagesSitemap(Sitemap):
    def items(self):
        return ["claims:home", "claims:claim-list"]

    def location(self, name):
        return reverse(name)


class ClaimSitemap(Sitemap):
    def items(self):
        return published_claims().order_by("pk")

    def lastmod(self, claim):
        return claim.updated_at


class ActorSitemap(Sitemap):
    """Actors who made, or are the target of, a published claim."""

    def items(self):
        speaking = published_claims().filter(speaker=OuterRef("pk"))
        targeted = published_claims().filter(target=OuterRef("pk"))
        return Actor.objects.filter(Q(Exists(speaking)) | Q(Exists(targeted))).order_by("pk")


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.filter(Exists(published_claims().filter(topics=OuterRef("pk")))).order_by("pk")


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.filter(
            Exists(published_claims().filter(citations__source=OuterRef("pk")))
        ).order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "claims": ClaimSitemap,
    "actors": ActorSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
