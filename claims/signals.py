"""What moves when an actor or topic is renamed: the `updated_at` of the claims that show its name,
so that researchers' incremental pulls (`updated_since`) miss nothing. (Whatever a change to a
claim itself moves, `claims.operations` moves; citations and their sources are in
`sources.signals`.)"""

from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Actor, Claim, Topic

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


@receiver(pre_save, sender=Actor)
def touch_claims_of_a_renamed_actor(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_ACTOR_FIELDS):
        Claim.objects.filter(Q(speaker=instance.pk) | Q(target=instance.pk)).touch()


@receiver(pre_save, sender=Topic)
def touch_claims_of_a_renamed_topic(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_TOPIC_FIELDS):
        Claim.objects.filter(topics=instance.pk).touch()
