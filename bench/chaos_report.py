"""bench/chaos.py's figures as the tables it prints, and its targets (issue: "Nothing outside the
record can break it"), each met or missed."""

from bench.load_report import print_database_restart
from bench.load_servers import ARTIFACTS, ROOT

# What bench/chaos.py runs, as its report says.
RESULTS_FILE = ARTIFACTS / "chaos-results.json"
GUNICORN_LOG = ARTIFACTS / "chaos-gunicorn.log"
CONNECTIONS = 50
WRK_DURATION_S = 10

# Targets (issue: "Nothing outside the record can break it").
CACHED_RATE_SHARE = 0.5  # Redis down or full: pages and API at >= half their rate with Redis up
UPLOAD_REFUSED_WITHIN_S = 1.0
HOSTILE_ANSWERED_WITHIN_S = 10.0
EMBEDDED_RATE_SHARE = 0.25  # a claim page and the API's list against a static file


def print_table(columns, rows):
    """`columns`: (title, width, the cell of a row); a negative width aligns left."""
    header = " ".join(
        f"{title:<{-width}}" if width < 0 else f"{title:>{width}}" for title, width, _ in columns
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = (str(cell(row)) for _, _, cell in columns)
        print(
            " ".join(
                f"{text:<{-width}}" if width < 0 else f"{text:>{width}}"
                for text, (_, width, _) in zip(cells, columns, strict=True)
            )
        )


def print_embedded(embedded, title):
    print(title)
    columns = [
        ("url", -18, lambda row: row["label"]),
        ("req/s", 8, lambda row: f"{row['requests_per_s']:.0f}"),
        ("of static", 9, lambda row: f"{row['share_of_static']:.2f}x"),
        ("p50 ms", 7, lambda row: f"{row['p50_ms']:.1f}"),
        ("p99 ms", 7, lambda row: f"{row['p99_ms']:.1f}"),
        ("2xx", 7, lambda row: row["status_classes"]["2xx"]),
        ("other", 6, lambda row: row["requests"] - row["status_classes"]["2xx"]),
    ]
    print_table(columns, [{"label": label, **row} for label, row in embedded["rows"].items()])


def print_faults(rows):
    print(f"Under faults: wrk -t2 -c{CONNECTIONS} -d{WRK_DURATION_S}s; gunicorn 3 workers x 4 threads")
    print("(of up: the rate against the mean of the runs with Redis up just before and after)")
    columns = [
        ("state", -24, lambda row: row["state"]),
        ("url", -16, lambda row: row["url"]),
        ("req/s", 7, lambda row: f"{row['requests_per_s']:.0f}"),
        ("of up", 6, lambda row: f"{share_of_up(row):.0%}" if "baseline_rps" in row else "-"),
        ("p50 ms", 7, lambda row: f"{row['p50_ms']:.1f}"),
        ("p99 ms", 7, lambda row: f"{row['p99_ms']:.1f}"),
        ("2xx", 7, lambda row: row["status_classes"]["2xx"]),
        ("4xx", 5, lambda row: row["status_classes"]["4xx"]),
        ("500", 4, lambda row: row["500"]),
        ("503", 5, lambda row: row["status_classes"]["5xx"] - (row["500"] or 0)),
        ("sock err", 8, lambda row: sum(row["socket_errors"].values())),
    ]
    print_table(columns, rows)


def share_of_up(row):
    return row["requests_per_s"] / row["baseline_rps"]


def print_probes(rows):
    print("What an editor notices in each state (after the load): PATCH with a token, read back anonymously")
    columns = [
        ("state", -24, lambda row: row["state"]),
        ("PATCH", 6, lambda row: row["probe"]["patch"]),
        ("took s", 6, lambda row: f"{row['probe']['patch_s']:.2f}"),
        ("committed", 9, lambda row: row["probe"]["committed"]),
        ("token", 6, lambda row: row["probe"]["token_sign_in"]),
        ("admin", 6, lambda row: row["probe"]["admin_sign_in"]),
        ("readyz", 6, lambda row: row["probe"]["readyz"]),
        ("degraded", -9, lambda row: ", ".join(row["probe"]["degraded"] or []) or "-"),
    ]
    print_table(columns, [row for row in rows if "probe" in row])


def print_uploads(rows):
    print("Uploads (sent as fast as the server reads them; the server's TMPDIR watched throughout)")
    columns = [
        ("upload", -34, lambda row: row["upload"]),
        ("path", -20, lambda row: row["path"]),
        ("status", 6, lambda row: row["status"]),
        ("answer s", 8, lambda row: f"{row['seconds']:.3f}"),
        ("sent MB", 8, lambda row: f"{row['sent_mb']:.0f}"),
        ("spooled B", 9, lambda row: row["spooled_bytes"]),
    ]
    print_table(columns, rows)


def targets(results):
    """(target, met) for each of the issue's targets this run measures."""
    faults = results["faults"] + results["postgres"]
    checks = [("0 answers 500 in every run", all(row["500"] == 0 for row in faults))]
    for row in faults:
        if row["state"] in ("Redis stopped", "Redis full (noeviction)"):
            checks.append(
                (
                    f"{row['state']}, {row['url']}: >= 50% of the rate, Redis up ({share_of_up(row):.0%})",
                    share_of_up(row) >= CACHED_RATE_SHARE and row["status_classes"]["5xx"] == 0,
                )
            )
    for row in results["faults"]:
        if "probe" in row:
            p = row["probe"]
            checks.append(
                (
                    f"{row['state']}: write 200 and committed, sign-ins 200/302, /readyz 200",
                    (p["patch"], p["committed"], p["token_sign_in"], p["admin_sign_in"], p["readyz"])
                    == (200, True, 200, 302, 200),
                )
            )
    for row in results["uploads"]:
        checks.append(
            (
                f"{row['upload']}: refused < {UPLOAD_REFUSED_WITHIN_S:.0f} s, nothing spooled",
                row["status"] in ("411", "413")
                and row["seconds"] < UPLOAD_REFUSED_WITHIN_S
                and row["spooled_bytes"] == 0,
            )
        )
    for row in results["hostile_articles"]:
        checks.append(
            (
                f"{row['scenario']}: answered or refused < {HOSTILE_ANSWERED_WITHIN_S:.0f} s",
                row["status"] in (200, 400, 413) and row["seconds"] < HOSTILE_ANSWERED_WITHIN_S,
            )
        )
    for label in ("claim page", "/api/v1/claims/"):
        share = results["embedded"]["rows"][label]["share_of_static"]
        checks.append(
            (
                f"embedded default, {label}: >= {EMBEDDED_RATE_SHARE}x a static file ({share:.2f}x)",
                share >= EMBEDDED_RATE_SHARE,
            )
        )
    return checks


def print_report(results):
    print()
    print_embedded(
        results["embedded"],
        "Embedded default: SQLite, gunicorn --workers 2 (sync), DEBUG off, no Redis; wrk -c50",
    )
    print()
    print_faults(results["faults"] + results["postgres"])
    print()
    print_probes(results["faults"])
    print()
    print_database_restart({"database_restart": results["paced_restart"]})
    print()
    print_uploads(results["uploads"])
    print()
    if results["hostile_articles"]:
        print("Hostile articles")
        for row in results["hostile_articles"]:
            print("  " + ", ".join(f"{key}: {value}" for key, value in row.items()))
    else:
        print("Hostile articles: no scenario registered (HOSTILE_ARTICLE_SCENARIOS).")
    print()
    print("Targets")
    for target, met in targets(results):
        print(f"  {'met    ' if met else 'MISSED '} {target}")
    print(
        f"\nFigures in {RESULTS_FILE.relative_to(ROOT)}; gunicorn's log in {GUNICORN_LOG.relative_to(ROOT)}."
    )
