from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from tracker.sitemaps import RangedSitemap

from .models import Actor, Claim, Topic


class PagesSitemap(Sitemap):
    def items(self):
        return ["claims:home", "claims:claim-list", "claims:topic-list"]

    def location(self, name):
        return reverse(name)


class ClaimSitemap(RangedSitemap):
    url_name = "claims:claim-detail"
    lastmod_field = "updated_at"

    def items(self):
        return Claim.objects.published()

    def get_latest_lastmod(self):
        # Read off the index on `updated_at`; Django's default reads every claim.
        return Claim.objects.published().order_by("-updated_at").values_list("updated_at", flat=True).first()


class ActorSitemap(RangedSitemap):
    url_name = "claims:actor-detail"

    def items(self):
        return Actor.objects.public()


class TopicSitemap(RangedSitemap):
    url_name = "claims:topic-detail"

    def items(self):
        return Topic.objects.public()


SITEMAPS = {
    "pages": PagesSitemap,
    "claims": ClaimSitemap,
    "actors": ActorSitemap,
    "topics": TopicSitemap,
}
