import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import ActorKind, ClaimKind
from claims.models import Claim
from claims.similarity.ranking import SIMILARITY_WEIGHTS

from .factories import ActorFactory, ClaimFactory, ClaimRelationFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text rank and trigram similarity are PostgreSQL's"
)


def slugs(claims):
    return [claim.slug for claim in claims]


@pytest.fixture
def accusation():
    return PublishedClaimFactory(
        slug="pompeo-russia-violated-open-skies",
        summary="Pompeo accused Russia of violating the Open Skies Treaty.",
        speaker=ActorFactory(name="Mike Pompeo"),
        stated_on=datetime.date(2020, 5, 21),
    )


@pytest.fixture
def unrelated():
    return PublishedClaimFactory(
        slug="putin-nuclear-war-threat-rising",
        summary="Putin warned that the threat of nuclear war was rising.",
        stated_on=datetime.date(2018, 12, 1),
    )


class TestSimilarTo:
    def test_a_paraphrase_finds_the_claim(self, accusation, unrelated):
        found = Claim.objects.similar_to("The Secretary of State said Russia had violated Open Skies.")

        assert slugs(found)[0] == accusation.slug
        assert unrelated.slug not in slugs(found)

    def test_each_claim_carries_a_similarity_from_0_to_1_and_a_reason(self, accusation):
        [found] = Claim.objects.similar_to(
            "Russia violated the Open Skies Treaty", speaker=accusation.speaker
        )

        assert 0 < found.similarity <= 1
        assert "same speaker" in found.similarity_reason

    def test_the_same_speaker_ranks_first_among_equals(self):
        speaker = ActorFactory()
        text = "Russia violated the Open Skies Treaty."
        others = [PublishedClaimFactory(summary=text) for _ in range(2)]
        by_the_speaker = PublishedClaimFactory(summary=text, speaker=speaker)
        PublishedClaimFactory(summary=text)

        ranked = list(Claim.objects.similar_to(text, speaker=speaker))

        assert ranked[0] == by_the_speaker
        assert set(ranked[1:]) >= set(others)

    def test_a_nearby_date_and_a_shared_topic_rank_first_among_equals(self):
        topic = TopicFactory()
        text = "Russia violated the Open Skies Treaty."
        PublishedClaimFactory(summary=text, stated_on=datetime.date(2010, 1, 1))
        nearby = PublishedClaimFactory(summary=text, stated_on=datetime.date(2020, 5, 1))
        on_topic = PublishedClaimFactory(summary=text, stated_on=datetime.date(2012, 1, 1), topics=[topic])

        assert Claim.objects.similar_to(text, around=datetime.date(2020, 5, 21)).first() == nearby
        assert Claim.objects.similar_to(text, topics=[topic]).first() == on_topic

    def test_it_returns_at_most_the_limit_and_nothing_for_a_text_without_words(self, accusation):
        for _ in range(3):
            PublishedClaimFactory(summary="Russia violated the Open Skies Treaty.")

        assert Claim.objects.similar_to("Russia violated the treaty", limit=2).count() == 2
        assert not Claim.objects.similar_to("  ?! ").exists()

    def test_it_ranks_within_the_claims_it_is_given(self, accusation):
        draft = ClaimFactory(summary=accusation.summary)

        assert draft not in Claim.objects.published().similar_to(accusation.summary)
        assert draft in Claim.objects.similar_to(accusation.summary)


@on_postgresql_only
class TestRankingOnPostgreSQL:
    def test_a_denial_finds_the_accusation_it_answers(self, accusation, unrelated):
        russia = ActorFactory(name="Russian Federation", kind="state")
        accusation.target = russia
        accusation.save()
        ministry = ActorFactory(name="Russian Ministry of Foreign Affairs", affiliation=russia)
        grushko = ActorFactory(name="Alexander Grushko", affiliation=ministry)

        found = Claim.objects.similar_to("Russia has not violated the Open Skies Treaty.", speaker=grushko)

        assert slugs(found)[0] == accusation.slug
        assert "answers or is answered" in found[0].similarity_reason

    def test_a_claim_in_other_words_outranks_one_sharing_a_single_word(self, accusation):
        PublishedClaimFactory(summary="Russia will develop new weapons.")

        found = Claim.objects.similar_to("Moscow broke the Open Skies treaty, Pompeo said.")

        assert slugs(found)[0] == accusation.slug

    def test_a_shared_rare_name_outranks_several_shared_common_words(self):
        for number in range(8):
            PublishedClaimFactory(summary=f"Russia said the treaty talks would resume, report {number}.")
        rare = PublishedClaimFactory(summary="Zapad exercises were staged near the border.")

        # Before the best are read again: the re-ranking model, reading the whole statement, rightly
        # puts a report that Russia said the talks would resume first.
        found = Claim.objects.similar_to(
            "Russia said the treaty talks on Zapad would resume.",
            weights=SIMILARITY_WEIGHTS._replace(reranking=0),
        )

        assert found.first() == rare

    def test_a_hashtags_words_are_found_and_its_links_ignored(self):
        wanted = PublishedClaimFactory(summary="Canada's public broadcaster should be defunded.")
        PublishedClaimFactory(summary="A picture on Twitter shows the broadcaster's studio.")

        found = Claim.objects.similar_to(
            "Enough of this! #DefundTheBroadcaster pic.twitter.com/a1B2c3 https://t.co/xYz"
        )

        assert slugs(found)[0] == wanted.slug


