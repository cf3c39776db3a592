"""What every reader's page shares: its title and description, and pagination."""

import functools
import operator

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator

PAGE_SIZE = 20
# A reader pages through at most this many pages of a list; filters narrow the rest. Counting or
# skipping past more rows would make a page's cost grow with the size of the record.
MAX_PAGES = 250


def rows_after(ordering, values):
    """A filter for the rows after the one whose `ordering` fields ("-stated_on", "-pk"...) hold
    `values`: those after it on the first field, or level with it there and after it on the
    second, and so on. The bound on the first field alone lets an index on it start there, so a
    list read from a position costs what its start does."""
    fields = [(order.lstrip("-"), "lt" if order.startswith("-") else "gt") for order in ordering]
    after, level = [], Q()
    for (name, beyond), value in zip(fields, values, strict=True):
        after.append(level & Q(**{f"{name}__{beyond}": value}))
        level &= Q(**{name: value})
    (first, first_beyond), first_value = fields[0], values[0]
    return functools.reduce(operator.or_, after) & Q(**{f"{first}__{first_beyond}e": first_value})


# Lists are counted no further than this many rows; past it, they have "more than" that.
COUNTED_AT_MOST = 1_000


class BoundedCount:
    """The size of a list, counted when first shown, up to `most` rows: `number`, `more` (whether
    it has more rows than that), and as words (`str`): "123", or "more than 1,000"."""

    def __init__(self, queryset, most=None):
        self.queryset, self.most = queryset, most or COUNTED_AT_MOST

    @cached_property
    def number(self):
        # Any `most` + 1 rows will do: without the list's order, PostgreSQL stops at the first found.
        return self.queryset.order_by()[: self.most + 1].count()

    @property
    def more(self):
        return self.number > self.most

    def __str__(self):
        return f"more than {self.most:,}" if self.more else f"{self.number:,}"


class BoundedPaginator(Paginator):
    """Pages through at most the first `MAX_PAGES` pages of a list, counting no further than that:
    the count is exact up to there, and "more than" beyond (`more`, `count_text`)."""

    def __init__(self, object_list, per_page):
        super().__init__(object_list, per_page)
        self.size = BoundedCount(object_list, most=MAX_PAGES * per_page)

    @cached_property
    def count(self):
        return min(self.size.number, self.size.most)

    @property
    def more(self):
        """Whether the list goes on past its last page."""
        return self.size.more

    @property
    def count_text(self):
        """The size of the list in words: "1,234", or "more than 5,000"."""
        return str(self.size)


def paginate(request, queryset, parameter="page", *, per_page=PAGE_SIZE):
    """The page of `queryset` named by the `parameter` query value; out of range gives the last page."""
    return BoundedPaginator(queryset, per_page).get_page(request.GET.get(parameter))


# Stands in for a slug while a page's URL is reversed once (a slug itself, so the pattern takes it).
SLUG_PLACEHOLDER = "0slug0"


def slug_url(view_name, slug):
    """The path of `view_name` for `slug`, as `reverse` gives it, from parts reversed once for each
    script prefix and URL configuration: a list page links to dozens of records."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _slug_url_parts_under(view_name, get_script_prefix(), urlconf)
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=128)
def _slug_url_parts_under(view_name, script_prefix, urlconf):
    return slug_url_parts(view_name)


def slug_url_parts(view_name):
    """The path of `view_name` for a record's slug, as what comes before the slug and after it:
    reversed once for the URLs of many records, where reversing each cost more than the rest. A
    slug (letters, digits, hyphens, underscores) goes in between as it is."""
    before, _, after = reverse(view_name, kwargs={"slug": SLUG_PLACEHOLDER}).rpartition(SLUG_PLACEHOLDER)
    return before, after


def description(text):
    """`text` on one line, cut at 200 characters: a page's description meta tag."""
    return Truncator(" ".join(text.split())).chars(200)


class PageMetaMixin:
    """Puts the page's title and description (for <title>, the description meta tag and the
    OpenGraph tags) in the context."""

    og_type = "website"
    # A page whose title and description do not depend on what it shows states them here.
    page_title = ""
    page_description = ""

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return self.page_description

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            page_description=self.get_page_description(),
            og_type=self.og_type,
        )
        return context
