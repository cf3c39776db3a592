"""The claims export (`?format=csv`, `?format=jsonl`): what a researcher downloads, on SQLite
(formatted in Python) and on PostgreSQL (formatted by the database and streamed with COPY)."""

import csv
import datetime
import io
import json
import threading

import pytest
from django.db import DataError, OperationalError, connection, transaction
from django.test import RequestFactory

from claims.api import export
from claims.choices import DatePrecision
from claims.models import Claim
from sources.tests.factories import CitationFactory, SourceFactory

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY path")


def content(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(content(response).decode())))


def jsonl_objects(response):
    return [json.loads(line) for line in content(response).decode().split("\n")[:-1]]


@pytest.fixture
def awkward_claims():
    """Claims whose cells test every rule of the format: quotes, commas, line breaks, formulas,
    non-ASCII text, control characters, no target, no source, several topics, whole seconds."""
    arms = TopicFactory(name="Arms control")
    inf = TopicFactory(name="INF Treaty")
    start = TopicFactory(name="New START")
    quoted = PublishedClaimFactory(
        citation=None,
        summary='He said "no", twice, and left.',
        quote='First line\nsecond line\r\nthird, with "quotes"',
        speaker=ActorFactory(name="Сергей Лавров", slug="sergey-lavrov"),
        speaker_role="Minister, Foreign Affairs",
        target=ActorFactory(name="NATO \U0001f680"),
        topics=[start, arms, inf],
        stated_on=datetime.date(2021, 3, 1),
        stated_on_precision=DatePrecision.MONTH,
    )
    formula = PublishedClaimFactory(
        summary='=HYPERLINK("http://evil")',
        quote="-5 percent",
        speaker=ActorFactory(name="@someone"),
        speaker_role="+plus",
        rationale="\tTabbed, with a C:\\path and a \x01 byte",
        stated_on=datetime.date(2019, 1, 1),
        stated_on_precision=DatePrecision.YEAR,
    )
    # A draft has no citation, so no source: editors see it.
    unsourced = ClaimFactory(
        summary="Ни цели, ни источника.", quote="", topics=[inf], stated_on=datetime.date(2018, 6, 2)
    )
    CitationFactory(claim=quoted, source=SourceFactory(url="https://example.org/a?x=1,2"))
    Claim.objects.filter(pk=formula.pk).update(
        updated_at=datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    return [quoted, formula, unsourced]


class TestCSV:
    def test_awkward_cells_come_back_as_written_with_formulas_neutralised(self, editor_api, awkward_claims):
        quoted, formula, unsourced = awkward_claims
        response = editor_api.get(f"{API}/claims/", {"format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
        rows = csv_rows(response)
        assert [row["id"] for row in rows] == [str(quoted.pk), str(formula.pk), str(unsourced.pk)]
        first, second, third = rows
        assert list(first) == list(export.COLUMNS)
        assert first["summary"] == 'He said "no", twice, and left.'
        # The csv module reads CRLF inside a quoted cell back as it was written.
        assert first["quote"] == 'First line\nsecond line\r\nthird, with "quotes"'
        assert first["speaker"] == "Сергей Лавров"
        assert first["target"] == "NATO \U0001f680"
        assert first["topics"] == "Arms control; INF Treaty; New START"
        assert first["first_source_url"] == "https://example.org/a?x=1,2"  # the first citation's
        assert first["stated_on"] == "2021-03-01"
        assert first["date_precision"] == "month"
        assert first["page_url"] == f"http://testserver/claims/{quoted.slug}/"
        assert second["summary"] == '\'=HYPERLINK("http://evil")'
        assert second["quote"] == "'-5 percent"
        assert second["speaker"] == "'@someone"
        assert second["speaker_role"] == "'+plus"
        assert second["rationale"] == "'\tTabbed, with a C:\\path and a \x01 byte"
        assert second["target"] == ""
        assert second["updated_at"] == "2020-01-02T03:04:05+00:00"
        assert third["first_source_url"] == ""
        assert third["quote"] == ""
        assert third["topics"] == "INF Treaty"

    def test_rows_end_with_crlf_and_a_line_break_in_a_cell_stays_as_written(self, api, awkward_claims):
        body = content(api.get(f"{API}/claims/", {"format": "csv"})).decode()
        assert body.startswith(",".join(export.COLUMNS) + "\r\n")
        assert '"First line\nsecond line\r\nthird, with ""quotes"""' in body
        assert body.count("\r\n") == 3 + 1  # the header, two published claims, one CRLF in a cell

    def test_readers_get_published_claims_and_editors_drafts_too(self, api, editor_api, awkward_claims):
        quoted, formula, unsourced = awkward_claims
        assert [row["id"] for row in csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))] == [
            str(quoted.pk),
            str(formula.pk),
        ]
        rows = csv_rows(editor_api.get(f"{API}/claims/", {"format": "csv"}))
        assert str(unsourced.pk) in [row["id"] for row in rows]

    def test_the_export_follows_the_filters_and_the_ordering(self, api, awkward_claims):
        quoted, formula, _ = awkward_claims
        rows = csv_rows(api.get(f"{API}/claims/", {"format": "csv", "ordering": "stated_on"}))
        assert [row["id"] for row in rows] == [str(formula.pk), str(quoted.pk)]
        rows = csv_rows(api.get(f"{API}/claims/", {"format": "csv", "topic": "new-start"}))
        assert [row["id"] for row in rows] == [str(quoted.pk)]

    def test_the_export_is_one_copy_on_postgresql_and_two_queries_a_chunk_elsewhere(
        self, api, django_assert_num_queries
    ):
        for _ in range(5):
            PublishedClaimFactory(topics=[TopicFactory()])
        # PostgreSQL: one COPY statement. Elsewhere: the claims, then their topics (one chunk of 2,000).
        with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
            assert len(csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))) == 5


