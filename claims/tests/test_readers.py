"""What readers see at a glance (the charts of claims/charts/) and the pages a fact-check site is
expected to have: /actors/, /sources/, /about/, /corrections/; search and filters that say what
they match."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import charts
from claims.charts import accusations, exchange
from claims.choices import ClaimKind, EvidenceStatus
from claims.models import Claim, EvidenceStatusChange
from sources.models import Source
from sources.tests.factories import SourceFactory
from tracker.tests.helpers import html, queries_for

from .factories import ActorFactory, ClaimFactory, ClaimRelationFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 21)


def marks(page):
    """The claim URLs the page's chart marks link to."""
    return re.findall(r'<a href="([^"]+)" class="mark"', page)


def an_exchange(topic):
    """An accusation by a state's ministry against another state, and two denials by the other
    state's diplomat (a member of its ministry), three and ten days later."""
    accuser_state = ActorFactory(name="Westland", kind="state")
    accused_state = ActorFactory(name="Eastland", kind="state")
    PublishedClaimFactory(speaker=accuser_state, topics=[topic], stated_on=DAY - datetime.timedelta(days=30))
    PublishedClaimFactory(speaker=accused_state, topics=[topic], stated_on=DAY - datetime.timedelta(days=30))
    ministry = ActorFactory(name="Westland Ministry", kind="organization", affiliation=accuser_state)
    diplomat = ActorFactory(name="Eastland Diplomat", affiliation=ActorFactory(affiliation=accused_state))
    accusation = PublishedClaimFactory(
        speaker=ministry,
        target=accused_state,
        kind=ClaimKind.ACCUSATION,
        topics=[topic],
        stated_on=DAY,
        evidence_status=EvidenceStatus.DISPUTED,
        rationale="Denied; no evidence.",
    )
    denials = []
    for days in (3, 10):
        denial = PublishedClaimFactory(
            speaker=diplomat,
            target=ministry,
            kind=ClaimKind.DENIAL,
            topics=[topic],
            stated_on=DAY + datetime.timedelta(days=days),
        )
        ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type="disputes")
        denials.append(denial)
    return accusation, denials, accused_state


class TestTopicCharts:
    def test_the_exchange_draws_each_claim_as_a_link_in_its_sides_lane_with_answers_joined(self, client):
        topic = TopicFactory(name="Sky Treaty")
        accusation, _denials, _ = an_exchange(topic)
        page = html(client, topic.get_absolute_url())
        drawn = marks(page)
        assert len(drawn) == Claim.objects.about(topic).count() == 5
        assert accusation.get_absolute_url() in drawn
        assert all(client.get(url).status_code == 200 for url in set(drawn))
        # One lane per side: the ministry speaks for Westland, the diplomat (two levels down) for
        # Eastland; the intermediate organisation has no published claim, so it names no lane.
        lanes = re.findall(r'<text class="lane-label"[^>]*>([^<]+)</text>', page)
        assert lanes == ["Eastland", "Westland"]
        assert page.count('class="answer-line"') == 2 + 1  # two answers, and the legend's sample
        assert '<title id="exchange-title">Sky Treaty: who said what, when</title>' in page
        description = re.search(r'<desc id="exchange-desc">([^<]*)</desc>', page).group(1)
        assert "Eastland: 2 denials, 1 assertion; Westland: 1 assertion, 1 accusation" in description
        assert '<th scope="col">Side and speaker</th>' in page  # the table alternative

    def test_a_chart_draws_the_latest_claims_only_and_says_so(self, client, monkeypatch):
        for chart in (exchange, accusations):
            monkeypatch.setattr(chart, "EXCHANGE_MARKS", 3)
        topic = TopicFactory()
        PublishedClaimFactory.create_batch(5, topics=[topic])
        page = html(client, topic.get_absolute_url())
        assert len(marks(page)) == 3
        assert "The latest 3 of 5 claims" in page

    def test_who_accuses_whom_draws_an_arrow_per_pair_weighted_by_count(self, client):
        topic = TopicFactory(name="Sky Treaty")
        accusation, _, accused = an_exchange(topic)
        PublishedClaimFactory(
            speaker=accusation.speaker, target=accused, kind=ClaimKind.COUNTER_ACCUSATION, topics=[topic]
        )
        chart = charts.who_accuses_whom(topic)
        assert [(arrow.accuser.name, arrow.target.name, arrow.count) for arrow in chart.arrows] == [
            ("Westland Ministry", "Eastland", 2)
        ]
        assert chart.arrows[0].breakdown == "1 not yet reviewed, 1 disputed"
        page = html(client, topic.get_absolute_url())
        assert "Westland Ministry accused Eastland 2 times" in page
        arrow_url = re.search(r'<a href="([^"]+)" class="arrow"', page).group(1).replace("&amp;", "&")
        assert set(client.get(arrow_url).context["claims"]) == {
            accusation,
            *Claim.objects.filter(kind=ClaimKind.COUNTER_ACCUSATION),
        }

    def test_a_lane_never_names_an_affiliation_no_published_claim_names(self, client):
        hidden_state = ActorFactory(name="Hidden State", kind="state")
        topic = TopicFactory()
        PublishedClaimFactory(
            speaker=ActorFactory(name="A Minister", affiliation=hidden_state), topics=[topic]
        )
        page = html(client, topic.get_absolute_url())
        assert "Hidden State" not in page
        assert re.findall(r'<text class="lane-label"[^>]*>([^<]+)</text>', page) == ["A Minister"]


