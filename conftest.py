import socket

import pytest
from django.core.cache import cache
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from claims.tests.factories import EditorFactory
from tracker.caching import clear_public_caches
from tracker.tests.two_factor import sign_in_with_code


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture(autouse=True)
def editors_need_two_factor(settings):
    """As deployed (DEBUG off): editors sign in to the admin with a code from their app."""
    settings.EDITORS_NEED_TWO_FACTOR = True


@pytest.fixture
def editor_client(client, editor):
    """A browser signed in to the admin as an editor, with password and code."""
    return sign_in_with_code(client, editor)


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashing():
    """Production hashes a password slowly on purpose (0.3 s here), and a hundred tests create an
    editor: what they check (a right or wrong password, lockouts) does not depend on the hasher."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def uncached_public_answers(settings):
    """Pages and API reads are rendered at each request, so that query counts count their work
    (tracker/tests/test_caching.py turns the public cache on)."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: no page, no throttle count."""
    cache.clear()
    clear_public_caches()


@pytest.fixture
def api():
    """An anonymous API client: a reader or a researcher."""
    return APIClient()


@pytest.fixture
def editor_api(editor):
    """An API client that sends an editor's token, as a script of theirs would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=editor)[1]}")
    return client


@pytest.fixture(autouse=True)
def fresh_vector_index():
    """Each test's claims are indexed afresh: ids are reused once a test's rows are rolled back."""
    from claims.similarity import index

    index.forget()


@pytest.fixture
def network_unavailable(monkeypatch):
    """Every attempt to open a connection fails, as on a machine with no network."""

    def no_network(*args, **kwargs):
        raise OSError("the network is unavailable")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
