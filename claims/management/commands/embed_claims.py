import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from claims.models import Claim
from claims.similarity import embedding, reranking
from tracker.caching import record_changed

BATCH = 2_000
# The re-ranking model embeds some 35 claims a second on two cores: smaller batches show progress
# and commit it every few seconds.
RERANKING_BATCH = 200


def store(rows, vectors, field="embedding"):
    """Write each claim's vector in `field`, for the (id, summary, quote) `rows` it was computed
    from, unless the claim's text changed meanwhile (its save wrote or cleared the vector). On
    PostgreSQL in one UPDATE from a VALUES list (Django's `bulk_update` writes a CASE of every id,
    which costs more the larger the batch), elsewhere one UPDATE a claim. Both past the record
    querysets: similar-claims answers kept by the cache rank by WordLlama's vectors, so the cache's
    version moves for them; a re-ranking vector changes no answer (a search computes the same when
    it finds none)."""
    if field == "embedding":
        record_changed()
    computed = [(*row, vector) for row, vector in zip(rows, vectors, strict=True)]
    if connection.vendor != "postgresql":
        reranking.store_if_text_unchanged(field, computed)
        return
    values = ", ".join(["(%s, %s::bytea, %s, %s)"] * len(computed))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Claim._meta.db_table} AS claim SET {field} = stored.vector "
            f"FROM (VALUES {values}) AS stored (id, vector, summary, quote) "
            "WHERE claim.id = stored.id AND claim.summary = stored.summary AND claim.quote = stored.quote",
            [part for pk, summary, quote, vector in computed for part in (pk, vector, summary, quote)],
        )


class Command(BaseCommand):
    help = (
        "Compute the vectors of every claim that has none (written by a bulk load, or before "
        "vectors were kept): first WordLlama's, which find claims by meaning, then the re-ranking "
        "model's, which read the best found again (some 35 claims a second; without them, each "
        "is computed the first time its claim is among a text's best). A batch at a time, each "
        "committed: stopped, it resumes where it stopped; run again, it does nothing for the "
        "claims already done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"claims a transaction (default {BATCH})"
        )
        parser.add_argument(
            "--skip-reranking",
            action="store_true",
            help="only WordLlama's vectors (minutes at a million claims, where the re-ranking "
            "model's take hours); the others are then computed as they are needed",
        )

    def handle(self, *args, batch, skip_reranking, **options):
        self.backfill("embedding", "vector", embedding.embeddings, batch)
        if not skip_reranking:
            self.backfill(
                "reranking_embedding",
                "re-ranking vector",
                reranking.claim_embeddings,
                min(batch, RERANKING_BATCH),
            )

    def backfill(self, field, name, embeddings, batch):
        missing = Claim.objects.filter(**{f"{field}__isnull": True})
        total = missing.count()
        if not total:
            self.stdout.write(f"Every claim has its {name}.")
            return
        self.stdout.write(f"{total:,} claims without a {name}.")
        done, started, after = 0, time.monotonic(), None
        while True:
            rows = list(
                (missing if after is None else missing.filter(pk__gt=after))
                .order_by("pk")
                .values_list("pk", "summary", "quote")[:batch]
            )
            if not rows:
                break
            vectors = embeddings([embedding.claim_text(summary, quote) for _, summary, quote in rows])
            with transaction.atomic():
                store(rows, vectors, field)
            done += len(rows)
            after = rows[-1][0]
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"{done:,} / {total:,} claims ({done / total:.0%}), {done / elapsed:,.0f} a second",
                ending="\r",
            )
        self.stdout.write(f"\nDone: {done:,} {name}s in {time.monotonic() - started:.1f} s.")
