"""A claim's `updated_at` moves whenever anything its API representation shows changes, so that
researchers' incremental pulls (`updated_since`) miss nothing: its relations in either direction,
its topics, and the names of its speaker, target and topics. (Its own fields move it on save;
citations and their sources are in `sources.signals`.)"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

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


@receiver(pre_save, sender=ClaimRelation)
def touch_claims_a_relation_leaves(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = ClaimRelation.objects.filter(pk=instance.pk).values("from_claim_id", "to_claim_id").first()
    if stored:
        Claim.objects.filter(pk__in=stored.values()).touch()


@receiver(post_save, sender=ClaimRelation)
@receiver(post_delete, sender=ClaimRelation)
def touch_related_claims(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk__in=[instance.from_claim_id, instance.to_claim_id]).touch()


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


@receiver(pre_save, sender=Actor)
def touch_claims_of_a_renamed_actor(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_ACTOR_FIELDS):
        Claim.objects.filter(Q(speaker=instance.pk) | Q(target=instance.pk)).touch()


@receiver(pre_save, sender=Topic)
def touch_claims_of_a_renamed_topic(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_TOPIC_FIELDS):
        Claim.objects.filter(topics=instance.pk).touch()
