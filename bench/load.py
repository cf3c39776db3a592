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

import http.client
import json
import os
import platform
import pwd
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
RESULTS_FILE = ARTIFACTS / "load-results.json"
GUNICORN_LOG = ARTIFACTS / "load-gunicorn.log"
VENV_BIN = Path(sys.executable).parent
WRK = Path("/usr/bin/wrk")
WRK_SCRIPT = Path(__file__).resolve().parent / "load_status.lua"
PG_BIN = Path("/usr/lib/postgresql/15/bin")

HOST = "127.0.0.1"
PG_PORT = 54329
DATABASE_NAME = "tracker_load"
DATABASE_URL = f"postgres://postgres@{HOST}:{PG_PORT}/{DATABASE_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/3"
WORKERS = 3
THREADS = 4  # as the Dockerfile runs it: threaded workers

WRK_THREADS = 2
WRK_DURATION_S = 15
WRK_TIMEOUT_S = 10
CONNECTIONS = (50, 200)
WARM_UP_REQUESTS = 20

LATENCY_RUN_S = 10
GUESSES_PER_SECOND = 3
ADMIN_GUESSER_ADDRESS = "127.0.0.2"
API_GUESSER_ADDRESS = "127.0.0.3"

RESTART_RUN_S = 20
RESTART_AT_S = 5
RESTART_RATE = 20  # GETs a second, for each client
REQUEST_TIMEOUT_S = 10


class LoadTestError(Exception):
    """A step failed: the message says which."""


# --- Processes -----------------------------------------------------------------------------------


def run(command, *, env=None, cwd=ROOT, what):
    """Run a command to completion; on failure raise with its output."""
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, start_new_session=True)
    if done.returncode != 0:
        raise LoadTestError(f"{what} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def as_postgres(command):
    """PostgreSQL refuses to run as root: run the command as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else command


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary directory, listening on 127.0.0.1:`port`."""

    def __init__(self, port=PG_PORT, database=DATABASE_NAME):
        self.port, self.database = port, database
        self.directory = None
        self.started = False

    @property
    def data(self):
        return self.directory / "data"

    @property
    def log(self):
        return self.directory / "postgres.log"

    def pg_ctl(self, *arguments, what):
        return run(
            as_postgres([PG_BIN / "pg_ctl", "-D", self.data, *arguments]), cwd=self.directory, what=what
        )

    def create(self):
        if not port_is_free(self.port):
            raise LoadTestError(f"Port {self.port} is already in use: is another load test running?")
        self.directory = Path(tempfile.mkdtemp(prefix="tracker-load-"))
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        initdb = [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"]
        initdb += ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]
        run(as_postgres(initdb), cwd=self.directory, what="initdb")
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.directory}"
        self.pg_ctl("start", "-w", "-t", "60", "-l", self.log, "-o", options, what="pg_ctl start")
        self.started = True
        createdb = [PG_BIN / "createdb", "-h", HOST, "-p", self.port, "-U", "postgres", self.database]
        run(as_postgres(createdb), cwd=self.directory, what="createdb")

    def restart(self):
        """`pg_ctl restart -m fast`: open connections are cut, the server starts again with the
        options it had. The log file is named again: without it the new server would write to
        pg_ctl's output, which we read to its end, for ever."""
        self.pg_ctl("restart", "-m", "fast", "-w", "-t", "60", "-l", self.log, what="pg_ctl restart")

    def delete(self):
        if self.directory is None:
            return
        if self.started:
            try:
                self.pg_ctl("stop", "-m", "fast", "-w", "-t", "30", what="pg_ctl stop")
            except LoadTestError:
                try:
                    self.pg_ctl("stop", "-m", "immediate", what="pg_ctl stop -m immediate")
                except LoadTestError as error:
                    print(f"warning: the cluster in {self.directory} did not stop: {error}", file=sys.stderr)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None


def app_environment():
    """Production settings for loopback HTTP, the script's own database, Redis db 3, no API throttling."""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASE_URL,
        CONN_MAX_AGE="60",
        REDIS_URL=REDIS_URL,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        NUM_PROXIES="0",
        API_ANONYMOUS_RATE="100000000/minute",
        API_AUTHENTICATED_RATE="100000000/minute",
        API_SIGN_IN_RATE="10/minute",
        LOGIN_FAILURE_LIMIT="5",
        LOGIN_COOLOFF_MINUTES="15",
        LOG_LEVEL="WARNING",
    )
    return environment


