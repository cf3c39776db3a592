"""Redis as a cache, never as a single point of failure.

`RedisWithFallbackCache` is Django's Redis cache that, when Redis fails (down, refusing writes
because it is full, or hung past the client's short socket timeouts), answers from this process's
memory instead, and does not ask Redis again for `RETRY_SECONDS`: a hung server costs a request
one timeout, not every request one each. What it holds meanwhile (throttle counts) is counted per
process. `/readyz` reports the cache as degraded while it is.
"""

import logging
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# How long a process serves from its own memory after Redis failed, before it tries Redis again.
RETRY_SECONDS = 5.0


def _with_fallback(name):
    def method(self, *args, **kwargs):
        if self.is_degraded():
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            return getattr(super(RedisWithFallbackCache, self), name)(*args, **kwargs)
        except self.redis_errors as error:
            self.failed(error)
            return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisWithFallbackCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(f"fallback-for-{server}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.redis_errors = (redis.RedisError, OSError)
        self.failed_until = 0.0

    def is_degraded(self):
        return time.monotonic() < self.failed_until

    def failed(self, error):
        if not self.is_degraded():
            logger.warning(
                "Redis failed (%s: %s); serving from this process's memory for %.0f s",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )
        self.failed_until = time.monotonic() + RETRY_SECONDS

    def ping(self):
        """True when Redis answers now (for `/readyz`); a failure starts the fallback's wait."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except self.redis_errors as error:
            self.failed(error)
            return False

    add = _with_fallback("add")
    get = _with_fallback("get")
    set = _with_fallback("set")
    touch = _with_fallback("touch")
    delete = _with_fallback("delete")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    incr = _with_fallback("incr")
    set_many = _with_fallback("set_many")
    delete_many = _with_fallback("delete_many")
    clear = _with_fallback("clear")
