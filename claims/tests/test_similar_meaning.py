import datetime
import io
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from claims.choices import ActorKind, ClaimKind
from claims.models import Claim
from claims.operations import merge_claims
from claims.similarity import embedding, index, reranking

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db


def slugs(claims):
    return [claim.slug for claim in claims]


class TestTheModel:
    def test_it_loads_from_the_package_with_the_network_unavailable(self, monkeypatch, network_unavailable):
        import wordllama

        monkeypatch.setattr(embedding, "_model", None)

        vectors = embedding.unit_vectors(["Russia violated the treaty", "Moscow broke the pact"])

        assert vectors.shape == (2, embedding.DIMENSIONS)
        assert vectors[0] @ vectors[1] > 0.3
        package = Path(wordllama.__file__).parent
        assert (package / "weights" / "l2_supercat_256.safetensors").stat().st_size > 10_000_000

    def test_a_stored_vector_keeps_its_direction(self):
        [vector] = embedding.unit_vectors(["Pompeo accused Russia of violating the Open Skies Treaty."])

        assert embedding.from_bytes(embedding.to_bytes(vector)) @ vector > 0.999
        assert len(embedding.to_bytes(vector)) == embedding.DIMENSIONS


class TestTheStoredVector:
    def test_a_new_claim_has_the_vector_of_its_summary_and_quote(self):
        claim = ClaimFactory(summary="Russia violated the Open Skies Treaty.", quote="They broke it.")

        stored = Claim.objects.get(pk=claim.pk).embedding
        assert bytes(stored) == embedding.embedding_of(claim.summary, claim.quote)

    def test_it_follows_a_changed_summary_and_only_then(self, monkeypatch):
        claim = ClaimFactory(summary="Russia violated the Open Skies Treaty.")
        claim = Claim.objects.get(pk=claim.pk)
        computed = []
        original = embedding.embedding_of
        monkeypatch.setattr(embedding, "embedding_of", lambda *text: computed.append(text) or original(*text))

        claim.speaker_role = "Secretary of State"
        claim.save()
        assert computed == []

        claim.summary = "The weather in Vienna was mild."
        claim.save(update_fields=["summary"])
        assert computed == [("The weather in Vienna was mild.", "")]
        assert bytes(Claim.objects.get(pk=claim.pk).embedding) == original(claim.summary, "")

    def test_a_merge_that_takes_over_a_quote_recomputes_the_kept_claims_vector(self):
        kept = PublishedClaimFactory(summary="Russia violated the Open Skies Treaty.")
        merged = PublishedClaimFactory(summary="Russia violated Open Skies.", quote="Moscow broke the pact.")

        merge_claims(kept, merged)

        stored = Claim.objects.get(pk=kept.pk).embedding
        assert bytes(stored) == embedding.embedding_of(kept.summary, "Moscow broke the pact.")


class TestEmbedClaims:
    def test_it_fills_the_claims_without_a_vector_and_then_does_nothing(self):
        claims = [ClaimFactory(summary=f"Russia violated treaty number {n}.") for n in range(3)]
        Claim.objects.update(embedding=None)

        output = io.StringIO()
        call_command("embed_claims", "--batch", "2", stdout=output)

        assert "Done: 3 vectors" in output.getvalue()
        assert "Done: 3 re-ranking vectors" in output.getvalue()
        for claim in claims:
            stored = Claim.objects.get(pk=claim.pk)
            assert bytes(stored.embedding) == embedding.embedding_of(claim.summary, "")
            assert bytes(stored.reranking_embedding) == reranking.claim_embeddings([claim.summary])[0]
        again = io.StringIO()
        call_command("embed_claims", stdout=again)
        assert again.getvalue().splitlines() == [
            "Every claim has its vector.",
            "Every claim has its re-ranking vector.",
        ]

    def test_it_can_leave_the_re_ranking_vectors_to_be_computed_as_needed(self):
        ClaimFactory(summary="Russia violated the treaty.")
        Claim.objects.update(embedding=None)

        call_command("embed_claims", "--skip-reranking", stdout=io.StringIO())

        stored = Claim.objects.get()
        assert stored.embedding is not None
        assert stored.reranking_embedding is None

    def test_stopped_half_way_it_resumes_where_it_stopped(self, monkeypatch):
        for n in range(4):
            ClaimFactory(summary=f"Russia violated treaty number {n}.")
        Claim.objects.update(embedding=None)
        original = embedding.embeddings
        batches = []

        def fails_on_the_second_batch(texts):
            batches.append(1)
            if len(batches) == 2:
                raise KeyboardInterrupt
            return original(texts)

        monkeypatch.setattr(embedding, "embeddings", fails_on_the_second_batch)
        with pytest.raises(KeyboardInterrupt):
            call_command("embed_claims", "--batch", "2", stdout=io.StringIO())
        assert Claim.objects.filter(embedding__isnull=True).count() == 2

        monkeypatch.setattr(embedding, "embeddings", original)
        output = io.StringIO()
        call_command("embed_claims", "--batch", "2", stdout=output)
        assert output.getvalue().startswith("2 claims without a vector.")
        assert not Claim.objects.filter(embedding__isnull=True).exists()


