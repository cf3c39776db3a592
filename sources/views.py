from django.db.models import F
from django.views.generic import DetailView, TemplateView

from claims.models import Claim
from tracker.pages import PageMetaMixin, description, paginate

from .models import Source


class SourceDetailView(PageMetaMixin, DetailView):
    queryset = Source.objects.public()
    context_object_name = "source"

    def get_page_title(self):
        return self.object.title

    def get_page_description(self):
        source = self.object
        day = source.published_on
        published = f", {day.day} {day:%B %Y}" if day else ""
        return description(
            f"{source.known_outlet or 'Source'}{published}: {source.title}. The claims cited from it."
        )

    def get_context_data(self, **kwargs):
        claims = Claim.objects.published().cited_in(self.object).for_listing()
        return super().get_context_data(claims=paginate(self.request, claims), **kwargs)


class SourceListView(PageMetaMixin, TemplateView):
    """The sources published claims cite, by outlet, the latest first within each."""

    template_name = "sources/source_list.html"

    page_title = "Sources"
    page_description = "The documents the published claims are cited from, by outlet and date."

    def get_context_data(self, **kwargs):
        sources = Source.objects.public().order_by("outlet", F("published_on").desc(nulls_last=True), "pk")
        return super().get_context_data(page_obj=paginate(self.request, sources, per_page=100), **kwargs)
