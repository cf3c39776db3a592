"""The benchmark's floor: the claims list's pages as one hand-written SQL query and `json.dumps`
would serve them, with nothing of Django's request handling, DRF or the serializers; timed in
process (`measure_floor`) and over HTTP against the app (`http_figure`, with bench/floor_app.py)."""

import json
import os
import subprocess
from functools import partial

from bench.measuring import API, time_each, warm_cache


def list_pages(bench, count):
    """The URLs of the first `count` pages of the claims list, following the `next` links, and the
    (stated_on, id) after which each page starts (None for the first)."""
    urls, boundaries, url, boundary = [], [], f"{API}/claims/", None
    for _ in range(count):
        page = bench.get(url).json()
        urls.append(url)
        boundaries.append(boundary)
        last = page["results"][-1]
        boundary = (last["stated_on"], last["id"])
        url = page["next"].removeprefix("http://testserver")
    return urls, boundaries


FLOOR_SQL = """
SELECT c.id, c.slug, c.summary, c.quote, c.speaker_role, c.kind, c.stated_on, c.stated_on_precision,
       c.evidence_status, c.rationale, c.attribution, c.publication_state, c.created_at, c.updated_at,
       s.id, s.slug, s.name, s.kind, t.id, t.slug, t.name, t.kind,
       (SELECT json_agg(json_build_array(tp.id, tp.slug, tp.name) ORDER BY tp.name, tp.id)
          FROM claims_claim_topics ct JOIN claims_topic tp ON tp.id = ct.topic_id
         WHERE ct.claim_id = c.id),
       (SELECT json_agg(json_build_array(h.from_status, h.to_status, h.changed_at, h.reason)
                        ORDER BY h.changed_at, h.id)
          FROM claims_evidencestatuschange h WHERE h.claim_id = c.id),
       (SELECT json_agg(json_build_array(ci.source_id, so.title, so.outlet, so.url, so.published_on,
                                         ci.stance, ci.excerpt, ci.locator)
                         ORDER BY so.published_on NULLS LAST, ci.id)
          FROM sources_citation ci JOIN sources_source so ON so.id = ci.source_id
         WHERE ci.claim_id = c.id),
       (SELECT json_agg(json_build_array(r.relation_type, r.to_claim_id) ORDER BY r.id)
          FROM claims_claimrelation r JOIN claims_claim o ON o.id = r.to_claim_id
         WHERE r.from_claim_id = c.id AND o.publication_state = 'published'),
       (SELECT json_agg(json_build_array(r.relation_type, r.from_claim_id) ORDER BY r.id)
          FROM claims_claimrelation r JOIN claims_claim o ON o.id = r.from_claim_id
         WHERE r.to_claim_id = c.id AND o.publication_state = 'published')
  FROM claims_claim c
  JOIN claims_actor s ON s.id = c.speaker_id
  LEFT JOIN claims_actor t ON t.id = c.target_id
 WHERE c.publication_state = 'published' AND (c.stated_on, c.id) < (%s, %s)
 ORDER BY c.stated_on DESC, c.id DESC
 LIMIT 50
"""


RELATION_FIELDS = {
    "disputes": ("disputes", "disputed_by"),
    "supports": ("supports", "supported_by"),
    "responds_to": ("responds_to", "responses"),
    "repeats": ("repeats", "repeated_by"),
}


