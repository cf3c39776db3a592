"""How long the importer takes on the hostile articles of the robustness review, as the admin's
review page runs it (`sources.importing.review.review_article`), and the memory it needs.

Each article is first checked as the upload form checks it (`article_text`): one the importer
refuses is reported so, and the part of it an editor could still give (its first
`MAX_TEXT_BYTES`) is timed instead. Each runs in a process of its own (an in-memory SQLite database
with the curated dataset loaded), so its peak resident memory is its own. Prints a table.

    .venv/bin/python bench/hostile_import.py
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIR = (
    "Washington accused Moscow of violating the treaty. "
    "Russia denied violating the treaty, calling the accusation groundless.\n"
)
ARTICLES = {
    "“We deny it,” Ryabkov said. ×, 50 KB": ('"We deny it," Ryabkov said. ', 50 * 1024),
    "accusation/denial pairs, 62 KB": (PAIR, 62 * 1024),
    "accusation/denial pairs, 190 KB": (PAIR, 190 * 1024),
    "“Mr. A” ×, 5 MB": ("Mr. A ", 5 * 1024 * 1024),
    "quote marks, 5 MB": ('"', 5 * 1024 * 1024),
}


def article(name):
    unit, size = ARTICLES[name]
    return (unit * (size // len(unit) + 1))[:size]


def measure(name):
    """In the child process: prints [status, candidates, seconds, peak MB, notices] as JSON."""
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from sources.dataset import load_dataset
    from sources.importing.review import review_article
    from sources.importing.upload import MAX_TEXT_BYTES, article_text

    call_command("migrate", verbosity=0)
    load_dataset(ROOT / "fixtures" / "open_skies_inf.yaml")
    review_article("MOSCOW, May 22 (Xinhua) -- Grushko said Russia had not violated the treaty.")
    text = article(name)
    try:
        text, is_html = article_text(text)
        status = "taken"
    except ValidationError:
        text, is_html, status = (
            text.encode()[:MAX_TEXT_BYTES].decode(errors="ignore"),
            False,
            "refused; first part",
        )
    started = time.perf_counter()
    proposal = review_article(text, is_html=is_html)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    notices = " / ".join(notice[:48] for notice in proposal["notices"])
    print(json.dumps([status, len(proposal["candidates"]), f"{seconds:.2f}", f"{peak:.0f}", notices]))


def main():
    print(f"{'article':36} {'upload check':20} {'candidates':>10} {'seconds':>8} {'peak MB':>8}  notices")
    for name in ARTICLES:
        result = subprocess.run(
            [sys.executable, __file__, "--one", name], capture_output=True, text=True, check=False
        )
        if result.returncode:
            print(f"{name:36} failed: {result.stderr.strip().splitlines()[-1]}")
            continue
        status, candidates, seconds, peak, notices = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{name:36} {status:20} {candidates:>10} {seconds:>8} {peak:>8}  {notices}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        measure(sys.argv[2])
    else:
        main()