class TestSimilarToInTheAPI:
    def test_claims_come_in_rank_order_with_their_similarity(self, api, accusation, unrelated):
        close = PublishedClaimFactory(
            summary="Pompeo accused Russia of violating the Open Skies Treaty again."
        )

        response = api.get(f"{API}/claims/", {"similar_to": accusation.summary})

        assert response.status_code == 200, response.content
        results = response.json()["results"]
        assert [claim["id"] for claim in results[:2]] == [accusation.pk, close.pk]
        scores = [claim["similarity"] for claim in results]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < score <= 1 for score in scores)
        assert response.json()["next"] is None

    def test_a_claims_similarity_is_null_without_similar_to(self, api, accusation):
        [claim] = api.get(f"{API}/claims/").json()["results"]

        assert claim["similarity"] is None

    def test_a_draft_is_never_returned_to_anonymous_clients(self, api, accusation):
        draft = ClaimFactory(summary=accusation.summary)

        ids = [
            claim["id"]
            for claim in api.get(f"{API}/claims/", {"similar_to": draft.summary}).json()["results"]
        ]

        assert ids == [accusation.pk]

    def test_an_editor_finds_drafts_too(self, editor_api, accusation):
        draft = ClaimFactory(summary=accusation.summary)

        response = editor_api.get(f"{API}/claims/", {"similar_to": draft.summary})

        assert draft.pk in [claim["id"] for claim in response.json()["results"]]

    def test_it_ranks_within_the_other_filters(self, api, accusation):
        other = PublishedClaimFactory(summary=accusation.summary)

        response = api.get(
            f"{API}/claims/", {"similar_to": accusation.summary, "speaker": other.speaker.slug}
        )

        assert [claim["id"] for claim in response.json()["results"]] == [other.pk]

    def test_page_size_returns_the_best_few(self, api, accusation):
        for _ in range(3):
            PublishedClaimFactory(summary=accusation.summary)

        response = api.get(f"{API}/claims/", {"similar_to": accusation.summary, "page_size": 2})

        assert len(response.json()["results"]) == 2

    def test_a_text_too_long_is_a_400_naming_similar_to(self, api, accusation):
        response = api.get(f"{API}/claims/", {"similar_to": "word " * 1000})

        assert response.status_code == 400
        assert "similar_to" in response.json()

    def test_an_empty_text_filters_nothing(self, api, accusation, unrelated):
        response = api.get(f"{API}/claims/", {"similar_to": "  "})

        assert response.status_code == 200
        assert len(response.json()["results"]) == 2

    def test_ordering_orders_the_ranked_claims_instead_of_the_ranking(self, api, accusation, unrelated):
        ranked = api.get(f"{API}/claims/", {"similar_to": accusation.summary})
        by_id = api.get(f"{API}/claims/", {"similar_to": accusation.summary, "ordering": "-id"})

        assert by_id.status_code == 200
        found = [claim["id"] for claim in ranked.json()["results"]]
        assert [claim["id"] for claim in by_id.json()["results"]] == sorted(found, reverse=True)

    def test_the_schema_documents_similar_to(self, api):
        schema = api.get(f"{API}/schema/", {"format": "json"}).json()

        parameters = schema["paths"][f"{API}/claims/"]["get"]["parameters"]
        [similar_to] = [parameter for parameter in parameters if parameter["name"] == "similar_to"]
        assert "similarity" in similar_to["description"]

    def test_the_ranked_list_runs_the_same_queries_for_one_or_twenty_claims(self, api):
        text = "Russia violated the Open Skies Treaty."

        def queries():
            with CaptureQueriesContext(connection) as context:
                assert api.get(f"{API}/claims/", {"similar_to": text}).status_code == 200
            return len(context.captured_queries)

        PublishedClaimFactory(summary=text)
        queries()  # the process's first builds its vector index
        one = queries()
        for _ in range(19):
            PublishedClaimFactory(summary=text)
        # The first search after they were added reads the texts of the best and writes their
        # re-ranking vectors (in a savepoint, as a test runs in a transaction); from then on: the
        # candidates by their words (after a query for how common the text's words are on
        # PostgreSQL), the claims added since the vector index was built, the candidates' scores;
        # then the ranked claims with their speakers and targets, their topics, status changes,
        # citations, relations from and to.
        assert queries() == one + 4
        assert queries() == one <= 10


