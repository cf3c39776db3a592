"""The floor of the benchmark's HTTP figure: a WSGI app that answers every request with the claims
list's first page as the benchmark's floor builds it (one hand-written SQL query, `json.dumps`;
`bench.floor.floor_page`), with nothing of Django's request handling, DRF or the serializers.

    gunicorn bench.floor_app:application
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from bench.floor import floor_page  # noqa: E402


def application(environ, start_response):
    with connection.cursor() as cursor:
        body, _ = floor_page(cursor, None)
    data = body.encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
