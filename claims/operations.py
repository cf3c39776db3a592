"""Every change to a claim, in one place: create, edit or delete it, change its evidence status,
publish or unpublish it, relate it to another, merge it into another.

Each operation is one transaction that locks the claim's row before reading its stored state,
enters the change in the claim's history (explained, and credited to the editor `by`) and a change
of evidence status in its public status history, and recounts the stored counts of published
claims (an actor's claims and accusations, a topic's claims, a claim's counter-claims) of the
records it touched (`claims.counts`). The admin, the API, the dataset loader and the article
importer call these functions; nothing else changes a claim's status or publication state
(`Claim.save` refuses a plain save that would), and a write that bypasses them (a queryset's
`.update()`) leaves counts that `claims.tests.test_operations` catches."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .choices import EvidenceStatus, PublicationState, TombstoneState
from .counts import recount, recounting
from .history import delete_with_history, explained, save_with_history
from .merging import check_mergeable, finish_merge
from .models import Actor, Claim, ClaimRelation, ClaimTombstone


def create_claim(claim, *, note="Created", **edit):
    """Save the new `claim`: see `edit_claim`, which this is for a claim not saved yet."""
    if claim.pk is not None:
        raise ValueError("create_claim() saves a new claim; change a saved one with edit_claim().")
    return edit_claim(claim, note=note, **edit)


def edit_claim(
    claim,
    *,
    note="",
    by=None,
    status=None,
    reason="",
    at=None,
    topics=None,
    publication_state=None,
    unpublish_reason="",
    save_related=None,
):
    """Save `claim` as it is in memory, with evidence status `status` (the claim's own when None;
    see `change_evidence_status` for `reason` and `at`), explained in its history by `note`; set
    its `topics` (when given); call `save_related` (the citations a form or file gives, saved once
    the claim is); take it back to draft before that, or publish it after, when
    `publication_state` asks, with `unpublish_reason` in its history. Until then it is saved in
    its stored state (a draft, when new).

    Returns the status history's new step, or None when the status stays the same."""
    with transaction.atomic(), explained(claim, by=by), recounting(claim):
        stored = claim.stored_states(lock=True)
        claim.publication_state = stored[1] if stored else PublicationState.DRAFT
        relations_before = _relations_of(claim)
        step = _change_evidence_status(
            claim,
            claim.evidence_status if status is None else status,
            reason=reason,
            by=by,
            note=note,
            at=at,
        )
        if topics is not None:
            claim.topics.set(topics)
        if publication_state == PublicationState.DRAFT:
            # Before its citations are saved: a citation of a published claim makes public the
            # spellings it quotes, which a claim going back to draft must not.
            _unpublish(claim, by=by, reason=unpublish_reason)
        if save_related is not None:
            save_related()
            # Relations edited with the claim (the admin's inlines) change what the other claims show.
            _relations_changed(relations_before ^ _relations_of(claim))
        if publication_state == PublicationState.PUBLISHED:
            _publish(claim, by=by)
        return step


def change_evidence_status(claim, status, *, reason="", by=None, note="", at=None):
    """Save the claim with evidence status `status` (and any other change made to it), and, if the
    status changes, add the step to its public status history: from the status the database holds,
    to `status`, with `reason` (the rationale when blank) and the editor `by`. `note` explains the
    rest of the edit in the claim's history. `at`: when the status was set, if not now (a dataset
    states the date of its own reviews).

    Returns the status history's new step, or None when the status stays the same."""
    with transaction.atomic(), recounting(claim):
        return _change_evidence_status(claim, status, reason=reason, by=by, note=note, at=at)


