"""Sitemaps that stay fast however large the record: a sitemap index, and sections cut into files
by ranges of primary keys, so that a file costs one index range scan, never a count or an offset,
and is written from rows without the template engine."""

from math import ceil
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap, x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date

from tracker.pages import slug_url_parts


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
    """A section whose items are pages named by a slug (`url_name`), changed at `lastmod_field`
    (if any)."""

    # Google's limit is 50,000 URLs a file; 2,000 keep a file to a fraction of a second.
    limit = 2_000
    url_name = None
    lastmod_field = None

    @property
    def paginator(self):
        return PrimaryKeyRanges(self.items(), self.limit)

    def entries(self, page, base):
        """(URL, last change or None) for each item of file `page`, read as rows: no model
        instance and no `reverse()` an item. Raises EmptyPage or PageNotAnInteger as `page()`."""
        before, after = slug_url_parts(self.url_name)
        fields = ["slug", self.lastmod_field] if self.lastmod_field else ["slug"]
        for slug, *lastmod in self.paginator.page(page).object_list.values_list(*fields):
            yield f"{base}{before}{slug}{after}", lastmod[0] if lastmod else None


@x_robots_tag
def sitemap_file(request, sitemaps, section):
    """One file of a section, as Django's `sitemap` view serves it (a 404 for an unknown section
    or page; Last-Modified, the latest change it lists), written without the template engine, which
    took three quarters of a file's time. Sections that are not `RangedSitemap`s go to Django's."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    site = sitemaps[section]() if callable(sitemaps[section]) else sitemaps[section]
    if not isinstance(site, RangedSitemap):
        return sitemap(request, {section: sitemaps[section]}, section=section)
    base = f"{site.get_protocol(request.scheme)}://{get_current_site(request).domain}"
    try:
        entries = list(site.entries(request.GET.get("p", 1), base))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"Page {request.GET.get('p')!r} of section {section!r}: {error}") from None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for location, lastmod in entries:
        changed = f"<lastmod>{timezone.localtime(lastmod):%Y-%m-%d}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(location)}</loc>{changed}</url>")
    lines.append("</urlset>\n")
    response = HttpResponse("\n".join(lines), content_type="application/xml")
    latest = max((lastmod for _, lastmod in entries if lastmod), default=None)
    if latest:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response
