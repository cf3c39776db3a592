"""The app and its services as bench/load.py and bench/chaos.py run them, on loopback only: a
PostgreSQL cluster of their own (`Cluster`), the app under gunicorn with production settings
(`App`), plain HTTP requests to it, and wrk's output read into figures."""

import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


ARTIFACTS = ROOT / "artifacts"


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
REQUEST_TIMEOUT_S = 10

# What bench/load.py runs, and its report says.
RESULTS_FILE = ARTIFACTS / "load-results.json"

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


class LoadTestError(Exception):
    """A step failed: the message says which."""


# --- Processes ------------------------------------------------------------------------------------


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


# --- HTTP -----------------------------------------------------------------------------------------


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


# --- wrk's output ---------------------------------------------------------------------------------


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
