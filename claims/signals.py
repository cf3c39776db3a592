"""What moves when a record is written.

A claim's `updated_at` moves whenever anything its API representation shows changes, so that
researchers' incremental pulls (`updated_since`) miss nothing: its relations in either direction,
its topics, and the names of its speaker, target and topics. (Its own fields move it on save;
citations and their sources are in `sources.signals`.)

The stored counts of published claims (an actor's claims and accusations, a topic's claims, a
claim's counter-claims) are counted again for the records a write touches, so that pages and lists
read a number instead of counting a million rows.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .choices import RelationType
from .models import Actor, Claim, ClaimRelation, Topic

# What a claim's representation shows of its speaker, target and topics.
SHOWN_ACTOR_FIELDS = ["name", "slug", "kind"]
SHOWN_TOPIC_FIELDS = ["name", "slug"]


def changed_fields(instance, names):
    """Those of `names` whose stored value differs from the instance's (all of them for a new row)."""
    if instance.pk is None:
        return names
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return names
    return [name for name in names if stored[name] != getattr(instance, name)]


# --- Stored counts ------------------------------------------------------------------------------

# What decides which counts a claim is in.
COUNTED_CLAIM_FIELDS = ["speaker_id", "target_id", "kind", "publication_state"]


def recount(*, actors=(), topics=(), claims=()):
    """Count again the stored counts of these actors, topics and claims (primary keys): now, so that
    the writing transaction reads them right, and again once it commits, so that two transactions
    committing side by side cannot leave a count that misses the other's write."""
    actors, topics, claims = ({pk for pk in ids if pk is not None} for ids in (actors, topics, claims))

    def count():
        if actors:
            Actor.objects.filter(pk__in=actors).recount()
        if topics:
            Topic.objects.filter(pk__in=topics).recount()
        if claims:
            Claim.objects.filter(pk__in=claims).recount_counter_claims()

    count()
    transaction.on_commit(count)


def disputed_by(claim_pk):
    return ClaimRelation.objects.filter(from_claim=claim_pk, relation_type=RelationType.DISPUTES).values_list(
        "to_claim_id", flat=True
    )


@receiver(pre_save, sender=Claim)
def remember_what_a_claim_is_counted_by(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._counted_by = Claim.objects.filter(pk=instance.pk).values(*COUNTED_CLAIM_FIELDS).first()


@receiver(post_save, sender=Claim)
def recount_for_a_saved_claim(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_counted_by", None)
    if raw or (before and all(before[name] == getattr(instance, name) for name in COUNTED_CLAIM_FIELDS)):
        return
    before = before or {}
    published_state_changed = before.get("publication_state") != instance.publication_state
    recount(
        actors=[instance.speaker_id, instance.target_id, before.get("speaker_id"), before.get("target_id")],
        topics=instance.topics.values_list("pk", flat=True)
        if published_state_changed and not created
        else (),
        claims=disputed_by(instance.pk) if published_state_changed and not created else (),
    )


@receiver(pre_delete, sender=Claim)
def remember_what_a_deleted_claim_counted_in(sender, instance, **kwargs):
    instance._counted_in = {
        "actors": [instance.speaker_id, instance.target_id],
        "topics": list(instance.topics.values_list("pk", flat=True)),
        "claims": list(disputed_by(instance.pk)),
    }


@receiver(post_delete, sender=Claim)
def recount_for_a_deleted_claim(sender, instance, **kwargs):
    recount(**getattr(instance, "_counted_in", {}))


# --- Relations and topics: the claims they touch, the counts they change --------------------------


@receiver(pre_save, sender=ClaimRelation)
def touch_claims_a_relation_leaves(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = ClaimRelation.objects.filter(pk=instance.pk).values("from_claim_id", "to_claim_id").first()
    if stored:
        Claim.objects.filter(pk__in=stored.values()).touch()
        instance._left_claim_id = stored["to_claim_id"]  # counted again once the relation has left it


@receiver(post_save, sender=ClaimRelation)
@receiver(post_delete, sender=ClaimRelation)
def touch_related_claims(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk__in=[instance.from_claim_id, instance.to_claim_id]).touch()
        recount(claims=[instance.to_claim_id, getattr(instance, "_left_claim_id", None)])


@receiver(m2m_changed, sender=Claim.topics.through)
def touch_claims_whose_topics_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        Claim.objects.filter(pk=instance.pk).touch()
    elif action == "pre_clear":
        instance.claims.all().touch()
    else:
        Claim.objects.filter(pk__in=pk_set).touch()


@receiver(m2m_changed, sender=Claim.topics.through)
def recount_topics_whose_claims_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and not reverse:
        instance._topics_cleared = list(instance.topics.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        recount(topics=[instance.pk] if reverse else pk_set)
    elif action == "post_clear":
        recount(topics=[instance.pk] if reverse else instance._topics_cleared)


@receiver(pre_save, sender=Actor)
def touch_claims_of_a_renamed_actor(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_ACTOR_FIELDS):
        Claim.objects.filter(Q(speaker=instance.pk) | Q(target=instance.pk)).touch()


@receiver(pre_save, sender=Topic)
def touch_claims_of_a_renamed_topic(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_TOPIC_FIELDS):
        Claim.objects.filter(topics=instance.pk).touch()
