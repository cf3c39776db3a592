"""The claims export: every claim a list request matches, one a row (`?format=csv`) or a line
(`?format=jsonl`), in the list's order.

On PostgreSQL the database formats the rows and `COPY (SELECT ...) TO STDOUT` streams them: a
million claims take seconds, and the worker holds a pipe's worth of them at a time. Elsewhere
(SQLite) Python formats them, a chunk of claims at a time. Both write the same bytes for the same
claims (claims/tests/test_export.py compares them).

A download is complete only if its HTTP stream ended cleanly. The rows go out as they are read,
after a 200 and its headers, so a failure half-way (the database gone, the query cancelled, the
worker killed) cannot change the status any more: it aborts the connection instead, without the
chunked encoding's last, empty chunk, and the client sees an error (curl: "transfer closed with
outstanding read data remaining", exit 18), never a short file that looks whole.
"""

import contextlib
import fcntl
import os
import threading
from itertools import islice

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import F, OrderBy

from claims.models import Claim
from tracker.api import (
    FORMULA_TRIGGERS,
    CSVRenderer,
    JSONLinesRenderer,
    csv_response,
    jsonl_response,
    streamed_file,
)
from tracker.pages import slug_url_parts

# The export's columns (CSV) and keys (JSON Lines), in order, each with the claim's value it shows.
COLUMNS = {
    "id": "id",
    "page_url": "slug",  # the claim's page: the site's address, then the slug
    "summary": "summary",
    "quote": "quote",
    "speaker": "speaker__name",
    "speaker_slug": "speaker__slug",
    "speaker_role": "speaker_role",
    "target": "target__name",
    "kind": "kind",
    "stated_on": "stated_on",
    "date_precision": "stated_on_precision",
    "evidence_status": "evidence_status",
    "rationale": "rationale",
    "attribution": "attribution",
    "topics": "topic_names",  # in name order; joined by "; " in the CSV
    "first_source_url": "first_source_url",
    "updated_at": "updated_at",
}
FORMATS = [CSVRenderer.format, JSONLinesRenderer.format]


def export_response(claims, request, format):
    """`claims` (a filtered, ordered queryset) as a streamed file in `format`, one of `FORMATS`."""
    if connection.vendor != "postgresql" or claims.query.is_empty():
        # (An empty queryset, `similar_to` with nothing telling, has no SQL to copy from.)
        return python_export_response(claims, request, format)
    if format == CSVRenderer.format:
        chunks = with_crlf_line_ends(copied(copy_csv_sql(claims, page_url_parts(request))))
        return streamed_file(chunks, CSVRenderer, "claims.csv")
    chunks = copied(copy_jsonl_sql(claims, page_url_parts(request)))
    return streamed_file(chunks, JSONLinesRenderer, "claims.jsonl")


def python_export_response(claims, request, format):
    """The export formatted in Python: any database, a chunk of claims at a time."""
    records = claim_records(claims, request)
    if format == CSVRenderer.format:
        return csv_response(list(COLUMNS), map(csv_cells, records), "claims.csv")
    return jsonl_response(map(json_object, records), "claims.jsonl")


def page_url_parts(request):
    """A claim's page URL, absolute, as what comes before its slug and after it."""
    before, after = slug_url_parts("claims:claim-detail")
    return request.build_absolute_uri(before), after


# --- Formatted in Python ---------------------------------------------------------------------------


def claim_records(claims, request, chunk_size=2000):
    """One tuple of values per claim, in `claims`' order and `COLUMNS`' (typed: numbers, dates, a
    list of topic names, None where there is no target or source), fetched `chunk_size` at a time:
    two queries a chunk (the claims, their topics), memory flat however many claims there are."""
    fields = [field for field in COLUMNS.values() if field != "topic_names"]
    rows = claims.with_first_source_url().values_list(*fields).iterator(chunk_size=chunk_size)
    prefix, suffix = page_url_parts(request)
    while chunk := list(islice(rows, chunk_size)):
        topics = Claim.topics.through.objects.filter(claim_id__in=[row[0] for row in chunk])
        topic_names = {}
        for claim_id, name in topics.order_by("topic__name").values_list("claim_id", "topic__name"):
            topic_names.setdefault(claim_id, []).append(name)
        for claim_id, slug, *fields, first_source_url, updated_at in chunk:
            yield (
                claim_id,
                f"{prefix}{slug}{suffix}",
                *fields,
                topic_names.get(claim_id, []),
                first_source_url,
                updated_at,
            )


def csv_cells(record):
    """A record as the CSV's cells: topics joined, dates in ISO 8601 (`csv_response` neutralises
    formulas and writes None as an empty cell)."""
    *fields, topics, first_source_url, updated_at = record
    return [*fields, "; ".join(topics), first_source_url, updated_at.isoformat()]


