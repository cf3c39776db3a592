from tracker.sitemaps import RangedSitemap

from .models import Source


class SourceSitemap(RangedSitemap):
    def items(self):
        return Source.objects.public().only("slug")


SITEMAPS = {"sources": SourceSitemap}
