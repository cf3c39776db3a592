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
    def items(self):
        return Claim.objects.published().only("slug", "updated_at")

    def location(self, claim):
        # The page URL around the slug, worked out once a file rather than once a claim.
        if not hasattr(self, "page_url"):
            self.page_url = reverse("claims:claim-detail", kwargs={"slug": "-"}).split("-")
        return claim.slug.join(self.page_url)

    def lastmod(self, claim):
        return claim.updated_at

    def get_latest_lastmod(self):
        # Read off the index on `updated_at`; Django's default reads every claim.
        return Claim.objects.published().order_by("-updated_at").values_list("updated_at", flat=True).first()


class ActorSitemap(RangedSitemap):
    def items(self):
        return Actor.objects.public().only("slug")


class TopicSitemap(RangedSitemap):
    def items(self):
        return Topic.objects.public().only("slug")


SITEMAPS = {
    "pages": PagesSitemap,
    "claims": ClaimSitemap,
    "actors": ActorSitemap,
    "topics": TopicSitemap,
}
