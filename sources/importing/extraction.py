"""The extraction engine: an article's text in, the claims it attributes to someone out, as
candidates for an editor to review. It reads actors and topics to resolve names, and writes nothing.

`_ArticleReader` walks the article and assembles each candidate; what it asks along the way lives
in the mixins it is made of: who speaks (`speakers`, `speaker_names`, `speaker_turns`, with their
patterns in `speech_patterns`), what they did and to whom (`claim_links`), and the candidate's
words and date (`claim_text`). What it hands back is in `candidates`."""

import datetime
import re
import time

from claims.choices import ClaimKind

from . import article as articles
from .candidates import Candidate, Extraction, SourceDraft, SpeakerMatch
from .claim_links import ClaimLinks
from .claim_text import ClaimText
from .dates import StatedDate, claim_date, is_plausible_context
from .names import Mention, actor_directory, topic_directory
from .sentences import sentence_spans
from .speaker_names import _KNOWN_TITLE_WORDS, SpeakerNames, _title_words
from .speaker_turns import SpeakerTurns, is_group
from .speakers import SpeakerFinding
from .speakers_after import SpeakersAfterTheVerb

NO_CONTENT_VERB = re.compile(r"made the above statement")
# "(Figure: Tass)", "(Photo: Reuters)": a picture's caption or credit, no one's statement.
CAPTION = re.compile(r"^\(\s*(?:figure|photo|picture|image|source|video|graphic|credit)s?\s*:[^()]*\)$", re.I)

# Bounds that keep a hostile or broken input linear: no article needs more candidates, and an
# excerpt stops growing past this many characters.
MAX_CANDIDATES = 300
MAX_EXCERPT_CHARS = 3000
# "Q:" / "QUESTION:" / "A:" / "MR MILLER:" / "MS. NAUERT:" opening a transcript's turn.
TRANSCRIPT_TURN = re.compile(
    r"^(?:(?P<question>Q|QUESTION|QUESTIONER)|(?P<answer>A|ANSWER)"
    r"|(?:(?:MR|MS|MRS|DR|SEN|GEN|AMB)\.?\s+)?(?P<name>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)?))\s*:\s+"
)