def prepare_database(environment, port=PG_PORT, database=DATABASE_NAME):
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput"], env=environment, what="manage.py migrate")
    run([*manage, "load_dataset"], env=environment, what="manage.py load_dataset")
    analyze = [
        PG_BIN / "vacuumdb",
        "--analyze-only",
        "-h",
        HOST,
        "-p",
        port,
        "-U",
        "postgres",
        database,
    ]
    run(as_postgres(analyze), cwd="/", what="ANALYZE (vacuumdb --analyze-only)")
    run([*manage, "collectstatic", "--noinput"], env=environment, what="manage.py collectstatic")


def empty_redis_database():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class App:
    """The app under gunicorn, as the Dockerfile runs it, on a loopback port."""

    def __init__(
        self,
        environment,
        *,
        module="tracker.wsgi",
        workers=WORKERS,
        threads=THREADS,
        log_path=GUNICORN_LOG,
        cwd=ROOT,
    ):
        self.environment, self.log_path, self.cwd = environment, log_path, cwd
        self.module, self.workers = module, workers
        self.threads = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
        self.port = free_port()
        self.process = None
        self.log = None

    def start(self):
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        command = [VENV_BIN / "gunicorn", self.module, "--bind", f"{HOST}:{self.port}"]
        self.process = subprocess.Popen(
            [*command, "--workers", str(self.workers), *self.threads, "--no-control-socket"],
            env=self.environment,
            cwd=self.cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_ready()

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadTestError(f"gunicorn exited ({self.process.returncode}): see {self.log_path}")
            if get(self.port, "/readyz", timeout=2)[0] == 200:
                return
            time.sleep(0.2)
        raise LoadTestError(f"/readyz did not answer 200 within {timeout} s: see {self.log_path}")

    def wait_until_idle(self, timeout=30):
        """Until /healthz answers three times in a row within 50 ms: the requests a finished wrk
        run left queued (its connections are closed, but the workers still serve them) are done.
        Returns the seconds waited."""
        started = time.monotonic()
        quick = 0
        while quick < 3 and time.monotonic() - started < timeout:
            status, _, seconds = get(self.port, "/healthz")
            quick = quick + 1 if status == 200 and seconds < 0.05 else 0
        return time.monotonic() - started

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # the gunicorn master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log is not None:
            self.log.close()


# --- HTTP ----------------------------------------------------------------------------------------


def request(port, method, path, *, body=None, headers=None, source=None, timeout=REQUEST_TIMEOUT_S):
    """One request on a new connection, from the loopback address `source` if given. Returns
    (status, headers, body, seconds); status is the exception's name when there was no answer."""
    started = time.perf_counter()
    source_address = (source, 0) if source else None
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=source_address)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return response.status, response.headers, content, time.perf_counter() - started
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, None, b"", time.perf_counter() - started
    finally:
        connection.close()


def get(port, path, **options):
    status, _, body, seconds = request(port, "GET", path, **options)
    return status, body, seconds


def published_claim_path(port):
    status, body, _ = get(port, "/api/v1/claims/?page_size=1")
    if status != 200:
        raise LoadTestError(f"/api/v1/claims/?page_size=1 answered {status}")
    results = json.loads(body)["results"]
    if not results:
        raise LoadTestError("The API lists no published claim: did load_dataset load the dataset?")
    return f"/claims/{results[0]['slug']}/"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Clock:
    """Seconds since it was made: one time line for the requests of a run."""

    def __init__(self):
        self.started = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.started


# --- Throughput (wrk) ----------------------------------------------------------------------------

WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_duration_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * WRK_UNITS_MS[unit]


def named_counts(names, match):
    return dict(zip(names, map(int, match.groups()), strict=True))


