"""How well the article importer finds the claims an editor would record (`make eval-import`).

Runs `sources.importing.extract_article` on the five seed articles, with the curated dataset loaded
into a throwaway in-memory SQLite database, and scores its candidates against the dataset's claims;
then on the hand-written articles of fixtures/eval_articles/ against expected.yaml. Prints tables.

A claim is found when a candidate has its speaker and an excerpt overlapping one of its citations'
excerpts in that article. Precision counts candidates that find some claim. Speaker, date, kind and
target accuracy are measured on pairs whose excerpts overlap (the speaker on any overlapping
candidate, the rest on the candidate that found the claim).

Suggested relations: for each seed article, `sources.importing.review.review_article` runs on the
dataset minus the claims cited from that article (deleted in a transaction rolled back afterwards),
and the "candidate:N" answers between candidates that found claims are compared with the dataset's
disputes / responds_to relations between those claims, in either direction.
"""

import datetime
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, transaction  # noqa: E402

from bench.polnear import PolnearScore, polnear_dir, read_split  # noqa: E402
from claims.choices import DatePrecision  # noqa: E402
from claims.models import Actor, Claim, ClaimRelation  # noqa: E402
from sources.dataset import load_dataset  # noqa: E402
from sources.importing import extract_article  # noqa: E402
from sources.importing.names import plain  # noqa: E402
from sources.importing.review import review_article  # noqa: E402

DATASET = ROOT / "fixtures" / "open_skies_inf.yaml"
EVAL_DIR = ROOT / "fixtures" / "eval_articles"
DISPUTES_DIR = ROOT / "fixtures" / "eval_articles_disputes"
SEED_ARTICLES = ROOT / "fixtures" / "articles"
ANSWER_RELATIONS = {"disputes", "responds_to"}


def spans(text, excerpt):
    """Every (start, end) of `excerpt` in `text`."""
    found, start = [], text.find(excerpt)
    while excerpt and start >= 0:
        found.append((start, start + len(excerpt)))
        start = text.find(excerpt, start + 1)
    return found


def overlaps(first, second):
    return any(a < d and c < b for a, b in first for c, d in second)


def same_date(candidate, expected_date, precision):
    if candidate.stated_on is None:
        return False
    period = DatePrecision(precision)
    return candidate.date_precision == precision and period.truncate(candidate.stated_on) == period.truncate(
        expected_date
    )


def spelling(text):
    """A name as compared with a new actor's: no case, accents, leading "the" or possessive."""
    text = plain(text or "")
    text = text.removeprefix("the ")
    return text.removesuffix("'s").removesuffix("’s")


def names_new_actor(actor_id, names, expected_names):
    return actor_id is None and bool({spelling(name) for name in names} & expected_names)


def best_hit(candidates, hits, claim):
    """Of the candidates that found a claim, the one whose summary says most of its words: where a
    sentence gives two candidates ("accused X of ... and said ..."), each claim has its own."""
    if len(hits) == 1 or not claim.get("words"):
        return hits[0]
    return max(hits, key=lambda i: len(claim["words"] & set(plain(candidates[i].summary).split())))


def is_speaker(candidate, claim):
    """The known actor expected, or, for an actor the eval does not create, a proposed new actor
    spelled as one of its names."""
    if claim.get("speaker_names"):
        speaker = candidate.speaker
        return names_new_actor(speaker.actor_id, [speaker.name, speaker.as_written], claim["speaker_names"])
    return candidate.speaker.actor_id == claim["speaker_id"]


def is_target(candidate, claim):
    target = candidate.target or {}
    if claim.get("target_names"):
        return names_new_actor(target.get("actor_id"), [target.get("name")], claim["target_names"])
    return target.get("actor_id") == claim["target_id"]


