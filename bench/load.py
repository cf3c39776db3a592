"""Load-test the app as deployed (gunicorn, DEBUG off, PostgreSQL, Redis), on loopback only.

    .venv/bin/python bench/load.py        # or: make load    (about three and a half minutes)

What it does, in order:

1. Checks that `/usr/bin/wrk` exists (else prints the apt-get line and exits 1). It installs nothing.
2. Creates a PostgreSQL cluster of its own in a temporary directory (`initdb` as the postgres user,
   locale C.UTF-8, trust authentication), starts it on 127.0.0.1:54329 (`pg_ctl start`), creates
   the database `tracker_load`, runs `manage.py migrate`, `manage.py load_dataset` (the Open Skies
   / INF dataset), `ANALYZE` (the planner's statistics, which autovacuum would gather on a live
   database, soon but at an unknown moment of the run) and `manage.py collectstatic` (into
   STATIC_ROOT, the git-ignored `staticfiles/`: WhiteNoise's manifest storage needs it with DEBUG
   off).
3. Empties Redis database 3 and serves the app with `gunicorn tracker.wsgi --workers 3
   --worker-class gthread --threads 4` (as the Dockerfile does; plus `--no-control-socket`, whose
   default path is shared by every gunicorn of the user) on a free loopback port, with production
   settings: DEBUG off, a random SECRET_KEY, REDIS_URL=redis://127.0.0.1:6379/3 (throttle counts;
   pages are cached in each worker's memory), HTTPS redirects and HSTS off (plain HTTP on loopback),
   LOG_LEVEL=WARNING, the API's anonymous and authenticated request rates raised to 100000000/minute
   so that throttling does not turn the load into 429s; the sign-in rate (10/minute) and the lockout
   (5 failures, 15 minutes) keep their defaults. It waits until `/readyz` answers 200. gunicorn's
   output goes to `artifacts/load-gunicorn.log`.
4. Throughput, with `wrk -t2 -c<N> -d15s --timeout 10s --latency -s bench/load_status.lua` at 50
   and at 200 connections, for: the claim page (`/claims/<slug>/` of the first published claim
   that `/api/v1/claims/?page_size=1` lists); the same page with a query string never sent before
   on each request (`?load-test=<run>-<thread>-<n>`, <run> a random token), so that the app's page
   cache never has the answer ("cache missed"); `/claims/`; `/api/v1/claims/`. Each URL must first
   answer 200 to 20 sequential warm-up requests (which also fill the cache). Before each run the
   script waits until the previous run's queued requests are served (/healthz answers three times
   in a row within 50 ms). From wrk's output it takes requests/s, the p50 and p99 latency, socket
   errors and "Non-2xx or 3xx responses"; the Lua script counts the responses by status class, so
   4xx and 5xx are known apart. wrk, the three workers and whatever else runs on this machine share
   its CPUs: the load average is printed before and after.
5. Password guessing: the claim page's latency measured with a sequential client (GETs one after
   the other for 10 s, a new connection each, from 127.0.0.1): once with nothing else running,
   once while wrong-password sign-ins go to POST /admin/login/ (with the CSRF cookie and form token
   of one GET of the login page) for one random username from 127.0.0.2, and once while they go to
   POST /api/v1/auth/token/ (JSON) for another from 127.0.0.3 (each guesser has its own address and
   username, so each starts unlocked). The guesses are sent at 3 a second, open loop: each from a
   thread of its own at its scheduled time, whether or not earlier ones were answered, as an
   attacker would. They are sorted by how the app answered: wrong password (admin: 200 with the form
   again; API: 400), locked out (429; for the API, with django-axes' lockout message), throttled by
   the API's sign-in rate (another 429), or anything else; with the median answer time of each
   kind. (The guess that makes the fifth failure has its password checked, then gets the lockout's
   429.) The GETs of a guessing run are summarised all together, then split at the moment the
   lockout held: when every guess sent before the first lockout answer arrived had been answered.
   Guesses sent after that find the lockout recorded and are refused before any password check.
6. Database restart: two sequential clients at 20 GETs a second each for 20 s, one on the claim
   page (answered from the page cache), one on the claim page with a new query string each time
   (cache missed: the page is read from the database); each request at its scheduled time, or at
   once if the previous one ran late; 10 s timeout. 5 s in, the script restarts its own cluster
   with `pg_ctl restart -m fast`. For each client: the failed requests (any answer but 200, or no
   answer), the error window (from the first failed request sent to the last one), and the recovery
   time (from the restart command to the answer of the first 200 that follows the last failure).
7. Stops gunicorn, stops and deletes the cluster, prints a table of every figure and writes them
   (the restart run's requests one by one included) to `artifacts/load-results.json`.

Whatever happens (an error, Ctrl-C, SIGTERM), gunicorn is stopped and the cluster is stopped and
deleted. Nothing listens beyond 127.0.0.1.
"""