def json_object(record):
    claim = dict(zip(COLUMNS, record, strict=True))
    claim["stated_on"] = claim["stated_on"].isoformat()
    claim["updated_at"] = claim["updated_at"].isoformat()
    return claim


# --- Formatted by PostgreSQL -----------------------------------------------------------------------

# `updated_at` as Python's `isoformat()` writes it: microseconds only when there are some (the
# only place where ".000000" can be). One `to_char` a row: each costs about half a second a million.
ISO_MOMENT = (
    """replace(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '') || '+00:00'"""
)
# The first characters of a cell that a spreadsheet runs as a formula, as SQL texts.
FORMULA_STARTS = ", ".join(f"'{start}'" for start in FORMULA_TRIGGERS)
NEUTRALISED = "NULLIF(CASE WHEN left({0}, 1) IN ({1}) THEN '''' || {0} ELSE {0} END, '')"


def typed_columns():
    """The export's columns in SQL, typed as in `claim_records` (dates as ISO text), from the
    claims' values (`c`) and what the page URL has before and after the slug (`c.prefix`,
    `c.suffix`)."""
    columns = {name: f'c."{field}"' for name, field in COLUMNS.items()}
    columns["page_url"] = "c.prefix || c.slug || c.suffix"
    columns["stated_on"] = """to_char(c."stated_on", 'YYYY-MM-DD')"""
    columns["updated_at"] = ISO_MOMENT.format('c."updated_at"')
    return columns


def copy_csv_sql(claims, page_url):
    """The COPY statement that writes `claims` as the Python path's CSV: each text cell as
    `tracker.api.neutralised` writes it, a formula prefixed with a quote, and an empty one as NULL
    (COPY writes NULL as nothing, and an empty text as "")."""
    columns = typed_columns()
    columns["topics"] = "array_to_string(c.topic_names, '; ')"
    # A number and two dates: never a formula, never empty.
    formatted = {"id", "stated_on", "updated_at"}
    cells = {
        name: cell if name in formatted else NEUTRALISED.format(cell, FORMULA_STARTS)
        for name, cell in columns.items()
    }
    return copy_statement(
        "SELECT {columns} FROM {claims} ORDER BY {order_by}", cells, claims, page_url, "FORMAT csv, HEADER"
    )


def copy_jsonl_sql(claims, page_url):
    """The COPY statement that writes `claims` as JSON Lines: one object a line, as `json_object`.

    JSON escapes every control character, so an object holds neither a line break nor the bytes
    chosen here as CSV's quote and delimiter: COPY's CSV format writes each one as it is (its text
    format would double every backslash)."""
    columns = typed_columns()
    return copy_statement(
        "SELECT row_to_json(claim) FROM (SELECT {columns} FROM {claims} ORDER BY {order_by}) claim",
        columns,
        claims,
        page_url,
        "FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02'",
    )


# Run in one process: a parallel plan builds each aggregate's hash table again in every worker, which
# takes the CPU the web worker needs to send the rows, for no gain in time on a small server. LOCAL:
# the statements of one query string run in one transaction, so the setting ends with the COPY (or
# with the transaction around it, inside `atomic()`).
SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0;"


def copy_statement(select, columns, claims, page_url, options):
    """`COPY (select) TO STDOUT WITH (options)`, where `select` formats `columns` (name: SQL) from
    `claims`' values (`{claims}`), in their order (`{order_by}`).

    Each claim's topics and first source come from two aggregates, each computed once for all the
    claims and hash-joined to them: a lookup a claim (a subquery each, as `with_first_source_url`
    does for the Python path) would cost more than the rest of the row. A join does not keep the
    claims' order, so the claims come unordered with their ordering keys as columns, and the
    statement sorts its rows by them last; `select` orders them before anything is computed from
    a row as a whole (`row_to_json`)."""
    keys, order_by = ordering_keys(claims)
    values = claims.annotate(**keys)
    if not values.query.is_sliced:  # a slice keeps its order: it says which claims
        values = values.order_by()
    fields = [field for field in COLUMNS.values() if field not in ("topic_names", "first_source_url")]
    values_sql, values_params = values.values(*fields, *keys).query.sql_with_params()
    ids = claims.values("pk") if claims.query.is_sliced else claims.order_by().values("pk")
    # Only the claims exported: a filtered export reads the topics and citations of its claims.
    topics = Claim.topics.through.objects.filter(claim__in=ids).values("claim_id")
    topics = topics.annotate(names=ArrayAgg("topic__name", order_by="topic__name"))
    topics_sql, topics_params = topics.query.sql_with_params()
    citation = Claim._meta.get_field("citations").related_model
    first_citations = citation.objects.filter(claim__in=ids).order_by("claim_id", "pk").distinct("claim_id")
    first_citations_sql, first_citations_params = first_citations.values(
        "claim_id", "source_id"
    ).query.sql_with_params()
    sources = connection.ops.quote_name(citation._meta.get_field("source").related_model._meta.db_table)
    claims_sql = (
        "(SELECT %s AS prefix, %s AS suffix, v.*, COALESCE(topics.names, '{}') AS topic_names,"
        " source.url AS first_source_url"
        f" FROM ({values_sql}) v"
        f" LEFT JOIN ({topics_sql}) topics ON topics.claim_id = v.id"
        f" LEFT JOIN ({first_citations_sql}) first_citation ON first_citation.claim_id = v.id"
        f" LEFT JOIN {sources} source ON source.id = first_citation.source_id) c"
    )
    query = select.format(
        columns=", ".join(f'{cell} AS "{name}"' for name, cell in columns.items()),
        claims=claims_sql,
        order_by=order_by,
    )
    params = [*page_url, *values_params, *topics_params, *first_citations_params]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        # COPY takes no parameters: psycopg2 quotes them into the statement, as it does for a query.
        return cursor.mogrify(f"{SERIAL} COPY ({query}) TO STDOUT WITH ({options})", params).decode()


