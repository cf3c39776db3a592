"""Anonymous readers' pages and API reads, served from the shared cache until the record changes.

On only with a cache that every process shares (Redis: `REDIS_URL`), so that a change seen by
one process is seen by all; without one, `PUBLIC_CACHE_SECONDS` is 0 and nothing is cached.

Every cached answer is filed under the record's current version, a counter in the cache that any
write to a claim, actor, topic, source, citation or relation moves on: an editor's change is seen
at the next request, with nothing to purge. Signed-in users (a session cookie, or an API token)
always get fresh answers. Public answers also say `Cache-Control: public, max-age=...`, so a CDN
in front can absorb a page that goes viral.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key, patch_cache_control, patch_response_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "record-version"
# What a public page or API answer shows; a write to any of these moves the version.
RECORD_MODELS = [
    "claims.Actor",
    "claims.Topic",
    "claims.Claim",
    "claims.ClaimRelation",
    "claims.EvidenceStatusChange",
    "claims.ClaimTombstone",
    "claims.MergedRecord",
    "sources.Source",
    "sources.Citation",
]
UNCACHED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz")


def record_version():
    """The record's current version, or None when the cache cannot say (then nothing is cached)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
    except Exception:
        logger.warning("The cache did not answer; serving without it", exc_info=True)
        return None
    return version


def move_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (evicted, or a fresh cache): any new value will do
        cache.set(VERSION_KEY, 2, timeout=None)


def record_changed(**kwargs):
    # Now, and again once the change is committed: a reader who read the new version before the
    # commit may have filed the old record under it.
    move_version()
    transaction.on_commit(move_version)


def caching_is_on():
    return settings.PUBLIC_CACHE_SECONDS > 0


def connect_record_signals():
    for label in RECORD_MODELS:
        model = apps.get_model(label)
        post_save.connect(record_changed, sender=model, dispatch_uid=f"record-version-save-{label}")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"record-version-delete-{label}")
    topics = apps.get_model("claims.Claim").topics.through
    m2m_changed.connect(record_changed, sender=topics, dispatch_uid="record-version-topics")


def is_anonymous_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


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


def store_when_rendered(request, response, key_prefix):
    """File `response` for later anonymous requests of the same URL (and Vary'd headers)."""
    key = learn_cache_key(request, response, settings.PUBLIC_CACHE_SECONDS, key_prefix, cache=cache)

    def store(rendered):
        # Only what was sent: the bytes and the headers, not the data or context they came from.
        lean = HttpResponse(rendered.content, status=rendered.status_code)
        for header, value in rendered.items():
            lean[header] = value
        cache.set(key, lean, settings.PUBLIC_CACHE_SECONDS)

    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)


def cached_answer(request, key_prefix):
    key = get_cache_key(request, key_prefix, "GET", cache=cache)
    return cache.get(key) if key else None


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
        version = record_version()
        if version is None:
            return self.get_response(request)
        key_prefix = f"pages.{version}"
        answer = cached_answer(request, key_prefix)
        if answer is not None:
            return answer
        response = self.get_response(request)
        if is_cacheable(response):
            mark_public(response)
            store_when_rendered(request, response, key_prefix)
        return response


class CachedAnonymousReadsMixin:
    """For DRF views: an anonymous read is answered from the cache once throttling has counted
    it, so the documented rates still hold."""

    def dispatch(self, request, *args, **kwargs):
        version = record_version() if caching_is_on() else None
        self.cache_key_prefix = None if version is None else f"api.{version}"
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        if self.cache_key_prefix and self.is_anonymous_api_read(request):
            answer = cached_answer(request._request, self.cache_key_prefix)
            if answer is not None:
                raise _CachedAnswer(answer)

    def handle_exception(self, exc):
        if isinstance(exc, _CachedAnswer):
            exc.answer.served_from_cache = True
            return exc.answer
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        fresh = not getattr(response, "served_from_cache", False)
        if fresh and self.cache_key_prefix and self.is_anonymous_api_read(request) and is_cacheable(response):
            mark_public(response)
            store_when_rendered(request._request, response, self.cache_key_prefix)
        return response

    @staticmethod
    def is_anonymous_api_read(request):
        return is_anonymous_read(request._request) and not request.user.is_authenticated


class _CachedAnswer(Exception):
    def __init__(self, answer):
        super().__init__()
        self.answer = answer
