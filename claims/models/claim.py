"""A claim, the steps of its status history, its relations to other claims, the tombstones of
claims no longer public, and the records merged into others. Changes to a claim go through
`claims.operations`."""

import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import (
    Q,
)
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker.caching import PublicRecord
from tracker.pages import slug_url

from ..choices import (
    Attribution,
    ClaimKind,
    DatePrecision,
    EvidenceStatus,
    PublicationState,
    RelationType,
    TombstoneState,
)
from .base import LONG_TEXT, StoredCounts
from .querysets import (
    ClaimQuerySet,
    ClaimRelationQuerySet,
    EvidenceStatusChangeQuerySet,
)
from .records import Actor, Topic
from .text import claim_slug_text, unique_slug

CITATION_RULE = "published_claim_needs_a_citation"  # the code of its ValidationError
PUBLISHED_CLAIM_NEEDS_A_CITATION = (
    "A published claim needs at least one citation: add one, or keep the claim as a draft."
)


class UnrecordedStateChange(Exception):
    """A claim's evidence status or publication state was changed by a plain save, which would
    leave the change out of its status history and its researchers' tombstones."""


class Claim(StoredCounts, PublicRecord):
    summary = models.CharField(
        max_length=400, help_text="The claim in one plain sentence, in the editor's words."
    )
    slug = models.SlugField(
        max_length=100, unique=True, blank=True, help_text="Left blank, it is made from the summary."
    )
    quote = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="The words as reported, verbatim, when a source gives them.",
    )
    speaker = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims_made")
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when they said it."
    )
    target = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_targeting",
        help_text="The accused party, for an accusation.",
    )
    kind = models.CharField(max_length=20, choices=ClaimKind)
    stated_on = models.DateField(
        help_text="When it was said; the first day of the month or year if less precise."
    )
    stated_on_precision = models.CharField(
        "date precision", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    topics = models.ManyToManyField(Topic, related_name="claims", blank=True)
    evidence_status = models.CharField(
        max_length=20, choices=EvidenceStatus, default=EvidenceStatus.UNREVIEWED
    )
    rationale = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text="Why this evidence status: what the cited sources do and do not show.",
    )
    attribution = models.CharField(
        max_length=20,
        choices=Attribution,
        default=Attribution.REPORTED,
        help_text="How sure we are the speaker said it: on record (primary source), reported "
        "(secondary reports only), or contested.",
    )
    publication_state = models.CharField(
        max_length=10, choices=PublicationState, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed for incremental pulls (`updated_since`) and the admin's "recently changed" order.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Summary, quote, and the speaker's name and aliases, for full-text search on PostgreSQL; filled
    # by triggers (see migration claims 0003), left empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The sentence vector of the summary and quote (`claims.similarity.embedding`), computed when
    # either changes; empty for rows written without it until `manage.py embed_claims` fills them.
    embedding = models.BinaryField(null=True, editable=False)
    # The vector `similar_to` re-ranks its best candidates by (`claims.similarity.reranking`):
    # cleared when the summary or quote changes, computed when the claim is next among a text's
    # best candidates, or by `manage.py embed_claims`.
    reranking_embedding = models.BinaryField(null=True, editable=False)
    # Kept by `ClaimQuerySet.recount_counter_claims`.
    counter_claim_count = models.PositiveIntegerField(default=0, editable=False)
    stored_counts = ("counter_claim_count",)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics],
        history_change_reason_field=models.TextField(null=True),
        excluded_fields=["search_vector", "counter_claim_count", "embedding", "reranking_embedding"],
    )

    class Meta:
        ordering = ["-stated_on", "-pk"]
        indexes = [
            # Public lists: published claims, newest first.
            models.Index(
                name="claim_published_by_date",
                fields=["publication_state", "-stated_on", "-id"],
            ),
            # Full-text search (`search`).
            GinIndex(name="claim_search_vector", fields=["search_vector"]),
            # The trigram arm of `similar_to` (`summary % text`): pg_trgm's operator class.
            GinIndex(name="claim_summary_trigrams", fields=["summary"], opclasses=["gin_trgm_ops"]),
            # A speaker's claims, newest first, within a date range (`for_speaker`, the API's
            # ?speaker= with stated_after/stated_before): read in order, stopping after a page.
            models.Index(name="claim_speaker_by_date", fields=["speaker", "-stated_on", "-id"]),
            # The same for the claims against an actor (`targeting`, an actor's page).
            models.Index(name="claim_target_by_date", fields=["target", "-stated_on", "-id"]),
            # The feeds: published claims, the most recently published first.
            models.Index(
                name="claim_published_by_publication",
                fields=["-published_at", "-id"],
                condition=Q(publication_state=PublicationState.PUBLISHED),
            ),
            # The home page's claims with the most counter-claims.
            models.Index(
                name="claim_most_counter_claims",
                fields=["-counter_claim_count", "-stated_on", "-id"],
                condition=Q(counter_claim_count__gt=0),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_reviewed_status_has_rationale",
                condition=Q(evidence_status=EvidenceStatus.UNREVIEWED) | ~Q(rationale=""),
                violation_error_message="A reviewed claim needs a rationale for its evidence status.",
            ),
            models.CheckConstraint(
                name="claim_published_has_publication_time",
                condition=Q(publication_state=PublicationState.DRAFT) | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.summary

    def save(self, *args, as_recorded_step=False, **kwargs):
        """Save the claim. Its evidence status and publication state change only through the
        operations of `claims.operations`, which record each step (`as_recorded_step`); a plain
        save that would change either is refused, so no path can skip the record."""
        self.stated_on = DatePrecision(self.stated_on_precision).truncate(self.stated_on)
        if not self.slug:
            self.slug = unique_slug(self, claim_slug_text(self))
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        kwargs["update_fields"] = self._embed_if_text_changed(kwargs.get("update_fields"))
        with transaction.atomic():
            if self._state.adding:
                super().save(*args, **kwargs)
                if self.evidence_status != EvidenceStatus.UNREVIEWED:
                    # Entered already reviewed: its status history starts here, explained by its rationale.
                    self.status_changes.create(
                        from_status=EvidenceStatus.UNREVIEWED,
                        to_status=self.evidence_status,
                        reason=self.rationale,
                        changed_by=self.created_by,
                    )
                return
            if not as_recorded_step:
                stored = self.stored_states()
                if stored and stored != (self.evidence_status, self.publication_state):
                    raise UnrecordedStateChange(
                        "Change a claim's evidence status and publication state with the functions "
                        "of claims.operations, so the change is recorded."
                    )
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("claims:claim-detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        if {"summary", "quote", "embedding"} <= set(field_names) and claim.embedding is not None:
            claim._embedded_text = (claim.summary, claim.quote)
        return claim

    def _embed_if_text_changed(self, update_fields):
        """Compute the claim's vector when its summary or quote changed since it was read (a
        fraction of a millisecond; the model loads on a process's first), and clear its re-ranking
        vector, which takes tens of milliseconds and is computed when first needed; and
        `update_fields` with both in it."""
        if update_fields is not None and not {"summary", "quote"} & set(update_fields):
            return update_fields
        text = (self.summary, self.quote)
        if getattr(self, "_embedded_text", None) == text:
            return update_fields
        from claims.similarity.embedding import embedding_of

        self.embedding = embedding_of(*text)
        self.reranking_embedding = None
        self._embedded_text = text
        return None if update_fields is None else [*update_fields, "embedding", "reranking_embedding"]

    def cited_sources(self):
        """The claim's sources, each once, in citation order (with `with_evidence()`)."""
        sources = {}
        for citation in self.citation_list:
            sources.setdefault(citation.source_id, citation.source)
        return list(sources.values())

    def stored_states(self, *, lock=False):
        """(evidence status, publication state) as the database holds them, or None for a new claim."""
        if self.pk is None:
            return None
        rows = type(self)._default_manager.filter(pk=self.pk)
        if lock:
            rows = rows.select_for_update()
        return rows.values_list("evidence_status", "publication_state").first()

    def check_keeps_a_citation(self, citation_count):
        """The rule that a published claim keeps at least one citation, for a claim that would be
        left with `citation_count` citations. PostgreSQL also enforces it (a constraint trigger,
        checked at commit); every form, API call and command that publishes a claim or removes a
        citation checks it here first, to say so in words."""
        if self.is_published and citation_count < 1:
            raise ValidationError(PUBLISHED_CLAIM_NEEDS_A_CITATION, code=CITATION_RULE)

    def clean(self):
        # Set here as well as in save(): full_clean() checks the constraint that a published claim
        # has a publication time before save() runs, and a form publishing a claim would fail it.
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        if self.evidence_status != EvidenceStatus.UNREVIEWED and not self.rationale.strip():
            raise ValidationError(
                {"rationale": "Explain the evidence status: a reviewed claim needs a rationale."}
            )

    @property
    def is_published(self):
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def display_date(self):
        """`stated_on` at its precision: "21 May 2020", "May 2020" or "2020"."""
        return DatePrecision(self.stated_on_precision).format(self.stated_on)

    @property
    def status(self):
        return EvidenceStatus(self.evidence_status)


# How the admin's revert explains a step ("Reverted to version #225 of 2026-12-07 05:35 UTC: ...").
REVERT_NOTE = re.compile(r"^Reverted to version #\d+ of (\d{4}-\d{2}-\d{2}) \d{2}:\d{2} UTC(?:: )?")


class EvidenceStatusChange(PublicRecord):
    """One step of a claim's status history. A mistaken step is never deleted: an editor marks it
    corrected (`mark_corrected`), with a note readers see on the claim and in the corrections log."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=EvidenceStatus)
    to_status = models.CharField(max_length=20, choices=EvidenceStatus)
    reason = models.TextField(blank=True, max_length=LONG_TEXT)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A database default too: rows written by COPY (the benchmark's corpus, restores) need none.
    correction_note = models.TextField(
        blank=True,
        db_default="",
        max_length=LONG_TEXT,
        help_text="For readers: what was wrong with this step.",
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = EvidenceStatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            # The corrections log (`corrections`), the latest first.
            models.Index(
                name="status_change_corrections",
                fields=["-corrected_at", "-id"],
                condition=Q(corrected_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="status_change_changes_status",
                condition=~Q(from_status=models.F("to_status")),
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def public_reason(self):
        """The reason as readers read it: an admin revert's version number becomes words."""
        return REVERT_NOTE.sub(r"Restored the assessment as it stood on \1. ", self.reason).strip()

    def mark_corrected(self, note, *, by=None):
        """Mark the step as a mistake, explained to readers by `note`; the step itself stays."""
        if not note.strip():
            raise ValidationError({"correction_note": "Say, for readers, what was wrong with this step."})
        self.correction_note = note.strip()
        self.corrected_at = timezone.now()
        self.corrected_by = by
        self.save(update_fields=["correction_note", "corrected_at", "corrected_by"])


class ClaimRelation(PublicRecord):
    """A directed link: `from_claim` disputes / supports / responds to / repeats `to_claim`."""

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    relation_type = models.CharField("relation", max_length=20, choices=RelationType)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimRelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="relation_not_to_itself",
                condition=~Q(from_claim=models.F("to_claim")),
                violation_error_message="A claim cannot be related to itself.",
            ),
            models.UniqueConstraint(
                name="relation_unique_per_type_and_pair",
                fields=["from_claim", "to_claim", "relation_type"],
                violation_error_message="These two claims are already related this way.",
            ),
        ]

    def __str__(self):
        relation = self.get_relation_type_display().lower()
        return f"Claim #{self.from_claim_id} {relation} claim #{self.to_claim_id}"

    def clean(self):
        # The constraint says so too, but a form that sets one side itself (an inline on the claim's
        # page) leaves that side out of constraint validation.
        if self.from_claim_id is not None and self.from_claim_id == self.to_claim_id:
            raise ValidationError("A claim cannot be related to itself.")


class ClaimTombstone(PublicRecord):
    """A claim that was published and is no longer public: withdrawn to draft, or merged into
    another claim. Researchers' replicas delete it on reading this (API `tombstones/`); publishing
    the claim again removes its tombstone and moves its `updated_at`."""

    # Not a foreign key: a merged claim is gone, and its tombstone must outlive it.
    claim_id = models.BigIntegerField(unique=True)
    state = models.CharField(max_length=20, choices=TombstoneState)
    merged_into = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Indexed for researchers' incremental pulls (`updated_since`).
    removed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["removed_at", "claim_id"]
        constraints = [
            models.CheckConstraint(
                name="tombstone_merged_into_only_when_merged",
                condition=Q(state=TombstoneState.MERGED) | Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self):
        return f"Claim #{self.claim_id}: {self.get_state_display().lower()}"


class MergedRecord(PublicRecord):
    """An actor, topic, source or claim merged into another: its old page and API URLs redirect
    (301) to the kept record's, and the merge is kept with who did it, when and why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    merged_id = models.BigIntegerField()
    merged_slug = models.SlugField(max_length=100)
    merged_name = models.CharField(max_length=400)
    kept_id = models.BigIntegerField()
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(name="merged_record_unique_id", fields=["content_type", "merged_id"]),
        ]
        indexes = [
            # The redirect of an old page URL (`/actors/<slug>/`): looked up by slug.
            models.Index(name="merged_record_by_slug", fields=["content_type", "merged_slug"]),
        ]

    def __str__(self):
        return f"{self.merged_name} (#{self.merged_id}) → #{self.kept_id}"
