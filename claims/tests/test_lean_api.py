"""The claims' JSON reads, built from rows (claims/api/representation.py) and written by orjson
(`FastJSONRenderer`), answer the very bytes that ClaimSerializer and DRF's JSONRenderer would."""

import datetime
import decimal
import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.test import APIRequestFactory

from claims import operations
from claims.api.serializers import ClaimSerializer
from claims.api.views import ClaimViewSet
from claims.choices import DatePrecision, EvidenceStatus, RelationType
from claims.models import Claim
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.api import FastJSONRenderer

from .factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    PublishedClaimFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
# Text that JSON writers are known to disagree on: non-ASCII, HTML, the separators JavaScript
# reads as line ends, a control character, an emoji.
AWKWARD = 'Захарова: «<b>NATO</b> & co» \u2028 next\u2029 \x07 😀 "quoted" back\\slash </script>'


@pytest.fixture
def claims():
    """Published claims and drafts with and without a target, quote, topics, citations (with and
    without a URL or a date), status history and relations of every type both ways, to published
    claims and to drafts; at day, month and year precision."""
    first = PublishedClaimFactory(
        summary=f"Russia violated the Open Skies Treaty, said {AWKWARD}",
        quote=AWKWARD,
        speaker=ActorFactory(name="Мария Захарова", kind="person"),
        target=ActorFactory(name="<NATO & Partners>", kind="organization"),
        speaker_role="Spokeswoman <MFA>",
        stated_on=datetime.date(2020, 5, 21),
        topics=[TopicFactory(name="Open Skies Treaty"), TopicFactory(name="Ядерное оружие")],
        citation=None,
    )
    CitationFactory(claim=first, source=SourceFactory(url="https://example.org/a?x=1&y=<2>"))
    CitationFactory(
        claim=first,
        source=SourceFactory(url="", published_on=None, title=AWKWARD, outlet="ТАСС"),
        stance="contradicts",
        excerpt="",
        locator="",
    )
    CitationFactory(
        claim=first, source=SourceFactory(published_on=datetime.date(2019, 1, 2)), stance="supports"
    )
    first.rationale = f"Denied; {AWKWARD}"
    operations.change_evidence_status(first, EvidenceStatus.DISPUTED, reason="Denied by the accused.")
    operations.change_evidence_status(first, EvidenceStatus.CONTRADICTED, reason=AWKWARD)

    second = PublishedClaimFactory(
        summary="The treaty was not violated.",
        stated_on=datetime.date(2020, 5, 1),
        stated_on_precision=DatePrecision.MONTH,
        kind="denial",
    )
    third = PublishedClaimFactory(
        summary="Open Skies flights were refused.",
        stated_on=datetime.date(2019, 1, 1),
        stated_on_precision=DatePrecision.YEAR,
        topics=[TopicFactory(name="Arms control")],
    )
    draft = ClaimFactory(summary="A draft about the Open Skies Treaty.", target=ActorFactory())
    CitationFactory(claim=draft)
    other_draft = ClaimFactory(stated_on=datetime.date(2021, 3, 1), stated_on_precision=DatePrecision.MONTH)

    for relation_type in RelationType:
        for from_claim, to_claim in [
            (first, second),
            (second, first),
            (first, draft),
            (draft, first),
            (third, other_draft),
            (other_draft, second),
        ]:
            ClaimRelationFactory(from_claim=from_claim, to_claim=to_claim, relation_type=relation_type)
    ClaimRelationFactory(from_claim=third, to_claim=first, relation_type=RelationType.SUPPORTS)
    return [first, second, third, draft, other_draft]


def serializer_json(response, user, *, similar_to=None):
    """What ClaimSerializer shows of the claims in `response`, in its order, rendered by DRF's
    JSONRenderer, in the response's envelope (the page's links, or none for a detail)."""
    body = json.loads(response.content)
    listed = body.get("results", [body])
    claims = Claim.objects.visible_to(user)
    if similar_to:
        claims = claims.similar_to(similar_to)
    include_drafts = user.has_perm("claims.view_claim")
    found = (
        claims.with_related()
        .with_evidence(include_drafts=include_drafts)
        .in_bulk([claim["id"] for claim in listed])
    )
    request = APIRequestFactory().get(response.wsgi_request.get_full_path())
    context = {"request": request}
    if "results" not in body:
        return JSONRenderer().render(ClaimSerializer(found[body["id"]], context=context).data)
    data = ClaimSerializer([found[claim["id"]] for claim in listed], many=True, context=context).data
    return JSONRenderer().render({"next": body["next"], "previous": body["previous"], "results": data})


@pytest.fixture
def anonymous():
    return AnonymousUser()


