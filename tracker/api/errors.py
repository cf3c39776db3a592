"""Error answers: one shape for every error, 409 for a conflict with what is stored."""

from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.views import exception_handler

# The error code of a request that names a record which does not exist (or which the client may not
# see): DRF's own for related fields, ours for filters and cursors.
DOES_NOT_EXIST = "does_not_exist"


class Conflict(APIException):
    """A 409: the request is well formed, and what is stored refuses it."""

    status_code = 409
    default_code = "conflict"

    @classmethod
    def naming(cls, field, messages):
        return cls({"detail": " ".join(messages), field: messages})


# A request whose only faults have these codes is well formed: what it names is missing, or what it
# would write exists already. Its answer is the status of that, not a 400.
ANSWER_WHEN_THE_ONLY_FAULT = {
    DOES_NOT_EXIST: (NotFound, "A record named in this request does not exist."),
    "unique": (Conflict, "A record with these values exists already."),
}


def api_exception_handler(exc, context):
    """DRF's handler, except that a request whose only faults are naming a record that does not
    exist is a 404, as for an unknown id in the URL, and one that would duplicate a unique record a
    409 (a 404 when it does both); each keeps every field named beside a `detail`."""
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
        codes = set(_leaves(exc.get_codes()))
        if codes and codes <= set(ANSWER_WHEN_THE_ONLY_FAULT):
            # Both kinds at once: the missing record first, as a 404 would say of the URL.
            code = DOES_NOT_EXIST if DOES_NOT_EXIST in codes else codes.pop()
            exception_class, detail = ANSWER_WHEN_THE_ONLY_FAULT[code]
            exc = exception_class({"detail": detail, **exc.detail})
    return exception_handler(exc, context)


def _leaves(codes):
    if isinstance(codes, dict):
        return [code for nested in codes.values() for code in _leaves(nested)]
    if isinstance(codes, list):
        return [code for nested in codes for code in _leaves(nested)]
    return [codes]
