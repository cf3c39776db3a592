"""Benchmark the REST API on a synthetic corpus of a million claims in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/run.py

Creates and migrates the database if needed and generates the corpus (bench/generate.py) when the
database is empty or holds a corpus of another size (or with --regenerate); then, in one run against
the same data, times the claims list, a claim's detail, a `q` search, a speaker + date-range list
and the full CSV export, through the real URL conf with Django's test client, as an anonymous
reader, and a floor: the same pages of the list fetched by one hand-written SQL query and
serialised with json.dumps. Prints the run's results table and writes it to
artifacts/bench-results.md, with every figure in artifacts/bench-results.json.

Never part of the test suite: it takes minutes and needs PostgreSQL.
"""

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path
from urllib.parse import urlencode

# Run as a script: the `bench` package is importable from the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.floor import http_figure, list_pages, measure_floor
from bench.measuring import API, ARTIFACTS, Bench, create_prewarm_extension, rss_mb, run_setting, warm_cache
from bench.run_report import pages_table, results_table

TARGETS = {
    "list_p50_ms": 25,
    "similar_p95_ms": 100,
    "worst_page_to_floor_ratio": 5,
    "search_p95_ms": 100,
    "detail_p50_ms": 15,
    "list_to_floor_ratio": 2.5,
    "export_rows_per_second": 20_000,
    "export_peak_mb": 150,
}

# Searches as readers type them: names, places, weapons, phrases; from rare words to common ones.
SEARCHES = [
    "Ryabkov", "Zakharova", "Grushko", "Stoltenberg", "Lavrov", "Pompeo", "Kaliningrad", "Transnistria",
    "Zaporizhzhia", "Abkhazia", "Suwalki", "Alaska", "hypersonic", "centrifuges", "biological laboratories",
    "anti-satellite", "mercenaries", "radar stations", "warships", "uranium", "cruise missiles Kaliningrad",
    '"observation flights"', "Open Skies", "INF Treaty", "New START", "grain shipments", "Black Sea",
    "nuclear -tactical", "inspection teams", "strategic bombers", "submarine patrols Barents",
    "Baltic Sea drills", "gas deliveries Belarus", "Taiwan Strait", "Persian Gulf", "Syria", "Crimea",
    "sanctions", "withdraw", "provocative", "groundless accusation", "verification", "denied access",
    "satellite images", "Ministry of Defence", "NATO", "European Union", "Romania", "Poland", "Norway",
    "missiles", "treaty",
]  # fmt: skip


