"""A claim's `updated_at` moves when its citations, or the sources they show, change (see
`claims.signals` for the rest of its representation); a citation saved on a published claim makes
public the spellings of its speaker and target it quotes."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from claims.models import Actor, Claim
from claims.signals import changed_fields

from .models import Citation, Source

# What a claim's citations show of their source.
SHOWN_SOURCE_FIELDS = ["title", "outlet", "url", "published_on"]


@receiver(pre_save, sender=Citation)
def touch_the_claim_a_citation_leaves(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored_claim = Citation.objects.filter(pk=instance.pk).values_list("claim_id", flat=True).first()
    if stored_claim is not None and stored_claim != instance.claim_id:
        Claim.objects.filter(pk=stored_claim).touch()


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def touch_the_cited_claim(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk=instance.claim_id).touch()


@receiver(post_save, sender=Citation)
def publish_spellings_a_published_claim_quotes(sender, instance, raw=False, **kwargs):
    if not raw:
        Actor.objects.publish_spellings_quoted_by(instance.claim_id)


@receiver(pre_save, sender=Source)
def touch_claims_citing_a_changed_source(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and changed_fields(instance, SHOWN_SOURCE_FIELDS):
        Claim.objects.filter(citations__source=instance.pk).touch()
