"""Sitemaps that stay fast however large the record: a sitemap index, and sections cut into files
by ranges of primary keys, so that a file costs one index range scan, never a count or an offset."""

from math import ceil
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.functional import cached_property


class PrimaryKeyRanges:
    """The part of Django's paginator that a sitemap uses, with page n holding the items whose
    primary keys are in the n-th range of `per_page`: at most `per_page` URLs a file (fewer where
    rows are drafts or gone), and the number of files read off the largest primary key."""

    def __init__(self, items, per_page):
        self.items, self.per_page = items, per_page

    @cached_property
    def num_pages(self):
        last = self.items.order_by("-pk").values_list("pk", flat=True).first() or 0
        return max(1, ceil(last / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        first = (number - 1) * self.per_page
        return SimpleNamespace(
            object_list=self.items.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk")
        )


class RangedSitemap(Sitemap):
    # Google's limit is 50,000 URLs a file; 2,000 keep a file to a fraction of a second.
    limit = 2_000

    @property
    def paginator(self):
        return PrimaryKeyRanges(self.items(), self.limit)