def bootstrap():
    """Settings for a production-like process (DEBUG off, no throttling) and a database that exists
    and is safe to fill: its name must say it is a benchmark's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-never-served")
    os.environ.update(
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
        API_ANONYMOUS_RATE="1000000000/second",
        API_AUTHENTICATED_RATE="1000000000/second",
    )
    import dj_database_url
    import psycopg2

    database = dj_database_url.parse(url)
    if "bench" not in database["NAME"]:
        sys.exit(
            f"Refusing to fill {database['NAME']!r}: the benchmark's database name must contain 'bench'."
        )
    server = {"host": database["HOST"], "port": database["PORT"] or 5432, "user": database["USER"]}
    if database["PASSWORD"]:
        server["password"] = database["PASSWORD"]
    try:
        psycopg2.connect(dbname=database["NAME"], **server).close()
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        admin = psycopg2.connect(dbname="postgres", **server)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{database["NAME"]}"')
        admin.close()
        print(f"Created database {database['NAME']}.")

    import django

    django.setup()
    # WhiteNoise warns that `collectstatic` has not run: the API serves no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def export(bench, *, trace, format="csv"):
    """Stream the whole export (`format` csv or jsonl): rows, seconds, seconds to the first chunk,
    the queries it ran through Django's cursors (on PostgreSQL the rows come from one COPY, which
    does not go through them), and peak memory: the growth of the resident set, sampled at every
    chunk, or tracemalloc's peak when `trace` (which slows Python down)."""
    from django.db import connection

    queries = 0

    def count_query(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    warm_cache()
    gc.collect()
    if trace:
        tracemalloc.start()
    rss_before, rss_peak, lines, first_chunk = rss_mb(), 0.0, 0, None
    started = time.perf_counter()
    # Counted, not captured: CaptureQueriesContext would keep the SQL of every query in memory.
    with connection.execute_wrapper(count_query):
        response = bench.get(f"{API}/claims/?format={format}")
        for chunk in response.streaming_content:
            first_chunk = first_chunk or time.perf_counter() - started
            lines += chunk.count(b"\n")  # the corpus' text holds no line breaks: a line is a row
            rss_peak = max(rss_peak, rss_mb())
        response.close()
    seconds = time.perf_counter() - started
    result = {
        "rows": lines - 1 if format == "csv" else lines,  # the CSV's header is not a claim
        "seconds": round(seconds, 2),
        "first_chunk_seconds": round(first_chunk or seconds, 2),
        "queries": queries,
        "rss_growth_mb": round(rss_peak - rss_before, 1),
    }
    if trace:
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return result


def corpus_sizes(claims):
    return {
        "claims": claims,
        "actors": claims // 50,
        "topics": max(claims // 500, 100),
        "sources": claims // 5,
    }


def corpus_matches(sizes):
    from claims.models import Actor, Claim, Topic
    from sources.models import Source

    return (
        Claim.objects.count() == sizes["claims"]
        and Actor.objects.count() == sizes["actors"]
        and Topic.objects.count() == sizes["topics"]
        and Source.objects.count() == sizes["sources"]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="generate the corpus even if it is there")
    parser.add_argument("--claims", type=int, default=1_000_000, help="corpus size (default: 1,000,000)")
    parser.add_argument("--requests", type=int, default=60, help="timed requests a scenario (default: 60)")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the floor and the readers' pages (no vectors, API scenarios, HTTP or export)",
    )
    parser.add_argument(
        "--similar-only",
        action="store_true",
        help="only the similar claims scenario, on the texts a full run times",
    )
    arguments = parser.parse_args()
    bootstrap()

    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    ARTIFACTS.mkdir(exist_ok=True)
    generation_file = ARTIFACTS / "bench-generation.json"
    call_command("migrate", verbosity=0)
    sizes = corpus_sizes(arguments.claims)
    if arguments.regenerate or not corpus_matches(sizes):
        print(f"Generating the corpus: {', '.join(f'{count:,} {name}' for name, count in sizes.items())}")
        started = time.perf_counter()
        timings = generate(sizes)
        timings["total"] = round(time.perf_counter() - started, 1)
        print(f"  generated in {timings['total']:.0f} s")
        generation_file.write_text(json.dumps({"sizes": sizes, "seconds": timings}, indent=2))
        if not corpus_matches(sizes):
            sys.exit("The generated corpus does not have the sizes asked for.")
        # Measure in a fresh process: the generator's memory would blur the export's.
        connection.close()
        argv = [arg for arg in sys.argv if arg != "--regenerate"]
        os.execv(sys.executable, [sys.executable, *argv])
    generation = json.loads(generation_file.read_text()) if generation_file.exists() else None
    print(f"Corpus in place: {', '.join(f'{count:,} {name}' for name, count in sizes.items())}")
    # The pages' static files, as a production server serves them (DEBUG is off).
    call_command("collectstatic", interactive=False, verbosity=0)
    if not arguments.pages_only:
        backfill_vectors()
    if arguments.similar_only:
        measure_similar(arguments)
        return
    measure(arguments, sizes, generation)


def backfill_vectors():
    """Compute the vectors the generator leaves out (it writes with COPY), timed: once a corpus."""
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Claim

    missing = Claim.objects.filter(embedding__isnull=True).count()
    if not missing:
        return
    print(f"Backfilling {missing:,} claims' vectors (embed_claims --skip-reranking)")
    started = time.perf_counter()
    # The re-ranking model's vectors would take hours at a million claims: they are computed as
    # searches need them (`similar_scenarios`), and their rate is measured in `vector_figures`.
    call_command("embed_claims", "--skip-reranking")
    seconds = time.perf_counter() - started
    figures = {"claims": missing, "seconds": round(seconds, 1), "us_a_claim": round(seconds / missing * 1e6)}
    (ARTIFACTS / "bench-backfill.json").write_text(json.dumps(figures, indent=2))
    # The backfill wrote every claim again, leaving as many dead rows as live ones; a server's
    # autovacuum would clear them before long, and until then a search reads twice the pages.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Claim._meta.db_table)}")


def vector_figures(claim_ids):
    """What the vectors cost: a fresh web process's resident set for the model and the index
    (bench/vector_memory.py), saving a claim whose summary changed, with its vector computed and
    without (rolled back), and how many claims a second the re-ranking model embeds (the drawn
    claims, in one batch, as `embed_claims` does), with the hours that would take for every claim;
    then this process's index is built, as a web process's first comparison builds it, so that the
    similar scenario times queries, not the build."""
    from django.db import transaction

    from claims.models import Claim
    from claims.similarity import embedding, index, reranking

    memory = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "vector_memory.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(memory.stdout.strip().splitlines()[-1])
    embedding.model()
    computed = embedding.embedding_of
    for name, compute in (("save_without_vector_ms", lambda *text: b""), ("save_with_vector_ms", computed)):
        embedding.embedding_of = compute
        times = []
        with transaction.atomic():
            for claim in Claim.objects.filter(pk__in=claim_ids[:30]):
                claim.summary = f"{claim.summary[:380]} (edited)"
                started = time.perf_counter()
                claim.save(update_fields=["summary"])
                times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        figures[name] = round(statistics.median(times), 2)
    embedding.embedding_of = computed
    texts = [
        embedding.claim_text(summary, quote)
        for summary, quote in Claim.objects.filter(pk__in=claim_ids).values_list("summary", "quote")
    ]
    started = time.perf_counter()
    reranking.claim_embeddings(texts)
    per_second = len(texts) / (time.perf_counter() - started)
    figures["reranking_claims_a_second"] = round(per_second, 1)
    figures["reranking_backfill_estimated_hours"] = round(Claim.objects.count() / per_second / 3600, 1)
    index.build_now()
    backfill = ARTIFACTS / "bench-backfill.json"
    figures["backfill"] = json.loads(backfill.read_text()) if backfill.exists() else None
    print(f"  vectors: {figures}")
    return figures


def measure(arguments, sizes, generation):
    from claims.models import Claim

    create_prewarm_extension()
    rng = random.Random(7)
    count = arguments.requests
    bench = Bench(count)
    started = time.perf_counter()

    # The list's pages can only be reached by following `next` links: every page, the five that
    # warm up and the timed ones, is fetched once here first.
    urls, boundaries = list_pages(bench, count + 5)
    bench.scenario("list", urls[5:], urls[:5])
    measure_floor(bench, urls, boundaries)
    if arguments.pages_only:
        claim_ids = drawn_claims(rng, count)
        measure_pages(bench, rng, claim_ids, min(count, PAGE_REQUESTS))
        floor = bench.results["floor"]["p50_ms"]
        for row in bench.results.values():
            row["p50_to_floor"] = round(row["p50_ms"] / floor, 2)
        table = pages_table(bench.results)
        print()
        print(table)
        (ARTIFACTS / "bench-pages.md").write_text(table)
        return

    claim_ids = drawn_claims(rng, count)
    detail_urls = [f"{API}/claims/{pk}/" for pk in claim_ids]
    bench.scenario("detail", detail_urls[5:], detail_urls[:5])

    # Each search once: five warm up, the others are timed.
    searches = [f"{API}/claims/?{urlencode({'q': term})}" for term in SEARCHES]
    rng.shuffle(searches)
    bench.scenario("search", searches[5 : count + 5], searches[:5])

    # The speakers of the claims drawn above (so mostly the prolific, whose claims are likelier to
    # be drawn), each over one to three years.
    speakers = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "speaker__slug"))
    filtered = []
    for claim_id in claim_ids:
        start = rng.randint(2010, 2022)
        dates = {
            "stated_after": f"{start}-{rng.randint(1, 12):02d}-01",
            "stated_before": f"{start + rng.randint(1, 3)}-06-30",
        }
        filtered.append(f"{API}/claims/?{urlencode({'speaker': speakers[claim_id], **dates})}")
    bench.scenario("filtered", filtered[5:], filtered[:5])

    bench.results["vectors"] = vector_figures(claim_ids)
    # Similar claims to a claim's summary, a few words changed as an editor's paraphrase would.
    similar_scenarios(bench, similar_texts(rng, claim_ids, count))

    measure_pages(bench, rng, claim_ids, min(count, PAGE_REQUESTS))
    bench.results["http"] = http_figure()

    export_timed = export(bench, trace=False)
    export_traced = export(bench, trace=True)
    jsonl = export(bench, trace=False, format="jsonl")
    rows_per_second = round(export_timed["rows"] / export_timed["seconds"])
    peak = max(export_timed["rss_growth_mb"], export_traced["tracemalloc_peak_mb"])
    bench.results["export"] = {
        "rows": export_timed["rows"],
        "seconds": export_timed["seconds"],
        "rows_per_second": rows_per_second,
        "rss_growth_mb": export_timed["rss_growth_mb"],
        "tracemalloc_peak_mb": export_traced["tracemalloc_peak_mb"],
        "seconds_under_tracemalloc": export_traced["seconds"],
        "queries": export_timed["queries"],
        "first_chunk_seconds": export_timed["first_chunk_seconds"],
    }
    bench.results["export_jsonl"] = {**jsonl, "rows_per_second": round(jsonl["rows"] / jsonl["seconds"])}
    floor = bench.results["floor"]["p50_ms"]
    ratio = round(bench.results["list"]["p50_ms"] / floor, 2)
    for row in bench.results.values():
        if "p50_ms" in row:
            row["p50_to_floor"] = round(row["p50_ms"] / floor, 2)
    pages = {name: row for name, row in bench.results.items() if name.startswith("page")}
    figures = {
        "list_p50_ms": bench.results["list"]["p50_ms"],
        "similar_p95_ms": bench.results["similar"]["p95_ms"],
        "worst_page_to_floor_ratio": max(row["p50_to_floor"] for row in pages.values()),
        "search_p95_ms": bench.results["search"]["p95_ms"],
        "detail_p50_ms": bench.results["detail"]["p50_ms"],
        "list_to_floor_ratio": ratio,
        "export_rows_per_second": rows_per_second,
        "export_peak_mb": peak,
    }
    met = {
        name: figures[name] >= target if name == "export_rows_per_second" else figures[name] <= target
        for name, target in TARGETS.items()
    }
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "setting": run_setting(),
        "corpus": sizes,
        "generation": generation,
        "scenarios": bench.results,
        "figures": figures,
        "targets": TARGETS,
        "met": met,
        "measure_seconds": round(time.perf_counter() - started, 1),
    }
    table = results_table(results)
    print()
    print(table)
    (ARTIFACTS / "bench-results.md").write_text(table)
    (ARTIFACTS / "bench-results.json").write_text(json.dumps(results, indent=2))
    print(
        f"Measured in {results['measure_seconds']:.0f} s; this table is in artifacts/bench-results.md, "
        "every figure in artifacts/bench-results.json"
    )


