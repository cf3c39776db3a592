"""The API's request bodies: JSON, and only as deep and as long as any resource needs."""

import codecs

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings

# No resource takes JSON nested deeper than this (a claim's citations are three levels deep).
JSON_MAX_DEPTH = 8
# No list that a resource takes is longer (a claim's topics are a handful).
JSON_LIST_MAX_ITEMS = 100


class BoundedJSONParser(JSONParser):
    """DRF's strict JSON parser, read by orjson, whose nesting limit turns a body nested a
    thousand deep into a 400 rather than Python's RecursionError. A body nested deeper than
    `JSON_MAX_DEPTH` or with a list longer than `JSON_LIST_MAX_ITEMS` is a 400 naming the field
    it is under."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        try:
            text = raw if codecs.lookup(encoding).name == "utf-8" else raw.decode(encoding)
            data = orjson.loads(text)
        except (orjson.JSONDecodeError, UnicodeDecodeError, LookupError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
        check_bounds(data)
        return data


def check_bounds(data):
    """Raise a ValidationError naming the top-level field under which `data` nests too deep or
    holds too long a list."""
    pending = [(data, 1, None)]
    while pending:
        value, depth, field = pending.pop()
        if isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            if len(value) > JSON_LIST_MAX_ITEMS:
                refuse(field, f"At most {JSON_LIST_MAX_ITEMS} items in a list, not {len(value)}.")
            children = ((field, item) for item in value)
        else:
            continue
        if depth > JSON_MAX_DEPTH:
            refuse(field, f"Nested deeper than {JSON_MAX_DEPTH} levels.")
        pending.extend((child, depth + 1, key if field is None else field) for key, child in children)


def refuse(field, message):
    raise ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: [message]})