import json
import os
import platform
import re
import secrets
import signal
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

# Run as a script: the `bench` package is importable from the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_report import print_report
from bench.load_servers import (
    ADMIN_GUESSER_ADDRESS,
    API_GUESSER_ADDRESS,
    ARTIFACTS,
    CONNECTIONS,
    GUESSES_PER_SECOND,
    GUNICORN_LOG,
    HOST,
    LATENCY_RUN_S,
    PG_PORT,
    REQUEST_TIMEOUT_S,
    RESTART_AT_S,
    RESTART_RATE,
    RESTART_RUN_S,
    RESULTS_FILE,
    WARM_UP_REQUESTS,
    WORKERS,
    WRK,
    WRK_DURATION_S,
    WRK_SCRIPT,
    WRK_THREADS,
    WRK_TIMEOUT_S,
    App,
    Clock,
    Cluster,
    LoadTestError,
    app_environment,
    empty_redis_database,
    get,
    parse_wrk,
    percentile,
    prepare_database,
    published_claim_path,
    request,
    run,
)

# --- Throughput (wrk) ----------------------------------------------------------------------------


def warm_up(port, path):
    """Sequential requests before the load, which must all answer 200 (or the load would measure
    an error page)."""
    for _ in range(WARM_UP_REQUESTS):
        status, _, _ = get(port, path)
        if status != 200:
            raise LoadTestError(f"{path} answered {status} before the load: see {GUNICORN_LOG}")


def measure_throughput_with_wrk(app, label, path, connections, *, cache_miss=False):
    idle_wait_s = app.wait_until_idle()
    command = [
        WRK,
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{WRK_DURATION_S}s",
        f"--timeout={WRK_TIMEOUT_S}s",
    ]
    command += ["--latency", "-s", WRK_SCRIPT, f"http://{HOST}:{app.port}{path}"]
    if cache_miss:
        command += ["--", "cache-miss", secrets.token_hex(4)]
    output = run(command, what=f"wrk on {path}")
    return {
        "label": label,
        "path": path + ("?load-test=<run>-<thread>-<n>" if cache_miss else ""),
        "connections": connections,
        "idle_wait_s": idle_wait_s,
        **parse_wrk(output),
    }


def measure_throughput(app, claim_page):
    scenarios = [
        ("claim page", claim_page, False),
        ("claim page, cache missed", claim_page, True),
        ("/claims/", "/claims/", False),
        ("/api/v1/claims/", "/api/v1/claims/", False),
    ]
    rows = []
    for label, path, cache_miss in scenarios:
        warm_up(app.port, f"{path}?load-test=warm-up" if cache_miss else path)
        for connections in CONNECTIONS:
            print(f"wrk: {label} at {connections} connections ({WRK_DURATION_S} s)...", flush=True)
            rows.append(measure_throughput_with_wrk(app, label, path, connections, cache_miss=cache_miss))
    return rows


