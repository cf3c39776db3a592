"""Merging a duplicate actor or topic into the record kept (claims: `claims.operations.merge_claims`,
sources: `sources.merging`): everything that pointed to the duplicate moves to the
kept record in one transaction, the duplicate's page and API URLs redirect to the kept record's
(`MergedRecord`, read by `claims.middleware`), and the merge is in both records' history. The two
records' counts are counted again as every operation's are, in the merge's transaction and once it
commits (`claims.counts.recount`)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from .counts import recount
from .history import delete_with_history, save_with_history
from .models import Actor, Claim, MergedRecord, split_aliases


def merge_actors(kept, merged, *, by=None, reason=""):
    """Merge the actor `merged` into `kept`: its claims (as speaker and as target), members,
    names (kept as aliases) and Wikidata id move to `kept`."""
    with transaction.atomic():
        check_mergeable(kept, merged)
        # The claims that move change only the two actors' counts. They move by queries that name
        # the actor (which lock their rows), not by lists of their keys, however many there are.
        Claim.objects.filter(speaker=merged).update(speaker=kept, updated_at=timezone.now())
        Claim.objects.filter(target=merged).update(target=kept, updated_at=timezone.now())
        recount(actors={kept.pk, merged.pk})
        Actor.objects.filter(affiliation=merged).exclude(pk=kept.pk).update(affiliation=kept)
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
        # As for actors: only the two topics' counts change.
        about = Claim.topics.through.objects
        moving = about.filter(topic=merged)
        Claim.objects.filter(pk__in=moving.values("claim_id")).touch()
        moving.exclude(claim__in=about.filter(topic=kept).values("claim")).update(topic=kept)
        moving.delete()  # those already about `kept`
        recount(topics={kept.pk, merged.pk})
        kept.aliases = with_aliases(kept, merged)
        kept.description = kept.description or merged.description
        return finish_merge(kept, merged, by=by, reason=reason)


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
    because = f": {reason}" if reason else ""
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
    save_with_history(
        kept,
        reason=fitted_reason(kept, f"Merged #{merged.pk} “{display_name(merged)}” into this record{because}"),
        by=by,
    )
    delete_with_history(
        merged,
        reason=fitted_reason(merged, f"Merged into #{kept.pk} “{display_name(kept)}”{because}"),
        by=by,
    )
    return record