def parse_wrk(output):
    """The figures of wrk's --latency output and of load_status.lua's STATUS-CLASSES line."""
    figures = {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": wrk_duration_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99_ms": wrk_duration_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        figures["non_2xx_3xx"] = int(non_2xx.group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors:
        figures["socket_errors"] = named_counts(("connect", "read", "write", "timeout"), errors)
    classes = re.search(r"STATUS-CLASSES 2xx=(\d+) 3xx=(\d+) 4xx=(\d+) 5xx=(\d+) other=(\d+)", output)
    figures["status_classes"] = named_counts(("2xx", "3xx", "4xx", "5xx", "other"), classes)
    return figures


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


# --- Report --------------------------------------------------------------------------------------


def seconds(value, sign=""):
    return "-" if value is None else f"{value:{sign}.2f} s"


def print_throughput(results):
    print(
        f"Throughput: wrk -t{WRK_THREADS} -c<N> -d{WRK_DURATION_S}s --timeout {WRK_TIMEOUT_S}s; gunicorn, "
        f"{WORKERS} workers of {THREADS} threads; {results['machine']['cpus']} CPUs, shared with wrk and any "
        "other work"
    )
    print(f"claim page = {results['claim_page']}; 'cache missed' = a new query string on every request")
    header = (
        f"{'URL':<26} {'conns':>5} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'requests':>8} "
        f"{'non-2xx/3xx':>11} {'4xx':>4} {'5xx':>4} {'sock err':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in results["throughput"]:
        classes = row["status_classes"]
        print(
            f"{row['label']:<26} {row['connections']:>5} {row['requests_per_s']:>7.1f} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['requests']:>8} {row['non_2xx_3xx']:>11} {classes['4xx']:>4} "
            f"{classes['5xx']:>4} {sum(row['socket_errors'].values()):>8}"
        )
    for row in results["throughput"]:
        if sum(row["socket_errors"].values()):
            detail = ", ".join(f"{name} {count}" for name, count in row["socket_errors"].items())
            print(f"  socket errors, {row['label']} at {row['connections']} connections: {detail}")


def print_latency_row(label, summary):
    if not summary["requests"]:
        print(f"{label:<34} {0:>6} {'-':>8} {'-':>8} {'-':>8} {'-':>8}")
        return
    print(
        f"{label:<34} {summary['requests']:>6} {summary['p50_ms']:>8.1f} {summary['p95_ms']:>8.1f} "
        f"{summary['max_ms']:>8.1f} {summary['not_200']:>8}"
    )


def print_password_guessing(results):
    print(
        f"Claim page latency: sequential GETs (a new connection each) for {LATENCY_RUN_S} s, alone and while "
        f"{GUESSES_PER_SECOND} wrong-password sign-ins a second are sent (open loop)"
    )
    print(
        "'lockout held' = every guess sent before the first lockout answer had been answered "
        "(later guesses are refused before any password check)"
    )
    header = f"{'background':<34} {'GETs':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'not 200':>8}"
    print(header)
    print("-" * len(header))
    for run_ in results["password_guessing"]:
        print_latency_row(run_["background"], run_["all"])
        if "guessing" in run_:
            print_latency_row("  until the lockout held", run_["before_lockout_held"])
            print_latency_row("  after", run_["after_lockout_held"])
    for run_ in results["password_guessing"]:
        if "guessing" not in run_:
            continue
        guessing = run_["guessing"]
        print(
            f"  {guessing['target']}: user {guessing['username']} from {guessing['address']}, "
            f"{guessing['guesses_sent']} guesses ({guessing['guesses_per_s']:.1f}/s); "
            f"lockout held at {seconds(guessing['lockout_held_at_s'])}; answers:"
        )
        for kind, entry in guessing["answers"].items():
            print(
                f"    {kind:<15} {entry['count']:>3}, median answer time {entry['p50_ms']:7.1f} ms, "
                f"first sent at {entry['first_sent_at_s']:.2f} s"
            )


def print_database_restart(results):
    restart = results["database_restart"]
    print(
        f"Database restart: pg_ctl restart -m fast at {restart['restart_issued_at_s']:.2f} s (it took "
        f"{restart['restart_command_s']:.2f} s), two sequential clients at {RESTART_RATE} GETs/s for "
        f"{RESTART_RUN_S} s each"
    )
    print(
        "times from the restart command: first failure (sent), recovery (first 200 after the last failure, "
        "answered); error window = first to last failure sent"
    )
    header = (
        f"{'client':<26} {'requests':>8} {'failed':>6} {'first fail':>10} {'window':>8} {'recovery':>9} "
        f"{'slowest':>9}  failed by status"
    )
    print(header)
    print("-" * len(header))
    for client in restart["clients"]:
        by_status = ", ".join(f"{status}: {count}" for status, count in client["failed_by_status"].items())
        print(
            f"{client['client']:<26} {client['requests']:>8} {client['failed']:>6} "
            f"{seconds(client['first_failure_after_restart_s'], '+'):>10} "
            f"{seconds(client['error_window_s']):>8} {seconds(client['recovery_s']):>9} "
            f"{client['slowest_ms']:>6.0f} ms  {by_status or '-'}"
        )
    if restart["restart_failure"]:
        print(f"  the restart failed: {restart['restart_failure']}")


def print_report(results):
    machine = results["machine"]
    print()
    print(
        f"Load average (1 min): {machine['load_before']:.2f} before the run, "
        f"{machine['load_after']:.2f} after, on {machine['cpus']} CPUs"
    )
    print()
    print_throughput(results)
    print()
    print_password_guessing(results)
    print()
    print_database_restart(results)
    print()
    print(f"Total time {results['total_s']:.0f} s, clean-up included.")
    print(f"Figures in {RESULTS_FILE.relative_to(ROOT)}.")
    print(f"gunicorn's log, with the tracebacks of any 5xx: {GUNICORN_LOG.relative_to(ROOT)}.")


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