class Score:
    def __init__(self):
        self.claims = self.found = self.candidates = self.matching_candidates = 0
        self.speaker_pairs = self.speaker_top1 = self.speaker_top3 = 0
        self.pairs = self.dates = self.months = self.kinds = self.targets = 0
        self.misses = []
        self.seconds = []
        self.suggested_relations = self.correct_suggestions = None
        self.recorded_relations = self.recalled_relations = None
        self.relations_unavailable = ""
        self.recorded_suggestions = self.correct_recorded = None
        self.recorded_answers = self.recalled_recorded = 0

    def add_article(self, extraction, expected):
        """`expected`: dicts with speaker_id, excerpt spans, date, precision, kind, target_id, label,
        and optionally slug. Returns, for each candidate, the slugs of the claims it found."""
        text = extraction.source.full_text
        candidate_spans = [spans(text, candidate.excerpt) for candidate in extraction.candidates]
        matched = [False] * len(extraction.candidates)
        found_slugs = [set() for _ in extraction.candidates]
        for claim in expected:
            self.claims += 1
            overlapping = [i for i, s in enumerate(candidate_spans) if overlaps(s, claim["spans"])]
            if overlapping:
                self.speaker_pairs += 1
                self.speaker_top1 += any(is_speaker(extraction.candidates[i], claim) for i in overlapping)
                self.speaker_top3 += any(
                    is_speaker(extraction.candidates[i], claim)
                    or (
                        claim["speaker_id"] is not None
                        and claim["speaker_id"]
                        in {extraction.candidates[i].speaker.actor_id}
                        | {alt["actor_id"] for alt in extraction.candidates[i].speaker.alternatives[:3]}
                    )
                    for i in overlapping
                )
            hits = [i for i in overlapping if is_speaker(extraction.candidates[i], claim)]
            for i in hits:
                matched[i] = True
                found_slugs[i].add(claim.get("slug"))
            if not hits:
                self.misses.append(f"missed {claim['label']}")
                continue
            self.found += 1
            self.pairs += 1
            best = extraction.candidates[best_hit(extraction.candidates, hits, claim)]
            date_ok = same_date(best, claim["date"], claim["precision"])
            self.dates += date_ok
            self.months += best.stated_on is not None and (best.stated_on.year, best.stated_on.month) == (
                claim["date"].year,
                claim["date"].month,
            )
            self.kinds += best.kind == claim["kind"]
            self.targets += is_target(best, claim)
            if not is_target(best, claim):
                self.misses.append(f"target {claim['label']}: {(best.target or {}).get('name')}")
            if not date_ok:
                self.misses.append(
                    f"date {claim['label']}: {best.stated_on} {best.date_precision}, expected "
                    f"{claim['date']} {claim['precision']}"
                )
            if best.kind != claim["kind"]:
                self.misses.append(f"kind {claim['label']}: {best.kind}, expected {claim['kind']}")
        self.candidates += len(extraction.candidates)
        self.matching_candidates += sum(matched)
        for i, was_matched in enumerate(matched):
            if not was_matched:
                candidate = extraction.candidates[i]
                self.misses.append(
                    f"extra {candidate.locator} {candidate.speaker.name!r}: {candidate.excerpt[:70]!r}"
                )
        return found_slugs

    def add_relations(self, label, answers, found_slugs, recorded_pairs, article_pairs):
        """`answers`: per candidate, its "candidate:N" answers; `recorded_pairs`: the dataset's
        answering relations as frozensets of two slugs; `article_pairs`: those between this
        article's claims."""
        if self.suggested_relations is None:
            self.suggested_relations = self.correct_suggestions = 0
            self.recorded_relations = self.recalled_relations = 0
        suggested_pairs = set()
        for index, candidate_answers in enumerate(answers):
            for answer in candidate_answers:
                if not (isinstance(answer, str) and answer.startswith("candidate:")):
                    continue
                other = int(answer.removeprefix("candidate:"))
                if not (found_slugs[index] and found_slugs[other]):
                    continue
                pairs = {frozenset((a, b)) for a in found_slugs[index] for b in found_slugs[other] if a != b}
                self.suggested_relations += 1
                correct = pairs & recorded_pairs
                self.correct_suggestions += bool(correct)
                suggested_pairs |= pairs
                if not correct:
                    answering, answered = (
                        ", ".join(sorted(found_slugs[index])),
                        ", ".join(sorted(found_slugs[other])),
                    )
                    self.misses.append(
                        f"relation {label}: candidate {index} answers {other}, not recorded "
                        f"({answering} -> {answered})"
                    )
        found_anywhere = set().union(*found_slugs) if found_slugs else set()
        for pair in article_pairs:
            if not pair <= found_anywhere:
                continue
            self.recorded_relations += 1
            self.recalled_relations += pair in suggested_pairs
            if pair not in suggested_pairs:
                self.misses.append(f"relation {label}: not suggested {' / '.join(sorted(pair))}")

    def add_recorded_answers(self, label, answers, found_slugs, recorded_pairs, article_slugs, slugs_by_pk):
        """The recorded claims (ids) each candidate answers, against the dataset's answering relations
        between this article's claims and claims recorded from other articles."""
        if self.recorded_suggestions is None:
            self.recorded_suggestions = self.correct_recorded = 0
        suggested = set()
        for index, candidate_answers in enumerate(answers):
            for answer in candidate_answers:
                if isinstance(answer, str) or not found_slugs[index]:
                    continue
                pairs = {frozenset((slug, slugs_by_pk[answer])) for slug in found_slugs[index]}
                self.recorded_suggestions += 1
                self.correct_recorded += bool(pairs & recorded_pairs)
                suggested |= pairs
                if not pairs & recorded_pairs:
                    self.misses.append(f"recorded answer {label}: candidate {index} -> {slugs_by_pk[answer]}")
        found_anywhere = set().union(*found_slugs) if found_slugs else set()
        for pair in recorded_pairs:
            if (
                len(pair & found_anywhere) == 1
                and not pair & (article_slugs - found_anywhere)
                and not pair <= article_slugs
            ):
                self.recorded_answers += 1
                self.recalled_recorded += pair in suggested
                if pair not in suggested:
                    self.misses.append(f"recorded answer {label}: not suggested {' / '.join(sorted(pair))}")

    def relation_rows(self, ratio):
        if self.relations_unavailable:
            return [("suggested relations", "not measured", ""), ("  why", self.relations_unavailable, "")]
        if self.suggested_relations is None:
            return []
        rows = [
            ("relation precision", ratio(self.correct_suggestions, self.suggested_relations), ""),
            ("relation recall", ratio(self.recalled_relations, self.recorded_relations), ""),
        ]
        if self.recorded_suggestions is not None:
            rows += [
                ("answers to recorded, prec.", ratio(self.correct_recorded, self.recorded_suggestions), ""),
                ("answers to recorded, recall", ratio(self.recalled_recorded, self.recorded_answers), ""),
            ]
        return rows

    def rows(self):
        def ratio(part, whole):
            return f"{100 * part / whole:5.1f} %  ({part}/{whole})" if whole else "   n/a"

        return [
            ("claim recall", ratio(self.found, self.claims), ">= 90 %"),
            ("precision", ratio(self.matching_candidates, self.candidates), ">= 75 %"),
            ("speaker top-1", ratio(self.speaker_top1, self.speaker_pairs), ">= 90 %"),
            ("speaker top-3", ratio(self.speaker_top3, self.speaker_pairs), ""),
            ("date (at dataset precision)", ratio(self.dates, self.pairs), ">= 90 %"),
            ("month", ratio(self.months, self.pairs), ">= 95 %"),
            ("kind", ratio(self.kinds, self.pairs), ">= 75 %"),
            ("target", ratio(self.targets, self.pairs), ""),
            *self.relation_rows(ratio),
            ("slowest article", f"{max(self.seconds, default=0):.3f} s", "< 2 s"),
        ]


