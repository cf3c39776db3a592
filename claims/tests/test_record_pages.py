"""The pages of an actor, a topic and a source, and the home page."""

import datetime

import pytest
from django.urls import reverse

from claims.choices import ActorKind, ClaimKind, DatePrecision
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
from .test_pages import MAY_21, disputing, reviewed

pytestmark = pytest.mark.django_db


class TestActorPage:
    def test_it_says_who_they_are(self, client):
        mfa = ActorFactory(name="Russian Ministry of Foreign Affairs", kind=ActorKind.ORGANIZATION)
        ryabkov = ActorFactory(
            name="Sergei Ryabkov",
            aliases="Libuyakov\nRiyabkov",
            affiliation=mfa,
            description="Russian diplomat.",
            wikidata_id="Q4349227",
        )
        PublishedClaimFactory(speaker=ryabkov, speaker_role="Russian Deputy Foreign Minister")
        PublishedClaimFactory(speaker=mfa)  # so the ministry has a page to link to
        page = html(client, ryabkov.get_absolute_url())
        assert "<h1>Sergei Ryabkov</h1>" in page
        assert "Russian diplomat." in page
        assert "Russian Deputy Foreign Minister" in page
        assert f'href="{mfa.get_absolute_url()}">Russian Ministry of Foreign Affairs</a>' in page
        assert "Also written as</dt><dd>Libuyakov, Riyabkov</dd>" in page
        assert "https://www.wikidata.org/wiki/Q4349227" in page

    def test_it_lists_their_claims_and_the_accusations_against_them(self, client):
        russia = ActorFactory(name="Russian Federation")
        made = PublishedClaimFactory(speaker=russia, summary="Russia denied it.")
        accusation = PublishedClaimFactory(
            target=russia, kind=ClaimKind.ACCUSATION, summary="Russia cheated."
        )
        ClaimFactory(speaker=russia, summary="A draft by Russia.")
        ClaimFactory(target=russia, kind=ClaimKind.ACCUSATION, summary="A draft accusation.")
        response = client.get(russia.get_absolute_url())
        assert list(response.context["claims_made"]) == [made]
        assert list(response.context["accusations"]) == [accusation]
        page = response.content.decode()
        assert "A draft" not in page

    def test_each_list_pages_on_its_own_and_keeps_the_other_page(self, client):
        russia = ActorFactory()
        made = PublishedClaimFactory.create_batch(25, speaker=russia)
        against = PublishedClaimFactory.create_batch(22, target=russia, kind=ClaimKind.ACCUSATION)
        first = client.get(russia.get_absolute_url())
        page = first.content.decode()
        assert 'Claims made <span class="count">(25)</span>' in page
        made_earlier = first.context["claims_made"].earlier_url
        against_earlier = first.context["accusations"].earlier_url
        assert made_earlier.startswith("?made_before=")
        assert against_earlier.startswith("?against_before=")

        both = client.get(russia.get_absolute_url() + made_earlier + "&" + against_earlier[1:])
        assert len(both.context["claims_made"]) == 5
        assert len(both.context["accusations"]) == 2
        assert set(both.context["claims_made"]) | set(first.context["claims_made"]) == set(made)
        assert set(both.context["accusations"]) | set(first.context["accusations"]) == set(against)
        page = both.content.decode()
        # Back to the latest claims made, the accusations' page unchanged; and the converse.
        assert f'href="{against_earlier}">« Latest' in page.replace("&amp;", "&")
        assert f'href="{made_earlier}">« Latest' in page.replace("&amp;", "&")

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(claims):
            actor = ActorFactory(affiliation=ActorFactory())
            PublishedClaimFactory.create_batch(claims, speaker=actor, speaker_role="Minister")
            PublishedClaimFactory.create_batch(claims, target=actor, kind=ClaimKind.ACCUSATION)
            return queries_for(client, actor.get_absolute_url())

        # The actor with their affiliation and stored counts; their roles; their members; for each
        # of the two lists, the page of claims (no count: the actor's are stored); the record: its
        # latest claims' statuses, whom its accusations name, who accuses it, those actors' names,
        # the latest accusations against it and their answers from its side.
        assert count_with(1) == 11
        assert count_with(30) == 11


