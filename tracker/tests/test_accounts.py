"""Editors' accounts hold against hostile traffic: guessed passwords are locked out before they
are checked, tokens have a lifecycle, and rate limits count real clients once."""

import base64
import datetime
import importlib
import os
import re
from io import StringIO
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient, APIRequestFactory

from claims.tests.factories import EditorFactory, UserFactory
from tracker.api import AnonymousThrottle
from tracker.two_factor import RECOVERY_CODES, issue_recovery_codes

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

    def test_a_client_holding_a_revoked_token_still_signs_in(self):
        editor = EditorFactory()
        revoked = self.sign_in(APIClient(), editor)
        AuthToken.objects.all().delete()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {revoked['token']}")

        response = api_sign_in(client, editor.username, PASSWORD, code=code_from(authenticator_of(editor)))

        assert response.status_code == 200
        assert AuthToken.objects.filter(user=editor).count() == 1

    def test_a_sign_in_without_its_fields_names_them(self):
        response = APIClient().post(TOKEN, {}, format="json")

        assert response.status_code == 400
        assert set(response.json()) == {"username", "password"}

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


def time_passes(*, minutes):
    """Move every recorded failure `minutes` into the past, as the clock would."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes))


class TestLockoutsEnd:
    def test_the_owner_is_refused_during_a_lockout_even_with_the_right_password(self, client):
        editor = EditorFactory()
        for _ in range(5):
            admin_sign_in(client, editor.username, "wrong")
        refused = admin_sign_in(client, editor.username, PASSWORD)  # from the same address
        assert refused.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_a_lockout_ends_after_its_cool_off_though_the_attacker_keeps_guessing(self, client):
        editor = EditorFactory()
        for _ in range(5):
            admin_sign_in(client, editor.username, "wrong")
        # A guess every five minutes, each refused: none of them starts the cool-off again.
        for _ in range(2):
            time_passes(minutes=5)
            assert admin_sign_in(client, editor.username, "wrong").status_code == 429
        time_passes(minutes=4)
        assert admin_sign_in(client, editor.username, PASSWORD).status_code == 429  # 14 minutes in
        time_passes(minutes=2)
        owner = admin_sign_in(client, editor.username, PASSWORD)
        assert owner.status_code == 302
        assert int(client.session["_auth_user_id"]) == editor.pk


class TestSecondFactor:
    def sign_in(self, client, user, code=None, address="203.0.113.7"):
        form = {"username": user.username, "password": PASSWORD}
        if code is not None:
            form["code"] = code
        return client.post("/admin/login/?next=/admin/", form, REMOTE_ADDR=address)

    def test_the_admin_needs_a_code_once_the_app_is_set_up(self, client):
        editor = EditorFactory()
        app = authenticator_of(editor)
        without = self.sign_in(client, editor)
        assert without.status_code == 200
        assert "Enter the code from your authenticator app" in without.content.decode()
        assert client.get("/admin/").status_code == 302  # not signed in
        assert self.sign_in(client, editor, code=code_from(app)).status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_a_password_alone_leads_only_to_setting_up_the_app(self, client):
        editor = EditorFactory()
        assert self.sign_in(client, editor)["Location"] == "/admin/"
        assert client.get("/admin/claims/claim/")["Location"].startswith("/admin/login/")
        assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/second-factor/"

    def test_without_the_setting_an_editor_may_sign_in_with_the_password(self, client, settings):
        settings.EDITORS_NEED_TWO_FACTOR = False
        editor = EditorFactory()
        assert self.sign_in(client, editor).status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_the_editor_scans_a_qr_code_confirms_a_code_and_gets_recovery_codes(self, client):
        editor = EditorFactory()
        self.sign_in(client, editor)
        with CaptureQueriesContext(connection) as queries:
            setup = client.get("/admin/second-factor/")
        # session, user, their confirmed apps (none), an unconfirmed one (none: created in a
        # savepoint), the session's second factor for the user links
        assert len(queries) <= 8
        page = setup.content.decode()
        assert re.search(r'<div class="qr-code"><svg [^>]*class="segno"', page)
        assert "<script" not in page.split('<div class="qr-code">')[1].split("</div>")[0]
        app = TOTPDevice.objects.get(user=editor, confirmed=False)
        secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page).group(1)
        assert base64.b32decode(secret.replace(" ", "")) == app.bin_key

        right = code_from(app)
        wrong = client.post("/admin/second-factor/", {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
        assert "That is not the code your app shows now" in wrong.content.decode()
        done = client.post("/admin/second-factor/", {"code": right})
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
        assert len(codes) == RECOVERY_CODES
        assert client.get("/admin/").status_code == 200  # this session is verified
        client.logout()
        assert self.sign_in(client, editor).status_code == 200  # from now on, the code is needed
        assert self.sign_in(client, editor, code=code_from(app)).status_code == 302

    def test_a_recovery_code_signs_in_once(self, client):
        editor = EditorFactory()
        authenticator_of(editor)
        recovery_code = issue_recovery_codes(editor)[0]
        assert self.sign_in(client, editor, code=recovery_code.upper()).status_code == 302
        assert client.get("/admin/").status_code == 200
        client.logout()
        used_again = self.sign_in(client, editor, code=recovery_code)
        assert used_again.status_code == 200
        assert "recovery code already used" in used_again.content.decode()
        assert StaticToken.objects.count() == RECOVERY_CODES - 1

    def test_new_recovery_codes_replace_the_old(self, client):
        editor = EditorFactory()
        old = issue_recovery_codes(editor)
        sign_in_with_code(client, editor)
        page = client.post("/admin/second-factor/").content.decode()
        new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
        assert len(new) == RECOVERY_CODES
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(new) != set(old)

    def test_wrong_codes_lock_the_account_out_like_wrong_passwords(self, client):
        editor = EditorFactory()
        app = authenticator_of(editor)
        right = code_from(app)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        for _ in range(4):
            assert self.sign_in(client, editor, code=wrong).status_code == 200
        assert self.sign_in(client, editor, code=wrong).status_code == 429  # the fifth
        with counting_password_checks() as checks:
            refused = self.sign_in(client, editor, code=right, address="198.51.100.9")
        assert refused.status_code == 429
        assert checks.call_count == 0
        assert not AuthToken.objects.exists()
        api = api_sign_in(APIClient(), editor.username, PASSWORD, address="198.51.100.9", code=right)
        assert api.status_code == 429

    def test_an_api_token_only_with_a_code(self):
        editor = EditorFactory()
        client = APIClient()
        not_set_up = api_sign_in(client, editor.username, PASSWORD)
        assert not_set_up.status_code == 403
        assert "Set up your second factor first" in not_set_up.json()["detail"]
        app = authenticator_of(editor)
        without = api_sign_in(client, editor.username, PASSWORD)
        assert without.status_code == 400
        assert "code" in without.json()
        wrong = api_sign_in(client, editor.username, PASSWORD, code="12345678")
        assert wrong.status_code == 400
        assert AccessAttempt.objects.get(username=editor.username).failures_since_start == 1
        assert not AuthToken.objects.exists()
        issued = api_sign_in(client, editor.username, PASSWORD, code=code_from(app))
        assert issued.status_code == 200
        assert AuthToken.objects.get().user == editor

    def test_a_session_without_the_second_factor_does_not_sign_in_to_the_api(self, client):
        editor = EditorFactory()
        self.sign_in(client, editor)  # the password alone: enough to set up the app, nothing more
        assert client.get(TOKENS).status_code == 401
        sign_in_with_code(client, editor)
        assert client.get(TOKENS).status_code == 200

    def test_the_schema_documents_the_token_endpoints_401(self, api):
        schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
        paths = schema["paths"]
        for path, method in [
            ("/api/v1/auth/tokens/", "get"),
            ("/api/v1/auth/tokens/", "delete"),
            ("/api/v1/auth/tokens/{token_key}/", "delete"),
            ("/api/v1/auth/token/", "delete"),
        ]:
            assert "401" in paths[path][method]["responses"], (path, method)
            assert api.generic(method.upper(), path.replace("{token_key}", "abc")).status_code == 401


def test_an_administrator_resets_a_lost_second_factor(client):
    editor = EditorFactory(username="wang")
    authenticator_of(editor)
    issue_recovery_codes(editor)
    AuthToken.objects.create(user=editor)  # made with the lost phone's code
    output = StringIO()
    call_command("reset_second_factor", "wang", stdout=output)
    assert "their next sign-in sets up a new one" in output.getvalue()
    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()
    assert not AuthToken.objects.filter(user=editor).exists()
    assert admin_sign_in(client, "wang", PASSWORD).status_code == 302
    assert client.get("/admin/login/")["Location"] == "/admin/second-factor/"


def test_an_account_that_may_change_claims_needs_a_code_for_a_token_even_without_staff_status(api):
    editor = EditorFactory(username="ng", is_staff=False)
    answer = api.post("/api/v1/auth/token/", {"username": "ng", "password": PASSWORD}, format="json")
    assert answer.status_code == 403
    assert not AuthToken.objects.filter(user=editor).exists()


def test_upgrading_revokes_the_tokens_staff_got_with_a_password_alone():
    from django.apps import apps

    revoke = importlib.import_module("tracker.migrations.0002_revoke_tokens_without_second_factor")
    without_app, with_app = EditorFactory(), EditorFactory()
    authenticator_of(with_app)
    for user in (without_app, with_app):
        AuthToken.objects.create(user=user)
    revoke.revoke_tokens_of_staff_without_an_app(apps, None)
    assert list(AuthToken.objects.values_list("user", flat=True)) == [with_app.pk]


def test_a_password_alone_shows_an_editor_the_public_pages_as_a_reader_sees_them(client):
    from claims.merging import merge_actors
    from claims.tests.factories import ActorFactory, ClaimFactory

    editor = EditorFactory(username="li")
    kept = ActorFactory(name="Draft-only Person", slug="draft-only-person")
    ClaimFactory(speaker=kept)
    merge_actors(kept, ActorFactory(name="Draft Only Person", slug="draft-only-person-2"), by=editor)
    authenticator_of(editor)
    client.force_login(editor)  # signed in with the password, not yet with the code
    assert client.get("/actors/draft-only-person-2/").status_code == 404
    sign_in_with_code(client, editor)
    assert client.get("/actors/draft-only-person-2/").status_code == 301