# --- Password guessing ---------------------------------------------------------------------------


def sequential_gets(port, path, clock, duration):
    """GETs one after the other (a new connection each) for `duration` s; each one's send time
    (s on `clock`), answer time and status."""
    samples = []
    while clock.elapsed() < duration:
        sent_at = clock.elapsed()
        status, _, seconds = get(port, path)
        samples.append({"sent_at": sent_at, "ms": seconds * 1000, "status": status})
    return samples


def latency_summary(samples):
    times = [sample["ms"] for sample in samples]
    if not times:
        return {"requests": 0, "not_200": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    return {
        "requests": len(times),
        "not_200": sum(sample["status"] != 200 for sample in samples),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times),
    }


class PasswordGuesser(threading.Thread):
    """Wrong-password sign-ins for one random username from one loopback address, at
    GUESSES_PER_SECOND, open loop: each guess is sent at its scheduled time from a thread of its
    own, whether or not the earlier ones were answered. Keeps how each one was answered."""

    target = ""

    def __init__(self, port, source, clock):
        super().__init__(daemon=True)
        self.port = port
        self.source = source
        self.clock = clock
        self.username = f"guess-{secrets.token_hex(4)}"
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.answers = []  # {"sent_at", "answered_at" (s on the clock), "ms", "kind"}
        self.sent = 0

    def prepare(self):
        """Anything needed before the first guess."""

    def guess(self, password):
        """Send one sign-in; return (status, body, seconds)."""
        raise NotImplementedError

    def classify(self, status, body):
        raise NotImplementedError

    def send_one_guess(self):
        sent_at = self.clock.elapsed()
        status, body, seconds = self.guess(secrets.token_urlsafe(12))
        answer = {"sent_at": sent_at, "answered_at": sent_at + seconds, "ms": seconds * 1000}
        answer["kind"] = self.classify(status, body)
        with self.lock:
            self.answers.append(answer)

    def run(self):
        first_at = self.clock.elapsed()
        senders = []
        while not self.stopping.wait(
            max(0, first_at + self.sent / GUESSES_PER_SECOND - self.clock.elapsed())
        ):
            sender = threading.Thread(target=self.send_one_guess, daemon=True)
            sender.start()
            senders.append(sender)
            self.sent += 1
        for sender in senders:  # every guess answered (or timed out) before the summary
            sender.join(REQUEST_TIMEOUT_S + 5)

    def lockout_held_at(self):
        """When every guess sent before the first lockout answer arrived had been answered: from
        then on no password is being checked (a guess sent later finds the lockout recorded).
        None when no guess was locked out."""
        lockouts = [answer["answered_at"] for answer in self.answers if answer["kind"] == "locked out"]
        if not lockouts:
            return None
        first_lockout = min(lockouts)
        return max(answer["answered_at"] for answer in self.answers if answer["sent_at"] < first_lockout)

    def summary(self, duration):
        kinds = {}
        for answer in sorted(self.answers, key=lambda answer: answer["sent_at"]):
            entry = kinds.setdefault(
                answer["kind"], {"count": 0, "first_sent_at_s": answer["sent_at"], "ms": []}
            )
            entry["count"] += 1
            entry["ms"].append(answer["ms"])
        for entry in kinds.values():
            entry["p50_ms"] = statistics.median(entry.pop("ms"))
        return {
            "target": self.target,
            "address": self.source,
            "username": self.username,
            "guesses_sent": self.sent,
            "guesses_per_s": self.sent / duration,
            "answers": kinds,
            "lockout_held_at_s": self.lockout_held_at(),
        }


