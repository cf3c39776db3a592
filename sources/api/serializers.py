import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from claims.models import Claim
from sources.importing.upload import MAX_ARTICLE_BYTES, article_text
from sources.models import Citation, Source
from tracker.api import Conflict, HyperlinkedIdentityField, OptionalURLField, PageUrlField, StrictCharField


class SourceSerializer(serializers.ModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:source-detail")
    page_url = PageUrlField()
    document_url = OptionalURLField(source="url")
    archive_url = OptionalURLField()
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "page_url",
            "slug",
            "kind",
            "title",
            "outlet",
            "author",
            "document_url",
            "archive_url",
            "published_on",
            "retrieved_on",
            "language",
            "claim_count",
        ]


class CitationSerializer(serializers.ModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:citation-detail")
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Citation
        fields = ["id", "url", "claim", "source", "stance", "excerpt", "locator"]

    def validate(self, attrs):
        if self.instance is not None and "claim" in attrs:
            moved = copy.copy(self.instance)
            moved.claim = attrs["claim"]
            try:
                moved.clean()
            except DjangoValidationError as error:
                # The claim the citation is on is published and has no other: a conflict with it.
                raise Conflict.naming("claim", error.message_dict["claim"]) from None
        return attrs


class ArticleImportSerializer(serializers.Serializer):
    """What `POST /api/v1/imports/` takes: the article's text (or its HTML), and what is known of it."""

    text = StrictCharField(
        max_length=MAX_ARTICLE_BYTES, help_text="The article: its text, or its web page's HTML."
    )
    # Only recorded in the proposal (nothing is fetched or written): checked when a source is made.
    url = StrictCharField(required=False, allow_blank=True, max_length=500)
    published_on = serializers.DateField(required=False, allow_null=True)
    outlet = StrictCharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        try:
            attrs["text"], attrs["is_html"] = article_text(attrs["text"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"text": error.messages}) from None
        return attrs
