from django.contrib.sitemaps import Sitemap

from .models import Source


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.public().order_by("pk")


SITEMAPS = {"sources": SourceSitemap}
