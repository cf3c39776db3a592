"""Anonymous readers' pages and API reads, served from each process's memory until the record changes.

Every cached answer is filed under the record's version: a number the database keeps
(`tracker.models.RecordVersion`), which any committed write to a claim, actor, topic, source,
citation or relation moves on: the records are `PublicRecord`s, whose saves, deletes and queryset
writes (`RecordQuerySet`) move it, and a change of a claim's topics is made with the claim saved in
the same transaction (`claims.operations`). Each process reads it once a request (one query by
primary key) and forgets what it holds when it has moved, so an editor's change is seen at the next
request, by every process, with nothing to purge. Nothing here needs Redis: pages and API reads are as fast
whether the cache server answers, is full, or hangs.

What anonymous traffic can store is bounded: only answers to known query parameters, each given
once (sorted, so that their order makes no new entry), and at most `PUBLIC_CACHE_MAX_BYTES` a
process, the least recently used forgotten first. Signed-in users (a session cookie, or an API
token) always get fresh answers. Public answers also say `Cache-Control: public, max-age=...`, so a
CDN in front can absorb a page that goes viral.

A write never fails for the version's sake: it moves once the write is committed, outside the
write's transaction, and a failure to move it (the database gone just after the commit) is logged
and tried again at the process's next request; meanwhile the writing process has moved its own
generation, and every other process's answers expire after `PUBLIC_CACHE_SECONDS`.
"""

import logging
import threading
import time
from collections import OrderedDict
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection, models, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_response_headers, set_response_etag

logger = logging.getLogger(__name__)

UNCACHED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz")
# The query parameters the readers' pages read (filters, list positions, page numbers, sitemap
# pages). A page asked with any other is served, but not stored: `?x=<random>` makes no entry.
PAGE_PARAMETERS = frozenset(
    {
        "q",
        "topic",
        "speaker",
        "target",
        "status",
        "kind",
        "year",
        "before",
        "after",
        "made_before",
        "made_after",
        "against_before",
        "against_after",
        "page",
        "p",
        "sort",
    }
)
# A longer value is served, not stored.
PARAMETER_MAX_LENGTH = 200
# The API's answers are stored for the JSON a client gets without asking for another type.
CACHED_API_ACCEPT = frozenset({"", "*/*", "application/json"})


# --- The record's version ----------------------------------------------------------------------


class RecordClock:
    """The version answers are filed under: (the database's version, this process's generation).

    The generation moves at once when this process writes (before the commit, and again after it),
    so the writing process never serves what it has just changed, even before the database's
    version has moved or when moving it failed."""

    def __init__(self):
        self.generation = 0
        self.last_read = None
        self.move_pending = False

    def current(self):
        """The version now; the last one read when the database does not answer (then nothing can
        be written either); None when none was ever read (then nothing is cached)."""
        if self.move_pending:
            self.move_database_version()
        try:
            self.last_read = read_database_version()
        except DatabaseError as error:
            logger.warning("The record version could not be read (%s); using the last one read", error)
        return None if self.last_read is None else (self.last_read, self.generation)

    def record_changed(self):
        self.generation += 1

    def change_committed(self):
        self.generation += 1
        self.move_database_version()

    def move_database_version(self):
        from tracker.models import RecordVersion

        try:
            moved = RecordVersion.objects.filter(pk=RecordVersion.ROW_ID).update(number=F("number") + 1)
            if not moved:
                RecordVersion.objects.get_or_create(pk=RecordVersion.ROW_ID)
        except DatabaseError as error:
            self.move_pending = True
            logger.warning("The record version did not move (%s); trying again next request", error)
        else:
            self.move_pending = False


def read_database_version():
    from tracker.models import RecordVersion

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number FROM {RecordVersion._meta.db_table} WHERE id = %s", [RecordVersion.ROW_ID]
        )
        row = cursor.fetchone()
    return row[0] if row else 0


clock = RecordClock()


