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
        # The page URL around the slug, worked out once a file rather than once a claim (a slug
        # is letters, digits, hyphens and underscores: nothing to quote).
        if not hasattr(self, "page_url"):
            before, _, after = reverse("claims:claim-detail", kwargs={"slug": "SLUG"}).rpartition("SLUG")
            self.page_url = (before, after)
        before, after = self.page_url
        return f"{before}{claim.slug}{after}"

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
