"""A page that goes viral costs one render: anonymous reads come from the shared cache until an
editor changes the record, and say so to a CDN; signed-in users always get fresh answers."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from claims.tests.factories import PublishedClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600  # as with Redis; tests share one process and its cache


def test_without_a_shared_cache_nothing_is_cached(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    claim = PublishedClaimFactory()
    client.get(claim.get_absolute_url())
    response = client.get(claim.get_absolute_url())
    assert "public" not in response.get("Cache-Control", "")


def test_a_readers_second_visit_costs_no_query_and_a_cdn_may_keep_it(client, django_assert_num_queries):
    claim = PublishedClaimFactory(summary="Russia has not violated the treaty.")
    first = client.get(claim.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(claim.get_absolute_url())
    assert again.content == first.content
    assert "public" in again["Cache-Control"]
    assert "max-age=60" in again["Cache-Control"]
    unchanged = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=again["ETag"])
    assert unchanged.status_code == 304


def test_an_editors_change_is_seen_at_the_next_request(client):
    claim = PublishedClaimFactory(summary="Russia has not violated the treaty.")
    client.get(claim.get_absolute_url())
    client.get("/claims/")
    claim.summary = "Russia says it has not violated the Open Skies Treaty."
    claim.save()
    assert "Open Skies Treaty" in client.get(claim.get_absolute_url()).content.decode()
    assert "Open Skies Treaty" in client.get("/claims/").content.decode()
    claim.unpublish()
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_a_signed_in_editor_always_gets_a_fresh_page(editor_client):
    claim = PublishedClaimFactory()
    editor_client.get(claim.get_absolute_url())
    response = editor_client.get(claim.get_absolute_url())
    assert "public" not in response.get("Cache-Control", "")


def test_anonymous_api_reads_are_cached_after_the_throttle_counts_them(settings, django_assert_num_queries):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"},
    }
    PublishedClaimFactory()
    api = APIClient()
    first = api.get("/api/v1/claims/")
    with django_assert_num_queries(0):
        second = api.get("/api/v1/claims/")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert api.get("/api/v1/claims/").status_code == 200
    assert api.get("/api/v1/claims/").status_code == 429  # a cached answer still counts


def test_an_api_client_with_a_token_is_never_served_from_the_cache(editor):
    PublishedClaimFactory()
    APIClient().get("/api/v1/claims/")  # cached for anonymous readers
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=editor)[1]}")
    response = api.get("/api/v1/claims/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
