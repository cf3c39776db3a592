"""Who may read and write what through the API, throttling, the schema and the root, and writes
that would lose another editor's update."""

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.tests.two_factor import authenticator_of, code_from

from .factories import (
    ActorFactory,
    ClaimFactory,
    PublishedClaimFactory,
    TopicFactory,
    UserFactory,
)
from .test_api import API

pytestmark = pytest.mark.django_db


class TestAccess:
    def test_anonymous_clients_cannot_write(self, api):
        response = api.post(f"{API}/claims/", {"summary": "Anything."})
        assert response.status_code == 401

    def test_signed_in_non_editors_cannot_write(self, api):
        api.force_authenticate(UserFactory())
        assert api.post(f"{API}/claims/", {"summary": "Anything."}).status_code == 403

    def test_an_editor_creates_a_draft_adds_a_citation_then_publishes(self, editor_api, editor):
        speaker = ActorFactory(slug="sergei-ryabkov")
        TopicFactory(slug="open-skies-treaty")
        response = editor_api.post(
            f"{API}/claims/",
            {
                "summary": "Ryabkov said the US accusation is unfounded.",
                "speaker": "sergei-ryabkov",
                "kind": "denial",
                "stated_on": "2020-07-06",
                "topics": ["open-skies-treaty"],
                "evidence_status": "disputed",
                "rationale": "Denied; no evidence either way.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        claim = Claim.objects.get(pk=response.json()["id"])
        assert (claim.speaker, claim.created_by, claim.publication_state) == (speaker, editor, "draft")
        assert claim.history.first().history_user == editor
        assert claim.status_changes.get().changed_by == editor
        assert response.json()["evidence_status"]["label"] == "Disputed"

        refused = editor_api.patch(
            f"{API}/claims/{claim.pk}/", {"publication_state": "published"}, format="json"
        )
        assert refused.status_code == 409
        assert refused.json()["publication_state"] == [
            "A published claim needs at least one citation: add one, or keep the claim as a draft. "
            "Cite it first."
        ]

        source = SourceFactory()
        cited = editor_api.post(
            f"{API}/citations/", {"claim": claim.pk, "source": source.pk, "stance": "reports"}, format="json"
        )
        assert cited.status_code == 201, cited.json()
        published = editor_api.patch(
            f"{API}/claims/{claim.pk}/", {"publication_state": "published"}, format="json"
        )
        assert published.status_code == 200
        assert published.json()["publication_state"] == "published"

    def test_writes_are_validated_as_in_the_admin(self, editor_api):
        speaker = ActorFactory()
        response = editor_api.post(
            f"{API}/claims/",
            {
                "summary": "",
                "speaker": speaker.slug,
                "kind": "rumour",
                "stated_on": "yesterday",
                "evidence_status": "disputed",
            },
            format="json",
        )
        assert response.status_code == 400
        assert {"summary", "kind", "stated_on"} <= set(response.json())
        missing_rationale = editor_api.post(
            f"{API}/claims/",
            {
                "summary": "A claim.",
                "speaker": speaker.slug,
                "kind": "denial",
                "stated_on": "2020-05-21",
                "evidence_status": "disputed",
            },
            format="json",
        )
        assert missing_rationale.status_code == 400
        assert "rationale" in missing_rationale.json()

    def test_a_write_naming_a_missing_record_is_a_404_naming_the_field_and_writes_nothing(self, editor_api):
        claim = ClaimFactory()
        cited = editor_api.post(
            f"{API}/citations/", {"claim": claim.pk, "source": 999999, "stance": "reports"}, format="json"
        )
        assert cited.status_code == 404
        assert set(cited.json()) == {"detail", "source"}
        unknown_speaker = editor_api.post(
            f"{API}/claims/",
            {"summary": "A claim.", "speaker": "nobody", "kind": "denial", "stated_on": "2020-05-21"},
            format="json",
        )
        assert unknown_speaker.status_code == 404
        assert unknown_speaker.json()["speaker"] == ["Object with slug=nobody does not exist."]
        assert Claim.objects.count() == 1
        assert not claim.citations.exists()

    def test_a_taken_slug_and_a_missing_speaker_together_are_a_404_naming_both(self, editor_api):
        taken = ClaimFactory()
        response = editor_api.post(
            f"{API}/claims/",
            {
                "slug": taken.slug,
                "summary": "A claim.",
                "speaker": "nobody",
                "kind": "denial",
                "stated_on": "2020-05-21",
            },
            format="json",
        )
        assert response.status_code == 404
        assert {"detail", "slug", "speaker"} <= set(response.json())

    def test_relations_refuse_a_claim_related_to_itself_or_twice(self, editor_api):
        claim, other = ClaimFactory(), ClaimFactory()
        itself = editor_api.post(
            f"{API}/relations/",
            {"from_claim": claim.pk, "to_claim": claim.pk, "relation_type": "disputes"},
            format="json",
        )
        assert itself.status_code == 400
        once = {"from_claim": claim.pk, "to_claim": other.pk, "relation_type": "disputes"}
        assert editor_api.post(f"{API}/relations/", once, format="json").status_code == 201
        twice = editor_api.post(f"{API}/relations/", once, format="json")
        assert twice.status_code == 409
        assert twice.json()["non_field_errors"] == ["These two claims are already related this way."]

    def test_the_last_citation_of_a_published_claim_cannot_be_removed(self, editor_api):
        claim = PublishedClaimFactory()
        citation = claim.citations.get()
        response = editor_api.delete(f"{API}/citations/{citation.pk}/")
        assert response.status_code == 409
        assert "needs at least one citation" in response.json()["claim"][0]
        assert claim.citations.exists()

    def test_claims_are_unpublished_not_deleted(self, editor_api):
        claim = PublishedClaimFactory()
        assert editor_api.delete(f"{API}/claims/{claim.pk}/").status_code == 403
        assert Claim.objects.filter(pk=claim.pk).exists()

    def test_an_editor_gets_a_token_with_their_password_and_code(self, api, editor):
        code = code_from(authenticator_of(editor))
        response = api.post(
            f"{API}/auth/token/",
            {"username": editor.username, "password": "a-long-test-passphrase", "code": code},
        )
        assert response.status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert api.get(f"{API}/auth/tokens/").status_code == 200


def test_anonymous_reads_are_throttled_per_client(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"},
    }
    statuses = [api.get(f"{API}/topics/", REMOTE_ADDR="198.51.100.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in api.get(f"{API}/topics/", REMOTE_ADDR="198.51.100.1")
    another_reader = APIClient()
    assert another_reader.get(f"{API}/topics/", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_the_schema_and_docs_are_served_from_the_app(api):
    schema = api.get(f"{API}/schema/", {"format": "json"})
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    claim_filters = {
        parameter["name"] for parameter in document["paths"]["/api/v1/claims/"]["get"]["parameters"]
    }
    assert {
        "speaker",
        "stated_after",
        "updated_since",
        "disputed",
        "q",
        "cursor",
        "page_size",
    } <= claim_filters
    docs = api.get(f"{API}/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


def test_the_root_lists_the_resources(api):
    assert set(api.get(f"{API}/").json()) == {
        "claims",
        "actors",
        "topics",
        "sources",
        "citations",
        "relations",
        "tombstones",
    }


class TestNoLostUpdate:
    def test_a_read_names_its_version_and_a_write_from_a_stale_version_is_refused(self, editor_api):
        claim = ClaimFactory(summary="First words.")
        read = editor_api.get(f"{API}/claims/{claim.pk}/")
        etag = read["ETag"]
        first = editor_api.patch(
            f"{API}/claims/{claim.pk}/", {"rationale": "A new rationale."}, format="json", HTTP_IF_MATCH=etag
        )
        assert first.status_code == 200
        assert first["ETag"] != etag

        stale = editor_api.patch(
            f"{API}/claims/{claim.pk}/", {"summary": "Second words."}, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        assert "changed since" in stale.json()["detail"]
        assert Claim.objects.get(pk=claim.pk).summary == "First words."

        fresh = editor_api.patch(
            f"{API}/claims/{claim.pk}/",
            {"summary": "Second words."},
            format="json",
            HTTP_IF_MATCH=first["ETag"],
        )
        assert fresh.status_code == 200
        claim.refresh_from_db()
        assert (claim.summary, claim.rationale) == ("Second words.", "A new rationale.")

    def test_an_unchanged_claim_answers_not_modified(self, api):
        claim = PublishedClaimFactory()
        etag = api.get(f"{API}/claims/{claim.pk}/")["ETag"]
        assert api.get(f"{API}/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
        CitationFactory(claim=claim)  # its representation changes, and so does its version
        assert api.get(f"{API}/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    def test_the_schema_documents_if_match_and_412(self, api):
        schema = api.get(f"{API}/schema/", {"format": "json"}).json()
        change = schema["paths"]["/api/v1/claims/{id}/"]["patch"]
        assert "If-Match" in [parameter["name"] for parameter in change["parameters"]]
        assert "412" in change["responses"]
