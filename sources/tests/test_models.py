import pytest
from django.db import IntegrityError, connection, transaction

from claims.choices import PublicationState
from claims.tests.factories import ClaimFactory, PublishedClaimFactory

from .factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_a_source_is_cited_once_per_claim_and_stance():
    citation = CitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(claim=citation.claim, source=citation.source, stance=citation.stance)
    CitationFactory(claim=citation.claim, source=citation.source, stance="contradicts")


def test_two_sources_cannot_share_a_url():
    SourceFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/a")
    SourceFactory(url="")
    SourceFactory(url="")


def checked_as_at_commit(write):
    """Run `write` in a savepoint, then check the deferred constraints at once, as a commit would."""
    with transaction.atomic():
        write()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL constraint trigger")
class TestPostgreSQLKeepsPublishedClaimsCited:
    def test_it_refuses_a_published_claim_without_citation(self):
        with pytest.raises(IntegrityError, match="has no citation"):
            checked_as_at_commit(lambda: ClaimFactory(publication_state=PublicationState.PUBLISHED))

    def test_it_refuses_removing_the_last_citation_of_a_published_claim(self):
        claim = PublishedClaimFactory()
        with pytest.raises(IntegrityError, match="has no citation"):
            checked_as_at_commit(lambda: claim.citations.all().delete())

    def test_it_allows_drafts_without_citations_and_deleting_a_whole_claim(self):
        checked_as_at_commit(ClaimFactory)
        checked_as_at_commit(lambda: PublishedClaimFactory().delete())
