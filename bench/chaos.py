"""The app under load while what it depends on fails, on loopback only; prints a table.

    .venv/bin/python bench/chaos.py        # or: make chaos    (about ten minutes)
    .venv/bin/python bench/chaos.py --embedded-only [--app-dir DIR]

What it does, in order:

1. The embedded default: a throw-away SQLite database (migrated, the dataset loaded) served by
   `gunicorn tracker.wsgi --workers 2` (sync workers, DEBUG off, no Redis); `wrk` at 50 connections
   for `WRK_DURATION_S` s on a static file (the stylesheet, served by WhiteNoise), a claim page and
   `/api/v1/claims/`; each page's requests a second as a share of the static file's. `--app-dir`
   measures another checkout of the app (an older commit, say) the same way; `--embedded-only`
   stops there.
2. As deployed: a PostgreSQL cluster of its own (bench/load.py's `Cluster`, on port `PG_PORT`), a
   Redis server of its own on `REDIS_PORT` started as the compose file starts it (`maxmemory`
   with `allkeys-lru`), gunicorn as the Dockerfile runs it, DEBUG off, the API's anonymous rate
   out of reach, and an editor with a password and an API token.
3. For each fault of Redis (stopped; hung with SIGSTOP; full: `maxmemory 1` with `noeviction`,
   so that it refuses every write), between runs with Redis up to compare it with: `wrk` at 50
   connections on the claim page and on `/api/v1/claims/`, counting answers by status (500s
   apart), then, still in that state, the probes an editor would notice: a PATCH of a claim
   with the token (its status, and whether an anonymous read shows the change), a sign-in for a
   token, a sign-in to the admin, `/readyz`.
4. PostgreSQL restarting (`pg_ctl restart -m fast` `RESTART_AT_S` s into a `wrk` run, for the
   claim page and for the API's list), then bench/load.py's paced clients through another
   restart: the error window and the recovery time.
5. A 1 GiB upload, sent as fast as loopback takes it: multipart with its Content-Length to
   `/admin/login/`, and chunked JSON to `/api/v1/auth/token/`: the answer's status and time, the
   bytes sent before it, and the most the server's temporary directory (its TMPDIR, watched
   throughout) held.
6. `HOSTILE_ARTICLE_SCENARIOS`: hostile articles sent to the importer, one row each.

Whatever happens, gunicorn, Redis and the cluster are stopped and their directories deleted.
Nothing listens beyond 127.0.0.1. Figures are also written to `artifacts/chaos-results.json`.
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script: the `bench` package is importable from the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import hostile_import
from bench.chaos_report import (
    CONNECTIONS,
    GUNICORN_LOG,
    RESULTS_FILE,
    WRK_DURATION_S,
    print_embedded,
    print_report,
    targets,
)
from bench.load import measure_database_restart_during_load
from bench.load_servers import (
    ARTIFACTS,
    HOST,
    ROOT,
    VENV_BIN,
    WRK,
    WRK_SCRIPT,
    App,
    Cluster,
    LoadTestError,
    app_environment,
    get,
    parse_wrk,
    prepare_database,
    published_claim_path,
    request,
    run,
)

PG_PORT = 54339
DATABASE_NAME = "tracker_chaos"
REDIS_PORT = 6391
REDIS_MAXMEMORY = "64mb"  # as docker-compose.yml
RESTART_AT_S = 3
UPLOAD_BYTES = 1024**3
UPLOAD_BLOCK = 1024 * 1024
EDITOR_PASSWORD = secrets.token_urlsafe(16)


# Hostile articles for the importer (bench/hostile_import.py's, which also measures each one's
# memory in a process of its own): functions (app_port, token) -> {"scenario", "status",
# "seconds", ...}; each is run once, with the app as deployed, and shown in its own table.
def hostile_article(name):
    def send(port, token):
        body = json.dumps({"text": hostile_import.article(name)}).encode()
        status, seconds, answer = send_refusable(port, "/api/v1/imports/", body, token)
        candidates = len(json.loads(answer)["candidates"]) if status == 200 else "-"
        return {"scenario": name, "status": status, "seconds": round(seconds, 2), "candidates": candidates}

    return send


def send_refusable(port, path, body, token):
    """POST `body`, reading the answer even when the server refused it (413) and closed the
    connection before all of it was sent. Returns (status, seconds, answer)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.putrequest("POST", path)
        for header, value in (
            ("Authorization", f"Token {token}"),
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
        ):
            connection.putheader(header, value)
        connection.endheaders()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.send(body)
        response = connection.getresponse()
        return response.status, time.perf_counter() - started, response.read()
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, time.perf_counter() - started, b""
    finally:
        connection.close()