class TestTopicPage:
    def test_it_is_a_timeline_by_month_with_replies_under_what_they_answer(self, client):
        topic = TopicFactory(name="Open Skies Treaty", aliases="Open Sky Treaty")
        accusation = reviewed(summary="Accusation of 21 May.", stated_on=MAY_21, topics=[topic])
        denial = disputing(
            accusation,
            summary="Denial of July.",
            stated_on=datetime.date(2020, 7, 6),
            topics=[topic],
        )
        later = PublishedClaimFactory(
            summary="A claim of June.", stated_on=datetime.date(2020, 6, 2), topics=[topic]
        )
        yearly = PublishedClaimFactory(
            summary="A claim of 2020.",
            stated_on=datetime.date(2020, 1, 1),
            stated_on_precision=DatePrecision.YEAR,
            topics=[topic],
        )
        PublishedClaimFactory(summary="About another topic.")

        response = client.get(topic.get_absolute_url())
        timeline = response.context["timeline"]
        assert [group.label for group in timeline] == ["May 2020", "June 2020", "2020, month not known"]
        (may_entry,) = timeline[0].entries
        assert may_entry.claim == accusation
        assert [reply.claim for reply in may_entry.replies] == [denial]
        assert [entry.claim for entry in timeline[1].entries] == [later]
        assert [entry.claim for entry in timeline[2].entries] == [yearly]
        page = response.content.decode()
        assert "Also called</span> Open Sky Treaty" in page
        assert "About another topic." not in page
        assert f'href="#claim-{accusation.pk}">' in page  # the denial links to what it disputes

    def test_a_reply_is_drawn_under_what_it_answers_with_user_text_escaped(self, client):
        topic = TopicFactory()
        speaker = ActorFactory(name="<b>Bold</b> & Co")
        accusation = reviewed(
            summary="<script>alert('accusation')</script>", stated_on=MAY_21, speaker=speaker, topics=[topic]
        )
        denial = disputing(
            accusation, summary="A denial.", stated_on=datetime.date(2020, 7, 6), topics=[topic]
        )
        elsewhere = PublishedClaimFactory(speaker=ActorFactory(name="Another topic's speaker"))
        ClaimRelationFactory(from_claim=denial, to_claim=elsewhere, relation_type="responds_to")

        page = html(client, topic.get_absolute_url())
        assert "<script>alert" not in page
        assert "<b>Bold" not in page
        assert "&lt;script&gt;alert(&#x27;accusation&#x27;)&lt;/script&gt;" in page
        speaker_written = "&lt;b&gt;Bold&lt;/b&gt; &amp; Co"
        replies_list = f'<ol class="replies" aria-label="Replies to {speaker_written}, 21 May 2020">'
        replies = page.split(replies_list)[1]
        assert replies.index(f'id="claim-{denial.pk}"') < replies.index("</ol>")
        assert (
            f'<a href="#claim-{accusation.pk}">&lt;b&gt;Bold&lt;/b&gt; &amp; Co, 21 May 2020</a>' in replies
        )
        assert (
            f'<a href="{elsewhere.get_absolute_url()}">'
            f"Another topic&#x27;s speaker, {elsewhere.display_date}</a>"
            ' <span class="note">(on another topic)</span>'
        ) in replies

    def test_drafts_and_relations_to_drafts_do_not_appear(self, client):
        topic = TopicFactory()
        accusation = PublishedClaimFactory(topics=[topic], summary="Published accusation.")
        draft = ClaimFactory(topics=[topic], summary="Draft denial.")
        ClaimRelationFactory(from_claim=draft, to_claim=accusation)
        page = html(client, topic.get_absolute_url())
        assert "Published accusation." in page
        assert "Draft denial." not in page

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(claims):
            topic = TopicFactory()
            accusations = PublishedClaimFactory.create_batch(claims, topics=[topic])
            for accusation in accusations:
                disputing(accusation, topics=[topic])
                ClaimRelationFactory(
                    from_claim=accusation, to_claim=PublishedClaimFactory(), relation_type="responds_to"
                )
            return queries_for(client, topic.get_absolute_url())

        # The topic; its claims with speakers and targets; their relations to published claims
        # (the timeline indents a reply under what it answers, so it needs them one way only); which
        # of the claims they relate to are elsewhere on the topic's timeline. The exchange chart:
        # the latest claims with their speakers' affiliations, the answers among them (who accuses
        # whom reads the same claims).
        assert count_with(1) == 6
        assert count_with(30) == 6


