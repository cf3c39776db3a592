"""Redis is a cache, never a single point of failure: with Redis refusing connections or hung,
readers' pages, API reads, editors' writes and sign-ins are answered as usual (throttles count in
each process), a committed write is answered as committed, and `/readyz` says the cache is
degraded while the app stays ready."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import EditorFactory, PublishedClaimFactory
from claims.tests.test_admin import claim_form_data
from tracker.tests.two_factor import PASSWORD, authenticator_of, code_from, sign_in_with_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_port():
    """A loopback port whose server accepts connections (the kernel's backlog) and never answers,
    as a Redis stopped with SIGSTOP does."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def redis_at(settings, port):
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.fallback_cache.RedisWithFallbackCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }


@pytest.fixture(params=["refused", "hung"])
def failing_redis(request, settings, closed_port):
    port = request.getfixturevalue("hung_port") if request.param == "hung" else closed_port
    redis_at(settings, port)
    settings.PUBLIC_CACHE_SECONDS = 600  # as deployed
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"},
    }
    return request.param


def test_readers_pages_and_api_reads_are_served(failing_redis, client, api):
    claim = PublishedClaimFactory()
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert client.get("/claims/").status_code == 200
    assert api.get("/api/v1/claims/").status_code == 200
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert cache.is_degraded()  # Redis is not asked again for a while: no request waits on it


def test_throttles_count_in_the_process(failing_redis, api):
    PublishedClaimFactory()
    statuses = [api.get("/api/v1/claims/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_an_editors_write_through_the_api_is_committed_and_answered_200(
    failing_redis, editor_api, django_capture_on_commit_callbacks
):
    claim = PublishedClaimFactory(summary="Before.")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary": "After."})
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).summary == "After."


def test_an_editors_new_claim_in_the_admin_is_committed(failing_redis, editor_client):
    response = editor_client.post(reverse("admin:claims_claim_add"), claim_form_data())
    assert response.status_code == 302
    assert Claim.objects.count() == 1


def test_sign_in_to_the_admin_and_to_the_api_works(failing_redis, client, api):
    editor = EditorFactory()
    assert sign_in_with_code(client, editor)  # a 302 to the admin
    code = code_from(authenticator_of(editor))
    token = api.post("/api/v1/auth/token/", {"username": editor.username, "password": PASSWORD, "code": code})
    assert token.status_code == 200


def test_readiness_stays_ready_and_names_the_degraded_cache(failing_redis, client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ready", "failing": [], "degraded": ["cache"]},
    )