class TestTheLeanJSONIsTheSerializers:
    def test_for_the_anonymous_list(self, api, claims, anonymous):
        response = api.get(f"{API}/claims/")
        assert len(json.loads(response.content)["results"]) == 3
        assert response.content == serializer_json(response, anonymous)

    def test_for_an_editors_list_with_drafts(self, editor_api, editor, claims):
        response = editor_api.get(f"{API}/claims/")
        assert len(json.loads(response.content)["results"]) == 5
        assert response.content == serializer_json(response, editor)

    def test_for_a_list_ranked_by_similarity(self, api, editor_api, editor, claims, anonymous):
        text = "Russia violated the Open Skies Treaty"
        for client, user in [(api, anonymous), (editor_api, editor)]:
            response = client.get(f"{API}/claims/", {"similar_to": text})
            results = json.loads(response.content)["results"]
            assert results
            assert all(isinstance(claim["similarity"], float) for claim in results)
            assert response.content == serializer_json(response, user, similar_to=text)

    def test_for_a_filtered_and_ordered_list_and_its_next_page(self, api, claims, anonymous):
        response = api.get(f"{API}/claims/", {"q": "Open Skies", "ordering": "stated_on", "page_size": 1})
        body = json.loads(response.content)
        assert body["next"]
        assert response.content == serializer_json(response, anonymous)
        following = api.get(body["next"])
        assert json.loads(following.content)["previous"]
        assert following.content == serializer_json(following, anonymous)

    def test_for_the_details(self, api, editor_api, editor, claims, anonymous):
        for claim in claims[:3]:
            response = api.get(f"{API}/claims/{claim.pk}/")
            assert response.content == serializer_json(response, anonymous)
        for claim in claims:
            response = editor_api.get(f"{API}/claims/{claim.pk}/")
            assert response.content == serializer_json(response, editor)

    def test_the_serializer_path_of_the_view_answers_the_same(self, api, editor_api, claims, monkeypatch):
        urls = [
            f"{API}/claims/?page_size=2",
            f"{API}/claims/?similar_to=Open+Skies+Treaty",
            f"{API}/claims/?ordering=-updated_at&topic={claims[0].topics.first().slug}",
            f"{API}/claims/{claims[0].pk}/",
        ]
        lean = [(client.get(url), client) for client in (api, editor_api) for url in urls]
        monkeypatch.setattr(ClaimViewSet, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])
        for response, client in lean:
            serialized = client.get(response.wsgi_request.get_full_path())
            assert (response.status_code, response.content) == (200, serialized.content)
            assert response.headers.get("ETag") == serialized.headers.get("ETag")


class TestTheLeanReads:
    def test_a_list_runs_the_same_queries_for_one_or_thirty_claims(self, api, editor_api):
        def queries(client):
            with CaptureQueriesContext(connection) as context:
                assert client.get(f"{API}/claims/?page_size=100").status_code == 200
            return len(context.captured_queries)

        def make_claims(count):
            for _ in range(count):
                claim = PublishedClaimFactory(topics=[TopicFactory()], target=ActorFactory())
                ClaimRelationFactory(from_claim=claim, to_claim=PublishedClaimFactory())
                ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=claim, relation_type="supports")
                claim.rationale = "Denied."
                operations.change_evidence_status(claim, "disputed")

        make_claims(1)
        few, few_for_an_editor = queries(api), queries(editor_api)
        make_claims(29)
        # The page of claims with speakers and targets, and on PostgreSQL each claim's records in
        # its row; elsewhere four more: their topics, status changes, citations with sources, and
        # relations either way (with published claims).
        assert queries(api) == few == (1 if connection.vendor == "postgresql" else 5)
        assert queries(editor_api) == few_for_an_editor

    def test_a_304_runs_one_query(self, api, claims, settings):
        settings.PUBLIC_CACHE_SECONDS = 0  # what the view reads, not what a cached answer spares
        etag = api.get(f"{API}/claims/{claims[0].pk}/")["ETag"]
        with CaptureQueriesContext(connection) as context:
            response = api.get(f"{API}/claims/{claims[0].pk}/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert len(context.captured_queries) == 1

    def test_a_draft_is_not_found_by_readers(self, api, claims):
        assert api.get(f"{API}/claims/{claims[3].pk}/").status_code == 404
        assert api.get(f"{API}/claims/abc/").status_code == 404

    def test_the_browsable_api_still_shows_the_serializers(self, api, claims):
        response = api.get(f"{API}/claims/{claims[0].pk}/", {"format": "api"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")

    def test_a_format_suffix_keeps_the_serializers_links(self, api, claims):
        response = api.get(f"{API}/claims/{claims[0].pk}.json")
        assert response.status_code == 200
        assert response.json()["speaker"]["url"].endswith(".json")


class TestFastJSONRenderer:
    VALUES = {
        "text": "".join(chr(code) for code in range(0x300)) + AWKWARD + "\ufeff\U0001f600",
        "numbers": [0, -1, 2**63 - 1, 0.0, 1.0, 0.5, 0.333, 1e16, 123456.789],
        "moments": [
            timezone.now(),
            datetime.datetime(2020, 5, 21, 10, 0, tzinfo=datetime.UTC),
            datetime.datetime(2020, 5, 21, 10, 0, 0, 123456),
            datetime.date(2020, 5, 21),
            datetime.time(10, 0, 1, 500),
        ],
        "others": [None, True, False, decimal.Decimal("1.50"), uuid.UUID(int=7), gettext_lazy("Disputed")],
        "nested": {"tuple": (1, "a"), "empty": {}, "list": [], "choice": EvidenceStatus.DISPUTED},
    }

    def test_it_writes_what_drfs_renderer_writes(self):
        assert FastJSONRenderer().render(self.VALUES) == JSONRenderer().render(self.VALUES)

    def test_what_orjson_refuses_goes_to_json_dumps(self):
        data = {"big": 2**70, 1: "a key that is not text"}
        assert FastJSONRenderer().render(data) == JSONRenderer().render(data)

    def test_an_indent_is_json_dumps(self):
        media_type = "application/json; indent=4"
        assert FastJSONRenderer().render(self.VALUES, media_type) == JSONRenderer().render(
            self.VALUES, media_type
        )
