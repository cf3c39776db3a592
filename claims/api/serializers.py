import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from claims.charts import actor_record
from claims.choices import DatePrecision, EvidenceStatus, RelationType
from claims.models import (
    CITATION_RULE,
    Actor,
    Claim,
    ClaimRelation,
    ClaimTombstone,
    EvidenceStatusChange,
    Topic,
    citation_model,
)
from claims.operations import edit_claim, save_relation
from tracker.api import (
    Conflict,
    HyperlinkedIdentityField,
    HyperlinkedRelatedField,
    OptionalURLField,
    PageUrlField,
    api_url,
)


class CodeAndLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


@extend_schema_field(CodeAndLabelSerializer)
class EvidenceStatusField(serializers.ChoiceField):
    """Written as a code ("disputed"), read as {"code": "disputed", "label": "Disputed"}."""

    def __init__(self, **kwargs):
        super().__init__(choices=EvidenceStatus.choices, **kwargs)

    def to_representation(self, value):
        status = EvidenceStatus(value)
        return {"code": status.value, "label": status.label}


class ActorSummarySerializer(serializers.HyperlinkedModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:actor-detail")

    class Meta:
        model = Actor
        fields = ["id", "url", "slug", "name", "kind"]


class TopicSummarySerializer(serializers.HyperlinkedModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:topic-detail")

    class Meta:
        model = Topic
        fields = ["id", "url", "slug", "name"]


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = EvidenceStatusField()
    to_status = EvidenceStatusField()

    class Meta:
        model = EvidenceStatusChange
        fields = ["from_status", "to_status", "changed_at", "reason"]


class ClaimCitationSerializer(serializers.ModelSerializer):
    source = HyperlinkedRelatedField(view_name="api:source-detail", read_only=True)
    source_id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="source.title")
    outlet = serializers.CharField(source="source.outlet")
    document_url = OptionalURLField(source="source.url")
    published_on = serializers.DateField(source="source.published_on", allow_null=True)

    class Meta:
        model = citation_model()
        fields = [
            "source_id",
            "source",
            "title",
            "outlet",
            "document_url",
            "published_on",
            "stance",
            "excerpt",
            "locator",
        ]


class ClaimLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()


@extend_schema_field(ClaimLinkSerializer(many=True))
class RelatedClaimsField(serializers.Field):
    """The claims linked to this one by one relation type, in one direction, from the prefetched
    `relations_from_list` (outgoing) or `relations_to_list` (incoming) of `with_evidence()`."""

    def __init__(self, relation_type, *, incoming, **kwargs):
        self.relation_type = relation_type
        self.incoming = incoming
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, claim):
        relations = claim.relations_to_list if self.incoming else claim.relations_from_list
        request = self.context["request"]
        links = []
        for relation in relations:
            if relation.relation_type != self.relation_type:
                continue
            other = relation.from_claim_id if self.incoming else relation.to_claim_id
            links.append({"id": other, "url": api_url(request, "api:claim-detail", other)})
        return links