class TestSourcePage:
    def test_it_shows_the_source_and_every_published_claim_cited_from_it(self, client):
        source = SourceFactory(
            title="Russian Deputy Foreign Minister Calls for Equal Dialogue",
            outlet="Xinhua News Agency",
            author="Wu Gang",
            published_on=datetime.date(2020, 7, 6),
            notes="Year inferred from the text.",
        )
        cited = PublishedClaimFactory(
            citation__source=source, citation__excerpt="Ryabkov said it is unfounded."
        )
        CitationFactory(claim=ClaimFactory(summary="A draft cited from it."), source=source)
        PublishedClaimFactory(summary="Cited elsewhere.")

        response = client.get(source.get_absolute_url())
        assert list(response.context["claims"]) == [cited]
        page = response.content.decode()
        for text in (
            "Xinhua News Agency",
            "Wu Gang",
            "6 July 2020",
            "English",
            "Year inferred from the text.",
        ):
            assert text in page
        assert "Ryabkov said it is unfounded." in page
        assert "A draft cited from it." not in page
        assert "Cited elsewhere." not in page

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(claims):
            source = SourceFactory()
            PublishedClaimFactory.create_batch(claims, citation__source=source, topics=[TopicFactory()])
            return queries_for(client, source.get_absolute_url())

        # The source; how many claims cite it (up to 5,001); a page of them; their citations of
        # this source.
        assert count_with(1) == 4
        assert count_with(30) == 4


class TestClaimCards:
    def test_user_written_text_on_a_card_is_escaped_wherever_cards_are_listed(self, client):
        source = SourceFactory()
        speaker = ActorFactory(name="<b>Speaker</b>")
        target = ActorFactory(name="<i>Target</i>")
        claim = PublishedClaimFactory(
            summary="<script>alert('card')</script>",
            speaker=speaker,
            speaker_role="<em>Minister</em>",
            target=target,
            kind=ClaimKind.ACCUSATION,
            citation__source=source,
            citation__excerpt="<img src=x onerror=alert(1)>",
            citation__locator="<u>paragraph 3</u>",
        )
        disputing(claim)
        pages = {
            "list": html(client, reverse("claims:claim-list")),
            "speaker": html(client, speaker.get_absolute_url()),
            "target": html(client, target.get_absolute_url()),
            "source": html(client, source.get_absolute_url()),
        }
        for name, page in pages.items():
            assert "<script>alert" not in page, name
            assert f'<a href="{claim.get_absolute_url()}">&lt;script&gt;alert(&#x27;card&#x27;)' in page, name
            assert "Disputed by 1 claim</span>" in page, name

        def card(page):
            return page.split(f'<a href="{claim.get_absolute_url()}">')[1].split("</li>")[0]

        assert "&lt;b&gt;Speaker&lt;/b&gt;</a>, &lt;em&gt;Minister&lt;/em&gt; · <time" in card(pages["list"])
        assert "against <a" in card(pages["list"])
        assert "Speaker" not in card(pages["speaker"])  # not on the speaker's own page
        assert "Target" not in card(pages["target"])  # nor the target on the target's
        assert "<p>&lt;img src=x onerror=alert(1)&gt;</p>" in pages["source"]
        assert "&lt;u&gt;paragraph 3&lt;/u&gt;</footer>" in pages["source"]


class TestHomePage:
    def test_it_shows_the_topics_the_latest_and_the_claims_with_most_counter_claims(self, client):
        topic = TopicFactory(name="INF Treaty")
        ClaimFactory(topics=[TopicFactory(name="A topic only drafts are about")])
        most = PublishedClaimFactory(
            summary="Most disputed.", topics=[topic], stated_on=datetime.date(2019, 1, 1)
        )
        less = PublishedClaimFactory(summary="Less disputed.", stated_on=datetime.date(2019, 2, 1))
        for _ in range(3):
            disputing(most, stated_on=datetime.date(2019, 3, 1))
        disputing(less, stated_on=datetime.date(2019, 3, 1))
        for _ in range(3):  # drafts' disputes do not count
            ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=less)
        newest = PublishedClaimFactory(summary="Newest.", stated_on=datetime.date(2021, 1, 15))
        ClaimFactory(summary="A draft.", stated_on=datetime.date(2022, 1, 1))

        response = client.get(reverse("claims:home"))
        assert [topic.name for topic in response.context["topics"]] == ["INF Treaty"]
        assert list(response.context["claims_with_most_counter_claims"]) == [most, less]
        assert response.context["latest_claims"][0] == newest
        page = response.content.decode()
        assert "Disputed by 3 claims" in page
        assert "A draft." not in page

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(claims):
            Claim.objects.all().delete()
            topics = TopicFactory.create_batch(claims)
            for claim in PublishedClaimFactory.create_batch(claims, topics=topics):
                disputing(claim)
            return queries_for(client, reverse("claims:home"))

        # The topics with the most claims, and how many topics there are; the latest claims; the
        # most disputed claims; the busiest topics, and for each of their charts (HOME_DISPUTES at
        # most) its latest claims and the answers among them.
        assert count_with(1) == 7
        assert count_with(3) == 11
        assert count_with(30) == 11


# --- Every page --------------------------------------------------------------------------------