def _change_evidence_status(claim, status, *, reason, by, note, at):
    with transaction.atomic():
        stored = claim.stored_states(lock=True)
        previous = EvidenceStatus(stored[0]) if stored else EvidenceStatus.UNREVIEWED
        status = EvidenceStatus(status)
        claim.evidence_status = status
        if previous == status:
            _save_step(claim, note, by)
            return None
        reason = reason.strip() or claim.rationale.strip()
        if not reason:
            raise ValidationError({"status_change_reason": "Say why the evidence status changes."})
        if stored is None:
            # Created unreviewed, then reviewed: two entries in its history, one in its status history.
            claim.evidence_status = EvidenceStatus.UNREVIEWED
            _save_step(claim, note or "Created", by)
            claim.evidence_status = status
        step = f"Evidence status {previous.label} → {status.label}: {reason}"
        _save_step(claim, f"{note}; {step}" if note else step, by)
        return claim.status_changes.create(
            from_status=previous,
            to_status=status,
            reason=reason,
            changed_by=by,
            changed_at=at or timezone.now(),
        )


def publish(claim, *, by=None):
    """Publish the claim: readers and the API see it from now on, and the spellings of its
    speaker and target that its citations quote. It needs a citation."""
    with transaction.atomic(), recounting(claim):
        _publish(claim, by=by)


def _publish(claim, *, by):
    with transaction.atomic():
        stored = claim.stored_states(lock=True)
        claim.publication_state = PublicationState.PUBLISHED
        claim.check_keeps_a_citation(claim.citations.count())
        if not stored or stored[1] != PublicationState.PUBLISHED:
            _save_step(claim, "Published", by)
            ClaimTombstone.objects.filter(claim_id=claim.pk).delete()
            # Their relations to published claims list this one from now on.
            Claim.objects.related_to(claim).touch()
        # Also when it was published already: its citations may have changed.
        Actor.objects.publish_spellings_quoted_by(claim.pk)


def unpublish(claim, *, by=None, reason=""):
    """Take the claim back to draft: readers no longer see it, and researchers' replicas learn of
    the withdrawal from its tombstone."""
    with transaction.atomic(), recounting(claim):
        _unpublish(claim, by=by, reason=reason)


def _unpublish(claim, *, by, reason):
    with transaction.atomic():
        stored = claim.stored_states(lock=True)
        claim.publication_state = PublicationState.DRAFT
        if not stored or stored[1] == PublicationState.DRAFT:
            return
        _save_step(claim, f"Unpublished: {reason}" if reason else "Unpublished", by)
        ClaimTombstone.objects.update_or_create(
            claim_id=claim.pk,
            defaults={"state": TombstoneState.WITHDRAWN, "merged_into": None, "removed_at": timezone.now()},
        )
        Claim.objects.related_to(claim).touch()


def merge_claims(kept, merged, *, by=None, reason=""):
    """Merge the claim `merged` into `kept`, as another appearance of the same statement: its
    citations, relations and topics move to `kept`; a quote or target `kept` lacks is taken over.
    A published claim is merged only into a published one, so readers lose nothing."""
    with transaction.atomic(), recounting(kept, merged):
        check_mergeable(kept, merged)
        locked = Claim.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
        states = dict(locked.values_list("pk", "publication_state"))
        if states.get(merged.pk) == PublicationState.PUBLISHED != states.get(kept.pk):
            raise ValidationError(
                "Publish the claim you keep first: merging a published claim into a draft would take "
                "it from readers."
            )
        kept_citations = set(kept.citations.values_list("source_id", "stance"))
        for citation in merged.citations.all():
            if (citation.source_id, citation.stance) in kept_citations:
                continue  # the kept claim cites the source already; the duplicate citation goes
            citation.claim = kept
            save_with_history(citation, reason=f"Moved from claim #{merged.pk}, merged into #{kept.pk}")
        merged.citations.all().delete()
        _move_relations(kept, merged)
        kept.topics.add(*merged.topics.all())
        kept.quote = kept.quote or merged.quote
        kept.target_id = kept.target_id or merged.target_id
        if merged.is_published or ClaimTombstone.objects.filter(claim_id=merged.pk).exists():
            ClaimTombstone.objects.update_or_create(
                claim_id=merged.pk,
                defaults={"state": TombstoneState.MERGED, "merged_into": kept, "removed_at": timezone.now()},
            )
        ClaimTombstone.objects.filter(merged_into=merged).update(merged_into=kept)
        merged.status_changes.all().delete()  # its timeline stays in its history (change reasons)
        if by is not None:
            kept.updated_by = by
        return finish_merge(kept, merged, by=by, reason=reason)


