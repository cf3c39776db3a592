"""The readers' pages: what they show, what they hide, and what they cost in queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

from claims import operations
from claims.choices import ActorKind, Attribution, ClaimKind, DatePrecision, EvidenceStatus
from claims.models import Claim
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.tests.helpers import html, queries_for

from .factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    PublishedClaimFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MAY_21 = datetime.date(2020, 5, 21)


def reviewed(**fields):
    return PublishedClaimFactory(
        evidence_status=EvidenceStatus.DISPUTED, rationale="Denied by the accused; no evidence.", **fields
    )


def disputing(claim, **fields):
    """A published claim that disputes `claim`."""
    counter = PublishedClaimFactory(kind=ClaimKind.DENIAL, **fields)
    ClaimRelationFactory(from_claim=counter, to_claim=claim, relation_type="disputes")
    return counter


# --- The claim page ----------------------------------------------------------------------------


class TestClaimPage:
    def test_it_shows_who_said_what_when_against_whom_and_on_what_evidence(self, client):
        grushko = ActorFactory(name="Alexander Grushko")
        russia = ActorFactory(name="Russian Federation", kind=ActorKind.STATE)
        claim = reviewed(
            summary="Grushko said the US withdrawal destroys a pillar of European security.",
            quote="It is a blow to the foundations of European security.",
            speaker=grushko,
            speaker_role="Russian Deputy Foreign Minister",
            target=russia,
            stated_on=MAY_21,
            citation__source__outlet="China News Service",
            citation__source__title="Grushko on the withdrawal",
            citation__excerpt="Glushko said that the withdrawal is a blow.",
        )
        page = html(client, claim.get_absolute_url())
        assert f'<h1 id="claim-heading">{claim.summary}</h1>' in page
        assert "<blockquote><p>It is a blow to the foundations of European security.</p></blockquote>" in page
        assert f'href="{grushko.get_absolute_url()}">Alexander Grushko</a>' in page
        assert "Russian Deputy Foreign Minister" in page
        assert f'href="{russia.get_absolute_url()}">Russian Federation</a>' in page
        assert ">21 May 2020</time>" in page
        assert "Evidence status: </span>Disputed</a>" in page
        assert "Denied by the accused; no evidence." in page
        assert "Reported by China News Service" in page
        assert "Glushko said that the withdrawal is a blow." in page
        assert "Grushko on the withdrawal" in page

    def test_the_url_carries_a_readable_slug(self):
        claim = PublishedClaimFactory(speaker=ActorFactory(name="Sergei Ryabkov"), summary="No compromise.")
        assert claim.get_absolute_url() == "/claims/ryabkov-compromise-2020-05-21/"

    @pytest.mark.parametrize(
        ("precision", "shown"),
        [(DatePrecision.DAY, "21 May 2020"), (DatePrecision.MONTH, "May 2020"), (DatePrecision.YEAR, "2020")],
    )
    def test_the_date_is_shown_at_its_precision(self, client, precision, shown):
        claim = PublishedClaimFactory(stated_on=MAY_21, stated_on_precision=precision)
        page = html(client, claim.get_absolute_url())
        assert f">{shown}</time>" in page
        if precision != DatePrecision.DAY:
            assert "21 May 2020" not in page

    def test_a_draft_claim_is_a_404(self, client):
        draft = ClaimFactory()
        CitationFactory(claim=draft)
        html(client, draft.get_absolute_url(), status=404)

    def test_the_status_timeline_and_last_reviewed_date_come_from_the_status_changes(self, client):
        claim = reviewed()
        claim.rationale = "The treaty body's report shows no violation."
        operations.change_evidence_status(
            claim, EvidenceStatus.CONTRADICTED, reason="New evidence: the treaty body's report."
        )
        first, second = claim.status_changes.all()
        first.changed_at = datetime.datetime(2020, 7, 7, tzinfo=datetime.UTC)
        first.save()
        second.changed_at = datetime.datetime(2021, 2, 3, tzinfo=datetime.UTC)
        second.save()

        page = html(client, claim.get_absolute_url())
        assert 'Last reviewed <time datetime="2021-02-03">3 February 2021</time>' in page
        assert "7 July 2020</time>: Not yet reviewed → <strong>Disputed</strong>" in page
        assert "3 February 2021</time>: Disputed → <strong>Contradicted</strong>" in page
        assert "New evidence: the treaty body&#x27;s report." in page

    def test_an_unreviewed_claim_says_it_is_not_reviewed_yet(self, client):
        page = html(client, PublishedClaimFactory().get_absolute_url())
        assert "Not yet reviewed" in page
        assert "Not reviewed yet" in page

    @pytest.mark.parametrize(
        ("attribution", "language", "notes", "wording"),
        [
            (Attribution.ON_RECORD, "en", "", "On record: the speaker&#x27;s own words"),
            (Attribution.REPORTED, "en", "", "Reported by Xinhua News Agency"),
            (Attribution.REPORTED, "zh", "", "Reported by Xinhua News Agency (in translation)"),
            (
                Attribution.REPORTED,
                "en",
                "Translated from Chinese.",
                "Reported by Xinhua News Agency (in translation)",
            ),
            (Attribution.CONTESTED, "en", "", "Attribution contested"),
        ],
    )
    def test_the_attribution_says_whose_words_these_are(self, client, attribution, language, notes, wording):
        claim = PublishedClaimFactory(
            attribution=attribution, citation__source__language=language, citation__source__notes=notes
        )
        assert wording in html(client, claim.get_absolute_url())

    def test_a_reported_claim_names_every_outlet_once(self, client):
        claim = PublishedClaimFactory(citation__source__outlet="China News Service")
        CitationFactory(claim=claim, source__outlet="Unknown")
        CitationFactory(claim=claim, source__outlet="China News Service")
        page = html(client, claim.get_absolute_url())
        assert "Reported by China News Service and an unidentified outlet" in page

    def test_every_source_is_listed_with_outlet_date_link_and_excerpt(self, client):
        claim = PublishedClaimFactory(
            citation__source__url="https://example.org/news/1",
            citation__source__published_on=datetime.date(2020, 7, 6),
            citation__excerpt="On May 21 this year, Pompeo accused Russia.",
            citation__locator="paragraph 7",
        )
        source = claim.citations.get().source
        page = html(client, claim.get_absolute_url())
        assert 'href="https://example.org/news/1"' in page
        assert f'href="{source.get_absolute_url()}"' in page
        assert ">6 July 2020</time>" in page
        assert "On May 21 this year, Pompeo accused Russia." in page
        assert "Paragraph 7" in page

    def test_the_corrections_link_mails_the_claim_address(self, client, settings):
        settings.CORRECTIONS_EMAIL = "fixes@tracker.example"
        claim = PublishedClaimFactory()
        page = html(client, claim.get_absolute_url())
        subject = f"Correction%3A%20http%3A//testserver{claim.get_absolute_url()}"
        assert f'href="mailto:fixes@tracker.example?subject={subject}"' in page

    def test_user_written_text_is_escaped(self, client):
        claim = PublishedClaimFactory(
            summary="<script>alert('summary')</script>",
            quote="<script>alert('quote')</script>",
            speaker=ActorFactory(name="<b>Bold</b> speaker"),
            citation__excerpt="<img src=x onerror=alert(1)>",
        )
        page = html(client, claim.get_absolute_url())
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;summary&#x27;)&lt;/script&gt;" in page
        assert "&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt;" in page
        assert "&lt;b&gt;Bold&lt;/b&gt; speaker" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


class TestDisputeThread:
    def test_it_shows_both_directions_with_speaker_date_and_status(self, client):
        accusation = reviewed(summary="The US said Russia violated the treaty.")
        claim = PublishedClaimFactory(summary="Russia denied it.", kind=ClaimKind.DENIAL)
        ClaimRelationFactory(from_claim=claim, to_claim=accusation, relation_type="disputes")
        answer = PublishedClaimFactory(
            summary="The US answered the denial.", speaker=ActorFactory(name="Pompeo")
        )
        ClaimRelationFactory(from_claim=answer, to_claim=claim, relation_type="responds_to")

        response = client.get(claim.get_absolute_url())
        thread = response.context["thread"]
        assert [entry.claim for entry in thread] == [accusation, claim, answer]
        assert [entry.relations for entry in thread] == [
            [("disputes", "Disputed by this claim")],
            [],
            [("responds_to", "Responds to this claim")],
        ]
        page = response.content.decode()
        assert (
            f'<a href="{accusation.get_absolute_url()}">The US said Russia violated the treaty.</a>' in page
        )
        assert f'<a href="{answer.speaker.get_absolute_url()}">Pompeo</a>' in page
        assert "Disputed by this claim" in page
        assert "Responds to this claim" in page

    def test_the_thread_shows_the_denial_after_the_accusation_it_answers(self, client):
        # The denial is dated "May 2020" (stored as 1 May), the accusation 21 May 2020.
        accusation = reviewed(summary="Accusation of 21 May.", stated_on=MAY_21)
        denial = disputing(
            accusation,
            summary="Denial of May.",
            stated_on=datetime.date(2020, 5, 1),
            stated_on_precision=DatePrecision.MONTH,
        )
        for claim in (accusation, denial):
            page = html(client, claim.get_absolute_url())
            thread = page[page.index('id="thread-heading"') :]
            assert thread.index("Accusation of 21 May.</") < thread.index("Denial of May.</")

    def test_relations_to_drafts_never_show_in_the_thread(self, client):
        claim = reviewed(summary="Published accusation.")
        draft_denial = ClaimFactory(summary="A draft denial.")
        ClaimRelationFactory(from_claim=draft_denial, to_claim=claim)
        draft_target = ClaimFactory(summary="A draft it answers.")
        ClaimRelationFactory(from_claim=claim, to_claim=draft_target, relation_type="responds_to")

        response = client.get(claim.get_absolute_url())
        assert response.context["thread"] == []
        page = response.content.decode()
        assert "A draft" not in page
        assert "No published claim disputes, answers, supports or repeats this one yet." in page


def test_the_claim_page_runs_a_constant_number_of_queries(client):
    def claim_with(count):
        claim = reviewed(topics=TopicFactory.create_batch(count))
        for _ in range(count):
            disputing(claim)
            ClaimRelationFactory(
                from_claim=claim, to_claim=PublishedClaimFactory(), relation_type="responds_to"
            )
            CitationFactory(claim=claim)
        operations.change_evidence_status(claim, EvidenceStatus.CONFIRMED)
        return claim

    small, large = claim_with(1), claim_with(30)
    # The claim with its speaker (and their affiliation) and target; its topics; its status
    # changes; its citations with their sources; its relations to published claims, and from them;
    # the thread's chart: its claims with their speakers' affiliations, and the answers among them.
    assert queries_for(client, small.get_absolute_url()) == 8
    assert queries_for(client, large.get_absolute_url()) == 8


# --- The claims list ---------------------------------------------------------------------------


class TestClaimList:
    url = reverse("claims:claim-list")

    def test_it_lists_published_claims_newest_first(self, client):
        older = PublishedClaimFactory(stated_on=datetime.date(2019, 1, 23))
        newer = PublishedClaimFactory(stated_on=datetime.date(2021, 1, 15))
        ClaimFactory(summary="A draft claim.")
        response = client.get(self.url)
        assert list(response.context["claims"]) == [newer, older]
        assert "A draft claim." not in response.content.decode()

    def test_filters_combine(self, client):
        topic, other_topic = TopicFactory(), TopicFactory()
        ryabkov, grushko = ActorFactory(name="Sergei Ryabkov"), ActorFactory(name="Alexander Grushko")
        wanted = {
            "topics": [topic],
            "speaker": ryabkov,
            "evidence_status": EvidenceStatus.DISPUTED,
            "rationale": "Denied.",
            "kind": ClaimKind.DENIAL,
            "stated_on": datetime.date(2020, 7, 6),
        }
        match = PublishedClaimFactory(**wanted)
        # Each of these differs in one filter only.
        PublishedClaimFactory(**{**wanted, "topics": [other_topic]})
        PublishedClaimFactory(**{**wanted, "speaker": grushko})
        PublishedClaimFactory(**{**wanted, "evidence_status": EvidenceStatus.SUPPORTED})
        PublishedClaimFactory(**{**wanted, "kind": ClaimKind.POSITION})
        PublishedClaimFactory(**{**wanted, "stated_on": datetime.date(2019, 7, 6)})

        query = f"?topic={topic.slug}&speaker={ryabkov.slug}&status=disputed&kind=denial&year=2020"
        response = client.get(self.url + query)
        assert list(response.context["claims"]) == [match]
        page = response.content.decode()
        assert (
            f"1 claim about {topic.name}, by Sergei Ryabkov, rated Disputed, of kind denial, from 2020"
            in page
        )

    def test_search_finds_a_speaker_by_an_alias_and_shows_only_their_published_claims(self, client):
        glushko = ActorFactory(name="Alexander Grushko", aliases="Glushko")
        found = PublishedClaimFactory(
            speaker=glushko, summary="The withdrawal destroys a pillar of security."
        )
        PublishedClaimFactory(summary="Something else entirely.")
        ClaimFactory(speaker=glushko, summary="A draft by him.")
        response = client.get(self.url + "?q=Glushko")
        assert list(response.context["claims"]) == [found]
        page = response.content.decode()
        assert "1 claim matching “Glushko”" in page
        assert "The withdrawal destroys a pillar of security." in page
        assert f'<a href="{glushko.get_absolute_url()}">Alexander Grushko</a>' in page  # the card's speaker
        assert "Something else entirely." not in page
        assert "A draft by him." not in page

    def test_search_and_filters_combine(self, client):
        topic = TopicFactory()
        found = PublishedClaimFactory(summary="Treaty violation alleged.", topics=[topic])
        PublishedClaimFactory(summary="Treaty violation alleged again.")
        PublishedClaimFactory(summary="Nothing to see.", topics=[topic])
        response = client.get(f"{self.url}?q=violation&topic={topic.slug}")
        assert list(response.context["claims"]) == [found]

    def test_filters_and_search_survive_paging_back_and_forth(self, client):
        topic = TopicFactory()
        matching = [
            PublishedClaimFactory(summary=f"Violation claim {n}.", topics=[topic], stated_on=MAY_21)
            for n in range(25)
        ]
        PublishedClaimFactory.create_batch(3, summary="Violation elsewhere.", stated_on=MAY_21)

        first = client.get(f"{self.url}?q=violation&topic={topic.slug}")
        assert str(first.context["count"]) == "25"
        assert len(first.context["claims"]) == 20
        page = first.content.decode()
        assert "25 claims matching “violation”" in page
        assert 'rel="prev"' not in page
        # The same day: the earlier page goes on from the last claim shown, by its id.
        next_link = re.search(r'<a rel="next" href="([^"]+)"', page).group(1)
        last_shown = first.context["claims"][-1]
        assert next_link == f"?q=violation&amp;topic={topic.slug}&amp;before=2020-05-21:{last_shown.pk}"

        second = client.get(self.url + next_link.replace("&amp;", "&"))
        shown = list(second.context["claims"])
        assert len(shown) == 5
        assert set(shown) | set(first.context["claims"]) == set(matching)
        page = second.content.decode()
        assert "The 5 claims dated 21 May 2020, newest first." in page
        assert 'rel="next"' not in page
        newer_link = re.search(r'<a rel="prev" href="([^"]+)"', page).group(1)
        assert newer_link == f"?q=violation&amp;topic={topic.slug}&amp;after=2020-05-21:{shown[0].pk}"
        assert f'<a href="?q=violation&amp;topic={topic.slug}">« Latest' in page
        # Back: the 20 claims before the first one shown, the newest first, as on the first page.
        back = client.get(self.url + newer_link.replace("&amp;", "&"))
        assert list(back.context["claims"]) == list(first.context["claims"])

    def test_a_long_list_pages_back_to_its_first_claim_at_the_cost_of_one_page(self, client):
        claims = [
            PublishedClaimFactory(stated_on=MAY_21 - datetime.timedelta(days=number)) for number in range(45)
        ]
        url = self.url
        seen = []
        with CaptureQueriesContext(connection) as every_page:
            while url:
                response = client.get(url)
                seen += response.context["claims"]
                url = response.context["page"].earlier_url and self.url + response.context["page"].earlier_url
        assert seen == claims
        # Three pages (20, 20, 5), each in the same number of queries, one of them the page of claims.
        lists = [query["sql"] for query in every_page.captured_queries if "LIMIT 21" in query["sql"]]
        assert len(lists) == 3

    def test_a_position_that_is_not_one_shows_the_latest_claims_and_past_the_end_none(self, client):
        claim = PublishedClaimFactory(stated_on=MAY_21)
        assert list(client.get(self.url + "?before=someday").context["claims"]) == [claim]
        assert list(client.get(self.url + "?page=99").context["claims"]) == [claim]
        # Newer than the newest: the latest page as it is now.
        assert list(client.get(self.url + f"?after=2020-05-21:{claim.pk}").context["claims"]) == [claim]
        past_the_end = client.get(self.url + "?before=2000-01-01:1")
        assert list(past_the_end.context["claims"]) == []
        assert "No published claim matches before that one." in past_the_end.content.decode()

    def test_newer_claims_from_before_the_oldest_lead_nowhere_earlier(self, client):
        claims = [
            PublishedClaimFactory(stated_on=MAY_21 - datetime.timedelta(days=number)) for number in range(25)
        ]
        response = client.get(self.url + "?after=2000-01-01:1")
        assert list(response.context["claims"]) == claims[5:]  # the oldest 20, the newest first
        assert response.context["page"].earlier_url is None
        assert 'rel="prev"' in response.content.decode()

    def test_an_actors_and_a_topics_page_past_their_last_claim_say_so_and_lead_back(self, client):
        topic = TopicFactory(name="Open Skies Treaty")
        actor = ActorFactory(name="Sergei Ryabkov")
        PublishedClaimFactory(speaker=actor, topics=[topic], stated_on=MAY_21)
        actor_page = html(client, actor.get_absolute_url() + "?made_before=2000-01-01:1")
        assert "No published claims by Sergei Ryabkov before that one." in actor_page
        assert '<a href="?">« Latest' in actor_page
        topic_page = html(client, topic.get_absolute_url() + "?before=2000-01-01:1")
        assert "No claims about Open Skies Treaty before that one." in topic_page
        assert "yet." not in topic_page
        assert '<a href="?">« Latest' in topic_page

    def test_an_unknown_filter_value_is_reported_and_lists_nothing(self, client):
        PublishedClaimFactory()
        response = client.get(self.url + "?status=fabulous&topic=no-such-topic")
        assert list(response.context["claims"]) == []
        page = response.content.decode()
        assert "That evidence status is not one we know. Nothing matches it." in page
        assert "No published claim has a topic called “no-such-topic”. Nothing matches it." in page
        assert "0 claims" in page

    def test_the_filters_offer_only_what_published_claims_use(self, client):
        PublishedClaimFactory(
            speaker=ActorFactory(name="Public Speaker"), topics=[TopicFactory(name="Public topic")]
        )
        ClaimFactory(speaker=ActorFactory(name="Draft Speaker"), topics=[TopicFactory(name="Draft topic")])
        page = html(client, self.url)
        assert "Public Speaker" in page
        assert "Public topic" in page
        assert "Draft Speaker" not in page
        assert "Draft topic" not in page

    def test_the_form_controls_are_labelled(self, client):
        page = html(client, self.url)
        for name in ("q", "topic", "speaker", "status", "kind", "year"):
            assert f'<label for="id_{name}">' in page
            assert f'id="id_{name}"' in page

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(claims):
            Claim.objects.all().delete()
            topic = TopicFactory()
            speaker = ActorFactory()
            PublishedClaimFactory.create_batch(claims, topics=[topic], speaker=speaker)
            return queries_for(client, f"{self.url}?topic={topic.slug}&speaker={speaker.slug}&q=thing")

        # The suggested topics; the first and last years, and which years between have claims; the
        # suggested speakers; the chosen topic and the speaker named; the count (at most 1,001
        # rows); the page of claims (with speaker and target).
        assert count_with(1) == 9
        assert count_with(30) == 9


# --- Actor, topic, source and home pages -------------------------------------------------------


def every_page():
    topic = TopicFactory(description="A treaty.")
    claim = reviewed(topics=[topic], target=ActorFactory())
    return {
        "home": reverse("claims:home"),
        "list": reverse("claims:claim-list"),
        "claim": claim.get_absolute_url(),
        "actor": claim.speaker.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "source": claim.citations.get().source.get_absolute_url(),
    }


def test_every_page_has_one_h1_a_title_a_description_and_opengraph_tags(client):
    for name, url in every_page().items():
        page = html(client, url)
        assert page.count("<h1") == 1, name
        assert re.search(r"<title>[^<]+</title>", page), name
        assert re.search(r'<meta name="description" content="[^"]{20,}">', page), name
        for tag in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert re.search(rf'<meta property="{tag}" content="[^"]+">', page), (name, tag)
        assert '<main id="content"' in page, name
        for landmark in ("<header", "<nav", "<footer"):
            assert landmark in page, (name, landmark)


def test_a_claim_page_is_shared_as_an_article_with_its_summary(client, settings):
    settings.SITE_NAME = "Claim tracker"
    claim = reviewed(summary="Grushko said Russia has not violated the treaty.")
    page = html(client, claim.get_absolute_url())
    assert "<title>Grushko said Russia has not violated the treaty. · Claim tracker</title>" in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="http://testserver{claim.get_absolute_url()}">' in page
    assert "Evidence status: Disputed." in page


def test_drafts_appear_on_no_page(client):
    draft = ClaimFactory(summary="Secret draft summary.", quote="Secret draft quote.")
    source = SourceFactory()
    CitationFactory(claim=draft, source=source)
    topic = TopicFactory()
    draft.topics.add(topic)
    # Its speaker, topic and source have pages only because a published claim refers to them too.
    PublishedClaimFactory(speaker=draft.speaker, topics=[topic], citation__source=source)
    urls = [
        reverse("claims:home"),
        reverse("claims:claim-list"),
        reverse("claims:claim-list") + "?q=Secret",
        draft.speaker.get_absolute_url(),
        topic.get_absolute_url(),
        source.get_absolute_url(),
    ]
    for url in urls:
        assert "Secret draft" not in html(client, url), url


class TestErrorPages:
    def test_the_404_page_helps_the_reader_on(self, client, settings):
        settings.DEBUG = False
        response = client.get("/claims/no-such-claim/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "<h1>We can’t find that page</h1>" in page
        assert "/claims/no-such-claim/" in page
        assert 'action="/claims/"' in page  # a search box
        assert 'href="/claims/"' in page

    def test_the_500_page_renders_without_a_database_or_context(self, rf):
        response = server_error(rf.get("/"))
        assert response.status_code == 500
        assert "Something went wrong on our side" in response.content.decode()


class TestLargeLists:
    """What readers see when a list is longer than a page shows."""

    def test_the_speaker_filter_takes_a_name_part_of_one_or_a_slug(self, client):
        ryabkov = ActorFactory(name="Sergei Ryabkov", aliases="Libuyakov")
        grushko = ActorFactory(name="Alexander Grushko")
        by_ryabkov = PublishedClaimFactory(speaker=ryabkov)
        PublishedClaimFactory(speaker=grushko)
        url = reverse("claims:claim-list")
        for typed in ["Sergei Ryabkov", "ryabkov", "libuyakov", ryabkov.slug]:
            response = client.get(url, {"speaker": typed})
            assert list(response.context["claims"]) == [by_ryabkov], typed
            assert response.context["filters"] == ["by Sergei Ryabkov"]
        page = client.get(url).content.decode()
        assert '<datalist id="speaker-suggestions">' in page
        assert '<option value="Sergei Ryabkov">' in page

    def test_the_topic_filter_takes_a_name_an_alias_or_a_slug(self, client):
        treaty = TopicFactory(name="Open Skies Treaty", aliases="Open Sky Treaty")
        about_treaty = PublishedClaimFactory(topics=[treaty, TopicFactory(name="Arms control")])
        PublishedClaimFactory(topics=[TopicFactory(name="INF Treaty")])
        url = reverse("claims:claim-list")
        for typed in ["Open Skies Treaty", "open sky treaty", treaty.slug]:
            response = client.get(url, {"topic": typed})
            assert list(response.context["claims"]) == [about_treaty], typed
            assert response.context["filters"] == ["about Open Skies Treaty"]
        both = client.get(url, {"topic": "treaty"})  # two topics: their claims, each once
        assert len(both.context["claims"]) == 2
        assert both.context["filters"] == ["about INF Treaty or Open Skies Treaty"]
        assert '<datalist id="topic-suggestions">' in client.get(url).content.decode()

    def test_a_speaker_name_that_matches_nobody_or_too_many_is_explained_and_lists_nothing(self, client):
        for number in range(11):
            PublishedClaimFactory(speaker=ActorFactory(name=f"Minister Number {number}"))
        url = reverse("claims:claim-list")
        unknown = client.get(url, {"speaker": "Grushkov"})
        assert len(unknown.context["claims"]) == 0
        assert (
            "No published claim has a speaker called “Grushkov”. Nothing matches it."
            in unknown.content.decode()
        )
        many = client.get(url, {"speaker": "minister"})
        assert len(many.context["claims"]) == 0
        assert "Too many speakers have that in their name: type more of it." in many.content.decode()

    def test_a_list_is_counted_no_further_than_a_thousand(self, client, monkeypatch):
        monkeypatch.setattr("tracker.pages.COUNTED_AT_MOST", 40)
        PublishedClaimFactory.create_batch(41)
        url = reverse("claims:claim-list")
        assert "More than 40 claims" in html(client, url)
        Claim.objects.first().delete()
        counted = html(client, url)
        assert "40 claims" in counted
        assert "More than" not in counted

    def test_a_search_is_counted_no_further_than_a_hundred(self, client, monkeypatch):
        monkeypatch.setattr("claims.views.SEARCH_COUNTED_AT_MOST", 4)
        PublishedClaimFactory.create_batch(5, summary="The treaty was breached.")
        PublishedClaimFactory.create_batch(3, summary="Nothing to see.")
        url = reverse("claims:claim-list")
        assert "More than 4 claims matching “treaty”" in html(client, url + "?q=treaty")
        assert "8 claims" in html(client, url)
        assert "3 claims matching “nothing”" in html(client, url + "?q=nothing")

    def test_a_topic_timeline_shows_fifty_claims_a_page_the_newest_first(self, client):
        topic = TopicFactory()
        first_day = datetime.date(2020, 1, 1)
        claims = [
            PublishedClaimFactory(topics=[topic], stated_on=first_day + datetime.timedelta(days=day // 2))
            for day in range(52)
        ]
        answer = disputing(claims[0], stated_on=first_day + datetime.timedelta(days=60), topics=[topic])
        latest = client.get(topic.get_absolute_url())
        page = latest.content.decode()
        assert "The 50 latest claims, in date order; earlier ones follow." in page
        assert f'id="claim-{claims[0].pk}"' not in page
        assert f'id="claim-{answer.pk}"' in page
        assert "(elsewhere in this timeline)" in page  # the answer's accusation is on the next page
        # Two claims share the last day shown: the earlier page goes on from the one not shown.
        assert latest.context["page"].earlier_url == f"?before=2020-01-02:{claims[3].pk}"
        earlier = html(client, topic.get_absolute_url() + latest.context["page"].earlier_url)
        assert "The 3 claims dated from 1 January 2020 to 2 January 2020, in date order." in earlier
        assert all(f'id="claim-{claim.pk}"' in earlier for claim in claims[:3])
        assert f'id="claim-{claims[3].pk}"' not in earlier
        assert 'rel="next"' not in earlier
        assert "« Latest" in earlier
        # A position that is not one shows the latest claims.
        assert "The 50 latest claims" in html(client, topic.get_absolute_url() + "?before=someday")

    def test_the_topics_page_lists_every_public_topic_and_the_home_page_the_largest(self, client):
        topics = [TopicFactory(name=f"Topic {number:02d}") for number in range(13)]
        for number, topic in enumerate(topics):
            PublishedClaimFactory.create_batch(number + 1, topics=[topic])
        ClaimFactory(topics=[TopicFactory(name="Only drafts")])
        home = html(client, reverse("claims:home"))
        assert "Topic 00" not in home  # the smallest of 13
        assert "Topic 12" in home
        assert "All 13 topics →" in home
        listed = html(client, reverse("claims:topic-list"))
        assert re.findall(r"Topic \d\d", listed) == [f"Topic {number:02d}" for number in range(13)]
        assert "Only drafts" not in listed
        assert "13 claims" in listed