# The last word of a name of two words or more: "Graham" after "Lindsey Graham".
SURNAME_IN_TEXT = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?\s+(?P<surname>[A-Z][a-z'’-]{2,})\b")


def extract_article(text, *, url="", published_on=None, outlet="", is_html=None, deadline=None):
    """The source and the candidate claims of an article, plain text or a web page. With a
    `deadline` (a `time.monotonic()` value), reading stops at the first sentence after it and the
    extraction says it is `truncated`."""
    if not isinstance(text, str):
        raise ValueError("The article must be text (a str).")
    if is_html is None:
        is_html = articles.looks_like_html(text)
    read = articles.read_html(text) if is_html else articles.read_plain_text(text)
    base_date = published_on or read.published_on
    dateline = articles.dateline_date(read.paragraphs, year=base_date.year if base_date else None)
    source = SourceDraft(
        title=read.title,
        outlet=outlet or articles.outlet_in_dateline(read.paragraphs) or read.outlet,
        author=read.author,
        published_on=base_date or dateline,
        language=articles.guess_language(read.full_text),
        url=url or read.url,
        full_text=read.full_text,
        paragraphs=read.paragraphs,
    )
    if not read.paragraphs:
        return Extraction(source=source, candidates=[])
    reader = _ArticleReader(source, base_date=source.published_on, deadline=deadline)
    candidates = reader.candidates()
    return Extraction(source=source, candidates=candidates, truncated=reader.truncated)


class _ArticleReader(SpeakerFinding, SpeakersAfterTheVerb, SpeakerTurns, SpeakerNames, ClaimLinks, ClaimText):
    """Reads an article sentence by sentence, remembering what a reader remembers: the last speaker
    (for "he said"), the date last named (for "on the same day") and who accused whom."""

    def __init__(self, source, base_date, deadline=None):
        self.source = source
        # Without the article's date, today stands in; every date read against it says so.
        self.base_date = base_date or datetime.date.today()
        self.base_is_known = base_date is not None
        self.deadline = deadline
        self.truncated = False
        self.last_organization = None
        self.last_group = None
        self.surnames = {match.group("surname") for match in SURNAME_IN_TEXT.finditer(source.full_text)}
        self.transcript_speaker = None
        self.actors = actor_directory()
        if not _KNOWN_TITLE_WORDS:
            _KNOWN_TITLE_WORDS.update(_title_words())
        self.topics = topic_directory()
        self.article_topic = self._main_topic()
        self.last_attribution = None
        self.last_person = None
        self.recent_people = []
        self.last_statement = None
        self.context_date = None
        self.context_paragraph = 0
        self.paragraph_number = 0
        # (accuser's root actor id, accused root actor id) -> [(the paragraph saying so, its date)],
        # the paragraph None for an accusation only a denial reports
        self.accusations = {}
        # the accused's root actor id (or name) -> the last to accuse them, as a target
        self.accusers = {}
        # an accuser's root actor id -> the last they accused, as a target
        self.side_targets = {}
        # a speaker (actor id or name) -> the root actor ids of the sides it was last seen speaking for
        self.speaker_sides = {}

    def candidates(self):
        found = []
        for number, paragraph in enumerate(self.source.paragraphs, start=1):
            self.paragraph_number = number
            if number == 1 and paragraph == self.source.title:
                self.transcript_speaker = self._transcript_host(paragraph)
                continue  # the headline restates what the body attributes in full
            turn = TRANSCRIPT_TURN.match(paragraph)
            if turn and turn.group("question"):
                # A journalist's question: only the attributions it reports are claims.
                self.last_attribution = None
            open_candidate, open_start = None, 0
            for start, end in sentence_spans(paragraph):
                if self._out_of_time(found):
                    return self._without_restatements(found)
                sentence = paragraph[start:end]
                if CAPTION.match(sentence.strip()):
                    continue
                attribution = None
                if start == 0 and turn and not turn.group("question"):
                    attribution = self._transcript_turn(turn, sentence)
                attribution = attribution or self._attribution(sentence)
                if attribution is None:
                    self._note_context_date(sentence)
                    self._note_person(sentence)
                    if open_candidate is not None and self._is_another_claim(open_candidate, sentence):
                        attribution = self._continuing(sentence)
                    elif open_candidate is not None:
                        if end - open_start <= MAX_EXCERPT_CHARS:
                            self._extend(open_candidate, paragraph[open_start:end], sentence)
                        continue
                    elif sentence.lstrip()[:1] in '"“' and self.last_attribution is not None:
                        attribution = self._continuing(sentence)
                    else:
                        continue
                mutual = self._mutual_accusation(attribution, sentence, number)
                if mutual:
                    found.extend(mutual)
                    open_candidate, open_start = None, 0
                    continue
                second = self._second_attribution(attribution, sentence)
                other = None if second is not None else self._other_speaker(attribution, sentence)
                if other is not None:
                    split_at, other_start, second = other
                    first = self._candidate(attribution, sentence[:split_at], number)
                    if not NO_CONTENT_VERB.fullmatch(attribution.verb):
                        found.append(first)
                    open_candidate = self._candidate(second, sentence[other_start:], number)
                    open_start = start + other_start
                    found.append(open_candidate)
                    continue
                open_candidate, open_start = self._candidate(attribution, sentence, number), start
                if NO_CONTENT_VERB.fullmatch(attribution.verb):
                    continue  # "made the above statement" places the words before it, and says nothing new
                found.append(open_candidate)
                if second is not None:
                    found.append(self._candidate(second, sentence, number))
        return self._without_restatements(found)

    def _out_of_time(self, found):
        """Whether to stop reading: past the deadline, or enough candidates for any article."""
        if len(found) >= MAX_CANDIDATES or (self.deadline is not None and time.monotonic() > self.deadline):
            self.truncated = True
        return self.truncated

    def _candidate(self, attribution, sentence, number):
        key = attribution.speaker.actor_id or attribution.speaker.name
        if attribution.speaker_root_ids:
            self.speaker_sides[key] = attribution.speaker_root_ids
        else:
            # '"...," Liu said.': named again by surname, the speaker still speaks for its side
            attribution.speaker_root_ids = set(self.speaker_sides.get(key, ()))
        self.last_attribution = attribution
        if is_group(attribution.speaker):
            # "Other senators said": whom the next "they" means, never the next "he" or "she"
            self.last_group = attribution
        elif attribution.is_person or attribution.for_person:
            self._remember_person(attribution)
        if not attribution.is_person and (not attribution.speaker.unnamed or attribution.speaker.kind):
            self.last_organization = attribution
            self.last_group = None
        frame = self._dating_frame(attribution)
        stated = claim_date(
            frame,
            self.base_date,
            self._current_context(),
            self._same_speaker_date(attribution),
            context_is_in_paragraph=self.context_paragraph == self.paragraph_number,
        )
        if not stated.is_inferred and is_plausible_context(stated, self.base_date):
            self._set_context(stated)
        self.last_statement = (attribution.speaker, stated, self.paragraph_number)
        date_reason = stated.reason
        if not self.base_is_known:
            date_reason += "; no date was given for the article, so today's date stood in for it"
        kind = self._kind(attribution, sentence)
        target = self._target(attribution, kind)
        accuser = self._accuser_of(attribution)
        if target is None and kind in ClaimKind.accusations():
            # "These actions are unacceptable": whom the speaker's side last accused, else its accuser
            target = self._side_target(attribution) or accuser
        if target is None and kind == ClaimKind.DENIAL:
            target = accuser  # a denial answers the last to accuse the speaker's side
        if (
            kind == ClaimKind.ACCUSATION
            and target
            and self._answers_an_accusation(attribution, target, stated)
        ):
            kind = ClaimKind.COUNTER_ACCUSATION
        said = (self.paragraph_number, stated)
        if kind in ClaimKind.accusations() and target:
            for root in attribution.speaker_root_ids:
                self.accusations.setdefault((root, self._target_key(target)), []).append(said)
                self.accusers[self._target_key(target)] = self._target_of(self.actors.records[root])
                self.side_targets[root] = target
        if kind == ClaimKind.DENIAL and target:
            # "rejected the US allegations that ...": the article reports the accusation only here,
            # in no paragraph of its own.
            for root in attribution.speaker_root_ids:
                self.accusations.setdefault((self._target_key(target), root), []).append((None, stated))
        return Candidate(
            speaker=attribution.speaker,
            speaker_role=attribution.role,
            target=target,
            kind=str(kind),
            stated_on=stated.date,
            date_precision=str(stated.precision),
            date_inferred=stated.is_inferred,
            summary=self._summary(attribution),
            quote=self._quote(sentence),
            excerpt=sentence,
            locator=f"Paragraph {number}",
            topics=self._topics(sentence),
            date_reason=date_reason,
        )


__all__ = [
    "Candidate",
    "Extraction",
    "Mention",
    "SourceDraft",
    "SpeakerMatch",
    "StatedDate",
    "extract_article",
]
