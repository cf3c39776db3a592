"""What the claims app's models share."""

from django.apps import apps
from django.db import models

# The longest an alias list, quote, rationale or reason may be (about two pages): enough for any
# real one, and what keeps a claim's search vector far below PostgreSQL's 1 MB limit.
LONG_TEXT = 5000


def app_model(name):
    """A model of this app, looked up when a query runs: for the querysets, which the models import."""
    return apps.get_model("claims", name)


def changed_fields(instance, names):
    """Those of `names` whose stored value differs from the instance's (all of them for a new row)."""
    if instance.pk is None:
        return names
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return names
    return [name for name in names if stored[name] != getattr(instance, name)]


class StoredCounts(models.Model):
    """A record with counts kept by queries (the `recount` methods), never by the instance: saving
    an instance read before a recount must not write its stale counts back."""

    stored_counts = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.stored_counts
            ]
        super().save(*args, **kwargs)
