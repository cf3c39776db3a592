import datetime

import factory

from claims.tests.factories import ClaimFactory
from sources.models import Citation, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report number {n}")
    outlet = "Xinhua News Agency"
    published_on = datetime.date(2020, 7, 6)
    language = "en"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    excerpt = "The words as the article reports them."
    locator = "paragraph 2"
