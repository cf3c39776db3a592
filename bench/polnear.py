"""Scoring the article importer on PolNeAR (Newell et al., LREC 2018), as SCORING.md in the corpus's
folder says: brat standoff annotations of attributions (source, cue, content) in US political news.

Only the speech attributions count for recall (a cue word from `SPEECH_CUE`); an attribution is found
when a candidate's excerpt holds at least half of its content's words (`STOP_WORDS` aside), and its
speaker is right when the candidate's speaker shares a word with the annotated source (sources that
are only pronouns are counted apart). Precision is the share of candidates covering some annotated
content in their article, whatever its cue.
"""

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

STOP_WORDS = frozenset(
    ["the", "a", "an", "of", "and", "to", "in", "on", "for", "mr", "mrs", "ms", "s", "said"]
)
PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "his", "her", "their"])
SPEECH_CUE = re.compile(
    r"\b(?:said|says|say|saying|told|tell|tells|stated|states|claim\w*|accus\w*|deny|denied|denies|added"
    r"|argu\w*|insist\w*|warn\w*|according|assert\w*|noted|notes|wrote|writes|tweet\w*|announc\w*"
    r"|declar\w*|alleg\w*|charg\w*|acknowledg\w*|explain\w*|suggest\w*|call\w*|admit\w*|repl\w*"
    r"|respond\w*|reiterat\w*|stress\w*|blam\w*)\b",
    re.I,
)
COVERED_SHARE = 0.5


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def content_words(text):
    return {word for word in words(text) if word not in STOP_WORDS}


def polnear_dir(repo_root):
    """$POLNEAR_DIR, else the repository's ../shared/polnear, else /work/shared/polnear; None if absent."""
    candidates = [
        os.environ.get("POLNEAR_DIR"),
        repo_root.parent / "shared" / "polnear",
        "/work/shared/polnear",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "dev").is_dir():
            return Path(candidate)
    return None


@dataclass
class Attribution:
    content: set
    source: str
    is_speech: bool


@dataclass
class Article:
    stem: str
    text: str
    publisher: str
    published_on: str
    attributions: list = field(default_factory=list)


def read_split(folder, split):
    metadata = {}
    with open(folder / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            metadata[row["filename"]] = row
    articles = []
    for text_path in sorted((folder / split).glob("*.txt")):
        stem = text_path.stem
        annotations = sorted(
            path for path in (folder / split).glob(f"{stem}_*.ann") if path.stem.rsplit("_", 1)[0] == stem
        )
        if not annotations:
            continue
        text = text_path.read_text(encoding="utf-8")
        row = metadata.get(stem, {})
        article = Article(stem, text, row.get("publisher", ""), row.get("publication_date", ""))
        article.attributions = read_annotation(annotations[0], text)
        articles.append(article)
    return articles


def read_annotation(path, text):
    spans, relations = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            identifier, label_and_offsets, *_ = line.split("\t")
            label, offsets = label_and_offsets.split(" ", 1)
            pieces = []
            for piece in offsets.split(";"):
                start, end = piece.split()
                pieces.append(text[int(start) : int(end)])
            spans[identifier] = (label, " ".join(pieces))
        elif line.startswith("E"):
            roles = {}
            for part in line.split("\t")[1].split():
                role, identifier = part.split(":")
                roles.setdefault(re.sub(r"\d+$", "", role), identifier)
            relations.append(roles)
    attributions = []
    for roles in relations:
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        cue = spans.get(roles.get("Cue"), ("", ""))[1]
        source = spans.get(roles.get("Source"), ("", ""))[1]
        attributions.append(
            Attribution(content_words(spans[roles["Content"]][1]), source, bool(SPEECH_CUE.search(cue)))
        )
    return attributions


def covers(excerpt_words, attribution):
    if not attribution.content:
        return False
    return len(attribution.content & excerpt_words) >= COVERED_SHARE * len(attribution.content)


class PolnearScore:
    def __init__(self):
        self.speech = self.found = 0
        self.all_attributions = self.all_found = 0
        self.candidates = self.covering = 0
        self.speaker_pairs = self.speaker_right = 0
        self.seconds = []
        self.misses = []

    def add_article(self, article, candidates):
        excerpts = [content_words(c.excerpt or c.quote) for c in candidates]
        self.candidates += len(candidates)
        self.covering += sum(any(covers(e, a) for a in article.attributions) for e in excerpts)
        for attribution in article.attributions:
            match = next((i for i, e in enumerate(excerpts) if covers(e, attribution)), None)
            self.all_attributions += 1
            self.all_found += match is not None
            if not attribution.is_speech:
                continue
            self.speech += 1
            if match is None:
                self.misses.append(
                    f"missed {article.stem[:40]} {attribution.source!r}: {sorted(attribution.content)[:8]}"
                )
                continue
            self.found += 1
            source_words = content_words(attribution.source) - PRONOUNS
            if not source_words:
                continue
            self.speaker_pairs += 1
            speaker = candidates[match].speaker
            right = bool(source_words & content_words(f"{speaker.name} {speaker.as_written}"))
            self.speaker_right += right
            if not right:
                self.misses.append(
                    f"speaker {article.stem[:40]}: {speaker.name!r} for {attribution.source!r}"
                )

    def rows(self):
        def ratio(part, whole):
            return f"{100 * part / whole:5.1f} %  ({part}/{whole})" if whole else "   n/a"

        return [
            ("speech recall", ratio(self.found, self.speech), ">= 85 %"),
            ("precision", ratio(self.covering, self.candidates), ">= 90 %"),
            ("speaker (named sources)", ratio(self.speaker_right, self.speaker_pairs), ">= 90 %"),
            ("recall, any cue", ratio(self.all_found, self.all_attributions), ""),
            ("slowest article", f"{max(self.seconds, default=0):.3f} s", ""),
        ]
