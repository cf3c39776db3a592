import base64
import csv
import datetime
import io
from itertools import chain

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import operations
from claims.api.export import claim_records
from claims.choices import DatePrecision, EvidenceStatus
from claims.models import Claim, ClaimTombstone
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.api import csv_response
from tracker.tests.helpers import queries_for

from .factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    PublishedClaimFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


class TestClaimShape:
    def test_a_claim_carries_who_when_what_evidence_and_links(self, api):
        topic = TopicFactory(name="Open Skies Treaty", slug="open-skies-treaty")
        accusation = PublishedClaimFactory(
            summary="Pompeo accused Russia of violating the treaty.",
            speaker=ActorFactory(name="Mike Pompeo", slug="mike-pompeo"),
            target=ActorFactory(name="Russian Federation", kind="state"),
            stated_on=datetime.date(2020, 5, 21),
            topics=[topic],
        )
        denial = PublishedClaimFactory(
            stated_on=datetime.date(2020, 5, 1), stated_on_precision=DatePrecision.MONTH
        )
        ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type="disputes")
        accusation.rationale = "Russia denies it; no evidence is cited."
        operations.change_evidence_status(
            accusation, EvidenceStatus.DISPUTED, reason="Denied by the accused."
        )

        claim = api.get(f"{API}/claims/{accusation.pk}/").json()

        assert claim["url"] == f"http://testserver{API}/claims/{accusation.pk}/"
        assert claim["page_url"] == f"http://testserver/claims/{accusation.slug}/"
        assert claim["speaker"]["name"] == "Mike Pompeo"
        assert claim["speaker"]["url"].startswith("http://testserver/api/v1/actors/")
        assert claim["target"]["kind"] == "state"
        assert (claim["stated_on"], claim["date_precision"], claim["date_display"]) == (
            "2020-05-21",
            "day",
            "21 May 2020",
        )
        assert claim["topics"] == [
            {
                "id": topic.pk,
                "url": f"http://testserver{API}/topics/{topic.pk}/",
                "slug": "open-skies-treaty",
                "name": "Open Skies Treaty",
            }
        ]
        assert claim["evidence_status"] == {"code": "disputed", "label": "Disputed"}
        assert claim["status_history"][0]["reason"] == "Denied by the accused."
        assert claim["status_history"][0]["to_status"] == {"code": "disputed", "label": "Disputed"}
        assert claim["citations"][0]["outlet"] == "Xinhua News Agency"
        assert claim["citations"][0]["stance"] == "reports"
        assert claim["citations"][0]["document_url"] is None  # unknown, not an empty string
        assert claim["disputed_by"] == [
            {"id": denial.pk, "url": f"http://testserver{API}/claims/{denial.pk}/"}
        ]
        assert claim["disputes"] == []

        other_side = api.get(f"{API}/claims/{denial.pk}/").json()
        assert [link["id"] for link in other_side["disputes"]] == [accusation.pk]
        assert other_side["date_display"] == "May 2020"
        assert other_side["date_precision"] == "month"


class TestDraftsAreInvisible:
    def test_drafts_are_not_listed_found_counted_exported_or_linked(self, api):
        speaker = ActorFactory()
        published = PublishedClaimFactory(speaker=speaker)
        draft = ClaimFactory(speaker=speaker, target=speaker, kind="accusation")
        CitationFactory(claim=draft)
        ClaimRelationFactory(from_claim=draft, to_claim=published)

        assert ids(api.get(f"{API}/claims/")) == [published.pk]
        assert api.get(f"{API}/claims/{draft.pk}/").status_code == 404
        assert api.get(f"{API}/claims/{published.pk}/").json()["disputed_by"] == []
        assert [row["id"] for row in csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))] == [
            str(published.pk)
        ]
        actor = api.get(f"{API}/actors/{speaker.pk}/").json()
        assert (actor["claims_made_count"], actor["accusations_received_count"]) == (1, 0)
        assert api.get(f"{API}/relations/").json()["results"] == []
        assert [citation["claim"] for citation in api.get(f"{API}/citations/").json()["results"]] == [
            published.pk
        ]

    def test_editors_see_drafts_with_their_state(self, editor_api):
        draft = ClaimFactory()
        assert api_get_json(editor_api, f"{API}/claims/{draft.pk}/")["publication_state"] == "draft"


