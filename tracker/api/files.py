"""Whole lists as files: CSV and JSON Lines, streamed."""

import csv
import io
import json
from itertools import islice

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Marks `?format=csv`; the view streams the rows itself (see `csv_response`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by the view, not rendered")


class JSONLinesRenderer(BaseRenderer):
    """Marks `?format=jsonl`: JSON Lines, one JSON object a line, streamed by the view (see
    `jsonl_response`). Served as `application/x-ndjson`, the type that tools which read a stream
    of JSON objects (Elasticsearch, Kibana, jq users' HTTP clients) know; `application/jsonl` is
    only proposed. JSON is UTF-8, so the type takes no charset."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("JSON Lines are streamed by the view, not rendered")


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(row):
    """The row's cells as text, a cell that a spreadsheet would run prefixed with a quote."""
    cells = ["" if value is None else str(value) for value in row]
    return [f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell for cell in cells]


def csv_response(header, rows, filename, rows_per_chunk=500):
    """Stream `rows` (an iterable of lists) as CSV: memory stays flat however many rows there are.

    The header goes out at once; then rows go `rows_per_chunk` at a time, so that each chunk is
    worth a write to the client (a chunk a row cost more than writing the row)."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(neutralised(header))
        yield buffer.getvalue()
        rows_left = iter(rows)
        while batch := list(islice(rows_left, rows_per_chunk)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(map(neutralised, batch))
            yield buffer.getvalue()

    return streamed_file(chunks(), CSVRenderer, filename)


def jsonl_response(objects, filename, objects_per_chunk=500):
    """Stream `objects` (an iterable of dicts) as JSON Lines, compact and in UTF-8 as written, a
    line an object, `objects_per_chunk` at a time: memory stays flat."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def chunks():
        objects_left = iter(objects)
        while batch := list(islice(objects_left, objects_per_chunk)):
            yield "".join(f"{encode(item)}\n" for item in batch)

    return streamed_file(chunks(), JSONLinesRenderer, filename)


def streamed_file(chunks, renderer, filename):
    """A download of `chunks`, sent as they come: its length is not known before the end, so it
    goes out in HTTP/1.1's chunked encoding, whose last, empty chunk tells a complete download
    from one that a failure cut short (the chunks' generator raises: the connection is aborted)."""
    content_type = renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else "")
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
