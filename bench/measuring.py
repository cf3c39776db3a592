"""How bench/run.py measures: requests through Django's test client, each timed with the garbage
collector's pauses, their queries counted, PostgreSQL's files read into memory first, and the
setting the figures depend on (commit, CPUs, PostgreSQL's memory)."""

import gc
import os
import statistics
import subprocess
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
API = "/api/v1"


def create_prewarm_extension():
    """`pg_prewarm`, which `warm_cache` calls: created once a run, before any scenario (creating it
    takes a lock that a reader would wait for)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")


def warm_cache():
    """Read the database's tables and indexes into the operating system's page cache.

    This machine pages out file cache left alone for a few seconds (and PostgreSQL keeps only
    128 MB in its own buffers): without this, a scenario measures the disk as much as the API (a
    search's p95 went from 0.2 s to 1 s). A production server keeps a 2 GB database in memory."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_prewarm(c.oid::regclass, 'read')) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Bench:
    def __init__(self, requests):
        from django.test import Client

        self.client = Client()
        self.requests = requests
        self.results = {}

    def get(self, url):
        response = self.client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:300]!r}")
        return response

    def queries_per_request(self, urls):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                self.get(url)
            counts.append(len(context.captured_queries))
        return counts

    def scenario(self, name, urls, warmup_urls):
        """Warm up on `warmup_urls`, counting their queries, then time each of `urls` once."""
        warm_cache()
        counts = self.queries_per_request(warmup_urls)
        self.results[name] = {
            **time_each([partial(self.get, url) for url in urls]),
            "queries_per_request": max(counts),
        }


def time_each(calls):
    """Call each in turn: p50, p95 and max in milliseconds, and the garbage collector's pauses in
    the meantime, which explain most outliers."""
    gc.collect()
    pauses = []

    def collecting(phase, info, started=[0.0]):  # noqa: B006 (when the current pause started)
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], time.perf_counter() - started[0]))

    times = []
    gc.callbacks.append(collecting)
    try:
        for call in calls:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    finally:
        gc.callbacks.remove(collecting)
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
        "gc_ms_per_request": round(sum(pause for _, pause in pauses) * 1000 / len(times), 2),
        "full_collections": sum(1 for generation, _ in pauses if generation == 2),
    }


def run_setting():
    """What the figures depend on besides the code: the commit, the machine and PostgreSQL's memory."""
    from django.db import connection

    def git(*arguments):
        run = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False)
        return run.stdout.strip() if run.returncode == 0 else None

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (shared_buffers,) = cursor.fetchone()
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "cpus": os.cpu_count(),
        "postgresql": server_version.split()[0],
        "shared_buffers": shared_buffers,
    }