def api_get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


class TestFilters:
    def test_by_speaker_target_topic_status_kind_and_attribution(self, api):
        grushko = ActorFactory(slug="alexander-grushko")
        usa = ActorFactory(slug="united-states", kind="state")
        topic = TopicFactory(slug="open-skies-treaty")
        wanted = PublishedClaimFactory(
            speaker=grushko,
            target=usa,
            topics=[topic],
            evidence_status="disputed",
            rationale="Denied.",
            kind="counter_accusation",
            attribution="reported",
        )
        PublishedClaimFactory(speaker=grushko, kind="position", attribution="on_record")
        PublishedClaimFactory(topics=[topic])
        for params in [
            {"speaker": "alexander-grushko", "kind": "counter_accusation"},
            {"target": "united-states"},
            {"topic": "open-skies-treaty", "status": "disputed"},
            {"speaker": "alexander-grushko", "attribution": "reported"},
        ]:
            assert ids(api.get(f"{API}/claims/", params)) == [wanted.pk], params

    def test_date_ranges_honour_precision(self, api):
        may = PublishedClaimFactory(stated_on=datetime.date(2020, 5, 1), stated_on_precision="month")
        year = PublishedClaimFactory(stated_on=datetime.date(2020, 1, 1), stated_on_precision="year")
        day = PublishedClaimFactory(stated_on=datetime.date(2020, 5, 21))
        PublishedClaimFactory(stated_on=datetime.date(2019, 12, 31))
        found = set(
            ids(api.get(f"{API}/claims/", {"stated_after": "2020-05-15", "stated_before": "2020-05-31"}))
        )
        assert found == {may.pk, year.pk, day.pk}
        assert set(ids(api.get(f"{API}/claims/", {"stated_after": "2020-05-22"}))) == {may.pk, year.pk}
        assert set(ids(api.get(f"{API}/claims/", {"stated_before": "2020-04-30"}))) == {
            year.pk,
            Claim.objects.get(stated_on=datetime.date(2019, 12, 31)).pk,
        }

    def test_updated_since_returns_what_changed(self, api):
        old = PublishedClaimFactory()
        Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
        recent = PublishedClaimFactory()
        since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
        assert ids(api.get(f"{API}/claims/", {"updated_since": since})) == [recent.pk]

    @pytest.mark.parametrize("parameter", ["has_counter_claims", "disputed"])  # "disputed": the old name
    def test_with_counter_claims_or_not(self, api, parameter):
        accusation = PublishedClaimFactory()
        denial = PublishedClaimFactory()
        ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type="disputes")
        assert ids(api.get(f"{API}/claims/", {parameter: "true"})) == [accusation.pk]
        assert set(ids(api.get(f"{API}/claims/", {parameter: "false"}))) == {denial.pk}

    def test_the_old_name_of_has_counter_claims_is_marked_deprecated_in_the_schema(self, api):
        schema = api.get(f"{API}/schema/", {"format": "json"}).json()
        parameters = {item["name"]: item for item in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
        assert parameters["disputed"]["deprecated"] is True
        assert "deprecated" not in parameters["has_counter_claims"]

    def test_search_finds_words_and_the_spellings_of_the_speaker(self, api):
        grushko = ActorFactory(name="Alexander Grushko", aliases="Glushko")
        wanted = PublishedClaimFactory(speaker=grushko, summary="The US withdrew for imagined reasons.")
        PublishedClaimFactory(summary="The treaty kept the peace.")
        assert ids(api.get(f"{API}/claims/", {"q": "Glushko"})) == [wanted.pk]
        assert ids(api.get(f"{API}/claims/", {"q": "imagined reasons"})) == [wanted.pk]

    def test_actors_are_found_by_any_spelling(self, api):
        grushko = ActorFactory(name="Alexander Grushko", aliases="Glushko")
        ryabkov = ActorFactory(name="Sergei Ryabkov")
        PublishedClaimFactory(speaker=grushko, target=ryabkov)
        assert ids(api.get(f"{API}/actors/", {"q": "Glushko"})) == [grushko.pk]

    def test_ordering_by_date_or_by_last_change(self, api):
        older = PublishedClaimFactory(stated_on=datetime.date(2019, 1, 23))
        newer = PublishedClaimFactory(stated_on=datetime.date(2021, 1, 15))
        assert ids(api.get(f"{API}/claims/")) == [newer.pk, older.pk]
        assert ids(api.get(f"{API}/claims/", {"ordering": "stated_on"})) == [older.pk, newer.pk]
        older.summary = "Edited last."
        older.save()
        assert ids(api.get(f"{API}/claims/", {"ordering": "-updated_at"})) == [older.pk, newer.pk]


class TestBadInput:
    @pytest.mark.parametrize(
        ("params", "parameter"),
        [
            ({"status": "probably"}, "status"),
            ({"kind": "rumour"}, "kind"),
            ({"stated_after": "21 May 2020"}, "stated_after"),
            ({"stated_before": "2020-02-30"}, "stated_before"),
            ({"updated_since": "yesterday"}, "updated_since"),
            ({"has_counter_claims": "maybe"}, "has_counter_claims"),
            ({"page_size": "1000"}, "page_size"),
            ({"page_size": "ten"}, "page_size"),
            ({"ordering": "summary"}, "ordering"),
            ({"speker": "alexander-grushko"}, "speker"),
            ({"format": "xlsx"}, "format"),
        ],
    )
    def test_a_bad_parameter_is_a_400_naming_it(self, api, params, parameter):
        response = api.get(f"{API}/claims/", params)
        assert response.status_code == 400
        assert parameter in response.json()

    @pytest.mark.parametrize(
        ("params", "parameter"),
        [
            ({"speaker": "nobody"}, "speaker"),
            ({"target": "nobody", "kind": "accusation"}, "target"),
            ({"topic": "no-such-topic"}, "topic"),
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"cursor": "cD1ub3QtYS1kYXRl"}, "cursor"),  # a well-formed cursor at "not-a-date"
        ],
    )
    def test_a_parameter_naming_a_missing_record_is_a_404_naming_it(self, api, params, parameter):
        response = api.get(f"{API}/claims/", params)
        assert response.status_code == 404
        assert parameter in response.json()
        assert response.json()["detail"] == "A record named in this request does not exist."

    def test_a_missing_record_beside_a_bad_parameter_is_a_400_naming_both(self, api):
        response = api.get(f"{API}/claims/", {"speaker": "nobody", "kind": "rumour"})
        assert response.status_code == 400
        assert set(response.json()) == {"speaker", "kind"}

    @pytest.mark.parametrize("resource", ["claims", "tombstones"])
    def test_updated_since_takes_any_iso_offset_and_refuses_a_moment_past_year_9999(self, api, resource):
        far_offset = api.get(f"{API}/{resource}/", {"updated_since": "2924-09-08T19:27:37.0+17:19"})
        assert far_offset.status_code == 200
        assert far_offset.json()["results"] == []
        past_9999 = api.get(f"{API}/{resource}/", {"updated_since": "9999-12-31T23:00:00-05:00"})
        assert past_9999.status_code == 400
        assert "updated_since" in past_9999.json()

    def test_an_empty_filter_filters_nothing(self, api):
        PublishedClaimFactory()
        response = api.get(f"{API}/claims/", {"speaker": "", "kind": "", "updated_since": "", "ordering": ""})
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1

    def test_several_orderings_are_accepted_as_the_schema_says(self, api):
        same_day = datetime.date(2020, 5, 1)
        first, second = PublishedClaimFactory(stated_on=same_day), PublishedClaimFactory(stated_on=same_day)
        response = api.get(f"{API}/claims/", {"ordering": "stated_on,-id"})
        assert ids(response) == [second.pk, first.pk]

    @pytest.mark.parametrize("claim_id", ["abc", "1.5", "-3", "99999"])
    def test_a_malformed_or_unknown_id_is_a_json_404(self, api, claim_id):
        response = api.get(f"{API}/claims/{claim_id}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"

    def test_a_bad_parameter_on_a_csv_export_is_a_json_400(self, api):
        response = api.get(f"{API}/claims/", {"format": "csv", "status": "probably"})
        assert response.status_code == 400
        assert "status" in response.json()


class TestPagination:
    def test_a_full_pull_by_cursor_sees_every_claim_once(self, api):
        for day in range(1, 8):
            for _ in range(3):  # several claims share each date
                PublishedClaimFactory(stated_on=datetime.date(2020, 5, day))
        seen = []
        url = f"{API}/claims/?page_size=4"
        while url:
            page = api_get_json(api, url)
            assert len(page["results"]) <= 4
            seen += [claim["id"] for claim in page["results"]]
            url = page["next"]
        assert sorted(seen) == sorted(Claim.objects.values_list("pk", flat=True))

    @pytest.mark.parametrize("ordering", ["", "stated_on", "stated_on,-updated_at", "-id"])
    def test_next_and_previous_links_walk_every_claim_both_ways(self, api, ordering):
        for day in (1, 1, 1, 1, 1, 2, 2, 3):  # most claims share one date
            PublishedClaimFactory(stated_on=datetime.date(2020, 5, day))
        forward, url = [], f"{API}/claims/?page_size=3&ordering={ordering}"
        while url:
            page = api_get_json(api, url)
            forward.append([claim["id"] for claim in page["results"]])
            url = page["next"]
        assert sorted(chain(*forward)) == sorted(Claim.objects.values_list("pk", flat=True))
        backward, url = [], page["previous"]
        while url:
            page = api_get_json(api, url)
            backward.insert(0, [claim["id"] for claim in page["results"]])
            url = page["previous"]
        assert backward == forward[:-1]

    def test_tombstones_removed_at_one_moment_page_by_their_moment_and_id(self, api):
        moment = timezone.now()
        # Claim ids in the opposite order to the tombstones' own, which break the tie.
        removed = [
            ClaimTombstone.objects.create(claim_id=pk, state="withdrawn", removed_at=moment)
            for pk in range(5, 0, -1)
        ]
        first = api_get_json(api, f"{API}/tombstones/", page_size=2)
        second = api_get_json(api, first["next"])
        third = api_get_json(api, second["next"])
        listed = [tombstone["id"] for page in (first, second, third) for tombstone in page["results"]]
        assert listed == [tombstone.claim_id for tombstone in removed]
        assert api_get_json(api, third["previous"])["results"] == second["results"]

    def test_a_page_deep_in_one_date_starts_at_its_position_without_skipping_rows(self, api):
        for _ in range(12):
            PublishedClaimFactory(stated_on=datetime.date(2020, 5, 1))
        url = api_get_json(api, f"{API}/claims/?page_size=4")["next"]
        url = api_get_json(api, url)["next"]
        with CaptureQueriesContext(connection) as context:
            last = api_get_json(api, url)
        assert len(last["results"]) == 4
        assert last["next"] is None
        claims_query = context.captured_queries[0]["sql"]  # the page's claims, then their records
        assert "LIMIT 5" in claims_query
        assert "OFFSET" not in claims_query

    def test_a_cursor_from_before_positions_held_every_ordering_field_still_works(self, api):
        claims = [PublishedClaimFactory(stated_on=datetime.date(2020, 5, day)) for day in (1, 1, 1, 2)]
        # DRF's own form: the first ordering field's value, and how many claims to skip that share it.
        cursor = base64.b64encode(b"o=1&p=2020-05-02").decode()
        page = api_get_json(api, f"{API}/claims/", cursor=cursor, page_size=2)
        assert [claim["id"] for claim in page["results"]] == [claims[1].pk, claims[0].pk]
        assert page["previous"]
        assert page["next"] is None

    @pytest.mark.parametrize(
        "position",
        ['["2020-05-01"', '["2020-05-01","x"]', '["2020-05-01",1,2]', '{"a":1}', '["2020-05-01",null]'],
    )
    def test_a_cursor_whose_position_is_not_one_is_a_404_naming_it(self, api, position):
        cursor = base64.b64encode(f"p={position}".encode()).decode()
        response = api.get(f"{API}/claims/", {"cursor": cursor})
        assert response.status_code == 404
        assert "cursor" in response.json()

    def test_a_cursor_at_a_moment_past_year_9999_in_utc_is_a_404_naming_it(self, api):
        cursor = base64.b64encode(b'p=["9999-12-31 23:59:59.999999-12:00","1"]').decode()
        response = api.get(f"{API}/claims/", {"cursor": cursor, "ordering": "updated_at"})
        assert response.status_code == 404
        assert "cursor" in response.json()

    def test_an_incremental_pull_by_last_change(self, api):
        claims = [PublishedClaimFactory() for _ in range(5)]
        first = api_get_json(api, f"{API}/claims/", ordering="updated_at", page_size=2)
        second = api_get_json(api, first["next"])
        assert [c["id"] for c in first["results"] + second["results"]] == [c.pk for c in claims[:4]]


class TestCSV:
    def test_one_flat_row_per_claim_streamed(self, api):
        source = SourceFactory(url="https://example.org/report")
        claim = PublishedClaimFactory(
            citation=None, topics=[TopicFactory(name="INF Treaty"), TopicFactory(name="New START")]
        )
        CitationFactory(claim=claim, source=source)
        response = api.get(f"{API}/claims/", {"format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.streaming
        (row,) = csv_rows(response)
        assert row["speaker"] == claim.speaker.name
        assert row["topics"] == "INF Treaty; New START"
        assert row["first_source_url"] == "https://example.org/report"
        assert row["date_precision"] == "day"
        assert row["page_url"] == f"http://testserver/claims/{claim.slug}/"

    def test_cells_that_a_spreadsheet_would_run_are_neutralised(self, api):
        PublishedClaimFactory(
            summary='=HYPERLINK("http://evil")', quote="+1", speaker=ActorFactory(name="@someone")
        )
        (row,) = csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))
        assert row["summary"] == '\'=HYPERLINK("http://evil")'
        assert row["quote"] == "'+1"
        assert row["speaker"] == "'@someone"

    def test_rows_go_out_a_few_at_a_time_and_add_up_to_the_whole_file(self):
        rows = [[number, f"Claim {number}"] for number in range(1, 6)]
        response = csv_response(["id", "summary"], rows, "claims.csv", rows_per_chunk=2)
        chunks = [chunk.decode() for chunk in response.streaming_content]
        assert len(chunks) == 4  # the header at once, then rows 1-2, 3-4 and 5
        assert chunks[0] == "id,summary\r\n"
        assert "".join(chunks) == (
            "id,summary\r\n1,Claim 1\r\n2,Claim 2\r\n3,Claim 3\r\n4,Claim 4\r\n5,Claim 5\r\n"
        )

    def test_the_export_follows_the_filters(self, api):
        wanted = PublishedClaimFactory(kind="denial")
        PublishedClaimFactory(kind="position")
        rows = csv_rows(api.get(f"{API}/claims/", {"format": "csv", "kind": "denial"}))
        assert [row["id"] for row in rows] == [str(wanted.pk)]


class TestQueryCounts:
    """Every list runs the same queries for 1 item or a full page."""

    LISTS = ["claims", "actors", "topics", "sources", "citations", "relations"]

    def make_items(self, count):
        for _ in range(count):
            claim = PublishedClaimFactory(topics=[TopicFactory()], target=ActorFactory())
            ClaimRelationFactory(from_claim=claim, to_claim=PublishedClaimFactory())
            claim.rationale = "Denied."
            operations.change_evidence_status(claim, "disputed")

    @pytest.mark.parametrize("resource", LISTS)
    def test_a_list_runs_the_same_queries_for_one_or_a_hundred_items(self, api, resource):
        self.make_items(1)
        few = queries_for(api, f"{API}/{resource}/?page_size=100")
        self.make_items(50)
        assert queries_for(api, f"{API}/{resource}/?page_size=100") == few

    def test_the_claims_list_runs_one_query_on_postgresql_five_elsewhere(
        self, api, django_assert_num_queries
    ):
        self.make_items(20)
        # The page of claims with speakers and targets, and on PostgreSQL each claim's topics,
        # status changes, citations with sources, and relations either way with published claims
        # in its row; elsewhere one query each.
        with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
            api.get(f"{API}/claims/?page_size=100")

    def test_the_csv_export_runs_two_queries_a_chunk_of_claims(self, api, rf, django_assert_num_queries):
        self.make_items(5)  # ten published claims
        # PostgreSQL: one COPY statement. Elsewhere: the claims, their topics (one chunk of 2,000).
        with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
            assert len(csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))) == 10
        # Formatted in Python, the claims are read a chunk at a time from one query; each chunk's
        # topics take one more.
        with django_assert_num_queries(1 + 5):
            rows = list(claim_records(Claim.objects.published(), rf.get(f"{API}/claims/"), chunk_size=2))
        assert len(rows) == 10
