"""Site-wide request handling: every request logged once with a request id, and the API's errors
in the API's own JSON shape, whatever raised them."""

import logging
import sys
import time
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

API_PREFIX = "/api/"
# Load balancers' probes: answered, never logged at INFO.
QUIET_PATHS = {"/healthz", "/readyz"}
# When a client should try again after a 503: about what a database restart takes.
RETRY_AFTER_SECONDS = 5

request_log = logging.getLogger("tracker.requests")
error_log = logging.getLogger("tracker.errors")
security_log = logging.getLogger("django.security")


class RequestLimitsMiddleware:
    """Refuses, before any of it is read, a request body larger than `REQUEST_BODY_MAX_BYTES`
    (413), one of unknown length (chunked: 411, Django would read none of it anyway), and a query
    string with a NUL character (400 naming the parameter: no database stores one). Django's own
    limits count only what it parses, once it has read (and spooled) the whole body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        largest = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, {"detail": "Content-Length is not a number."})
        if length > largest:
            detail = f"The request is larger than the {largest // 1024 // 1024} MB taken."
            return refusal(request, 413, {"detail": detail})
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return refusal(request, 411, {"detail": "Send the body with its length (Content-Length)."})
        with_nul = sorted(
            name for name, values in request.GET.lists() if "\x00" in name or any("\x00" in v for v in values)
        )
        if with_nul:
            return refusal(request, 400, {name: ["A NUL character is not allowed."] for name in with_nul})
        return self.get_response(request)


def refusal(request, status, body):
    if request.path.startswith(API_PREFIX):
        return JsonResponse(body, status=status)
    text = " ".join(" ".join(value) if isinstance(value, list) else value for value in body.values())
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


class RequestLogMiddleware:
    """One line a request: method, path, status, duration and a request id, which the response
    echoes in `X-Request-ID` (an id a proxy sent is kept, if it looks like one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        request.id = (
            sent if sent and len(sent) <= 64 and sent.replace("-", "").isalnum() else uuid.uuid4().hex
        )
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request.id
        level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
        request_log.log(
            level,
            "%s %s %s %.1fms id=%s",
            request.method,
            request.get_full_path()[:500],
            response.status_code,
            duration_ms,
            request.id,
        )
        return response


class JSONErrorsForTheAPIMiddleware:
    """An error under /api/ is JSON shaped like DRF's ({"detail": ...}), even one DRF never saw: an
    unknown URL's 404, or an exception that would have been Django's HTML 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if request.path.startswith(API_PREFIX) and response.status_code == 404 and is_html:
            return JsonResponse({"detail": "Not found."}, status=404)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, SuspiciousOperation):
            return refused_request(exception)
        error_log.exception("Server error on %s %s", request.method, request.path, exc_info=exception)
        return error_response(request, exception)


def refused_request(exception):
    """What Django answers with a 400 (a request too large, with too many fields, or otherwise
    refused as suspicious), in the API's JSON; its reason stays in the log, as Django keeps it."""
    security_log.warning("Refused: %s", exception)
    if isinstance(exception, RequestDataTooBig):
        largest = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return JsonResponse({"detail": f"The request is larger than the {largest:.0f} MB taken."}, status=413)
    return JsonResponse({"detail": "The request was refused as malformed."}, status=400)


def server_error(request):
    """The site's `handler500`, for what no middleware answered (a page's view, or a middleware
    that failed before any view ran): Django calls it while handling the exception."""
    return error_response(request, sys.exc_info()[1])


def error_response(request, exception):
    """A 503 with `Retry-After` when the database does not answer (restarting, failing over: come
    back shortly), a 500 for anything else; JSON under /api/, a page elsewhere. Neither touches the
    database."""
    unavailable = isinstance(exception, OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith(API_PREFIX):
        request_id = getattr(request, "id", "")
        problem = (
            "the database is not answering; retry shortly"
            if unavailable
            else "the request could not be completed"
        )
        response = JsonResponse(
            {"detail": f"Server error: {problem} (request id {request_id})."}, status=status
        )
    else:
        response = HttpResponse(loader.render_to_string(f"{status}.html"), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class HealthCheckMiddleware:
    """`/healthz` (the process answers) and `/readyz` (the database answers and no migration is
    pending), for load balancers and the compose healthcheck. The cache is not a condition: when
    Redis does not answer, `/readyz` still says ready, naming the cache under `degraded` (the app
    serves without it, see tracker.fallback_cache), so a Redis failure never takes every replica
    out of the load balancer. Answered before any other middleware: a probe by IP address needs
    no allowed host, no HTTPS redirect, no session, and it is neither throttled nor logged at INFO.
    They say nothing beyond ready or not."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.migrations_applied = False

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            failing = [name for name, check in self.checks() if not self.passes(check)]
            degraded = [] if self.passes(self.cache) else ["cache"]
            status = 503 if failing else 200
            return JsonResponse(
                {"status": "not ready" if failing else "ready", "failing": failing, "degraded": degraded},
                status=status,
            )
        return self.get_response(request)

    def checks(self):
        return [("database", self.database), ("migrations", self.migrations)]

    @staticmethod
    def passes(check):
        try:
            return check()
        except Exception:
            error_log.warning("Readiness check %s failed", check.__name__, exc_info=True)
            return False

    @staticmethod
    def database():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)

    @staticmethod
    def cache():
        from django.core.cache import cache

        if hasattr(cache, "ping"):  # Redis, with its fallback: is Redis itself answering?
            return cache.ping()
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"

    def migrations(self):
        if not self.migrations_applied:  # once true, true for the life of the process
            from django.db import connection
            from django.db.migrations.executor import MigrationExecutor

            executor = MigrationExecutor(connection)
            self.migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        return self.migrations_applied