class SimilarityField(serializers.FloatField):
    """A claim's `similarity` to `?similar_to=`, rounded; null when the claims were not ranked, so
    that every claim has the same fields."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, default=None, allow_null=True, min_value=0, max_value=1, **kwargs)

    def to_representation(self, value):
        return None if value is None else round(value, 3)


class ClaimSerializer(serializers.ModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:claim-detail")
    page_url = PageUrlField()
    speaker = ActorSummarySerializer()
    target = ActorSummarySerializer(allow_null=True)
    date_precision = serializers.CharField(source="stated_on_precision")
    date_display = serializers.CharField(source="display_date")
    topics = TopicSummarySerializer(many=True)
    evidence_status = EvidenceStatusField()
    status_history = StatusChangeSerializer(many=True)
    citations = ClaimCitationSerializer(source="citation_list", many=True)
    disputes = RelatedClaimsField(RelationType.DISPUTES, incoming=False)
    disputed_by = RelatedClaimsField(RelationType.DISPUTES, incoming=True)
    supports = RelatedClaimsField(RelationType.SUPPORTS, incoming=False)
    supported_by = RelatedClaimsField(RelationType.SUPPORTS, incoming=True)
    responds_to = RelatedClaimsField(RelationType.RESPONDS_TO, incoming=False)
    responses = RelatedClaimsField(RelationType.RESPONDS_TO, incoming=True)
    repeats = RelatedClaimsField(RelationType.REPEATS, incoming=False)
    repeated_by = RelatedClaimsField(RelationType.REPEATS, incoming=True)
    similarity = SimilarityField(
        help_text="With `?similar_to=`: how nearly the claim says the same, from 0 to 1; else null."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "page_url",
            "slug",
            "summary",
            "quote",
            "speaker",
            "speaker_role",
            "target",
            "kind",
            "stated_on",
            "date_precision",
            "date_display",
            "topics",
            "evidence_status",
            "rationale",
            "status_history",
            "attribution",
            "citations",
            "disputes",
            "disputed_by",
            "supports",
            "supported_by",
            "responds_to",
            "responses",
            "repeats",
            "repeated_by",
            "publication_state",
            "created_at",
            "updated_at",
            "similarity",
        ]
        read_only_fields = fields


class LikelyDuplicate(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "likely_duplicate"

    def __init__(self, duplicates):
        super().__init__()
        self.detail = {
            "detail": "This claim reads like one already recorded (same speaker, overlapping date): "
            "cite the source on that claim instead, or send confirm_not_duplicate: true.",
            "likely_duplicates": duplicates,
        }


class ClaimWriteSerializer(serializers.ModelSerializer):
    """What an editor sends to create or change a claim; validated as the admin validates it."""

    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all())
    target = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all(), allow_null=True, required=False
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    date_precision = serializers.ChoiceField(
        source="stated_on_precision",
        choices=DatePrecision.choices,
        required=False,
    )
    status_change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Kept in the status history when evidence_status changes; defaults to the rationale.",
    )
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="A claim that reads like another by the same speaker on an overlapping date is refused "
        "(409, naming the likely duplicates) unless this is true.",
    )

    class Meta:
        model = Claim
        fields = [
            "slug",
            "summary",
            "quote",
            "speaker",
            "speaker_role",
            "target",
            "kind",
            "stated_on",
            "date_precision",
            "topics",
            "evidence_status",
            "rationale",
            "status_change_reason",
            "attribution",
            "publication_state",
            "confirm_not_duplicate",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        claim = self._claim_with(attrs)
        try:
            claim.full_clean(exclude=["slug"] if not claim.slug else None)
            if claim.is_published:
                claim.check_keeps_a_citation(claim.citations.count() if claim.pk else 0)
        except DjangoValidationError as error:
            if getattr(error, "code", None) == CITATION_RULE:
                how = (
                    "Create it as a draft, cite it, then publish it."
                    if claim.pk is None
                    else "Cite it first."
                )
                raise Conflict.naming("publication_state", [f"{error.message} {how}"]) from None
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        identity = {"summary", "quote", "speaker", "stated_on", "stated_on_precision"}
        if not attrs.get("confirm_not_duplicate") and (self.instance is None or identity & set(attrs)):
            duplicates = Claim.objects.likely_duplicates_of(claim)
            if duplicates:
                raise LikelyDuplicate(
                    [
                        {
                            "id": duplicate.pk,
                            "url": api_url(self.context["request"], "api:claim-detail", duplicate.pk),
                            "summary": duplicate.summary,
                            "similarity": round(similarity, 2),
                        }
                        for duplicate, similarity in duplicates
                    ]
                )
        return attrs

    def _claim_with(self, attrs):
        """The claim as it would be saved, without saving it (for model validation)."""
        claim = Claim() if self.instance is None else copy.copy(self.instance)
        for name, value in attrs.items():
            if name not in ("topics", "status_change_reason", "confirm_not_duplicate"):
                setattr(claim, name, value)
        return claim

    def to_representation(self, claim):
        """The whole claim as a read shows it, with everything the write changed."""
        claim = self.context["view"].get_queryset().get(pk=claim.pk)
        return ClaimSerializer(claim, context=self.context).data

    def create(self, validated_data):
        return self._save(Claim(created_by=self.context["request"].user), validated_data)

    def update(self, claim, validated_data):
        return self._save(claim, validated_data)

    def _save(self, claim, validated_data):
        editor = self.context["request"].user
        topics = validated_data.pop("topics", None)
        reason = validated_data.pop("status_change_reason", "")
        validated_data.pop("confirm_not_duplicate", None)
        state = validated_data.pop("publication_state", None)
        for name, value in validated_data.items():
            setattr(claim, name, value)
        changed = ", ".join(sorted(validated_data)) or "nothing"
        note = "Created through the API" if claim.pk is None else f"Changed through the API: {changed}"
        try:
            edit_claim(claim, note=note, reason=reason, by=editor, topics=topics, publication_state=state)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return claim


class ClaimRelationSerializer(serializers.ModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:claimrelation-detail")
    from_claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    to_claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())

    class Meta:
        model = ClaimRelation
        fields = ["id", "url", "from_claim", "relation_type", "to_claim", "created_at"]

    def validate(self, attrs):
        relation = ClaimRelation(**{**self._current(), **attrs})
        try:
            relation.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs

    def create(self, validated_data):
        relation = ClaimRelation(**validated_data)
        save_relation(relation, by=self.context["request"].user)
        return relation

    def update(self, relation, validated_data):
        for name, value in validated_data.items():
            setattr(relation, name, value)
        save_relation(relation, by=self.context["request"].user)
        return relation

    def _current(self):
        if self.instance is None:
            return {}
        return {
            "from_claim": self.instance.from_claim,
            "to_claim": self.instance.to_claim,
            "relation_type": self.instance.relation_type,
        }


class ActorSerializer(serializers.HyperlinkedModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:actor-detail")
    page_url = PageUrlField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField(), read_only=True)
    affiliation = ActorSummarySerializer(allow_null=True)
    claims_made_count = serializers.IntegerField(read_only=True)
    accusations_received_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Actor
        fields = [
            "id",
            "url",
            "page_url",
            "slug",
            "name",
            "kind",
            "aliases",
            "description",
            "affiliation",
            "wikidata_id",
            "claims_made_count",
            "accusations_received_count",
        ]

    def to_representation(self, actor):
        data = super().to_representation(actor)
        if getattr(actor, "affiliation_is_public", True) is False:
            data["affiliation"] = None  # an affiliation only a draft names stays unnamed
        return data


class TopicSerializer(serializers.HyperlinkedModelSerializer):
    url = HyperlinkedIdentityField(view_name="api:topic-detail")
    page_url = PageUrlField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField(), read_only=True)
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "url", "page_url", "slug", "name", "aliases", "description", "claim_count"]


class ClaimTombstoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="claim_id", read_only=True, help_text="The claim's id.")
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The id of the claim it was merged into, for a merge; null if that claim is not public.",
    )
    merged_into_url = HyperlinkedRelatedField(
        source="merged_into", view_name="api:claim-detail", read_only=True, allow_null=True
    )

    class Meta:
        model = ClaimTombstone
        fields = ["id", "state", "removed_at", "merged_into", "merged_into_url"]

    def to_representation(self, tombstone):
        # The claim kept by a merge may have been withdrawn since: readers are not pointed at a draft.
        kept = tombstone.merged_into
        if (
            kept is not None
            and not kept.is_published
            and not self.context["request"].user.has_perm("claims.view_claim")
        ):
            tombstone.merged_into = None
        return super().to_representation(tombstone)


class NamedCountSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class ActorRecordSerializer(serializers.Serializer):
    """An actor's record, as its page draws it (`claims.charts.actor_record`): counted from its
    latest published claims and accusations, a bounded number of them."""

    claims_by_evidence_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Claims counted, by evidence status code."
    )
    claims_counted = serializers.IntegerField(
        help_text="The actor's latest claims counted: all of them, or `RECORD_CLAIMS_READ` at most."
    )
    accusations_made = serializers.IntegerField(help_text="Accusations counted that name whom they accuse.")
    accusations_made_against = NamedCountSerializer(many=True, help_text="Those most accused, most first.")
    accusations_received = serializers.IntegerField()
    accusations_received_from = NamedCountSerializer(many=True, help_text="The most frequent accusers.")
    accusations_timed = serializers.IntegerField(
        help_text="The latest accusations against the actor whose answers were looked for."
    )
    accusations_answered = serializers.IntegerField(
        help_text="Of those, the ones a denial or counter-accusation from the actor's side answers."
    )
    median_days_to_answer = serializers.FloatField(
        allow_null=True,
        help_text="Median days from an accusation against the actor to its side's first denial or "
        "counter-accusation; null when none is answered.",
    )


class ActorDetailSerializer(ActorSerializer):
    """One actor, with its record (lists leave the record out: it costs six queries an actor)."""

    record = serializers.SerializerMethodField()

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "record"]

    @extend_schema_field(ActorRecordSerializer)
    def get_record(self, actor):
        return actor_record(actor).as_data()
