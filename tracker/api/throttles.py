"""Throttles: reads and sign-ins counted per client address, per user once signed in."""

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from ..clients import client_address


class ReadThrottleMixin:
    """Rates read from the settings at request time, so that they can be changed without a restart
    of the class attributes (and in tests); clients counted by `client_address`."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)


class WindowCountThrottle(SimpleRateThrottle):
    """A client's requests counted in windows of the rate's duration, each starting at the
    client's first request after the last one ended: the cache holds two numbers a client. (DRF's
    own keeps the time of every request in the window and reads and writes them all at each
    request, which at a high rate costs more than the answer.) With Redis down, the counts are
    each process's own (tracker.fallback_cache)."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        started, count = self.cache.get(self.key) or (now, 0)
        if now - started >= self.duration:
            started, count = now, 0
        self.seconds_left = started + self.duration - now
        if count >= self.num_requests:
            return self.throttle_failure()
        self.cache.set(self.key, (started, count + 1), math.ceil(self.seconds_left))
        return True

    def wait(self):
        return self.seconds_left


class AnonymousThrottle(ReadThrottleMixin, AnonRateThrottle, WindowCountThrottle):
    pass


class SignInThrottle(ReadThrottleMixin, ScopedRateThrottle, WindowCountThrottle):
    """Sign-in attempts per address (the view's `throttle_scope`), on top of the lockouts."""


class AuthenticatedThrottle(ReadThrottleMixin, UserRateThrottle, WindowCountThrottle):
    """Signed-in clients, per account; anonymous ones are the AnonymousThrottle's alone."""

    def allow_request(self, request, view):
        if not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)
