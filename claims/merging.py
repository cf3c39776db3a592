"""Merging a duplicate into the record kept: everything that pointed to the duplicate moves to the
kept record in one transaction, the duplicate's page and API URLs redirect to the kept record's
(`MergedRecord`, read by `claims.middleware`), and the merge is in both records' history."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from .choices import TombstoneState
from .models import Actor, Claim, ClaimRelation, ClaimTombstone, MergedRecord, Topic, split_aliases


def merge_actors(kept, merged, *, by=None, reason=""):
    """Merge the actor `merged` into `kept`: its claims (as speaker and as target), members,
    names (kept as aliases) and Wikidata id move to `kept`."""
    with transaction.atomic():
        check_mergeable(kept, merged)
        Claim.objects.filter(speaker=merged).update(speaker=kept, updated_at=timezone.now())
        Claim.objects.filter(target=merged).update(target=kept, updated_at=timezone.now())
        Actor.objects.filter(affiliation=merged).exclude(pk=kept.pk).update(affiliation=kept)
        Actor.objects.filter(pk=kept.pk).recount()
        if kept.affiliation_id == merged.pk:
            kept.affiliation = merged.affiliation if merged.affiliation_id != kept.pk else None
        kept.aliases = with_aliases(kept, merged)
        # Still unpublished: no published claim has quoted them yet.
        kept.unpublished_aliases = "\n".join(
            spelling
            for spelling in split_aliases(f"{kept.unpublished_aliases}\n{merged.unpublished_aliases}")
            if spelling not in split_aliases(kept.aliases)
        )
        kept.description = kept.description or merged.description
        if not kept.wikidata_id and merged.wikidata_id:
            kept.wikidata_id, merged.wikidata_id = merged.wikidata_id, ""
            merged.save(update_fields=["wikidata_id"])  # unique: free it before the kept actor takes it
        return finish_merge(kept, merged, by=by, reason=reason)


def merge_topics(kept, merged, *, by=None, reason=""):
    """Merge the topic `merged` into `kept`: its claims and names (kept as aliases) move to `kept`."""
    with transaction.atomic():
        check_mergeable(kept, merged)
        about = Claim.topics.through.objects
        moving = about.filter(topic=merged)
        claim_ids = list(moving.values_list("claim_id", flat=True))
        moving.exclude(claim__in=about.filter(topic=kept).values("claim")).update(topic=kept)
        moving.delete()  # those already about `kept`
        Claim.objects.filter(pk__in=claim_ids).touch()
        Topic.objects.filter(pk=kept.pk).recount()
        kept.aliases = with_aliases(kept, merged)
        kept.description = kept.description or merged.description
        return finish_merge(kept, merged, by=by, reason=reason)


def merge_claims(kept, merged, *, by=None, reason=""):
    """Merge the claim `merged` into `kept`, as another appearance of the same statement: its
    citations, relations and topics move to `kept`; a quote or target `kept` lacks is taken over.
    A published claim is merged only into a published one, so readers lose nothing."""
    with transaction.atomic():
        check_mergeable(kept, merged)
        if merged.is_published and not kept.is_published:
            raise ValidationError(
                "Publish the claim you keep first: merging a published claim into a draft would take "
                "it from readers."
            )
        kept_citations = set(kept.citations.values_list("source_id", "stance"))
        for citation in merged.citations.all():
            if (citation.source_id, citation.stance) in kept_citations:
                continue  # the kept claim cites the source already; the duplicate citation goes
            citation.claim = kept
            citation._change_reason = f"Moved from claim #{merged.pk}, merged into #{kept.pk}"
            citation.save()
        merged.citations.all().delete()
        move_relations(kept, merged)
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
        return finish_merge(kept, merged, by=by, reason=reason)


def move_relations(kept, merged):
    """The relations of `merged`, both ways, moved to `kept`; one that would link `kept` to itself
    or repeat one it has goes."""
    for relation in ClaimRelation.objects.filter(Q(from_claim=merged) | Q(to_claim=merged)):
        from_id = kept.pk if relation.from_claim_id == merged.pk else relation.from_claim_id
        to_id = kept.pk if relation.to_claim_id == merged.pk else relation.to_claim_id
        repeated = ClaimRelation.objects.filter(
            from_claim=from_id, to_claim=to_id, relation_type=relation.relation_type
        ).exists()
        if from_id == to_id or repeated:
            relation.delete()
        else:
            relation.from_claim_id, relation.to_claim_id = from_id, to_id
            relation.save()


def check_mergeable(kept, merged):
    if type(kept) is not type(merged):
        raise ValidationError("Only two records of the same kind can be merged.")
    if kept.pk == merged.pk:
        raise ValidationError("Choose two different records: a record cannot be merged into itself.")


def with_aliases(kept, merged):
    """`kept`'s aliases with `merged`'s name and aliases added, none twice, none its own name."""
    aliases = split_aliases(kept.aliases)
    for name in [merged.name, *split_aliases(merged.aliases)]:
        if name != kept.name and name not in aliases:
            aliases.append(name)
    return "\n".join(aliases)


def fitted_reason(record, text):
    """`text` cut to what the record's history keeps of a reason (100 characters but for claims);
    the whole reason stays in the MergedRecord."""
    limit = record.history.model._meta.get_field("history_change_reason").max_length
    return Truncator(text).chars(limit) if limit else text


def display_name(record):
    return getattr(record, "name", None) or getattr(record, "title", None) or str(record)


def finish_merge(kept, merged, *, by, reason):
    """Record the merge (redirect, both histories) and delete the duplicate; return the record."""
    content_type = ContentType.objects.get_for_model(kept)
    explained = f": {reason}" if reason else ""
    record = MergedRecord.objects.create(
        content_type=content_type,
        merged_id=merged.pk,
        merged_slug=merged.slug,
        merged_name=display_name(merged)[:400],
        kept_id=kept.pk,
        merged_by=by,
        reason=reason,
    )
    # Earlier merges into the duplicate now lead to the kept record.
    MergedRecord.objects.filter(content_type=content_type, kept_id=merged.pk).update(kept_id=kept.pk)
    kept._change_reason = fitted_reason(
        kept, f"Merged #{merged.pk} “{display_name(merged)}” into this record{explained}"
    )
    kept._history_user = by
    if isinstance(kept, Claim) and by is not None:
        kept.updated_by = by
    kept.save()
    merged._change_reason = fitted_reason(merged, f"Merged into #{kept.pk} “{display_name(kept)}”{explained}")
    merged._history_user = by
    merged.delete()
    return record