def record_changed():
    """Called by every write to a record readers see: this process forgets its answers at once, and
    the database's version moves once the write is committed."""
    clock.record_changed()
    # Once a transaction, however many records it writes; robust: what runs after the commit
    # cannot turn a committed write into an error.
    if not any(callback == clock.change_committed for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(clock.change_committed, robust=True)


class RecordQuerySet(models.QuerySet):
    """The queries of a record readers see: a write in bulk moves the version as a save does, when
    it wrote any row."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            record_changed()
        return rows

    def update_changed(self, **values):
        """`update(**values)` of only the rows where some value differs (none may be NULL): a write
        that would change nothing writes nothing and leaves the version where it is."""
        return self.exclude(**values).update(**values)

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            record_changed()
        return deleted

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        if created:
            record_changed()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        if rows:
            record_changed()
        return rows


class PublicRecord(models.Model):
    """What a public page or API answer shows (a claim, actor, topic, source, citation, relation,
    status step, tombstone or merge): saving or deleting one moves the version. Its querysets are
    `RecordQuerySet`s."""

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        record_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        record_changed()
        return deleted


# --- The answers -----------------------------------------------------------------------------------


class StoredAnswer(NamedTuple):
    status: int
    headers: tuple
    content: bytes
    expires_at: float

    def response(self):
        response = HttpResponse(self.content, status=self.status)
        for header, value in self.headers:
            response[header] = value
        return response


class AnswerStore:
    """This process's answers for the current version, the least recently used forgotten first
    once they hold more than `max_bytes`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.version = None
        self.answers = OrderedDict()
        self.size = 0

    def get(self, version, key):
        with self.lock:
            if version != self.version:
                self.clear()
                self.version = version
                return None
            answer = self.answers.get(key)
            if answer is None:
                return None
            if answer.expires_at < time.monotonic():
                self.forget(key)
                return None
            self.answers.move_to_end(key)
            return answer

    def put(self, version, key, answer):
        max_bytes = settings.PUBLIC_CACHE_MAX_BYTES
        if len(answer.content) > max_bytes // 4:
            return  # one answer never pushes out most of the others
        with self.lock:
            if version != self.version:
                return  # the version moved while this answer was made
            self.forget(key)
            self.answers[key] = answer
            self.size += len(answer.content)
            while self.size > max_bytes:
                self.forget(next(iter(self.answers)))

    def forget(self, key):
        answer = self.answers.pop(key, None)
        if answer is not None:
            self.size -= len(answer.content)


store = AnswerStore()


def clear_public_caches():
    """Forget every stored answer of this process (tests start from nothing)."""
    with store.lock:
        store.clear()


def caching_is_on():
    return settings.PUBLIC_CACHE_SECONDS > 0


def is_anonymous_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def answer_key(request, kind, known_parameters=None):
    """What an answer is filed under: its kind, the site's address as the reader asked for it
    (pages write absolute links), its path and sorted parameters; None when it is not stored (a
    parameter given twice, too long, or not among `known_parameters`)."""
    parameters = []
    for name, values in request.GET.lists():
        if len(values) != 1 or len(values[0]) > PARAMETER_MAX_LENGTH:
            return None
        if known_parameters is not None and name not in known_parameters:
            return None
        parameters.append((name, values[0]))
    return (kind, request.scheme, request.get_host(), request.path, urlencode(sorted(parameters)))


def is_cacheable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def mark_public(response):
    patch_response_headers(response, cache_timeout=settings.PUBLIC_MAX_AGE)
    patch_cache_control(response, public=True)


def store_when_rendered(response, version, key):
    """File `response` for later anonymous requests of the same key, once it is rendered."""

    def store_answer(rendered):
        # Only what was sent: the bytes and the headers, not the data or context they came from;
        # with its ETag, so that a stored answer is not hashed again at each request.
        set_response_etag(rendered)
        expires_at = time.monotonic() + settings.PUBLIC_CACHE_SECONDS
        answer = StoredAnswer(rendered.status_code, tuple(rendered.items()), rendered.content, expires_at)
        store.put(version, key, answer)

    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.add_post_render_callback(store_answer)
    else:
        store_answer(response)


class PublicPageCacheMiddleware:
    """Readers' pages (not the admin, not the API: the API caches inside DRF, after throttling)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not caching_is_on()
            or not is_anonymous_read(request)
            or request.path.startswith(UNCACHED_PREFIXES)
        ):
            return self.get_response(request)
        key = answer_key(request, "page", PAGE_PARAMETERS)
        version = clock.current() if key else None
        if version is None:
            return self.get_response(request)
        answer = store.get(version, key)
        if answer is not None:
            return answer.response()
        response = self.get_response(request)
        if is_cacheable(response):
            mark_public(response)
            store_when_rendered(response, version, key)
        return response


class CachedAnonymousReadsMixin:
    """For DRF views: an anonymous read is answered from the cache once throttling has counted
    it, so the documented rates still hold. Unknown parameters are a 400, never stored."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        self.cached_under = None
        if caching_is_on() and self.is_anonymous_api_read(request):
            key = answer_key(request._request, "api")
            version = clock.current() if key else None
            if version is not None:
                answer = store.get(version, key)
                if answer is not None:
                    raise _CachedAnswer(answer.response())
                self.cached_under = (version, key)

    def handle_exception(self, exc):
        if isinstance(exc, _CachedAnswer):
            exc.answer.served_from_cache = True
            return exc.answer
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        cached_under = getattr(self, "cached_under", None)
        # Only JSON is stored: the browsable API's page (`?format=api`) holds the client's CSRF token.
        is_json = getattr(getattr(response, "accepted_renderer", None), "format", None) == "json"
        if (
            cached_under
            and is_json
            and not getattr(response, "served_from_cache", False)
            and is_cacheable(response)
        ):
            mark_public(response)
            store_when_rendered(response, *cached_under)
        return response

    @staticmethod
    def is_anonymous_api_read(request):
        return (
            is_anonymous_read(request._request)
            and not request.user.is_authenticated
            and request._request.META.get("HTTP_ACCEPT", "") in CACHED_API_ACCEPT
        )


class _CachedAnswer(Exception):
    def __init__(self, answer):
        super().__init__()
        self.answer = answer
