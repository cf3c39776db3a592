"""What every reader's page shares: its title and description, and pagination."""

from django.core.paginator import Paginator
from django.utils.text import Truncator

PAGE_SIZE = 20


def paginate(request, queryset, parameter="page"):
    """The page of `queryset` named by the `parameter` query value; out of range gives the last page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(parameter))


def description(text):
    """`text` on one line, cut at 200 characters: a page's description meta tag."""
    return Truncator(" ".join(text.split())).chars(200)


class PageMetaMixin:
    """Puts the page's title and description (for <title>, the description meta tag and the
    OpenGraph tags) in the context."""

    og_type = "website"

    def get_page_title(self):
        return ""

    def get_page_description(self):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            page_description=self.get_page_description(),
            og_type=self.og_type,
        )
        return context