class TestSimilarClaimsInTheAdmin:
    def test_the_change_form_links_to_similar_claims_not_to_itself(
        self, editor_client, accusation, unrelated
    ):
        close = PublishedClaimFactory(
            summary="Pompeo accused Russia of violating the Open Skies Treaty again."
        )

        page = editor_client.get(reverse("admin:claims_claim_change", args=[accusation.pk])).content.decode()

        assert "Similar claims" in page
        assert reverse("admin:claims_claim_change", args=[close.pk]) in page
        assert (
            reverse("admin:claims_claim_change", args=[accusation.pk]) + '"'
            not in page.split("Similar claims")[1]
        )
        assert close.speaker.name in page

    def test_the_panel_runs_the_same_queries_for_one_or_five_similar_claims(self, editor_client, accusation):
        url = reverse("admin:claims_claim_change", args=[accusation.pk])

        def queries():
            with CaptureQueriesContext(connection) as context:
                assert editor_client.get(url).status_code == 200
            return len(context.captured_queries)

        PublishedClaimFactory(summary=accusation.summary)
        queries()  # the process's first builds its vector index
        one = queries()
        for _ in range(6):
            PublishedClaimFactory(summary=accusation.summary)
        queries()  # computes the re-ranking vectors of those among the best
        assert queries() == one


class TestAccusationsADenialMayAnswer:
    @pytest.fixture
    def exchange(self):
        russia = ActorFactory(name="Russia", kind=ActorKind.STATE)
        united_states = ActorFactory(name="United States", kind=ActorKind.STATE)
        accusation = PublishedClaimFactory(
            summary="Russia has violated the Open Skies Treaty for years.",
            kind=ClaimKind.ACCUSATION,
            speaker=united_states,
            target=russia,
        )
        against_the_accuser = PublishedClaimFactory(
            summary="The United States has violated the Open Skies Treaty.",
            kind=ClaimKind.ACCUSATION,
            speaker=russia,
            target=united_states,
        )
        denial = ClaimFactory(
            summary="Russia denied violating the Open Skies Treaty.",
            kind=ClaimKind.DENIAL,
            speaker=russia,
            target=united_states,
        )
        return accusation, against_the_accuser, denial

    def panel(self, editor_client, claim):
        page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
        if "Accusations it may answer" not in page:
            return None
        return page.split("Accusations it may answer")[1].split("Similar claims")[0]

    def test_a_denial_is_offered_the_accusation_against_its_side(self, editor_client, exchange):
        accusation, against_the_accuser, denial = exchange

        panel = self.panel(editor_client, denial)

        assert reverse("admin:claims_claim_change", args=[accusation.pk]) in panel
        assert reverse("admin:claims_claim_change", args=[against_the_accuser.pk]) not in panel

    def test_an_accusation_already_linked_is_not_offered_again(self, editor_client, exchange):
        accusation, _against_the_accuser, denial = exchange
        ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type="disputes")

        panel = self.panel(editor_client, denial)

        assert reverse("admin:claims_claim_change", args=[accusation.pk]) not in panel
        assert "No accusation against this speaker" in panel

    def test_an_accusation_has_no_such_panel(self, editor_client, exchange):
        accusation, _against_the_accuser, _denial = exchange

        assert self.panel(editor_client, accusation) is None

    def test_the_panel_runs_the_same_queries_for_one_or_five_accusations(self, editor_client, exchange):
        accusation, _against_the_accuser, denial = exchange
        url = reverse("admin:claims_claim_change", args=[denial.pk])

        def queries():
            with CaptureQueriesContext(connection) as context:
                assert editor_client.get(url).status_code == 200
            return len(context.captured_queries)

        queries()  # the process's first builds its vector index
        one = queries()
        for _ in range(4):
            PublishedClaimFactory(
                summary=accusation.summary,
                kind=ClaimKind.ACCUSATION,
                speaker=accusation.speaker,
                target=accusation.target,
            )
        queries()  # computes the re-ranking vectors of those among the best
        assert queries() == one