def print_table(title, score, verbose):
    print(f"\n{title}")
    print(f"{'measure':<30} {'value':<22} target")
    print("-" * 64)
    for name, value, target in score.rows():
        print(f"{name:<30} {value:<22} {target}")
    if verbose:
        for line in score.misses:
            print("  ", line)


def timed_extract(score, text, **kwargs):
    started = time.perf_counter()
    extraction = extract_article(text, **kwargs)
    score.seconds.append(time.perf_counter() - started)
    return extraction


def score_seed_articles():
    data = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    actor_ids = dict(Actor.objects.values_list("slug", "pk"))
    recorded_pairs = answering_relation_pairs(data)
    score = Score()
    for source in data["sources"]:
        if not source.get("full_text_file"):
            continue
        text = (DATASET.parent / "articles" / source["full_text_file"]).read_text(encoding="utf-8")
        # The editor pasting the article knows its date; the outlet is left to the dateline.
        extraction = timed_extract(score, text, published_on=source["published_on"])
        expected = []
        for claim in data["claims"]:
            excerpts = [c["excerpt"] for c in claim.get("citations") or [] if c["source"] == source["slug"]]
            if not excerpts:
                continue
            expected.append(
                {
                    "slug": claim["slug"],
                    "label": f"{source['full_text_file'][:3]} {claim['slug']}",
                    "speaker_id": actor_ids[claim["speaker"]],
                    "spans": [
                        span for excerpt in excerpts for span in spans(extraction.source.full_text, excerpt)
                    ],
                    "date": claim["stated_on"],
                    "precision": claim.get("date_precision") or "day",
                    "kind": claim["kind"],
                    "target_id": actor_ids.get(claim.get("target")),
                }
            )
        found_slugs = score.add_article(extraction, expected)
        score_suggested_relations(score, source, text, extraction, found_slugs, recorded_pairs)
    return score


