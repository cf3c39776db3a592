"""The records claims name: actors and topics, with the counts of published claims they keep."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import (
    Q,
)
from simple_history.models import HistoricalRecords

from tracker.caching import PublicRecord
from tracker.pages import slug_url

from ..choices import (
    ActorKind,
)
from .base import LONG_TEXT, ShownInClaims, StoredCounts, app_model
from .querysets import ActorQuerySet, TopicQuerySet
from .text import split_aliases

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"


class Actor(StoredCounts, ShownInClaims, PublicRecord):
    name = models.CharField(max_length=200, help_text="Canonical name, in English.")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind)
    aliases = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="Other spellings and transliterations as sources write them, one per line.",
    )
    # Spellings learned from imported articles: the importer knows them at once; each moves to
    # `aliases`, which readers see and search, once a published claim quotes it
    # (`ActorQuerySet.publish_spellings_quoted_by`), so no alias tells of an unpublished claim.
    unpublished_aliases = models.TextField(blank=True, db_default="", editable=False, max_length=LONG_TEXT)
    description = models.CharField(max_length=300, blank=True)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The organization or state this actor belongs to.",
    )
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(WIKIDATA_ID_PATTERN, "A Wikidata id is Q followed by digits.")],
    )
    # Kept by `ActorQuerySet.recount`.
    claims_made_count = models.PositiveIntegerField(default=0, editable=False)
    accusations_received_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("claims_made_count", "accusations_received_count")
    # What a claim's representation shows of its speaker and target.
    shown_in_claims = ["name", "slug", "kind"]

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["claims_made_count", "accusations_received_count"])

    class Meta:
        ordering = ["name"]
        indexes = [
            # The speakers a list's filter suggests, those with the most claims first (`most_prolific`).
            models.Index(
                name="actor_most_claims",
                fields=["-claims_made_count", "name"],
                condition=Q(claims_made_count__gt=0),
            ),
            # `/actors/?sort=accusations`, read in this order and stopped at the page: the whole
            # table, since the actors' index filters on more than this count.
            models.Index(name="actor_most_accused", fields=["-accusations_received_count", "name", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="actor_wikidata_id_format",
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
            ),
            models.UniqueConstraint(
                name="actor_unique_wikidata_id",
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
            ),
            models.CheckConstraint(
                name="actor_not_affiliated_with_itself",
                condition=~Q(affiliation=models.F("pk")),
            ),
        ]

    def __str__(self):
        return self.name

    def claims_showing_it(self):
        return app_model("Claim").objects.filter(Q(speaker=self.pk) | Q(target=self.pk))

    def get_absolute_url(self):
        return slug_url("claims:actor-detail", self.slug)

    @property
    def alias_list(self):
        """The aliases readers see (never the unpublished ones)."""
        return split_aliases(self.aliases)


class Topic(StoredCounts, ShownInClaims, PublicRecord):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    aliases = models.TextField(
        blank=True, max_length=LONG_TEXT, help_text="Other names the sources use for it, one per line."
    )
    description = models.CharField(max_length=300, blank=True)
    # Kept by `TopicQuerySet.recount`.
    claim_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("claim_count",)
    # What a claim's representation shows of its topics.
    shown_in_claims = ["name", "slug"]

    objects = TopicQuerySet.as_manager()
    # The count stays in the history: simple-history records a topic when claims are added to it
    # from its side (`topic.claims.add`) with the claim's history settings, which would not leave
    # it out.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The topics of the home page and of a list's filter, those with the most claims first
            # (`by_claim_count`).
            models.Index(
                name="topic_most_claims", fields=["-claim_count", "name"], condition=Q(claim_count__gt=0)
            ),
        ]

    def __str__(self):
        return self.name

    def claims_showing_it(self):
        return app_model("Claim").objects.filter(topics=self.pk)

    def get_absolute_url(self):
        return slug_url("claims:topic-detail", self.slug)

    @property
    def alias_list(self):
        return split_aliases(self.aliases)
