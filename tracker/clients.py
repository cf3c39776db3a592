"""Who a request comes from, as throttling and login lockouts count it."""

from django.conf import settings


def client_address(request):
    """The client's IP address: the connection's own, unless `NUM_PROXIES` trusted proxies in front
    of the app each append the address they saw to X-Forwarded-For; then the address the first of
    them saw. A client cannot choose its address by sending the header itself."""
    remote_address = request.META.get("REMOTE_ADDR", "")
    if not settings.NUM_PROXIES:
        return remote_address
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if not forwarded:
        return remote_address
    return forwarded[-min(settings.NUM_PROXIES, len(forwarded))]
