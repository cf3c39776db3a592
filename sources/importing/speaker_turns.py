"""Speakers across and within sentences: a transcript's turns, the person a sentence opens with
(for the next "he"), a second statement or a second speaker in one sentence, and a claim going on."""

import dataclasses
import re

from claims.choices import ClaimKind

from .kinds import claim_kind
from .sentences import inside_quotation
from .speech_patterns import (
    CLAUSE_OPENING,
    CONTENT_LEAD,
    LEADING_NAME,
    NOT_A_SUBJECT,
    PREDICATE,
    QUANTIFIERS,
    SENTENCE_ADVERBS,
    SPEECH_VERB,
    TITLE_WORDS,
)

PRONOUN_OPENING = re.compile(r"\s*(?:he|she|they|it|we|i)\b", re.I)

# The host a briefing's headline names: "Spokesperson Mao Ning's Regular Press Conference".
TRANSCRIPT_HOST = re.compile(
    r"(?:Spokesperson|Spokesman|Spokeswoman|Secretary|Minister|Ambassador|President)\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})(?:['’]s)?\b.*\b(?:Press Conference|Briefing|Remarks)"
)
# "... and said", "and called": the same speaker's second statement in a sentence (", saying"
# goes on with the first).
SECOND_VERB = re.compile(
    r"(?:\s+and\s+(?:also\s+)?)(?P<verb>said|added|warned|called on|called for|urged"
    r"|denied|accused|insisted|vowed|pledged|demanded|rejected)\b"
)
SECOND_VERB_MIN_OFFSET = 12
# "Ruiz said the plan would fail, but Okafor told reporters it was sound": where a clause with
# another speaker may start, after the first speaker's verb.
OTHER_SPEAKER_BREAK = re.compile(r",\s*(?:but|while|whereas|and)\s+|;\s*")
# "While Ruiz has said ..., Okafor said ...": after a subordinate clause, any comma may start it.
SUBORDINATE_OPENING = re.compile(r"\s*(?:but\s+)?(?:while|whereas|although|though|(?:even\s+)?as)\s", re.I)
ANY_COMMA = re.compile(r",\s*")

RECENT_PEOPLE = 6
PLURAL_NOUNS = frozenset(["people", "police", "staff", "media", "public", "leadership"])

# A sentence opening like this goes on with the claim before it rather than making another.
CONTINUING_OPENING = re.compile(
    r"^(?:but|and|or|so|this|that|these|those|it|its|such|which|moreover|also|even|because)\b", re.I
)


def is_group(speaker):
    """An unnamed speaker described in the plural: "other senators", "aides", "many people"."""
    words = speaker.as_written.lower().split()
    if not speaker.unnamed or not words:
        return False
    head = words[-1]
    return head in PLURAL_NOUNS or (head.endswith("s") and not head.endswith(("ss", "us", "is")))


def _same_speaker(first, second):
    """The same actor, or a name and its surname alone ("Dr. Agnes Tamm" ... "Tamm")."""
    if first.speaker.actor_id or second.speaker.actor_id:
        return first.speaker.actor_id == second.speaker.actor_id
    return first.speaker.name.split()[-1:] == second.speaker.name.split()[-1:]