class TestActorRecord:
    def test_it_counts_claims_by_status_accusations_both_ways_and_the_median_days_to_answer(self, client):
        topic = TopicFactory()
        accusation, _denials, accused = an_exchange(topic)
        second = PublishedClaimFactory(
            speaker=accusation.speaker, target=accused, kind=ClaimKind.ACCUSATION, stated_on=DAY
        )
        late_denial = PublishedClaimFactory(
            speaker=accused, kind=ClaimKind.DENIAL, stated_on=DAY + datetime.timedelta(days=7)
        )
        ClaimRelationFactory(from_claim=late_denial, to_claim=second, relation_type="responds_to")
        record = charts.actor_record(accused)
        # The first answers came 3 days (its diplomat) and 7 days (itself) after: median 5.
        assert (record.timed, record.answered, record.median_days_to_answer) == (2, 2, 5)
        assert [(actor.name, count) for actor, count in record.accusers] == [("Westland Ministry", 2)]
        page = html(client, accused.get_absolute_url())
        assert "Median 5 days from an accusation to its side's first denial or counter-accusation" in page
        assert "from <a href=" in page
        assert "Westland Ministry</a> (2)" in page

        ministry = charts.actor_record(accusation.speaker)
        assert [(status, count) for status, count, *_ in ministry.statuses] == [
            (EvidenceStatus.UNREVIEWED, 1),
            (EvidenceStatus.DISPUTED, 1),
        ]
        ministry_page = html(client, accusation.speaker.get_absolute_url())
        segment = re.search(r'<a href="([^"]+)" class="mark" aria-label="1 disputed"', ministry_page).group(1)
        assert client.get(segment.replace("&amp;", "&")).context["claims"] == [accusation]

    def test_the_api_gives_an_actors_record_on_its_detail_and_not_in_lists(self, api):
        topic = TopicFactory()
        _, _, accused = an_exchange(topic)
        detail = api.get(f"/api/v1/actors/{accused.pk}/").json()
        assert detail["record"]["accusations_received_from"] == [
            {"slug": "westland-ministry", "name": "Westland Ministry", "count": 1}
        ]
        assert detail["record"]["median_days_to_answer"] == 3
        assert "record" not in api.get("/api/v1/actors/").json()["results"][0]
        schema = api.get("/api/v1/schema/").content.decode()
        assert "median_days_to_answer" in schema


class TestClaimThreadChart:
    def test_a_claims_thread_is_drawn_beside_it_with_the_claim_ringed(self, client):
        accusation, denials, _ = an_exchange(TopicFactory())
        page = html(client, accusation.get_absolute_url())
        assert set(marks(page)) == {claim.get_absolute_url() for claim in [accusation, *denials]}
        assert page.count('class="current-ring"') == 1


class TestKeptCharts:
    """With the public cache on, a topic's or actor's page at another position prints the charts
    kept under the record's version rather than drawing them again."""

    @pytest.mark.parametrize("page", ["topic", "actor"])
    def test_a_kept_chart_prints_the_bytes_drawn_afresh_and_a_write_draws_it_again(
        self, client, settings, page
    ):
        settings.PUBLIC_CACHE_SECONDS = 600
        topic = TopicFactory(name="Sky Treaty")
        accusation, _denials, accused = an_exchange(topic)
        subject, position = (topic, "before") if page == "topic" else (accusation.speaker, "made_before")
        url = subject.get_absolute_url()
        drawn = queries_for(client, f"{url}?{position}=2030-01-01:1")
        kept = queries_for(client, f"{url}?{position}=2029-01-01:1")
        assert kept < drawn
        kept_page = html(client, f"{url}?{position}=2029-01-01:1")
        settings.PUBLIC_CACHE_SECONDS = 0
        assert kept_page == html(client, f"{url}?{position}=2029-01-01:1")

        settings.PUBLIC_CACHE_SECONDS = 600
        later = PublishedClaimFactory(
            speaker=accusation.speaker,
            target=accused,
            kind=ClaimKind.ACCUSATION,
            topics=[topic],
            stated_on=DAY + datetime.timedelta(days=20),
        )
        redrawn = html(client, f"{url}?{position}=2028-01-01:1")
        assert redrawn != kept_page
        if page == "topic":
            assert later.get_absolute_url() in marks(redrawn)
        else:
            assert "Accusations made</dt><dd>2:" in redrawn
        settings.PUBLIC_CACHE_SECONDS = 0
        assert redrawn == html(client, f"{url}?{position}=2028-01-01:1")


