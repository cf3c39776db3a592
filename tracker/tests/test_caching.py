"""A page that goes viral costs one render per process: anonymous reads come from each process's
memory until an editor changes the record, and say so to a CDN; signed-in users always get fresh
answers; what anonymous traffic can store is bounded."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction
from knox.models import AuthToken
from rest_framework.test import APIClient

from claims import operations
from claims.models import Claim
from claims.tests.factories import PublishedClaimFactory
from tracker import caching
from tracker.models import RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600  # as deployed


def test_without_public_cache_seconds_nothing_is_cached(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    claim = PublishedClaimFactory()
    client.get(claim.get_absolute_url())
    response = client.get(claim.get_absolute_url())
    assert "public" not in response.get("Cache-Control", "")


def test_a_readers_second_visit_costs_one_query_and_a_cdn_may_keep_it(client, django_assert_num_queries):
    claim = PublishedClaimFactory(summary="Russia has not violated the treaty.")
    first = client.get(claim.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the record's version
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
    operations.unpublish(claim)
    assert client.get(claim.get_absolute_url()).status_code == 404


# Committed for real (transaction=True): the version moves once a write is committed.
@pytest.mark.django_db(transaction=True)
def test_a_committed_change_moves_the_version_every_process_reads():
    with transaction.atomic():  # a published claim and its citation, committed together
        claim = PublishedClaimFactory()
    before = caching.read_database_version()
    claim.summary = "Changed."
    claim.save()
    assert caching.read_database_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_version_once_however_many_records_it_writes():
    before = caching.read_database_version()
    with transaction.atomic():
        PublishedClaimFactory.create_batch(3)
    assert caching.read_database_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_write_is_answered_200_when_the_version_cannot_move_and_moves_it_later(editor_api, api):
    with transaction.atomic():
        claim = PublishedClaimFactory(summary="Before.")
    before = caching.read_database_version()
    failing = mock.patch.object(
        RecordVersion.objects, "filter", side_effect=OperationalError("server closed the connection")
    )
    with failing:
        response = editor_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary": "After."})
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).summary == "After."
    assert caching.read_database_version() == before
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["summary"] == "After."
    assert caching.read_database_version() == before + 1  # moved at the next request


def test_a_page_with_an_unknown_parameter_is_served_but_not_stored(client, django_assert_max_num_queries):
    PublishedClaimFactory()
    assert client.get("/claims/?utm_source=feed").status_code == 200
    with django_assert_max_num_queries(100) as captured:
        assert client.get("/claims/?utm_source=feed").status_code == 200
    assert len(captured) > 1
    assert not caching.store.answers


def test_the_order_of_known_parameters_makes_no_new_entry(client, django_assert_num_queries):
    PublishedClaimFactory()
    client.get("/claims/?kind=denial&status=disputed")
    with django_assert_num_queries(1):  # the record's version
        client.get("/claims/?status=disputed&kind=denial")
    assert len(caching.store.answers) == 1


def test_each_address_of_the_site_has_its_own_answer(client, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "claims.example.org"]
    claim = PublishedClaimFactory()
    for host in settings.ALLOWED_HOSTS:
        client.get(claim.get_absolute_url(), HTTP_HOST=host)
    assert len(caching.store.answers) == 2  # absolute links name the host the reader asked


def test_a_process_stores_at_most_its_budget_the_least_recently_used_forgotten(client, settings):
    PublishedClaimFactory()
    page_size = len(client.get("/claims/?q=word").content)
    settings.PUBLIC_CACHE_MAX_BYTES = int(4.5 * page_size)
    for year in range(2000, 2010):
        client.get(f"/claims/?q=word{year}")
    assert caching.store.size <= settings.PUBLIC_CACHE_MAX_BYTES
    kept = [key[-1] for key in caching.store.answers]
    assert len(kept) == 4
    assert kept[-1] == "q=word2009"
    assert "q=word2000" not in kept


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
    with django_assert_num_queries(1):  # the record's version
        second = api.get("/api/v1/claims/")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert api.get("/api/v1/claims/").status_code == 200
    refused = api.get("/api/v1/claims/")
    assert refused.status_code == 429  # a cached answer still counts
    assert 0 < int(refused["Retry-After"]) <= 60


def test_an_api_client_with_a_token_is_never_served_from_the_cache(editor):
    PublishedClaimFactory()
    APIClient().get("/api/v1/claims/")  # cached for anonymous readers
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=editor)[1]}")
    response = api.get("/api/v1/claims/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def test_the_browsable_api_is_never_stored_for_the_next_reader(client):
    PublishedClaimFactory()
    first = client.get("/api/v1/claims/?format=api", HTTP_ACCEPT="*/*")
    assert first.status_code == 200
    second = APIClient().get("/api/v1/claims/?format=api", HTTP_ACCEPT="*/*")
    assert not getattr(second, "served_from_cache", False)
    assert "public" not in second.get("Cache-Control", "")


def test_the_filters_charts_link_to_are_stored(client, django_assert_num_queries):
    PublishedClaimFactory()
    client.get("/claims/", {"target": "nobody", "speaker": "somebody"})
    client.get("/actors/", {"sort": "accusations"})
    with django_assert_num_queries(1):  # the record's version
        client.get("/claims/", {"target": "nobody", "speaker": "somebody"})
    with django_assert_num_queries(1):
        client.get("/actors/", {"sort": "accusations"})


@pytest.mark.django_db(transaction=True)
def test_filling_the_claims_vectors_moves_the_version():
    with transaction.atomic():
        PublishedClaimFactory()
    Claim.objects.update(embedding=None)
    before = caching.read_database_version()

    call_command("embed_claims", stdout=StringIO())

    assert caching.read_database_version() == before + 1