def similar_texts(rng, claim_ids, count):
    """The similar scenario's texts: claims' summaries, a few words changed as an editor's
    paraphrase would."""
    from claims.models import Claim

    summaries = Claim.objects.filter(pk__in=claim_ids[: count + 5]).values_list("summary", flat=True)
    return [f"{API}/claims/?{urlencode({'similar_to': paraphrase(summary, rng)})}" for summary in summaries]


def measure_similar(arguments):
    """The similar scenario alone, on the same texts as a full run (the random draws before it
    are made, and left unused)."""
    from claims.similarity import index

    rng = random.Random(7)
    count = arguments.requests
    claim_ids = drawn_claims(rng, count)
    rng.shuffle(list(SEARCHES))
    for _ in claim_ids:
        rng.randint(2010, 2022), rng.randint(1, 12), rng.randint(1, 3)
    similar = similar_texts(rng, claim_ids, count)
    index.build_now()
    create_prewarm_extension()
    bench = Bench(count)
    similar_scenarios(bench, similar)
    print(f"  similar, the re-ranking vectors computed as needed: {bench.results['similar_first']}")
    print(f"  similar, the re-ranking vectors stored: {bench.results['similar']}")


def similar_scenarios(bench, similar):
    """The similar scenario twice on the same texts. First as a database whose re-ranking vectors
    are not computed yet serves them (every one is cleared first; each search computes those of
    its best claims, up to `RERANKED_BEST`); then again, the cache's answers and the process's
    vectors of the texts dropped, as it serves once `embed_claims` has computed them: the target's
    figure."""
    from django.db import connection

    from claims.models import Claim
    from claims.similarity import reranking
    from tracker.caching import record_changed

    table = connection.ops.quote_name(Claim._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reranking_embedding = NULL WHERE reranking_embedding IS NOT NULL")
    for name in ("similar_first", "similar"):
        record_changed()
        reranking.query_vector.cache_clear()  # each text is read as if for the first time
        bench.scenario(name, similar[5:], similar[:5])


def drawn_claims(rng, count):
    """Published claims drawn at random, in the order drawn (the same ones every run)."""
    from claims.models import Claim

    last_id = Claim.objects.order_by("-pk").values_list("pk", flat=True)[0]
    drawn = rng.sample(range(1, last_id + 1), 4 * count)  # drafts are drawn too, and left out
    published = set(Claim.objects.published().filter(pk__in=drawn).values_list("pk", flat=True))
    return [pk for pk in drawn if pk in published][: count + 5]


def paraphrase(text, rng):
    """`text` with one word in five dropped: what an editor types is rarely the stored summary."""
    words = text.split()
    kept = [word for word in words if rng.random() > 0.2]
    return " ".join(kept or words)


# Timed requests a page scenario: pages cost more than API calls, and vary less.
PAGE_REQUESTS = 30


def positions(url, claims, rng, count, parameter="before"):
    """Pages of a list of `claims` as a reader reaches them by "Earlier": each starting after a
    claim of the list drawn at random, anywhere in it."""
    pks = list(claims.values_list("pk", flat=True))
    drawn = list(claims.filter(pk__in=rng.sample(pks, count)).values_list("stated_on", "pk"))
    rng.shuffle(drawn)
    return [f"{url}?{parameter}={day}:{pk}" for day, pk in drawn]


def measure_pages(bench, rng, claim_ids, count):
    """The readers' pages, as an anonymous reader gets them, with this process's public cache on as
    in production (`PUBLIC_CACHE_SECONDS=0` turns it off): a page asked again (home, `/actors/`,
    the sitemap's index, the feed) is served whole from it; a page at another position is built,
    its charts kept under the record's version. Home, the claims list (pages starting anywhere in
    it), a search, claim pages, the largest topic's and the largest actor's pages with their charts
    (pages starting anywhere in them), the actors' index (by claims made, and pages of it by
    accusations received), the sitemap's index and its files of claims, and the feed."""
    from claims.models import Actor, Claim, Topic
    from claims.sitemaps import ClaimSitemap
    from claims.views import ACTORS_PAGE_SIZE

    published = Claim.objects.published()
    topic = Topic.objects.order_by("-claim_count").first()
    actor = Actor.objects.order_by("-claims_made_count").first()
    slugs = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "slug"))
    files = -(-Claim.objects.order_by("-pk").values_list("pk", flat=True)[0] // ClaimSitemap.limit)
    actor_pages = -(-Actor.objects.public().count() // ACTORS_PAGE_SIZE)
    searches = [f"/claims/?{urlencode({'q': term})}" for term in SEARCHES]
    rng.shuffle(searches)
    scenarios = {
        "page_home": ["/"] * (count + 5),
        "page_claims": positions("/claims/", published, rng, count + 5),
        "page_search": searches[: count + 5],
        "page_claim": [f"/claims/{slugs[pk]}/" for pk in claim_ids[: count + 5]],
        "page_topic_largest": positions(topic.get_absolute_url(), published.about(topic), rng, count + 5),
        "page_actor_largest": positions(
            actor.get_absolute_url(), published.for_speaker(actor), rng, count + 5, "made_before"
        ),
        "page_actors": ["/actors/"] * (count + 5),
        "page_actors_by_accusations": [
            f"/actors/?sort=accusations&page={rng.randint(1, actor_pages)}" for _ in range(count + 5)
        ],
        "page_sitemap_index": ["/sitemap.xml"] * (count + 5),
        "page_sitemap_file": [f"/sitemap-claims.xml?p={rng.randint(1, files)}" for _ in range(count + 5)],
        "page_feed": ["/feeds/claims/"] * (count + 5),
    }
    for name, urls in scenarios.items():
        bench.scenario(name, urls[5:], urls[:5])
    bench.results["page_topic_largest"]["claims"] = topic.claim_count
    bench.results["page_actor_largest"]["claims"] = actor.claims_made_count


if __name__ == "__main__":
    main()