HOSTILE_ARTICLE_SCENARIOS = [hostile_article(name) for name in hostile_import.ARTICLES]


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    """A Redis of our own on REDIS_PORT, started as the compose file starts it, in a temporary
    directory; it can be stopped, hung and filled."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="tracker-chaos-redis-"))
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{REDIS_PORT}/0"

    def start(self):
        if not port_free(REDIS_PORT):
            raise LoadTestError(f"Port {REDIS_PORT} is already in use: is another chaos run going?")
        command = ["redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--save", "", "--appendonly"]
        command += ["no", "--maxmemory", REDIS_MAXMEMORY, "--maxmemory-policy", "allkeys-lru"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(100):
            if self.cli("PING", check=False) == "PONG":
                return
            time.sleep(0.05)
        raise LoadTestError("redis-server did not answer PING")

    def cli(self, *arguments, check=True):
        done = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), *arguments],
            capture_output=True,
            text=True,
            timeout=5,
        )
        if check and done.returncode != 0:
            raise LoadTestError(f"redis-cli {' '.join(arguments)}: {done.stderr}")
        return done.stdout.strip()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a hung one too
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def fill(self):
        self.cli("CONFIG", "SET", "maxmemory-policy", "noeviction")
        self.cli("CONFIG", "SET", "maxmemory", "1")

    def empty(self):
        self.cli("CONFIG", "SET", "maxmemory", REDIS_MAXMEMORY)
        self.cli("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")

    def delete(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


# --- Load ----------------------------------------------------------------------------------------


def wrk(port, path, *, duration=WRK_DURATION_S, during=None):
    """`wrk` at CONNECTIONS connections; `during` (a function) runs RESTART_AT_S s in."""
    command = [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout=10s", "--latency"]
    command += ["-s", WRK_SCRIPT, f"http://{HOST}:{port}{path}"]
    timer = threading.Timer(RESTART_AT_S, during) if during else None
    if timer:
        timer.start()
    try:
        output = run(command, what=f"wrk on {path}")
    finally:
        if timer:
            timer.join()
    figures = parse_wrk(output)
    figures["500"] = int(output.split(" 500=")[1].split()[0]) if " 500=" in output else None
    return figures


def warm_up(port, path, times=10):
    for _ in range(times):
        status, _, _ = get(port, path)
        if status != 200:
            raise LoadTestError(f"{path} answered {status} before the load")


# --- The embedded default --------------------------------------------------------------------------


def measure_embedded(app_dir):
    """Static file, claim page and API list on SQLite, 2 sync workers, DEBUG off, no Redis."""
    directory = Path(tempfile.mkdtemp(prefix="tracker-chaos-sqlite-"))
    environment = app_environment()
    environment.pop("REDIS_URL", None)
    environment.update(DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}", PYTHONPATH=str(app_dir))
    manage = [sys.executable, "manage.py"]
    app = App(environment, workers=2, threads=1, log_path=ARTIFACTS / "chaos-embedded.log", cwd=app_dir)
    try:
        for step in ("migrate --noinput", "load_dataset", "collectstatic --noinput"):
            run([*manage, *step.split()], env=environment, cwd=app_dir, what=f"manage.py {step}")
        app.start()
        claim_page = published_claim_path(app.port)
        page = get(app.port, claim_page)[1].decode()
        stylesheet = page.split('href="/static/css/')[1].split('"')[0]
        paths = {
            "static file": f"/static/css/{stylesheet}",
            "claim page": claim_page,
            "/api/v1/claims/": "/api/v1/claims/",
        }
        rows = {}
        for label, path in paths.items():
            warm_up(app.port, path)
            app.wait_until_idle()
            print(f"wrk: {label} (embedded, {WRK_DURATION_S} s)...", flush=True)
            rows[label] = wrk(app.port, path)
        static_rate = rows["static file"]["requests_per_s"]
        for figures in rows.values():
            figures["share_of_static"] = figures["requests_per_s"] / static_rate
        return {"app_dir": str(app_dir), "rows": rows}
    finally:
        app.stop()
        shutil.rmtree(directory, ignore_errors=True)


# --- Probes ----------------------------------------------------------------------------------------


def probe(port, editor, claim_id):
    """What an editor would notice: a write, two sign-ins, readiness."""
    summary = f"Checked during a fault {secrets.token_hex(3)}."
    patch = request(
        port,
        "PATCH",
        f"/api/v1/claims/{claim_id}/",
        body=json.dumps({"summary": summary}),
        headers={"Authorization": f"Token {editor.token}", "Content-Type": "application/json"},
    )
    status, _, body, _ = request(port, "GET", f"/api/v1/claims/{claim_id}/")
    committed = status == 200 and json.loads(body)["summary"] == summary
    credentials = json.dumps(
        {"username": editor.username, "password": EDITOR_PASSWORD, "code": editor.next_code()}
    )
    token_sign_in = request(
        port, "POST", "/api/v1/auth/token/", body=credentials, headers={"Content-Type": "application/json"}
    )
    ready_status, _, ready_body, _ = request(port, "GET", "/readyz")
    return {
        "patch": patch[0],
        "patch_s": patch[3],
        "committed": committed,
        "token_sign_in": token_sign_in[0],
        "admin_sign_in": admin_sign_in(port, editor),
        "readyz": ready_status,
        "degraded": json.loads(ready_body).get("degraded") if ready_status in (200, 503) else None,
    }


def admin_sign_in(port, editor):
    status, headers, body, _ = request(port, "GET", "/admin/login/")
    if status != 200:
        return status
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    token = body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = (
        f"csrfmiddlewaretoken={token}&username={editor.username}&password={EDITOR_PASSWORD}"
        f"&code={editor.next_code()}&next=/admin/"
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    headers["Referer"] = f"http://{HOST}:{port}/admin/login/"
    return request(port, "POST", "/admin/login/", body=form, headers=headers)[0]


def create_editor(environment):
    """An editor as deployed ones are: an authenticator app set up, and recovery codes, one of which
    each sign-in of a probe spends (an app's code is accepted once a half minute)."""
    username = f"chaos-{secrets.token_hex(3)}"
    script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
editor = get_user_model().objects.create_user({username!r}, password={EDITOR_PASSWORD!r}, is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
recovery = StaticDevice.objects.create(user=editor, name="Recovery codes")
codes = [StaticToken.random_token() for _ in range(40)]
StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
print(json.dumps({{"token": AuthToken.objects.create(user=editor)[1], "codes": codes}}), end="")"""
    output = run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        env=environment,
        what="an editor",
    )
    created = json.loads(output.strip().splitlines()[-1])
    return Editor(username, created["token"], created["codes"])


class Editor:
    def __init__(self, username, token, recovery_codes):
        self.username, self.token, self.recovery_codes = username, token, list(recovery_codes)

    def next_code(self):
        return self.recovery_codes.pop()


# --- Faults ----------------------------------------------------------------------------------------


def redis_faults(redis):
    """(label, break it, mend it) for each fault of Redis measured."""
    return [
        ("Redis stopped", redis.stop, redis.start),
        ("Redis hung (SIGSTOP)", redis.hang, redis.resume),
        ("Redis full (noeviction)", redis.fill, redis.empty),
    ]


def measure_state(app, label, claim_page, *, during=None):
    """wrk on the claim page and on the API's list."""
    rows = []
    for url_label, path in (("claim page", claim_page), ("/api/v1/claims/", "/api/v1/claims/")):
        app.wait_until_idle()
        print(f"wrk: {url_label}, {label} ({WRK_DURATION_S} s)...", flush=True)
        rows.append({"state": label, "url": url_label, **wrk(app.port, path, during=during)})
    return rows


def compare_with_neighbours(faulty, before, after):
    """Each fault's rows get the mean rate of the runs with Redis up just before and just after
    (`baseline_rps`): the machine's other work moves the rates from one minute to the next."""
    for row in faulty:
        rates = [
            next(up for up in ups if up["url"] == row["url"])["requests_per_s"] for ups in (before, after)
        ]
        row["baseline_rps"] = sum(rates) / len(rates)


def measure_redis_states(app, redis, claim_page, editor):
    """Runs with Redis up around each fault; in each state, after the load, the probes. Returns
    the rows and the last run with Redis up."""
    claim_id = json.loads(get(app.port, "/api/v1/claims/?page_size=1")[1])["results"][0]["id"]
    up = measure_state(app, "Redis up", claim_page)
    up[0]["probe"] = probe(app.port, editor, claim_id)
    rows = list(up)
    for label, break_it, mend_it in redis_faults(redis):
        break_it()
        try:
            faulty = measure_state(app, label, claim_page)
            faulty[0]["probe"] = probe(app.port, editor, claim_id)
        finally:
            mend_it()
        time.sleep(6)  # the processes' fallback (tracker.fallback_cache.RETRY_SECONDS) asks Redis again
        up_after = measure_state(app, "Redis up", claim_page)
        compare_with_neighbours(faulty, up, up_after)
        rows += faulty + up_after
        up = up_after
    return rows, up


def measure_postgres_restarts(app, cluster, claim_page, up_before):
    restarting = measure_state(app, "PostgreSQL restart", claim_page, during=cluster.restart)
    compare_with_neighbours(restarting, up_before, measure_state(app, "Redis up", claim_page))
    print("Paced clients through another restart (bench/load.py)...", flush=True)
    paced = measure_database_restart_during_load(app, claim_page, cluster)
    return restarting, paced


# --- Uploads ---------------------------------------------------------------------------------------


class SpoolWatcher(threading.Thread):
    """The most bytes the files in `directory` held at once, sampled every 10 ms."""

    def __init__(self, directory):
        super().__init__(daemon=True)
        self.directory, self.most, self.running = directory, 0, True

    def run(self):
        while self.running:
            held = 0
            for path in self.directory.rglob("*"):
                with contextlib.suppress(OSError):  # a file removed while we looked
                    held += path.stat().st_size if path.is_file() else 0
            self.most = max(self.most, held)
            time.sleep(0.01)


def upload(port, path, *, chunked):
    """Send a 1 GiB body as fast as the server reads it; stop at its answer."""
    if chunked:
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n"
        block = f"{UPLOAD_BLOCK:x}\r\n".encode() + b"[" * UPLOAD_BLOCK + b"\r\n"
    else:
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        head += f"Content-Length: {UPLOAD_BYTES}\r\n\r\n"
        block = b"x" * UPLOAD_BLOCK
    connection = socket.create_connection((HOST, port), timeout=30)
    sent = {"bytes": 0}
    answered = threading.Event()

    def send():
        try:
            connection.sendall(head.encode())
            while sent["bytes"] < UPLOAD_BYTES and not answered.is_set():
                connection.sendall(block)
                sent["bytes"] += UPLOAD_BLOCK
        except OSError:
            pass

    started = time.perf_counter()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        status_line = connection.makefile("rb").readline().decode().strip()
        seconds = time.perf_counter() - started
    except OSError as error:
        status_line, seconds = type(error).__name__, time.perf_counter() - started
    answered.set()
    connection.close()
    sender.join(timeout=10)
    status = status_line.split()[1] if status_line.startswith("HTTP/") else status_line
    return {"status": status, "seconds": seconds, "sent_mb": sent["bytes"] / 1024 / 1024}


def measure_uploads(app, spool):
    rows = []
    for label, path, chunked in (
        ("1 GiB multipart, Content-Length", "/admin/login/", False),
        ("1 GiB JSON, chunked", "/api/v1/auth/token/", True),
    ):
        app.wait_until_idle()
        watcher = SpoolWatcher(spool)
        watcher.start()
        outcome = upload(app.port, path, chunked=chunked)
        time.sleep(0.5)
        watcher.running = False
        watcher.join()
        rows.append({"upload": label, "path": path, **outcome, "spooled_bytes": watcher.most})
        print(f"upload: {label}: {outcome['status']} in {outcome['seconds']:.3f} s", flush=True)
    return rows


# --- Main ------------------------------------------------------------------------------------------


def measure_as_deployed(cluster, redis, spool):
    print(f"Creating a PostgreSQL cluster on {HOST}:{PG_PORT}, Redis on {REDIS_PORT}...", flush=True)
    cluster.create()
    redis.start()
    environment = app_environment()
    environment.update(
        DATABASE_URL=f"postgres://postgres@{HOST}:{PG_PORT}/{DATABASE_NAME}",
        REDIS_URL=redis.url,
        TMPDIR=str(spool),
    )
    prepare_database(environment, PG_PORT, DATABASE_NAME)
    editor = create_editor(environment)
    app = App(environment, log_path=GUNICORN_LOG)
    try:
        app.start()
        claim_page = published_claim_path(app.port)
        for path in (claim_page, "/api/v1/claims/"):
            warm_up(app.port, path)
        faults, up = measure_redis_states(app, redis, claim_page, editor)
        postgres, paced = measure_postgres_restarts(app, cluster, claim_page, up)
        uploads = measure_uploads(app, spool)
        hostile = [scenario(app.port, editor.token) for scenario in HOSTILE_ARTICLE_SCENARIOS]
    finally:
        app.stop()
    return {
        "faults": faults,
        "postgres": postgres,
        "paced_restart": paced,
        "uploads": uploads,
        "hostile_articles": hostile,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedded-only", action="store_true", help="measure the embedded default only")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT, help="the checkout to serve (default: this one)"
    )
    arguments = parser.parse_args()
    if not WRK.exists():
        print("wrk is missing: apt-get install -y wrk")
        return 1
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    ARTIFACTS.mkdir(exist_ok=True)
    began = time.monotonic()
    cluster, redis = Cluster(PG_PORT, DATABASE_NAME), RedisServer()
    spool = Path(tempfile.mkdtemp(prefix="tracker-chaos-tmp-"))
    try:
        embedded = measure_embedded(arguments.app_dir.resolve())
        if arguments.embedded_only:
            print_embedded(
                embedded, f"Embedded default ({arguments.app_dir}): SQLite, gunicorn --workers 2, DEBUG off"
            )
            return 0
        results = {"embedded": embedded, **measure_as_deployed(cluster, redis, spool)}
    except LoadTestError as error:
        print(f"Chaos run stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Chaos run interrupted.", file=sys.stderr)
        return 130
    finally:
        redis.delete()
        cluster.delete()
        shutil.rmtree(spool, ignore_errors=True)
    results.update(
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
        cpus=os.cpu_count(),
        total_s=time.monotonic() - began,
        gunicorn=str(VENV_BIN / "gunicorn"),
    )
    results["targets"] = [{"target": target, "met": met} for target, met in targets(results)]
    RESULTS_FILE.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_report(results)
    return 0 if all(met for _, met in targets(results)) else 2


if __name__ == "__main__":
    sys.exit(main())