def _move_relations(kept, merged):
    """The relations of `merged`, both ways, moved to `kept`; one that would link `kept` to itself
    or repeat one it has goes."""
    for relation in ClaimRelation.objects.filter(Q(from_claim=merged) | Q(to_claim=merged)):
        from_id = kept.pk if relation.from_claim_id == merged.pk else relation.from_claim_id
        to_id = kept.pk if relation.to_claim_id == merged.pk else relation.to_claim_id
        repeated = ClaimRelation.objects.filter(
            from_claim=from_id, to_claim=to_id, relation_type=relation.relation_type
        ).exists()
        if from_id == to_id or repeated:
            delete_relation(relation)
        else:
            relation.from_claim_id, relation.to_claim_id = from_id, to_id
            save_relation(relation)


def _save_step(claim, reason, by):
    """Save the claim as one recorded step of its history, explained by `reason`."""
    if by is not None:
        claim.updated_by = by
    with explained(claim, reason, by):
        claim.save(as_recorded_step=True)


def delete_claim(claim, *, by=None):
    """Delete the claim, with its citations, relations and status history; the claims it was
    related to show it no more."""
    with transaction.atomic(), recounting(claim):
        related = list(Claim.objects.related_to(claim).values_list("pk", flat=True))
        delete_with_history(claim, by=by)
        Claim.objects.filter(pk__in=related).touch()


# --- Relations -------------------------------------------------------------------------------------


def relate(from_claim, to_claim, relation_type, *, by=None, reason=""):
    """The relation `from_claim` `relation_type` `to_claim`, made unless it exists: (relation,
    whether it was made)."""
    with transaction.atomic():
        found = ClaimRelation.objects.filter(
            from_claim=from_claim, to_claim=to_claim, relation_type=relation_type
        ).first()
        if found is not None:
            return found, False
        relation = ClaimRelation(from_claim=from_claim, to_claim=to_claim, relation_type=relation_type)
        save_relation(relation, by=by, reason=reason)
        return relation, True


def save_relation(relation, *, by=None, reason=""):
    """Save a new or changed relation: the claims it joins, and those it left, show the change."""
    with transaction.atomic():
        before = (
            set(ClaimRelation.objects.filter(pk=relation.pk).values_list(*RELATION_ROW))
            if relation.pk
            else set()
        )
        save_with_history(relation, by=by, reason=reason)
        _relations_changed(before | {_relation_row(relation)})


def delete_relation(relation, *, by=None):
    with transaction.atomic():
        row = _relation_row(relation)
        delete_with_history(relation, by=by)
        _relations_changed({row})


# What of a relation its claims show and count: (pk, from_claim_id, to_claim_id, relation_type).
RELATION_ROW = ("pk", "from_claim_id", "to_claim_id", "relation_type")


def _relation_row(relation):
    return (relation.pk, relation.from_claim_id, relation.to_claim_id, relation.relation_type)


def _relations_of(claim):
    if claim.pk is None:
        return set()
    rows = ClaimRelation.objects.filter(Q(from_claim=claim.pk) | Q(to_claim=claim.pk))
    return set(rows.values_list(*RELATION_ROW))


def _relations_changed(rows):
    """Relations made, changed or deleted (`rows` as they were and are): the claims on both ends
    show the change (`updated_at`), and the claims they dispute are counted again."""
    if not rows:
        return
    Claim.objects.filter(
        pk__in={claim for _, from_id, to_id, _ in rows for claim in (from_id, to_id)}
    ).touch()
    recount(claims={to_id for _, _, to_id, _ in rows})
