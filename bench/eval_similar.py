"""How well `Claim.objects.similar_to` finds the claims it should: MAP@5 and recall@10 on the labelled
queries of fixtures/similar_claims.yaml, for each ranker, printed as a table.

Not a test: it loads the curated dataset into a throwaway PostgreSQL database (dropped and created
afresh each run; its name must contain "eval"), migrates it, and ranks every query with full-text
alone, trigram alone, the two fused, and the fusion with its speaker/target/topic/date boosts.

    make eval-similar        # or: .venv/bin/python bench/eval_similar.py [--misses] [--tune]

DATABASE_URL names another database (default: postgres://postgres@127.0.0.1:5432/tracker_eval_similar).

`--misses` lists the queries whose expected claims the fusion ranks below 5th; `--tune` tries a grid
of weights and prints the best (to tune SIMILARITY_WEIGHTS in claims/similarity/ranking.py).

Then the same for CheckThat! 2020 Task 2 (bench/eval_clef.py), in the same database made afresh,
unless `--no-clef`; `--clef-only` skips the curated set.
"""

import argparse
import datetime
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_eval_similar"


def fresh_database(url):
    """Drop and create the database at `url`, then set Django up to use it."""
    import dj_database_url
    import psycopg2

    if "django" in sys.modules and "DJANGO_SETTINGS_MODULE" in os.environ:
        from django.db import connections

        connections.close_all()
    database = dj_database_url.parse(url)
    if "eval" not in database["NAME"]:
        sys.exit(f"Refusing to drop {database['NAME']!r}: the database's name must contain 'eval'.")
    server = {"host": database["HOST"], "port": database["PORT"] or 5432, "user": database["USER"]}
    if database["PASSWORD"]:
        server["password"] = database["PASSWORD"]
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
    admin.cursor().execute(f'CREATE DATABASE "{database["NAME"]}"')
    admin.close()

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def average_precision_at(ranked, expected, k=5):
    hits, total = 0, 0.0
    for position, slug in enumerate(ranked[:k], start=1):
        if slug in expected:
            hits += 1
            total += hits / position
    return total / min(len(expected), k)


def recall_at(ranked, expected, k=10):
    return len(set(ranked[:k]) & set(expected)) / len(expected)


def evaluate(queries, weights, actor_ids):
    """(MAP@5, recall@10, the query times in ms, the rankings) of `weights` over `queries`."""
    from claims.models import Claim

    precisions, recalls, times, rankings = [], [], [], []
    for query in queries:
        started = time.perf_counter()
        # The claim the query was written from, as the admin's panel leaves out the claim it is on.
        claims = Claim.objects.exclude(slug=query.get("exclude", ""))
        ranked = list(
            claims.similar_to(
                query["text"],
                speaker=actor_ids.get(query.get("speaker")),
                target=actor_ids.get(query.get("target")),
                around=query.get("around"),
                limit=10,
                weights=weights,
            ).values_list("slug", flat=True)
        )
        times.append((time.perf_counter() - started) * 1000)
        precisions.append(average_precision_at(ranked, query["expected"]))
        recalls.append(recall_at(ranked, query["expected"]))
        rankings.append(ranked)
    return statistics.mean(precisions), statistics.mean(recalls), times, rankings


def rankers():
    from claims.similarity.ranking import (
        MEANING_ONLY,
        NO_BOOSTS,
        SIMILARITY_WEIGHTS,
        WORDING_ONLY,
        WORDS_ONLY,
    )

    without_boosts = SIMILARITY_WEIGHTS._replace(**NO_BOOSTS)
    return {
        "full-text alone": WORDS_ONLY,
        "trigram alone": WORDING_ONLY,
        "embeddings alone": MEANING_ONLY,
        "full text + trigram, no boosts": without_boosts._replace(meaning=0, reranking=0),
        "fusion, text only, before re-ranking": without_boosts._replace(reranking=0),
        "fusion, text only": without_boosts,
        "fusion + boosts, before re-ranking": SIMILARITY_WEIGHTS._replace(reranking=0),
        "fusion + boosts (production)": SIMILARITY_WEIGHTS,
    }