class AdminLoginGuesser(PasswordGuesser):
    target = "POST /admin/login/"

    def prepare(self):
        """One GET of the login page: its CSRF cookie and form token serve every guess."""
        status, headers, body, _ = request(self.port, "GET", "/admin/login/", source=self.source)
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")) if headers else None
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not (cookie and token):
            raise LoadTestError(f"GET /admin/login/ answered {status}, without a CSRF cookie and token")
        self.cookie = cookie.group(1)
        self.token = token.group(1).decode()

    def guess(self, password):
        form = {"csrfmiddlewaretoken": self.token, "username": self.username, "password": password}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={self.cookie}"}
        status, _, body, seconds = request(
            self.port, "POST", "/admin/login/", body=urlencode(form), headers=headers, source=self.source
        )
        return status, body, seconds

    def classify(self, status, body):
        if status == 200:
            return "wrong password"  # the form again, with its error
        if status == 429:
            return "locked out"
        return f"other ({status})"


class APITokenGuesser(PasswordGuesser):
    target = "POST /api/v1/auth/token/"

    def guess(self, password):
        payload = json.dumps({"username": self.username, "password": password})
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        status, _, body, seconds = request(
            self.port, "POST", "/api/v1/auth/token/", body=payload, headers=headers, source=self.source
        )
        return status, body, seconds

    def classify(self, status, body):
        if status == 400:
            return "wrong password"
        if status == 429:
            return "locked out" if b"Too many failed sign-ins" in body else "throttled"
        return f"other ({status})"


def measure_claim_page_latency_alone(app, path):
    app.wait_until_idle()
    samples = sequential_gets(app.port, path, Clock(), LATENCY_RUN_S)
    return {"background": "nothing", "all": latency_summary(samples)}


def measure_claim_page_latency_under_password_guessing(app, path, guesser_class, source):
    """Sequential GETs for LATENCY_RUN_S s while the guesser runs; the GETs summarised all
    together, then split at the moment the lockout held."""
    app.wait_until_idle()
    clock = Clock()
    guesser = guesser_class(app.port, source, clock)
    guesser.prepare()
    guesser.start()
    samples = sequential_gets(app.port, path, clock, LATENCY_RUN_S)
    guesser.stopping.set()
    guesser.join()
    summary = guesser.summary(LATENCY_RUN_S)
    held_at = summary["lockout_held_at_s"]
    before = [sample for sample in samples if held_at is None or sample["sent_at"] < held_at]
    after = [sample for sample in samples if held_at is not None and sample["sent_at"] >= held_at]
    return {
        "background": f"{summary['target']} guesses",
        "all": latency_summary(samples),
        "before_lockout_held": latency_summary(before),
        "after_lockout_held": latency_summary(after),
        "guessing": summary,
    }


def measure_password_guessing(app, claim_page):
    return [
        measure_claim_page_latency_alone(app, claim_page),
        measure_claim_page_latency_under_password_guessing(
            app, claim_page, AdminLoginGuesser, ADMIN_GUESSER_ADDRESS
        ),
        measure_claim_page_latency_under_password_guessing(
            app, claim_page, APITokenGuesser, API_GUESSER_ADDRESS
        ),
    ]


# --- Database restart ----------------------------------------------------------------------------


def paced_gets(port, path_of, clock, samples):
    """RESTART_RATE GETs a second for RESTART_RUN_S s, one after the other, each at its scheduled
    time (or at once if the previous one ran late); `path_of(n)` is the n-th request's URL."""
    for index in range(RESTART_RUN_S * RESTART_RATE):
        pause = index / RESTART_RATE - clock.elapsed()
        if pause > 0:
            time.sleep(pause)
        sent_at = clock.elapsed()
        status, _, seconds = get(port, path_of(index))
        samples.append(
            {"sent_at": round(sent_at, 4), "answered_at": round(sent_at + seconds, 4), "status": status}
        )