def answering_relation_pairs(data):
    """The dataset's disputes / responds_to relations, each as the frozenset of its two claims' slugs."""
    return {
        frozenset((claim["slug"], relation["claim"]))
        for claim in data["claims"]
        for relation in claim.get("relations") or []
        if relation["type"] in ANSWER_RELATIONS
    }


def score_suggested_relations(score, source, text, extraction, found_slugs, recorded_pairs):
    """Runs `review_article` with the article's own claims removed, so they are not "recorded"."""
    if score.relations_unavailable:
        return
    cited_here = Claim.objects.filter(citations__source__slug=source["slug"]).distinct()
    article_slugs = set(cited_here.values_list("slug", flat=True))
    article_pairs = {pair for pair in recorded_pairs if pair <= article_slugs}

    def without_the_article():
        ClaimRelation.objects.filter(from_claim__in=cited_here).delete()
        ClaimRelation.objects.filter(to_claim__in=cited_here).delete()
        cited_here.delete()

    answers = reviewed_answers(score, text, source["published_on"], extraction, without_the_article)
    if answers is not None:
        label = source["full_text_file"][:3]
        score.add_relations(label, answers, found_slugs, recorded_pairs, article_pairs)
        slugs_by_pk = dict(Claim.objects.values_list("pk", "slug"))
        score.add_recorded_answers(label, answers, found_slugs, recorded_pairs, article_slugs, slugs_by_pk)


def reviewed_answers(score, text, published_on, extraction, prepare=lambda: None):
    """Each candidate's answers as `review_article` proposes them, in a transaction rolled back
    after `prepare` ran in it; None (and the score says why) where they cannot be measured."""
    try:
        with transaction.atomic():
            prepare()
            proposal = review_article(text, published_on=published_on)
            transaction.set_rollback(True)
    except (DatabaseError, NotImplementedError) as error:
        score.relations_unavailable = f"review_article failed on SQLite: {error}"[:60]
        return None
    if [c["excerpt"] for c in proposal["candidates"]] != [c.excerpt for c in extraction.candidates]:
        score.relations_unavailable = "review_article's candidates differ from extract_article's"
        return None
    return [candidate["answers"] for candidate in proposal["candidates"]]


