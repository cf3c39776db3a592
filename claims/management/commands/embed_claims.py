import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from claims.models import Claim
from claims.similarity import embedding
from tracker.caching import record_changed

BATCH = 2_000


def store(pks, vectors):
    """Write each claim's vector: on PostgreSQL in one UPDATE from a VALUES list (Django's
    `bulk_update` writes a CASE of every id, which costs more the larger the batch)."""
    if connection.vendor != "postgresql":
        claims = [Claim(pk=pk, embedding=vector) for pk, vector in zip(pks, vectors, strict=True)]
        Claim.objects.bulk_update(claims, ["embedding"])
        return
    values = ", ".join(["(%s, %s::bytea)"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Claim._meta.db_table} AS claim SET embedding = stored.embedding "
            f"FROM (VALUES {values}) AS stored (id, embedding) WHERE claim.id = stored.id",
            [part for pair in zip(pks, vectors, strict=True) for part in pair],
        )
    # Written past the record querysets: similar-claims answers kept by the cache rank by vectors.
    record_changed()


class Command(BaseCommand):
    help = (
        "Compute the vector of every claim that has none (written by a bulk load, or before "
        "vectors were kept), a batch at a time, each committed: stopped, it resumes where it "
        "stopped; run again, it does nothing for the claims already done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"claims a transaction (default {BATCH})"
        )

    def handle(self, *args, batch, **options):
        missing = Claim.objects.filter(embedding__isnull=True)
        total = missing.count()
        if not total:
            self.stdout.write("Every claim has its vector.")
            return
        self.stdout.write(f"{total:,} claims without a vector.")
        done, started, after = 0, time.monotonic(), None
        while True:
            rows = list(
                (missing if after is None else missing.filter(pk__gt=after))
                .order_by("pk")
                .values_list("pk", "summary", "quote")[:batch]
            )
            if not rows:
                break
            vectors = embedding.embeddings(embedding.claim_text(summary, quote) for _, summary, quote in rows)
            with transaction.atomic():
                store([pk for pk, _, _ in rows], vectors)
            done += len(rows)
            after = rows[-1][0]
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"{done:,} / {total:,} claims ({done / total:.0%}), {done / elapsed:,.0f} a second",
                ending="\r",
            )
        self.stdout.write(f"\nDone: {done:,} claims in {time.monotonic() - started:.1f} s.")
