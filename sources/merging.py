"""Merging a duplicate source into the one kept (see `claims.merging` for the other records)."""

from django.db import transaction

from claims.history import save_with_history
from claims.merging import check_mergeable, finish_merge
from claims.models import Claim

from .models import Citation

# Filled on the kept source from the duplicate where the kept one has none.
FILLED_FIELDS = ["outlet", "author", "published_on", "language", "retrieved_on", "archive_url", "full_text"]


def merge_sources(kept, merged, *, by=None, reason=""):
    """Merge the source `merged` into `kept`: its citations move to `kept` (a claim already citing
    `kept` with the same stance keeps its own citation), and what `kept` lacks is taken over."""
    with transaction.atomic():
        check_mergeable(kept, merged)
        kept_citations = set(kept.citations.values_list("claim_id", "stance"))
        for citation in merged.citations.all():
            if (citation.claim_id, citation.stance) in kept_citations:
                continue
            citation.source = kept
            save_with_history(citation, reason=f"Moved from source #{merged.pk}, merged into #{kept.pk}")
        # The claims keep their citation of `kept`, and show one citation fewer.
        Claim.objects.filter(citations__source=merged).touch()
        Citation.objects.filter(source=merged).delete()
        for name in FILLED_FIELDS:
            if not getattr(kept, name) and getattr(merged, name):
                setattr(kept, name, getattr(merged, name))
        if not kept.url and merged.url:
            kept.url, merged.url = merged.url, ""
            merged.save(update_fields=["url"])  # unique: free it before the kept source takes it
        if merged.notes:
            kept.notes = "\n\n".join(filter(None, [kept.notes, f"From #{merged.pk}: {merged.notes}"]))
        return finish_merge(kept, merged, by=by, reason=reason)