class TestHomePage:
    def test_the_busiest_disputes_are_drawn_as_small_multiples(self, client):
        busy, quiet = TopicFactory(name="Busy"), TopicFactory(name="Quiet")
        an_exchange(busy)
        PublishedClaimFactory(topics=[quiet])
        page = html(client, reverse("claims:home"))
        assert page.index(f'<a href="{busy.get_absolute_url()}">Busy</a></h3>') < page.index(
            f'<a href="{quiet.get_absolute_url()}">Quiet</a></h3>'
        )
        assert len(marks(page)) == 6


class TestActorList:
    url = reverse("claims:actor-list")

    def test_it_lists_public_actors_searchable_and_sorted_by_their_counts(self, client):
        busy = ActorFactory(name="Busy Speaker", aliases="Bizzy")
        accused = ActorFactory(name="Often Accused")
        PublishedClaimFactory.create_batch(2, speaker=busy)
        PublishedClaimFactory.create_batch(3, target=accused, kind=ClaimKind.ACCUSATION)
        ClaimFactory(speaker=ActorFactory(name="Drafts Only"))
        by_claims = html(client, self.url)
        assert "Drafts Only" not in by_claims
        assert by_claims.index("Busy Speaker") < by_claims.index("Often Accused")
        by_accusations = html(client, self.url + "?sort=accusations")
        assert by_accusations.index("Often Accused") < by_accusations.index("Busy Speaker")
        assert list(client.get(self.url, {"q": "bizzy"}).context["page_obj"]) == [busy]
        assert "No actor in the record is called “Nobody”." in html(client, self.url + "?q=Nobody")

    @pytest.mark.parametrize(
        "query", ["?sort=shoe-size", "?page=999", "?page=abc", "?page=-1", "?sort=&page=0"]
    )
    def test_bad_input_gets_the_first_or_last_page_not_an_error(self, client, query):
        PublishedClaimFactory()
        assert client.get(self.url + query).status_code == 200

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(actors):
            for _ in range(actors):
                PublishedClaimFactory(target=ActorFactory(), kind=ClaimKind.ACCUSATION)
            return queries_for(client, self.url + "?sort=accusations")

        # The count of public actors; the page of them.
        assert count_with(1) == 2
        assert count_with(60) == 2


class TestAboutPage:
    def test_every_status_has_an_entry_and_every_badge_links_to_it(self, client):
        page = html(client, reverse("claims:about"))
        for status in EvidenceStatus:
            assert f'id="status-{status.value}"' in page
            assert status.meaning in page
        claim_page = html(
            client, PublishedClaimFactory(evidence_status="supported", rationale="Seen.").get_absolute_url()
        )
        assert f'href="{reverse("claims:about")}#status-supported"' in claim_page
        assert "Who said it, and whether it is true" in page

    def test_it_runs_no_query(self, client):
        assert queries_for(client, reverse("claims:about")) == 0


class TestCorrections:
    def claim_with_a_mistaken_step(self):
        claim = PublishedClaimFactory(evidence_status="supported", rationale="A report supports it.")
        step = claim.status_changes.get()
        step.mark_corrected("The report was about another meeting.")
        return claim, step

    def test_a_corrected_step_stays_in_the_history_marked_and_is_logged(self, client):
        claim, step = self.claim_with_a_mistaken_step()
        draft = ClaimFactory(evidence_status="supported", rationale="x")
        draft.status_changes.get().mark_corrected("A draft's correction.")
        page = html(client, claim.get_absolute_url())
        assert (
            'Not yet reviewed → <strong>Supported</strong> <span class="corrected-flag">(corrected)</span>'
            in page
        )
        assert "The report was about another meeting." in page
        assert f'href="#correction-{step.pk}"' in page
        log = html(client, reverse("claims:corrections"))
        assert f'href="{claim.get_absolute_url()}#correction-{step.pk}"' in log
        assert "A draft's correction." not in log
        assert EvidenceStatusChange.objects.filter(pk=step.pk).exists()

    def test_an_editor_marks_a_step_corrected_in_the_admin_and_cannot_delete_it(self, editor_client):
        claim = PublishedClaimFactory(evidence_status="supported", rationale="A report supports it.")
        step = claim.status_changes.get()
        url = reverse("admin:claims_evidencestatuschange_change", args=[step.pk])
        assert (
            f'href="{url}">Mark as corrected'
            in editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
        )
        response = editor_client.post(url, {"correction_note": "Misread the source."})
        assert response.status_code == 302
        step.refresh_from_db()
        assert (step.correction_note, step.corrected_at is not None, step.to_status) == (
            "Misread the source.",
            True,
            "supported",
        )
        delete = reverse("admin:claims_evidencestatuschange_delete", args=[step.pk])
        assert editor_client.post(delete, {"post": "yes"}).status_code == 403

    def test_a_correction_without_a_note_is_refused_naming_the_field(self, editor_client):
        step = PublishedClaimFactory(evidence_status="supported", rationale="Seen.").status_changes.get()
        url = reverse("admin:claims_evidencestatuschange_change", args=[step.pk])
        response = editor_client.post(url, {"correction_note": "  "})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["correction_note"] == [
            "Say, for readers, what was wrong with this step."
        ]
        step.refresh_from_db()
        assert step.corrected_at is None

    def test_the_log_runs_a_constant_number_of_queries(self, client):
        def count_with(corrections):
            for _ in range(corrections):
                self.claim_with_a_mistaken_step()
            return queries_for(client, reverse("claims:corrections"))

        # The count; the page of steps with their claims and speakers.
        assert count_with(1) == 2
        assert count_with(30) == 2

    def test_a_revert_reads_as_words_not_a_version_number(self):
        step = EvidenceStatusChange(reason="Reverted to version #225 of 2026-12-07 05:35 UTC: wrong claim")
        assert step.public_reason == "Restored the assessment as it stood on 2026-12-07. wrong claim"


