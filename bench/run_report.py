"""bench/run.py's results in Markdown: the table of a `--pages-only` run, and the full run's table
with its export, HTTP and target lines (artifacts/bench-results.md)."""

import time

from bench.floor import HTTP_CONNECTIONS, HTTP_SECONDS
from bench.measuring import run_setting


def pages_table(results):
    """The floor and the readers' pages of a `--pages-only` run."""
    lines = [
        f"Pages only, {time.strftime('%Y-%m-%d %H:%M')}, commit {run_setting()['commit']}",
        "",
        "| scenario | p50 ms | p95 ms | queries a request | p50 / floor |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in results.items():
        figures = (row["p50_ms"], row["p95_ms"], row["queries_per_request"], row["p50_to_floor"])
        lines.append(f"| {name} | {' | '.join(str(figure) for figure in figures)} |")
    return "\n".join(lines) + "\n"


SCENARIO_NAMES = {
    "list": "list (page of 50)",
    "floor": "floor (one SQL query + `json.dumps`)",
    "detail": "detail",
    "search": "search (`q`)",
    "filtered": "filtered (speaker + dates)",
    "similar_first": "similar claims, re-ranking vectors computed as needed",
    "similar": "similar claims (`similar_to`), re-ranking vectors stored",
    "page_home": "page: home",
    "page_claims": "page: `/claims/`, from anywhere in it",
    "page_search": "page: `/claims/?q=`",
    "page_claim": "page: a claim",
    "page_topic_largest": "page: the largest topic with its charts, from anywhere in it",
    "page_actor_largest": "page: the largest actor with its record, from anywhere in it",
    "page_actors": "page: `/actors/`",
    "page_actors_by_accusations": "page: `/actors/?sort=accusations`, any page",
    "page_sitemap_index": "page: `/sitemap.xml` (index)",
    "page_sitemap_file": "page: a sitemap file (2,000 ids)",
    "page_feed": "page: `/feeds/claims/`",
}


def http_line(http):
    if "skipped" in http:
        return f"HTTP figure skipped: {http['skipped']}."
    app, floor = http["app"], http["floor"]
    return (
        f"Over HTTP (gunicorn, 2 workers; wrk, {HTTP_CONNECTIONS} connections, {HTTP_SECONDS} s, on "
        f"`/api/v1/claims/`): the app {app['requests_per_s']:.1f} requests/s (p50 {app['p50_ms']:.0f} ms, "
        f"p99 {app['p99_ms']:.0f} ms), the floor app {floor['requests_per_s']:.1f} requests/s (p50 "
        f"{floor['p50_ms']:.0f} ms): floor / app **{http['floor_to_app_ratio']}**; non-2xx answers: "
        f"{app['non_2xx_3xx']} and {floor['non_2xx_3xx']}."
    )


def results_table(results):
    """The run's results in Markdown, as printed and written to artifacts/bench-results.md."""
    setting, scenarios, figures = results["setting"], results["scenarios"], results["figures"]
    commit = setting["commit"] or "an unknown commit"
    if setting["uncommitted_changes"]:
        commit += " with uncommitted changes"
    lines = [
        f"# API benchmark, {results['when']}",
        "",
        f"Corpus: {', '.join(f'{count:,} {name}' for name, count in results['corpus'].items())}. "
        f"Code: {commit}. {setting['cpus']} CPUs, PostgreSQL {setting['postgresql']} with "
        f"shared_buffers {setting['shared_buffers']}; caches warmed (`pg_prewarm`) before each scenario.",
        "",
        "| scenario | requests | p50 ms | p95 ms | max ms | p50 / floor p50 | queries a request "
        "| GC ms a request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in SCENARIO_NAMES.items():
        row = scenarios[name]
        lines.append(
            f"| {label} | {row['requests']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {row['max_ms']:.1f} | {row['p50_to_floor']} | {row['queries_per_request']} "
            f"| {row['gc_ms_per_request']:.1f} |"
        )
    export, jsonl_row = scenarios["export"], scenarios["export_jsonl"]
    lines += [
        "",
        f"Export (CSV): {export['rows']:,} rows in {export['seconds']:.1f} s (the first bytes after "
        f"{export['first_chunk_seconds']:.2f} s), **{export['rows_per_second']:,} rows/s**, "
        f"{export['queries']:,} queries through Django's cursors (on PostgreSQL, besides one COPY); "
        f"peak memory: {export['rss_growth_mb']:.1f} MB of "
        f"resident-set growth, {export['tracemalloc_peak_mb']:.1f} MB `tracemalloc` peak (in a second "
        f"pass, {export['seconds_under_tracemalloc']:.1f} s under `tracemalloc`). "
        f"JSON Lines: {jsonl_row['rows']:,} rows in {jsonl_row['seconds']:.1f} s, "
        f"{jsonl_row['rows_per_second']:,} rows/s, {jsonl_row['rss_growth_mb']:.1f} MB of resident-set "
        f"growth. "
        f"List / floor: **{figures['list_to_floor_ratio']}**.",
        "",
        http_line(scenarios["http"]),
        "",
        "| target | figure | |",
        "| --- | ---: | --- |",
    ]
    for name, target in results["targets"].items():
        sign = ">=" if name == "export_rows_per_second" else "<="
        verdict = "met" if results["met"][name] else "**missed**"
        lines.append(f"| {name} {sign} {target:,} | {figures[name]:,} | {verdict} |")
    return "\n".join(lines) + "\n"