def floor_page(cursor, boundary):
    """A page of claims as the API shows it, from one SQL query, serialised with json.dumps."""
    from claims.choices import DatePrecision, EvidenceStatus

    base = "http://testserver"
    stated_on, claim_id = boundary or ("9999-12-31", 0)
    cursor.execute(FLOOR_SQL, [stated_on, claim_id])
    results = []
    for row in cursor.fetchall():
        (id_, slug, summary, quote, role, kind, stated, precision, status, rationale, attribution,
         state, created, updated, *people, topics, history, citations, outgoing, incoming) = row  # fmt: skip
        actors = [
            {"id": people[i], "url": f"{base}{API}/actors/{people[i]}/", "slug": people[i + 1],
             "name": people[i + 2], "kind": people[i + 3]} if people[i] else None
            for i in (0, 4)
        ]  # fmt: skip
        claim = {
            "id": id_, "url": f"{base}{API}/claims/{id_}/", "page_url": f"{base}/claims/{slug}/",
            "slug": slug, "summary": summary, "quote": quote, "speaker": actors[0], "speaker_role": role,
            "target": actors[1],
            "kind": kind, "stated_on": stated.isoformat(), "date_precision": precision,
            "date_display": DatePrecision(precision).format(stated),
            "topics": [{"id": t[0], "url": f"{base}{API}/topics/{t[0]}/", "slug": t[1], "name": t[2]}
                       for t in topics or []],
            "evidence_status": {"code": status, "label": EvidenceStatus(status).label},
            "rationale": rationale,
            "status_history": [
                {"from_status": {"code": h[0], "label": EvidenceStatus(h[0]).label},
                 "to_status": {"code": h[1], "label": EvidenceStatus(h[1]).label},
                 "changed_at": h[2], "reason": h[3]} for h in history or []
            ],
            "attribution": attribution,
            "citations": [
                {"source_id": c[0], "source": f"{base}{API}/sources/{c[0]}/", "title": c[1], "outlet": c[2],
                 "document_url": c[3] or None, "published_on": c[4], "stance": c[5], "excerpt": c[6],
                 "locator": c[7]} for c in citations or []
            ],
        }  # fmt: skip
        for relation, (forward, backward) in RELATION_FIELDS.items():
            claim[forward] = [
                {"id": other, "url": f"{base}{API}/claims/{other}/"}
                for kind_, other in outgoing or []
                if kind_ == relation
            ]
            claim[backward] = [
                {"id": other, "url": f"{base}{API}/claims/{other}/"}
                for kind_, other in incoming or []
                if kind_ == relation
            ]
        claim.update(
            publication_state=state,
            created_at=created.isoformat().replace("+00:00", "Z"),
            updated_at=updated.isoformat().replace("+00:00", "Z"),
            similarity=None,
        )
        results.append(claim)
    return json.dumps({"next": None, "previous": None, "results": results}), [
        claim["id"] for claim in results
    ]


def measure_floor(bench, urls, boundaries, warmup=5):
    """Time the floor on the pages the list scenario timed, after checking on a few that it returns
    the very claims the API returns."""
    from django.db import connection

    warm_cache()
    with connection.connection.cursor() as cursor:
        for url, boundary in zip(urls[:3], boundaries[:3], strict=True):
            api_ids = [claim["id"] for claim in bench.get(url).json()["results"]]
            if floor_page(cursor, boundary)[1] != api_ids:
                raise RuntimeError(f"The floor's page differs from the API's page at {url}.")
        for boundary in boundaries[:warmup]:
            floor_page(cursor, boundary)
        timed = time_each([partial(floor_page, cursor, boundary) for boundary in boundaries[warmup:]])
    bench.results["floor"] = {**timed, "queries_per_request": 1}


# The HTTP figure: wrk on the claims list for this long, with this many connections.
HTTP_SECONDS = 20


HTTP_CONNECTIONS = 8


def http_figure():
    """The claims list over HTTP: gunicorn with 2 (sync) workers serving the app (DEBUG off, no cache,
    throttling out of reach), then the floor app (bench/floor_app.py) under the same gunicorn, each
    loaded by wrk (2 threads, HTTP_CONNECTIONS connections, HTTP_SECONDS seconds) on
    /api/v1/claims/: requests a second, p50 and p99, and the floor's requests a second over the
    app's. Both share the two CPUs with wrk and PostgreSQL."""
    from bench.load_servers import WRK, WRK_SCRIPT, App, app_environment, parse_wrk

    if not WRK.exists():
        return {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    environment = {
        **app_environment(),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": "",
        "PUBLIC_CACHE_SECONDS": "0",  # each request reads the database, as the floor's does
    }
    results = {}
    for name, module in [("app", "tracker.wsgi"), ("floor", "bench.floor_app:application")]:
        app = App(environment, module=module, workers=2, threads=1)
        try:
            app.start()
            command = [
                WRK,
                "-t2",
                f"-c{HTTP_CONNECTIONS}",
                f"-d{HTTP_SECONDS}s",
                "--latency",
                "-s",
                WRK_SCRIPT,
            ]
            command.append(f"http://127.0.0.1:{app.port}{API}/claims/")
            results[name] = parse_wrk(
                subprocess.run(command, capture_output=True, text=True, check=True).stdout
            )
        finally:
            app.stop()
    results["floor_to_app_ratio"] = round(
        results["floor"]["requests_per_s"] / results["app"]["requests_per_s"], 2
    )
    return results
