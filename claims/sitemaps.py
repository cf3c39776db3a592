from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Actor, Claim, Topic


class PagesSitemap(Sitemap):
    def items(self):
        return ["claims:home", "claims:claim-list"]

    def location(self, name):
        return reverse(name)


class ClaimSitemap(Sitemap):
    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim):
        return claim.updated_at


class ActorSitemap(Sitemap):
    def items(self):
        return Actor.objects.public().order_by("pk")


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.public().order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "claims": ClaimSitemap,
    "actors": ActorSitemap,
    "topics": TopicSitemap,
}
