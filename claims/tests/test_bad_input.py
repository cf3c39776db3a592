"""Bad input gets a clear error naming the field, never a 500 or a half-written record."""

import pytest
from django.urls import reverse

from claims.models import Actor, Claim
from sources.tests.factories import CitationFactory

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db

# A megabyte of distinct words: once a 500 ("string is too long for tsvector").
MEGABYTE_OF_WORDS = " ".join(f"word{number}" for number in range(120_000))


def test_a_megabyte_quote_is_a_400_naming_the_quote(editor_api):
    speaker = ActorFactory()
    response = editor_api.post(
        "/api/v1/claims/",
        {
            "summary": "A claim.",
            "quote": MEGABYTE_OF_WORDS,
            "speaker": speaker.slug,
            "kind": "assertion",
            "stated_on": "2020-05-21",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "5000 characters" in response.json()["quote"][0]
    assert not Claim.objects.exists()


def test_a_megabyte_of_aliases_is_a_form_error_in_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:claims_actor_add"),
        {
            "name": "Alexander Grushko",
            "slug": "alexander-grushko",
            "kind": "person",
            "aliases": MEGABYTE_OF_WORDS,
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert not Actor.objects.exists()


def test_moving_a_published_claims_only_citation_is_a_409_naming_the_rule(editor_api):
    claim, other = PublishedClaimFactory(), ClaimFactory()
    citation = claim.citations.get()
    response = editor_api.patch(f"/api/v1/citations/{citation.pk}/", {"claim": other.pk}, format="json")
    assert response.status_code == 409
    assert "needs at least one citation" in response.json()["claim"][0]
    assert "needs at least one citation" in response.json()["detail"]
    assert claim.citations.count() == 1


def test_moving_a_citation_off_a_claim_that_keeps_another_is_allowed(editor_api):
    claim, other = PublishedClaimFactory(), ClaimFactory()
    CitationFactory(claim=claim)
    citation = claim.citations.first()
    response = editor_api.patch(f"/api/v1/citations/{citation.pk}/", {"claim": other.pk}, format="json")
    assert response.status_code == 200
    assert other.citations.get() == citation


def test_a_status_change_without_a_reason_is_a_400_naming_the_field(editor_api):
    claim = PublishedClaimFactory(evidence_status="disputed", rationale="Denied by the accused.")

    response = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"evidence_status": "unreviewed", "rationale": ""}, format="json"
    )

    assert response.status_code == 400
    assert "status_change_reason" in response.json()
    claim.refresh_from_db()
    assert (claim.evidence_status, claim.rationale) == ("disputed", "Denied by the accused.")