class TestSimilarByMeaning:
    def test_a_paraphrase_with_no_shared_word_finds_the_claim(self):
        violated = PublishedClaimFactory(slug="russia-violated", summary="Russia violated the treaty.")
        PublishedClaimFactory(slug="vienna-weather", summary="The weather in Vienna was mild in May.")

        found = Claim.objects.similar_to("Moscow broke the pact")

        assert slugs(found) == [violated.slug]
        assert "similar meaning" in found[0].similarity_reason

    def test_claims_added_after_the_index_was_built_are_found(self):
        PublishedClaimFactory(summary="The weather in Vienna was mild in May.")
        assert not Claim.objects.similar_to("Moscow broke the pact")  # builds the index

        violated = PublishedClaimFactory(summary="Russia violated the treaty.")

        assert slugs(Claim.objects.similar_to("Moscow broke the pact")) == [violated.slug]

    def test_a_denial_finds_the_accusation_it_answers_roles_swapped(self):
        russia = ActorFactory(name="Russia", kind=ActorKind.STATE)
        ministry = ActorFactory(name="Russian MFA", affiliation=russia)
        united_states = ActorFactory(name="United States", kind=ActorKind.STATE)
        accusation = PublishedClaimFactory(
            slug="us-russia-violated-open-skies",
            summary="Russia has violated the Open Skies Treaty for years.",
            kind=ClaimKind.ACCUSATION,
            speaker=united_states,
            target=russia,
        )
        PublishedClaimFactory(
            slug="russia-accuses-us",
            summary="The United States has violated the Open Skies Treaty.",
            kind=ClaimKind.ACCUSATION,
            speaker=russia,
            target=united_states,
        )
        PublishedClaimFactory(
            slug="us-denies-violations",
            summary="The United States denied violating the Open Skies Treaty.",
            kind=ClaimKind.DENIAL,
            speaker=united_states,
        )

        answered = Claim.objects.answered_by(
            "Moscow has never breached the Open Skies agreement.",
            speaker=ministry,
            target=united_states,
            around=datetime.date(2020, 5, 22),
        )

        assert slugs(answered) == [accusation.slug]
        # The accusation's speaker is the one the denial answers.
        assert "same speaker" in answered[0].similarity_reason


class TestTheIndex:
    def test_it_finds_a_vector_among_many_reading_a_few_of_its_lists(self):
        generator = np.random.default_rng(1)
        vectors = generator.normal(size=(5_000, embedding.DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = [(pk, embedding.to_bytes(vector)) for pk, vector in enumerate(vectors, 1)]
        built = index.VectorIndex.build(lambda: iter(rows))

        assert len(built.centroids) > index.PROBED_LISTS
        # A paraphrase: the vector moved by a third of its length in a random direction.
        query = vectors[41] + 0.02 * generator.normal(size=embedding.DIMENSIONS).astype(np.float32)
        assert 42 in built.nearest(query / np.linalg.norm(query), 20)


class TestWhatIsComparedByMeaning:
    def test_a_pasted_tweets_signature_is_left_out_and_its_words_kept(self):
        from claims.similarity.ranking import meaning_text, query_text

        tweet = (
            "China steals a Navy drone. pic.twitter.com/x — Donald J. Trump (@realDonaldTrump) Dec 17, 2016"
        )
        assert meaning_text(query_text(tweet)).split() == ["China", "steals", "a", "Navy", "drone."]
        assert "Trump" in query_text(tweet)

    def test_a_text_without_a_signature_is_compared_whole(self):
        from claims.similarity.ranking import meaning_text

        text = "Moscow broke the pact - the minister said on May 5, 2019"
        assert meaning_text(text) == text