class SpeakerTurns:
    """Follows who speaks from one sentence to the next, and splits a sentence where a second
    statement or speaker starts."""

    def _transcript_host(self, title):
        """ "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference": who answers."""
        match = TRANSCRIPT_HOST.search(title)
        if not match:
            return None
        name = match.group("name")
        role = title[: match.start("name")].strip()
        return self._by_name_text(name, role)

    def _transcript_turn(self, turn, sentence):
        """ "A: ..." is the briefing's host; "MR MILLER: ..." / "MS. NAME: ..." the one named."""
        rest = sentence[turn.end() :]
        if turn.group("answer"):
            if self.transcript_speaker is None:
                return None
            return dataclasses.replace(self.transcript_speaker, frame="", content=rest, verb="said")
        name = turn.group("name").title()
        attribution = self._by_name_text(name, "")
        attribution.frame, attribution.content = "", rest
        return attribution

    def _note_person(self, sentence):
        """ "Sen. Ana Ruiz toured the plant.": a person opening a sentence is whom the next "he" or
        "she" means, though she said nothing yet."""
        opening = CLAUSE_OPENING.match(sentence)
        subject = sentence[opening.end() :] if opening else sentence
        known = [m for m in self.actors.mentions(subject[:80]) if m.start <= 1]
        if known:
            if known[0].record.is_person:
                person = self._make(self._match_mention(known[0]), known[0].record, "", "said", "", "")
                self._remember_person(person)
            return
        name = LEADING_NAME.match(subject)
        if name is None or not PREDICATE.match(subject[name.end() :].lstrip()):
            return
        speaker_name = self._trailing_name(name.group("name"))
        words = speaker_name.split()
        if len(words) < 2 and (speaker_name == name.group("name").strip() or not words):
            return  # one capitalised word opening a sentence may be anything
        if words[0].lower() in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS | SENTENCE_ADVERBS:
            return
        role = name.group("name")[: name.group("name").rfind(speaker_name)].strip()
        self._remember_person(self._by_name_text(speaker_name, role))

    def _remember_person(self, attribution):
        self.last_person = attribution
        self.recent_people = [*self.recent_people[-(RECENT_PEOPLE - 1) :], attribution]

    def _second_attribution(self, attribution, sentence):
        """ "accused X of ... and said ...", "denied it, saying ...": a second statement of the same
        speaker in the sentence, as its own candidate; the first keeps the words before it."""
        content = attribution.content
        for match in SECOND_VERB.finditer(content):
            if inside_quotation(content, match.start()) or match.start() < SECOND_VERB_MIN_OFFSET:
                continue
            rest = content[match.end() :]
            if len(rest.split()) < 3:
                return None
            attribution.content = content[: match.start()]
            lead = CONTENT_LEAD.match(rest)
            return dataclasses.replace(
                attribution,
                verb=match.group("verb"),
                frame=attribution.frame,
                content=rest[lead.end() :] if lead else rest,
            )
        return None

    def _other_speaker(self, attribution, sentence):
        """ "Ruiz said the plan would fail, but Okafor said it was sound": a clause after the first
        statement with a speaker of its own is its own candidate, and each excerpt is its clause.
        Returns (where the first clause ends, where the second starts, its attribution)."""
        content_at = sentence.rfind(attribution.content) if attribution.content.strip() else -1
        if content_at < 0:
            return None
        breaks = list(OTHER_SPEAKER_BREAK.finditer(sentence, content_at))
        if SUBORDINATE_OPENING.match(sentence):
            breaks += ANY_COMMA.finditer(sentence, content_at)
        for match in sorted(breaks, key=lambda found: found.start()):
            if inside_quotation(sentence, match.start()):
                continue
            rest = sentence[match.end() :]
            verb = SPEECH_VERB.search(rest)
            if verb is None or not rest[: verb.start()].strip() or PRONOUN_OPENING.match(rest):
                continue
            other = self._attribution(rest)
            if other is None or _same_speaker(other, attribution):
                continue
            if other.speaker_root_ids & attribution.speaker_root_ids:
                continue  # "the ministry said ...; Russia regrets ...": one side speaking
            if not other.content.strip():
                continue
            attribution.content = attribution.content[: max(0, match.start() - content_at)]
            return match.start(), match.end(), other
        return None

    def _is_another_claim(self, candidate, sentence):
        """A paraphrase going on after the speaker's sentence, of another kind than it ("most regret
        the withdrawal. The parties should hold a dialogue"): the curator records each claim on its own."""
        if sentence.lstrip()[:1] in '"“' or CONTINUING_OPENING.match(sentence.lstrip()):
            return False
        # A plain statement of fact after a speaker's sentence is as often the reporter's background
        # ("Norway has patrolled the zone since 1977.") as the speaker's: it joins the excerpt.
        kind = claim_kind("", sentence)
        return kind != candidate.kind and kind != ClaimKind.ASSERTION

    def _continuing(self, sentence):
        """The last speaker going on; the words before any "that" may still date it ("submitted a
        notice on May 22, and said that ...")."""
        previous = self.last_attribution
        lead = re.split(r"\bthat\b|[\"“]", sentence, maxsplit=1)[0]
        return dataclasses.replace(previous, frame=lead, content=sentence, verb="said")