class TestJSONLines:
    def test_one_typed_object_a_line_with_the_csv_columns(self, editor_api, awkward_claims):
        quoted, _, unsourced = awkward_claims
        response = editor_api.get(f"{API}/claims/", {"format": "jsonl"})
        assert response["Content-Type"] == "application/x-ndjson"
        assert response["Content-Disposition"] == 'attachment; filename="claims.jsonl"'
        first, second, third = jsonl_objects(response)
        assert list(first) == list(export.COLUMNS)
        assert first["id"] == quoted.pk
        assert first["quote"] == 'First line\nsecond line\r\nthird, with "quotes"'
        assert first["topics"] == ["Arms control", "INF Treaty", "New START"]
        assert first["stated_on"] == "2021-03-01"
        # Texts as written: JSON is not opened by spreadsheets, so no formula prefix.
        assert second["summary"] == '=HYPERLINK("http://evil")'
        assert second["rationale"] == "\tTabbed, with a C:\\path and a \x01 byte"
        assert second["target"] is None
        assert second["updated_at"] == "2020-01-02T03:04:05+00:00"
        assert third["id"] == unsourced.pk
        assert third["first_source_url"] is None
        assert third["topics"] == ["INF Treaty"]

    def test_the_same_claims_as_the_csv(self, api, awkward_claims):
        query = {"ordering": "stated_on", "stated_after": "2020-01-01"}
        rows = csv_rows(api.get(f"{API}/claims/", {**query, "format": "csv"}))
        objects = jsonl_objects(api.get(f"{API}/claims/", {**query, "format": "jsonl"}))
        assert (
            [claim["id"] for claim in objects] == [int(row["id"]) for row in rows] == [awkward_claims[0].pk]
        )

    def test_the_accept_header_asks_for_it_too(self, api, awkward_claims):
        response = api.get(f"{API}/claims/", HTTP_ACCEPT="application/x-ndjson")
        assert len(jsonl_objects(response)) == 2

    def test_a_bad_parameter_is_a_json_400(self, api):
        response = api.get(f"{API}/claims/", {"format": "jsonl", "status": "probably"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert "status" in response.json()

    def test_the_schema_documents_it(self, api):
        schema = api.get(f"{API}/schema/", {"format": "json"}).json()
        answers = schema["paths"]["/api/v1/claims/"]["get"]["responses"]["200"]["content"]
        assert {"application/json", "text/csv", "application/x-ndjson"} <= set(answers)


class TestTruncation:
    def test_a_failure_half_way_raises_after_the_rows_before_it(self, rf):
        """The server then aborts the connection without the chunked encoding's last chunk: the
        client sees a cut download, not a short file that looks complete."""

        def records():
            yield from export.claim_records(Claim.objects.published(), rf.get("/"))
            raise OperationalError("the database went away")

        PublishedClaimFactory()
        response = export.csv_response(list(export.COLUMNS), map(export.csv_cells, records()), "claims.csv")
        chunks = iter(response.streaming_content)
        assert next(chunks).startswith(b"id,page_url")
        with pytest.raises(OperationalError):
            list(chunks)

    @on_postgresql
    def test_a_copy_that_fails_half_way_raises_after_the_rows_before_it(self):
        failing = (
            "COPY (SELECT CASE WHEN n < 300000 THEN n ELSE 1 / (n - n) END "
            "FROM generate_series(1, 400000) n) TO STDOUT"
        )
        received = []
        with pytest.raises(DataError, match="division by zero"):
            received.extend(export.copied(failing))
        received = b"".join(received)
        assert received.startswith(b"1\n2\n")
        assert received.count(b"\n") <= 299999

    @on_postgresql
    @pytest.mark.django_db(transaction=True)
    def test_a_client_that_goes_away_cancels_the_copy_and_frees_the_connection(self):
        chunks = export.copied(
            "COPY (SELECT n FROM generate_series(1, 50000000) n) TO STDOUT", chunk_size=4096
        )
        assert next(chunks).startswith(b"1\n")
        chunks.close()
        assert not [thread for thread in threading.enumerate() if thread.name == "export-copy"]
        assert Claim.objects.count() == 0  # the connection answers the next request


@on_postgresql
class TestPostgreSQLAndPythonAgree:
    """The COPY path and the Python path write the same bytes for the same claims."""

    @pytest.mark.parametrize("format", export.FORMATS)
    @pytest.mark.parametrize(
        "query", [{}, {"ordering": "updated_at"}, {"ordering": "stated_on"}, {"q": "said"}]
    )
    def test_the_same_bytes(self, editor, awkward_claims, format, query):
        for number in range(5):
            PublishedClaimFactory(summary=f"Someone said, again, thing {number}", topics=[TopicFactory()])
        request = RequestFactory().get(f"{API}/claims/", query)
        request.user = editor
        claims = Claim.objects.visible_to(editor).order_by(*(query.get("ordering", "-stated_on"), "-id"))
        if "q" in query:
            claims = claims.search(query["q"])
        copied = b"".join(export.export_response(claims, request, format).streaming_content)
        written = b"".join(export.python_export_response(claims, request, format).streaming_content)
        assert copied == written
        assert copied.count(b"\n") >= 3

    @pytest.mark.django_db(transaction=True)  # autocommit, as a request runs
    def test_the_copy_runs_serially_in_its_own_transaction_only(self, api):
        with transaction.atomic():  # a published claim and its citation, checked at the commit
            PublishedClaimFactory.create_batch(2)
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            before = cursor.fetchone()
            assert len(csv_rows(api.get(f"{API}/claims/", {"format": "csv"}))) == 2
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone() == before


def test_an_export_of_no_claims_is_the_header_alone(api):
    PublishedClaimFactory(summary="Russia violated the Open Skies Treaty.")
    # Nothing in "of the" tells one claim from another: `similar_to` finds none.
    empty_csv = content(api.get(f"{API}/claims/", {"similar_to": "of the", "format": "csv"}))
    assert empty_csv.decode().splitlines() == [",".join(export.COLUMNS)]
    empty_jsonl = api.get(f"{API}/claims/", {"similar_to": "of the", "format": "jsonl"})
    assert jsonl_objects(empty_jsonl) == []