def print_table(queries, actor_ids):
    kinds = sorted({query["kind"] for query in queries})
    header = ["ranker", "MAP@5", "recall@10", *(f"MAP@5 {kind}" for kind in kinds), "median ms"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for name, weights in rankers().items():
        map5, recall10, times, _ = evaluate(queries, weights, actor_ids)
        by_kind = [
            evaluate([q for q in queries if q["kind"] == kind], weights, actor_ids)[0] for kind in kinds
        ]
        cells = [name, f"{map5:.3f}", f"{recall10:.3f}", *(f"{value:.3f}" for value in by_kind)]
        print("| " + " | ".join([*cells, f"{statistics.median(times):.1f}"]) + " |")
    counts = ", ".join(f"{sum(query['kind'] == kind for query in queries)} {kind}" for kind in kinds)
    print(f"\n{len(queries)} queries ({counts}).")


def print_misses(queries, actor_ids):
    from claims.similarity.ranking import SIMILARITY_WEIGHTS

    *_, rankings = evaluate(queries, SIMILARITY_WEIGHTS, actor_ids)
    for query, ranked in zip(queries, rankings, strict=True):
        missed = [slug for slug in query["expected"] if slug not in ranked[:5]]
        if missed:
            positions = [ranked.index(slug) + 1 if slug in ranked else None for slug in missed]
            print(f"- {query['text'][:70]!r}: {missed} at {positions}; first: {ranked[:2]}")


def tune(queries, actor_ids):
    from claims.similarity.ranking import SIMILARITY_WEIGHTS

    results = []
    for speaker, target, answering, topic, date in itertools.product(
        [0, 0.05, 0.1], [0, 0.05], [0, 0.05, 0.1], [0], [0, 0.05]
    ):
        weights = SIMILARITY_WEIGHTS._replace(
            same_speaker=speaker,
            same_target=target,
            answering=answering,
            shared_topic=topic,
            nearby_date=date,
        )
        map5, recall10, _, _ = evaluate(queries, weights, actor_ids)
        results.append((map5, recall10, weights))
    for map5, recall10, weights in sorted(results, key=lambda result: result[:2], reverse=True)[:10]:
        print(f"MAP@5 {map5:.3f}  recall@10 {recall10:.3f}  {weights}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", default=ROOT / "fixtures" / "similar_claims.yaml")
    parser.add_argument("--dataset", default=ROOT / "fixtures" / "open_skies_inf.yaml")
    parser.add_argument("--misses", action="store_true", help="list the fusion's misses")
    parser.add_argument("--tune", action="store_true", help="grid-search the weights")
    parser.add_argument("--no-clef", action="store_true", help="skip CheckThat! 2020 Task 2")
    parser.add_argument("--clef-only", action="store_true", help="only CheckThat! 2020 Task 2")
    parser.add_argument(
        "--clef-splits", default="train,dev", help="CheckThat! splits to score (default: train,dev)"
    )
    arguments = parser.parse_args()
    fresh_database(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))

    import yaml
    from django.core.management import call_command

    from claims.models import Actor
    from sources.dataset import load_dataset

    call_command("migrate", verbosity=0)
    load_dataset(arguments.dataset)
    queries = yaml.safe_load(Path(arguments.queries).read_text(encoding="utf-8"))["queries"]
    for query in queries:
        if isinstance(query.get("around"), str):
            query["around"] = datetime.date.fromisoformat(query["around"])
    actor_ids = dict(Actor.objects.values_list("slug", "pk"))
    if not arguments.clef_only:
        print_table(queries, actor_ids)
        if arguments.misses:
            print_misses(queries, actor_ids)
        if arguments.tune:
            tune(queries, actor_ids)
    if not arguments.no_clef:
        import eval_clef

        fresh_database(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
        call_command("migrate", verbosity=0)
        eval_clef.run(tune_weights=arguments.tune, splits=tuple(arguments.clef_splits.split(",")))


if __name__ == "__main__":
    main()
