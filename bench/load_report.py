"""bench/load.py's figures as the table it prints: throughput, latency under password guessing,
and a database restart during load."""

from bench.load_servers import (
    GUESSES_PER_SECOND,
    GUNICORN_LOG,
    LATENCY_RUN_S,
    RESTART_RATE,
    RESTART_RUN_S,
    RESULTS_FILE,
    ROOT,
    THREADS,
    WORKERS,
    WRK_DURATION_S,
    WRK_THREADS,
    WRK_TIMEOUT_S,
)


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
