"""What tests across the apps do the same way: read a page, and count the queries an answer costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def html(client, url, status=200):
    """The page at `url` as text, answered with `status`."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def queries_for(client, url):
    """How many queries the answer at `url` (a page or an API read, answered 200) costs."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)