def score_eval_articles(folder=EVAL_DIR):
    """`folder`'s articles against its expected.yaml: `actors` are created first; `new_actors` are
    not, and a claim naming one is found by a candidate proposing a new actor of that name. Where
    claims name the claims they `answers` (by `id`), the links `review_article` proposes between
    the article's candidates are scored against them, as on the seed articles."""
    expected_file = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    for actor in expected_file.get("actors") or []:
        Actor.objects.get_or_create(
            slug=actor["slug"],
            defaults={
                "name": actor["name"],
                "kind": actor["kind"],
                "aliases": "\n".join(actor.get("aliases") or []),
            },
        )
    for actor in expected_file.get("actors") or []:
        if actor.get("affiliation"):
            Actor.objects.filter(slug=actor["slug"]).update(
                affiliation=Actor.objects.get(slug=actor["affiliation"])
            )
    new_actors = {
        actor["slug"]: {spelling(name) for name in [actor["name"], *(actor.get("aliases") or [])]}
        for actor in expected_file.get("new_actors") or []
    }
    actor_ids = dict(Actor.objects.values_list("slug", "pk"))
    labels_links = any(
        claim.get("answers") for article in expected_file["articles"] for claim in article["claims"]
    )
    score = Score()
    for article in expected_file["articles"]:
        text = (folder / article["file"]).read_text(encoding="utf-8")
        extraction = timed_extract(score, text, published_on=article.get("published_on"))
        expected = [
            {
                "slug": f"{article['file'][:2]}:{claim.get('id', number)}",
                "label": f"{article['file']} {claim['speaker']} {claim['excerpt'][:40]!r}",
                "speaker_id": actor_ids.get(claim["speaker"]),
                "speaker_names": new_actors.get(claim["speaker"]),
                "spans": spans(extraction.source.full_text, claim["excerpt"]),
                "date": claim["stated_on"],
                "precision": claim.get("date_precision") or "day",
                "kind": claim["kind"],
                "target_id": actor_ids.get(claim.get("target")),
                "target_names": new_actors.get(claim.get("target")),
                "words": set(plain(claim["excerpt"]).split()),
            }
            for number, claim in enumerate(article["claims"])
        ]
        for claim in expected:
            if not claim["spans"]:
                raise SystemExit(f"{claim['label']}: the excerpt is not in the article")
            if claim["speaker_id"] is None and not claim["speaker_names"]:
                raise SystemExit(f"{claim['label']}: the speaker is neither an actor nor a new actor")
        found_slugs = score.add_article(extraction, expected)
        article_pairs = {
            frozenset((f"{article['file'][:2]}:{claim['id']}", f"{article['file'][:2]}:{answered}"))
            for claim in article["claims"]
            for answered in claim.get("answers") or []
        }
        if labels_links and not score.relations_unavailable:
            answers = reviewed_answers(score, text, article.get("published_on"), extraction)
            if answers is not None:
                score.add_relations(article["file"][:2], answers, found_slugs, article_pairs, article_pairs)
    return score


def time_a_thousand_words():
    """A 1,000-word article (the seed articles' paragraphs, one article after another, until 1,000
    words) through `review_article`, as the admin's review page runs it, once to load everything,
    then timed; and the process's peak resident memory so far."""
    paragraphs = [
        paragraph
        for path in sorted(SEED_ARTICLES.glob("*.txt"))
        for paragraph in path.read_text().split("\n")
        if paragraph.strip()
    ]
    words, article = 0, []
    for paragraph in paragraphs:
        if words >= 1000:
            break
        article.append(paragraph)
        words += len(paragraph.split())
    text = "\n\n".join(article)
    review_article(text)
    started = time.perf_counter()
    extraction = extract_article(text)
    extract_seconds = time.perf_counter() - started
    started = time.perf_counter()
    proposal = review_article(text)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    candidates = len(proposal["candidates"])
    print(
        f"\nA {words:,}-word article: {len(extraction.candidates)} candidates extracted in "
        f"{extract_seconds:.2f} s (target < 1 s); with the recorded claims they may repeat or answer "
        f"(review_article), {candidates} in {seconds:.2f} s (target < 2 s);"
    )
    print(f"peak memory of this process: {peak_mb:.0f} MB (target < 300 MB)")


def score_polnear(folder, split):
    """PolNeAR's `split` scored as its SCORING.md says (see bench/polnear.py)."""
    score = PolnearScore()
    for article in read_split(folder, split):
        published_on = datetime.date.fromisoformat(article.published_on) if article.published_on else None
        started = time.perf_counter()
        extraction = extract_article(article.text, published_on=published_on, outlet=article.publisher)
        score.seconds.append(time.perf_counter() - started)
        score.add_article(article, extraction.candidates)
    return score


def main():
    verbose = "-v" in sys.argv
    call_command("migrate", verbosity=0)
    load_dataset(DATASET)
    print_table(
        "Seed articles (fixtures/articles, scored against fixtures/open_skies_inf.yaml)",
        score_seed_articles(),
        verbose,
    )
    print_table(
        "Own test articles (fixtures/eval_articles, scored against expected.yaml)",
        score_eval_articles(),
        verbose,
    )
    print_table(
        "Disputes articles (fixtures/eval_articles_disputes, scored against expected.yaml)",
        score_eval_articles(DISPUTES_DIR),
        verbose,
    )
    folder = polnear_dir(ROOT)
    if folder is None:
        print("\nPolNeAR not found (set POLNEAR_DIR, or put it in ../shared/polnear): its table is skipped.")
    else:
        print_table(
            f"PolNeAR dev split ({folder}/dev, scored as its SCORING.md says)",
            score_polnear(folder, "dev"),
            verbose,
        )
    time_a_thousand_words()


if __name__ == "__main__":
    main()
