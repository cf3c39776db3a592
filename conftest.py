import pytest
from django.core.cache import cache

from claims.tests.factories import EditorFactory


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: no page, no throttle count, no record version."""
    cache.clear()
