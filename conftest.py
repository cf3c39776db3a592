import pytest

from claims.tests.factories import EditorFactory


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
