"""What the extraction hands back (a source draft, its candidates, each candidate's speaker) and
the attribution a sentence is read as on the way."""

import dataclasses
import datetime
from dataclasses import dataclass, field


@dataclass
class SpeakerMatch:
    name: str
    actor_id: int | None
    as_written: str
    alternatives: list = field(default_factory=list)
    reason: str = ""
    # No recorded actor: `name` is proposed as a new one, of this `kind` (person, organization,
    # state; "" when unsure), affiliated with `affiliation` ({"name", "actor_id"}, the id None and
    # its "kind" given when that one is new too).
    is_new: bool = False
    kind: str = ""
    affiliation: dict | None = None
    # Written only as a description ("participants", "a senior official"): no name to record.
    unnamed: bool = False


@dataclass
class SourceDraft:
    title: str = ""
    outlet: str = ""
    author: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    url: str = ""
    full_text: str = ""
    paragraphs: list = field(default_factory=list)


@dataclass
class Candidate:
    speaker: SpeakerMatch
    speaker_role: str
    target: dict | None
    kind: str
    stated_on: datetime.date
    date_precision: str
    date_inferred: bool
    summary: str
    quote: str
    excerpt: str
    locator: str
    topics: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    # How the date was read: the words that give it, or what it was inferred from.
    date_reason: str = ""


@dataclass
class Extraction:
    source: SourceDraft
    candidates: list
    # Reading stopped before the article's end (its deadline passed, or `MAX_CANDIDATES` were found).
    truncated: bool = False

    def as_json(self):
        """Plain dicts, lists, strings and numbers; dates as ISO 8601."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass
class SentenceAttribution:
    """Who a sentence says spoke, and where the sentence's frame ("X said on Tuesday that") ends."""

    speaker: SpeakerMatch
    speaker_root_ids: set
    role: str
    verb: str
    frame: str
    content: str
    is_person: bool
    # An office's unnamed spokesperson or official: "he" / "she" next refers to them.
    for_person: bool = False
