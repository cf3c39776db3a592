"""Serializer fields and answers every resource uses."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A text, and only a text: DRF's CharField takes a number (`"outlet": 0`) as "0", which the
    schema, saying `string`, does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DetailSerializer(serializers.Serializer):
    """A 401, 403, 404 or 429's body."""

    detail = serializers.CharField()
