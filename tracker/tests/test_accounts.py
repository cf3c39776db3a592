"""Editors' accounts hold against hostile traffic: guessed passwords are locked out before they
are checked, tokens have a lifecycle, and rate limits count real clients once."""

import datetime
import os
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient, APIRequestFactory

from claims.tests.factories import EditorFactory, UserFactory
from tracker.api import AnonymousThrottle

from .two_factor import PASSWORD, authenticator_of, code_from, sign_in_with_code

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


def admin_sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def api_sign_in(client, username, password, address="203.0.113.7", **code):
    return client.post(TOKEN, {"username": username, "password": password, **code}, REMOTE_ADDR=address)


def counting_password_checks():
    return mock.patch.object(
        get_user_model(), "check_password", autospec=True, side_effect=get_user_model().check_password
    )


class TestPasswordGuessing:
    def test_the_admin_refuses_a_username_after_five_failures_without_checking_the_password(self, client):
        editor = EditorFactory()
        for _ in range(4):
            assert admin_sign_in(client, editor.username, "wrong").status_code == 200
        assert admin_sign_in(client, editor.username, "wrong").status_code == 429  # the fifth
        with counting_password_checks() as checks:
            refused = admin_sign_in(client, editor.username, PASSWORD, address="198.51.100.9")
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.content.decode()
        assert int(refused["Retry-After"]) == 15 * 60
        assert checks.call_count == 0  # locked out before any hashing

    def test_the_token_endpoint_refuses_an_address_after_five_failures_with_429_and_retry_after(self):
        client = APIClient()
        editor = EditorFactory()
        for number in range(4):
            assert api_sign_in(client, f"guess{number}", "wrong").status_code == 400
        assert api_sign_in(client, "guess4", "wrong").status_code == 429  # the fifth
        with counting_password_checks() as checks:
            refused = api_sign_in(client, editor.username, PASSWORD)
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.json()["detail"]
        assert int(refused["Retry-After"]) == 15 * 60
        assert checks.call_count == 0
        assert not AuthToken.objects.exists()
        # The account itself is not locked: from another address its owner signs in.
        code = code_from(authenticator_of(editor))
        assert (
            api_sign_in(client, editor.username, PASSWORD, address="198.51.100.9", code=code).status_code
            == 200
        )

    def test_a_success_resets_the_count(self, client):
        editor = EditorFactory()
        for _ in range(4):
            admin_sign_in(client, editor.username, "wrong")
        assert admin_sign_in(client, editor.username, PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            assert admin_sign_in(client, editor.username, "wrong").status_code == 200
        assert admin_sign_in(client, editor.username, PASSWORD).status_code == 302

    def test_an_administrator_sees_and_lifts_a_lockout(self, client):
        editor = EditorFactory()
        for _ in range(5):
            admin_sign_in(client, editor.username, "wrong")
        administrator = get_user_model().objects.create_superuser("chief", password=PASSWORD)
        sign_in_with_code(client, administrator, REMOTE_ADDR="198.51.100.9")
        lockouts = client.get("/admin/axes/accessattempt/").content.decode()
        assert editor.username in lockouts
        client.logout()
        AccessAttempt.objects.filter(username=editor.username).delete()  # what "delete" in that list does
        assert admin_sign_in(client, editor.username, PASSWORD).status_code == 302


class TestTokens:
    def sign_in(self, client, user):
        response = api_sign_in(client, user.username, PASSWORD, code=code_from(authenticator_of(user)))
        assert response.status_code == 200, response.content
        return response.json()

    def test_a_token_is_stored_hashed_and_expires_in_thirty_days(self):
        issued = self.sign_in(APIClient(), EditorFactory())
        stored = AuthToken.objects.get()
        assert issued["token"] != stored.digest
        assert issued["token"] not in {stored.digest, stored.token_key}
        assert stored.token_key == issued["token_key"] == issued["token"][: len(stored.token_key)]
        lifetime = stored.expiry - timezone.now()
        assert datetime.timedelta(days=29, hours=23) < lifetime <= datetime.timedelta(days=30)

    def test_only_editors_get_one(self):
        response = api_sign_in(APIClient(), UserFactory().username, PASSWORD)
        assert response.status_code == 403
        assert response.json()["detail"] == "Only editors get API tokens."
        assert not AuthToken.objects.exists()

    def test_an_editor_lists_their_devices_and_signs_out_one_then_all(self):
        editor, other = EditorFactory(), EditorFactory()
        phone, laptop = self.sign_in(APIClient(), editor), self.sign_in(APIClient(), editor)
        self.sign_in(APIClient(), other)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {laptop['token']}")
        listed = client.get(TOKENS).json()
        assert {token["token_key"] for token in listed} == {phone["token_key"], laptop["token_key"]}
        assert [token["is_current"] for token in listed if token["token_key"] == laptop["token_key"]] == [
            True
        ]

        assert client.delete(f"{TOKENS}{phone['token_key']}/").status_code == 204
        phone_client = APIClient()
        phone_client.credentials(HTTP_AUTHORIZATION=f"Token {phone['token']}")
        assert phone_client.get(TOKENS).status_code == 401
        assert client.delete(f"{TOKENS}{phone['token_key']}/").status_code == 404

        assert client.delete(TOKENS).status_code == 204
        assert client.get(TOKENS).status_code == 401
        assert AuthToken.objects.filter(user=other).count() == 1

    def test_signing_out_this_device(self):
        issued = self.sign_in(APIClient(), EditorFactory())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
        assert client.delete(TOKEN).status_code == 204
        assert client.get(TOKENS).status_code == 401

    @pytest.mark.parametrize("change", ["password", "deactivation"])
    def test_a_password_change_or_deactivation_revokes_every_token(self, change):
        editor = EditorFactory()
        issued = self.sign_in(APIClient(), editor)
        if change == "password":
            editor.set_password("another-long-passphrase")
        else:
            editor.is_active = False
        editor.save()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
        assert client.get(TOKENS).status_code == 401
        assert not AuthToken.objects.exists()

    def test_an_expired_token_is_refused(self):
        issued = self.sign_in(APIClient(), EditorFactory())
        AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
        assert client.get(TOKENS).status_code == 401


class TestRateLimits:
    @pytest.fixture
    def three_a_minute(self, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "anon": "3/minute",
            },
        }

    def test_a_forged_forwarded_for_header_does_not_escape_the_limit(self, three_a_minute):
        client = APIClient()
        statuses = [
            client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code
            for number in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]

    def test_behind_a_trusted_proxy_the_address_it_saw_is_counted(self, three_a_minute, settings):
        settings.NUM_PROXIES = 1
        client = APIClient()
        for _ in range(3):
            assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="forged, 192.0.2.1").status_code == 200
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200

    def test_an_anonymous_reader_is_not_held_to_the_signed_in_rate(self, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "user": "2/minute",
            },
        }
        client = APIClient()
        assert [client.get("/api/v1/topics/").status_code for _ in range(4)] == [200] * 4


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable():
    try:
        RedisCache(REDIS_URL, {}).get("ping")
    except Exception:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason=f"needs Redis at {REDIS_URL}")
def test_two_processes_sharing_redis_see_one_count(settings):
    """Each gunicorn worker has its own cache client; with Redis they count together."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"},
    }

    class Worker(AnonymousThrottle):
        def __init__(self):
            self.cache = RedisCache(REDIS_URL, {})  # a client of its own, as in another process
            super().__init__()

    first, second = Worker(), Worker()
    first.cache.clear()
    request = APIRequestFactory().get("/api/v1/topics/", REMOTE_ADDR="203.0.113.50")
    request.user = mock.Mock(is_authenticated=False)
    allowed = [worker.allow_request(request, None) for worker in (first, second, first, second)]
    assert allowed == [True, True, True, False]
    first.cache.clear()