class TestSourceList:
    def test_it_lists_cited_sources_by_outlet_then_latest_first(self, client):
        older = SourceFactory(outlet="Xinhua", published_on=datetime.date(2020, 1, 1), title="Older")
        newer = SourceFactory(outlet="Xinhua", published_on=datetime.date(2021, 1, 1), title="Newer")
        other = SourceFactory(outlet="Agence", published_on=datetime.date(2019, 1, 1), title="Other")
        for source in (older, newer, other):
            PublishedClaimFactory(citation__source=source)
        SourceFactory(title="Cited by a draft only")
        page = html(client, reverse("sources:source-list"))
        assert page.index("Agence") < page.index("Xinhua") < page.index("Newer") < page.index("Older")
        assert "Cited by a draft only" not in page

    def test_it_runs_a_constant_number_of_queries(self, client):
        def count_with(sources):
            for _ in range(sources):
                PublishedClaimFactory()
            return queries_for(client, reverse("sources:source-list"))

        assert count_with(1) == count_with(30) == 2  # the count; the page


class TestSearchAndFilters:
    url = reverse("claims:claim-list")

    def test_a_search_matches_other_forms_of_its_words_without_postgresql(self, client):
        expelled = PublishedClaimFactory(summary="Russia is expelling two diplomats.")
        violated = PublishedClaimFactory(summary="The treaty was violated.")
        PublishedClaimFactory(summary="Something else.")
        assert list(client.get(self.url, {"q": "expelled"}).context["claims"]) == [expelled]
        assert list(client.get(self.url, {"q": "violating treaties"}).context["claims"]) == [violated]

    def test_the_year_filter_offers_only_years_with_claims(self, client):
        for year in (2018, 2021):
            PublishedClaimFactory(stated_on=datetime.date(year, 3, 1))
        ClaimFactory(stated_on=datetime.date(2019, 3, 1))  # a draft's year is not offered
        years = client.get(self.url).context["form"].fields["year"].choices
        assert years == [("", "Any year"), (2021, 2021), (2018, 2018)]

    def test_a_claim_dated_centuries_back_by_mistake_still_lets_the_list_open(self, client):
        PublishedClaimFactory(stated_on=datetime.date(20, 3, 1))
        PublishedClaimFactory(stated_on=datetime.date(2021, 3, 1))
        response = client.get(self.url)
        assert response.status_code == 200
        assert response.context["form"].fields["year"].choices == [("", "Any year"), (2021, 2021)]


def test_the_dataset_reads_as_written_for_readers_and_is_dated_by_its_review(client):
    call_command("load_dataset", stdout=StringIO())
    curators_notes = re.compile(r"\barticle \d{3}\b|\(\d{3}[ ,)]|\b00\d\b")
    for claim in Claim.objects.published():
        assert not curators_notes.search(claim.rationale), claim.slug
        for step in claim.status_changes.all():
            assert step.changed_at.date() == datetime.date(2026, 11, 22), claim.slug
    page = html(client, Claim.objects.get(slug="thompson-9m729-violates-inf-2019-01").get_absolute_url())
    assert 'Last reviewed <time datetime="2026-11-22">22 November 2026</time>' in page
    assert not curators_notes.search(html(client, reverse("claims:actor-detail", args=["andrea-thompson"])))
    for source in Source.objects.all():
        assert not curators_notes.search(source.notes), source.slug
