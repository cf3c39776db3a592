"""What operations rely on: health probes, one log line a request with its id, API errors in JSON
whatever raised them, and writes that leave nothing half-done."""

import logging
from unittest import mock

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from claims.api.serializers import ClaimWriteSerializer
from claims.api.views import ClaimViewSet
from claims.models import Claim
from claims.tests.factories import ActorFactory, EditorFactory

pytestmark = pytest.mark.django_db


def test_liveness_answers_any_host_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_checks_the_database_and_the_migrations_and_reports_the_cache(client):
    response = client.get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ready", "failing": [], "degraded": []},
    )


def test_readiness_fails_when_the_database_does_not_answer_and_says_only_which_check(client):
    with mock.patch.object(connection, "cursor", side_effect=OSError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert "database" in body["failing"]
    assert "connection refused" not in response.content.decode()


def test_each_request_is_logged_once_with_an_id_the_response_echoes(client, caplog):
    with caplog.at_level(logging.INFO, logger="tracker.requests"):
        response = client.get("/api/v1/topics/?page_size=5")
        client.get("/healthz")
    [line] = [record.getMessage() for record in caplog.records if record.name == "tracker.requests"]
    request_id = response["X-Request-ID"]
    assert line.startswith("GET /api/v1/topics/?page_size=5 200 ")
    assert line.endswith(f"id={request_id}")
    assert len(request_id) == 32


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_an_unexpected_api_error_is_json_like_every_other(caplog):
    client = APIClient(raise_request_exception=False)
    with mock.patch.object(ClaimViewSet, "list", side_effect=RuntimeError("boom")):
        response = client.get("/api/v1/claims/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Server error: the request could not be completed")
    assert response["X-Request-ID"] in response.json()["detail"]


def database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def test_a_database_that_does_not_answer_is_a_503_to_retry_for_the_api_and_the_pages():
    client = APIClient(raise_request_exception=False)
    with mock.patch.object(ClaimViewSet, "list", side_effect=database_down):
        api_response = client.get("/api/v1/claims/")
    with mock.patch("claims.views.Claim.objects.published", side_effect=database_down):
        page_response = client.get("/claims/")
    assert (api_response.status_code, api_response["Retry-After"]) == (503, "5")
    assert api_response.json()["detail"].startswith("Server error: the database is not answering")
    assert (page_response.status_code, page_response["Retry-After"]) == (503, "5")
    assert "The site is briefly unavailable" in page_response.content.decode()


def test_a_page_that_fails_is_the_sites_500_page():
    client = APIClient(raise_request_exception=False)
    with mock.patch("claims.views.Claim.objects.published", side_effect=RuntimeError("boom")):
        response = client.get("/claims/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "Something went wrong on our side" in response.content.decode()


def test_a_request_django_refuses_as_suspicious_is_a_json_400_not_a_500():
    client = APIClient(raise_request_exception=False)
    with mock.patch.object(ClaimViewSet, "list", side_effect=TooManyFieldsSent("1,001 fields")):
        response = client.get("/api/v1/claims/")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "The request was refused as malformed."},
    )


def test_an_unknown_api_url_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_an_api_write_that_fails_half_way_leaves_nothing():
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(EditorFactory())
    speaker = ActorFactory()
    claim = {"summary": "A claim.", "speaker": speaker.slug, "kind": "assertion", "stated_on": "2020-05-21"}
    with mock.patch.object(ClaimWriteSerializer, "to_representation", side_effect=RuntimeError("cut")):
        response = client.post("/api/v1/claims/", claim, format="json")
    assert response.status_code == 500
    assert not Claim.objects.exists()
