from tracker.sitemaps import RangedSitemap

from .models import Source


class SourceSitemap(RangedSitemap):
    url_name = "sources:source-detail"

    def items(self):
        return Source.objects.public()


SITEMAPS = {"sources": SourceSitemap}
