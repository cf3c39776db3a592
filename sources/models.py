from django.contrib.postgres.indexes import HashIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from simple_history.models import HistoricalRecords

from claims.choices import PublicationState
from claims.models import LONG_TEXT, Actor, Claim, PublicRecordQuerySet, ShownInClaims, count_of
from tracker.caching import PublicRecord
from tracker.pages import slug_url

# The longest a source's full text may be: a long report, in characters.
FULL_TEXT = 1_000_000


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    TRANSCRIPT = "transcript", "Transcript"
    REPORT = "report", "Report"
    SOCIAL_POST = "social_post", "Social media post"


class CitationStance(models.TextChoices):
    REPORTS = "reports", "Reports"
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


def _citations_in_published_claims(source):
    """The citations of `source` (a source or an `OuterRef`) on published claims."""
    return Citation.objects.filter(source=source, claim__publication_state=PublicationState.PUBLISHED)


class SourceQuerySet(PublicRecordQuerySet):
    def public(self):
        """Sources that published claims cite; nothing cited only for a draft."""
        return self.filter(Exists(_citations_in_published_claims(OuterRef("pk"))))

    def with_claim_count(self):
        """Annotate `claim_count`: published claims each source is cited for."""
        cited = _citations_in_published_claims(OuterRef("pk"))
        return self.annotate(claim_count=count_of(cited, "source", counting="claim"))


class Source(ShownInClaims, PublicRecord):
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.NEWS_ARTICLE)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(
        max_length=10, blank=True, help_text="Language of the text we hold, e.g. en, ru, zh."
    )
    retrieved_on = models.DateField(null=True, blank=True)
    archive_url = models.URLField("archived copy URL", max_length=500, blank=True)
    full_text = models.TextField(blank=True, max_length=FULL_TEXT)
    notes = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="Editors' notes, e.g. how a missing date or outlet was inferred.",
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()
    # What a citing claim's representation shows of its source.
    shown_in_claims = ["title", "outlet", "url", "published_on"]
    slug_from = "title"

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(name="source_unique_url", fields=["url"], condition=~models.Q(url="")),
        ]
        indexes = [
            # The importer's "is this article recorded already?" (`sources.importing.review`): a hash index
            # compares texts of any length by their hash (a B-tree refuses an entry over 2.7 kB);
            # on SQLite, a plain index.
            HashIndex(name="source_full_text_hash", fields=["full_text"]),
        ]

    def __str__(self):
        if self.outlet and self.published_on:
            return f"{self.title} ({self.outlet}, {self.published_on.day} {self.published_on:%b %Y})"
        return self.title

    def claims_showing_it(self):
        return Claim.objects.filter(citations__source=self.pk)

    def get_absolute_url(self):
        return slug_url("sources:source-detail", self.slug)

    @property
    def known_outlet(self):
        """The outlet, or "" when the editors could not identify it (recorded as "Unknown")."""
        outlet = self.outlet.strip()
        return "" if outlet.lower() == "unknown" else outlet

    @property
    def is_translation(self):
        return self.language.lower() not in ("", "en") or "translat" in self.notes.lower()


class Citation(PublicRecord):
    """A claim as it appears in a source, and what the source says of it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    stance = models.CharField(max_length=20, choices=CitationStance, default=CitationStance.REPORTS)
    excerpt = models.TextField(
        blank=True, max_length=LONG_TEXT, help_text="The passage of the source, verbatim."
    )
    locator = models.CharField(
        max_length=100, blank=True, help_text="Where in the source: paragraph, page, timestamp."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        indexes = [
            # A claim's citations in order: its first citation straight from the index
            # (`with_first_source_url`, once a claim in the CSV export), a page's in one scan.
            models.Index(name="citation_first_by_claim", fields=["claim", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                name="citation_unique_stance_per_claim_and_source",
                fields=["claim", "source", "stance"],
                violation_error_message="This source is already cited for this claim with this stance.",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_stance_display().lower()} {self.claim}"

    def save(self, *args, **kwargs):
        """Save the citation; the claims it is on and left show the change (`updated_at`), and a
        published claim's citation makes public the spellings of its speaker and target it quotes."""
        stored_claim_id = (
            Citation.objects.filter(pk=self.pk).values_list("claim_id", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        Claim.objects.filter(pk__in={self.claim_id, stored_claim_id} - {None}).touch()
        Actor.objects.publish_spellings_quoted_by(self.claim_id)

    def delete(self, *args, **kwargs):
        claim_id = self.claim_id
        deleted = super().delete(*args, **kwargs)
        Claim.objects.filter(pk=claim_id).touch()
        return deleted

    def clean(self):
        # Moving a citation to another claim takes it off the claim it was on.
        stored_claim_id = (
            Citation.objects.filter(pk=self.pk).values_list("claim_id", flat=True).first()
            if self.pk
            else None
        )
        if stored_claim_id is not None and stored_claim_id != self.claim_id:
            try:
                self.check_can_be_removed(from_claim_id=stored_claim_id)
            except ValidationError as error:
                moving = ValidationError(f"Cannot move it: {' '.join(error.messages)}", code=error.code)
                raise ValidationError({"claim": moving}) from None

    def check_can_be_removed(self, *, from_claim_id=None):
        """Raise ValidationError if taking this citation off its claim (or off `from_claim_id`)
        would leave a published claim without a citation."""
        claim = Claim.objects.get(pk=from_claim_id or self.claim_id)
        claim.check_keeps_a_citation(claim.citations.exclude(pk=self.pk).count())


class DatasetRecord(models.Model):
    """What the dataset loader last wrote to one record: a fingerprint of the values it set, and the
    record's history as it left it. A record whose values no longer match, with history entries
    the loader did not write, was changed by an editor since, and a reload leaves it be."""

    kind = models.CharField(max_length=20)
    # The record's key in the dataset: its slug; "claim slug / source slug / stance" for a
    # citation; "from slug / type / to slug" for a relation.
    key = models.CharField(max_length=300)
    # The record itself, found by id even after an editor changes its slug.
    object_id = models.BigIntegerField()
    fingerprint = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now=True)
    # The record's latest history entry once the loader wrote it: a later entry is someone else's
    # change (an editor's, or a merge's).
    history_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(name="dataset_record_unique_key", fields=["kind", "key"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"
