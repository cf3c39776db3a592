"""What the similar claims' vectors cost a web process, measured in a fresh one (bench/run.py runs
it): its resident set once Django is set up, after loading WordLlama, after loading the re-ranking
model and reading a text and ten claims with it (the model file is mapped, so what it costs is
the pages a reading touches), after building the index of every stored vector, and after 50
searches for similar claims (`similar_to` on 50 claims' summaries, which read their best again,
computing the vectors missing); prints one JSON object. DATABASE_URL names the database."""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measuring import rss_mb

SEARCHES = 50


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from claims.models import Claim
    from claims.similarity import embedding, index, reranking

    Claim.objects.exists()  # the connection, as a web process holds one
    before = rss_mb()
    started = time.perf_counter()
    embedding.model()
    loaded = time.perf_counter() - started
    after_model = rss_mb()
    started = time.perf_counter()
    reranking.query_vector("Russia violated the Open Skies Treaty, the State Department said.")
    reranking.claim_vectors(Claim.objects.order_by("pk").values_list("summary", flat=True)[:10])
    reranking_loaded = time.perf_counter() - started
    after_reranking = rss_mb()
    started = time.perf_counter()
    built = index.build_now()
    building = time.perf_counter() - started
    after_index = rss_mb()
    for summary in Claim.objects.order_by("-pk").values_list("summary", flat=True)[:SEARCHES]:
        list(Claim.objects.similar_to(summary))
    after_searches = rss_mb()
    print(
        json.dumps(
            {
                "model_load_s": round(loaded, 2),
                "model_rss_mb": round(after_model - before, 1),
                "reranking_model_load_and_first_reading_s": round(reranking_loaded, 2),
                "reranking_model_rss_mb": round(after_reranking - after_model, 1),
                "index_claims": len(built.ids),
                "index_mb": round(built.nbytes / 2**20, 1),
                "index_build_s": round(building, 1),
                "models_and_index_rss_mb": round(after_index - before, 1),
                "after_searches_rss_mb": round(after_searches - before, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
