"""JSON rendered fast."""

import orjson
from rest_framework.renderers import JSONRenderer


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON, written by orjson: the same bytes, several times faster for a page of claims.

    Compact, UTF-8, with U+2028 and U+2029 escaped as DRF escapes them; dates, times and whatever
    orjson does not write itself go through DRF's encoder, as they would. Two spellings differ from
    `json.dumps`, for values the claims never hold: a float under 1e-4 or from 1e16 up (0.00001
    and 1e16, not 1e-05 and 1e+16: the same numbers), and NaN or an infinity (null, where DRF's
    strict JSON refuses it). An indent (`Accept: application/json; indent=4`, the browsable API),
    ASCII-only settings, or a value orjson refuses (an integer beyond 64 bits, a key that is not
    text) go to `json.dumps`."""

    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            data is None
            or not self.compact
            or self.ensure_ascii
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=self.encoder_class().default, option=self.options)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        return content.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