def ordering_keys(claims):
    """`claims`' ordering as annotations (name: expression), and the ORDER BY that sorts the
    values of `c` by them."""
    query = claims.query
    ordering = query.order_by or (query.get_meta().ordering if query.default_ordering else [])
    keys, order_by = {}, []
    for number, order in enumerate(ordering):
        if isinstance(order, str):
            order = F(order.removeprefix("-")).desc() if order.startswith("-") else F(order).asc()
        elif not isinstance(order, OrderBy):
            order = order.asc()
        name = f"export_order_{number}"
        keys[name] = order.expression
        descending = order.descending != (not query.standard_ordering)  # reverse() flips them all
        nulls = " NULLS FIRST" if order.nulls_first else " NULLS LAST" if order.nulls_last else ""
        order_by.append(f'c."{name}" {"DESC" if descending else "ASC"}{nulls}')
    return keys, ", ".join(order_by) or "c.id"


def with_crlf_line_ends(chunks):
    """COPY ends a CSV row with LF; Python's csv module, and RFC 4180, with CRLF. A line break
    inside a quoted cell is the cell's own and stays as it is: outside quotes, after an even
    number of them, every LF ends a row."""
    quoted = False
    for chunk in chunks:
        pieces = chunk.split(b'"')
        outside = 1 if quoted else 0
        pieces[outside::2] = [piece.replace(b"\n", b"\r\n") for piece in pieces[outside::2]]
        quoted ^= len(pieces) % 2 == 0  # an odd number of quotes
        yield b'"'.join(pieces)


# Linux lets a pipe hold this much (the default is 64 KiB): fewer, larger chunks for the client.
PIPE_SIZE = 1 << 20


def copied(copy_sql, chunk_size=PIPE_SIZE):
    """The output of `copy_sql` (a `COPY ... TO STDOUT`), in chunks as it comes.

    psycopg2's `copy_expert` writes everything to a file before it returns: here it runs in a
    thread and writes into a pipe, which holds at most a chunk, so the database waits for a slow
    client rather than the worker's memory filling. A COPY that fails raises here, once the rows
    before the failure are out; a client that goes away cancels the COPY."""
    connection.ensure_connection()
    database = connection.connection  # the request's own connection, idle while the COPY runs
    if connection.queries_logged:  # DEBUG, or a test counting queries: psycopg2's COPY bypasses the log
        connection.queries_log.append({"sql": copy_sql, "time": "0.000"})
    read_end, write_end = os.pipe()
    # Not on Linux, or above the system's limit: the default size will do.
    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    failures = []

    def copy():
        try:
            with open(write_end, "wb", buffering=chunk_size) as pipe, database.cursor() as cursor:
                cursor.copy_expert(copy_sql, pipe)
        except BaseException as error:  # handed to the reading thread, which raises it
            failures.append(error)

    thread = threading.Thread(target=copy, name="export-copy", daemon=True)
    finished = False
    with open(read_end, "rb", buffering=0) as pipe:
        thread.start()
        try:
            while chunk := pipe.read(chunk_size):
                yield chunk
            finished = True
        finally:
            if not finished:  # the client went away, or the worker is stopping
                database.cancel()
                while pipe.read(chunk_size):  # what the COPY wrote before it stopped
                    pass
            thread.join()
    if failures:
        with connection.wrap_database_errors:  # as Django's own: psycopg2's OperationalError is Django's
            raise failures[0]