def restart_outcome(label, samples, restart):
    failed = [sample for sample in samples if sample["status"] != 200]
    outcome = {
        "client": label,
        "requests": len(samples),
        "failed": len(failed),
        "failed_by_status": {},
        "first_failure_after_restart_s": None,
        "error_window_s": None,
        "recovery_s": None,
        "slowest_ms": max((sample["answered_at"] - sample["sent_at"]) * 1000 for sample in samples),
        "samples": samples,
    }
    for sample in failed:
        status = str(sample["status"])
        outcome["failed_by_status"][status] = outcome["failed_by_status"].get(status, 0) + 1
    if failed:
        outcome["first_failure_after_restart_s"] = failed[0]["sent_at"] - restart["issued_at"]
        outcome["error_window_s"] = failed[-1]["sent_at"] - failed[0]["sent_at"]
        later = (s for s in samples if s["sent_at"] > failed[-1]["sent_at"] and s["status"] == 200)
        recovered = next(later, None)
        if recovered:
            outcome["recovery_s"] = recovered["answered_at"] - restart["issued_at"]
    return outcome


def measure_database_restart_during_load(app, claim_page, cluster):
    """Two paced clients, the claim page from the cache and the claim page read from the database,
    while the cluster restarts RESTART_AT_S s in."""
    clients = {
        "claim page (cache hit)": lambda index: claim_page,
        "claim page, cache missed": lambda index: f"{claim_page}?load-test=restart-{index}",
    }
    app.wait_until_idle()
    clock = Clock()
    restart = {}

    def restart_the_cluster():
        restart["issued_at"] = clock.elapsed()
        try:
            cluster.restart()
        except LoadTestError as error:
            restart["failure"] = str(error)
        restart["returned_at"] = clock.elapsed()

    samples = {label: [] for label in clients}
    threads = [threading.Timer(RESTART_AT_S, restart_the_cluster)]
    threads += [
        threading.Thread(target=paced_gets, args=(app.port, path_of, clock, samples[label]))
        for label, path_of in clients.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "restart_issued_at_s": restart["issued_at"],
        "restart_command_s": restart["returned_at"] - restart["issued_at"],
        "restart_failure": restart.get("failure"),
        "clients": [restart_outcome(label, samples[label], restart) for label in clients],
    }


# --- Main ----------------------------------------------------------------------------------------


def require_wrk():
    if not WRK.exists():
        print("wrk is missing: apt-get install -y wrk")
        sys.exit(1)


def stop_on_sigterm():
    """SIGTERM ends the script as Ctrl-C does: through the clean-up."""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


def measure(cluster):
    """Set up, serve, measure; returns the results (the app is stopped on the way out)."""
    print(f"Creating a PostgreSQL cluster on {HOST}:{PG_PORT} and loading the dataset...", flush=True)
    cluster.create()
    environment = app_environment()
    prepare_database(environment)
    empty_redis_database()
    app = App(environment)
    try:
        app.start()
        claim_page = published_claim_path(app.port)
        print(f"gunicorn ready on {HOST}:{app.port}; claim page {claim_page}", flush=True)
        throughput = measure_throughput(app, claim_page)
        print("Claim page latency, alone and with password guessing...", flush=True)
        password_guessing = measure_password_guessing(app, claim_page)
        print(f"Database restart during {RESTART_RUN_S} s of requests...", flush=True)
        database_restart = measure_database_restart_during_load(app, claim_page, cluster)
    finally:
        app.stop()
    return {
        "claim_page": claim_page,
        "throughput": throughput,
        "password_guessing": password_guessing,
        "database_restart": database_restart,
    }


def main():
    require_wrk()
    stop_on_sigterm()
    began = time.monotonic()
    load_before = os.getloadavg()[0]
    cluster = Cluster()
    try:
        results = measure(cluster)
    except LoadTestError as error:
        print(f"Load test stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Load test interrupted.", file=sys.stderr)
        return 130
    finally:
        cluster.delete()
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
        },
        "settings": {
            "workers": WORKERS,
            "wrk_threads": WRK_THREADS,
            "wrk_duration_s": WRK_DURATION_S,
            "guesses_per_second": GUESSES_PER_SECOND,
        },
        **results,
        "total_s": time.monotonic() - began,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
