"""What the claims app's models share."""

from django.apps import apps
from django.db import models

from .text import unique_slug

# The longest an alias list, quote, rationale or reason may be (about two pages): enough for any
# real one, and what keeps a claim's search vector far below PostgreSQL's 1 MB limit.
LONG_TEXT = 5000


def app_model(name):
    """A model of this app, looked up when a query runs: for the querysets, which the models import."""
    return apps.get_model("claims", name)


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


class ShownInClaims(models.Model):
    """A record some of whose fields (`shown_in_claims`) a claim's representation shows: a save that
    changes one moves the `updated_at` of the claims that show it (`claims_showing_it`), so that
    researchers' incremental pulls (`updated_since`) miss nothing. A blank slug is made from the
    field `slug_from`."""

    shown_in_claims = ()
    slug_from = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_from))
        changed = self.pk is not None and self.changes_what_claims_show()
        super().save(*args, **kwargs)
        if changed:
            self.claims_showing_it().touch()

    def claims_showing_it(self):
        raise NotImplementedError

    def changes_what_claims_show(self):
        stored = type(self)._default_manager.filter(pk=self.pk).values(*self.shown_in_claims).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in self.shown_in_claims)
