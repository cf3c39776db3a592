"""From the words naming a speaker to a speaker: a recorded actor, a state's organ, a pronoun's
antecedent, or a new actor proposed with its role and affiliation."""

import dataclasses
import re

from .candidates import SentenceAttribution, SpeakerMatch
from .names import CONFIDENT_SCORE, SUPPORTED_SCORE, plain
from .sentences import quotations
from .speech_patterns import (
    CLAUSE_BREAK,
    CONNECTIVE_ROLE,
    CONTENT_LEAD,
    LOCATED_IN,
    MAX_ROLE_WORDS,
    NAME_WORD,
    ORGAN_AFTER,
    PERSON_ROLE,
    TIME_WORDS,
    TITLE_WORDS,
)

TRAILING_NAME = re.compile(
    rf"(?P<name>{NAME_WORD}(?:\s+(?:{NAME_WORD}|al-\w+|de|van|von|bin|da|di|le))*)\s*$"
)

STATEMENT_WORDS = re.compile(r"^(?:on|in|at|as|by|after|before|since|during|for|from)\b", re.I)

WORD = re.compile(r"[A-Za-z]{2,}")
# After the verb, fewer words than this ("said.", "said in a statement.") say nothing of their own.
MIN_CONTENT_WORDS = 3

TIME_PREPOSITION = re.compile(r"\b(?:on|in|at|since|until|by|last|this|next|early|late|mid)\s*$", re.I)

# Without "that": "informed the parties of its decision on May 22, saying" keeps its date; "said the
# bloc had no right" ends before the statement's own verb, "plans to suspend it from February 2"
# before the date the plan takes effect.
FRAME_TAIL_LENGTH = 100
FRAME_TAIL = re.compile(
    rf"[^,;:\"“”]{{0,{FRAME_TAIL_LENGTH}}}?(?=[,;:\"“”]|\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must"
    r"|may|might|did|does|do|from|until|till|starting|effective)\b|$)"  # case kept: "May 22" is no verb
)


def _title_words():
    from .world import world_records

    words = set()
    for record in world_records():
        words.update(record.demonyms)
        words.update(spelling for spelling in record.spellings if " " not in spelling)
    return words


def is_title(word):
    """A word that opens a title rather than a name: a demonym, a state or organisation named
    ("Moldovan President", "UN Secretary-General", "NATO Secretary General")."""
    possessive_stripped = re.sub(r"['’]s$", "", word)
    return (
        word in _KNOWN_TITLE_WORDS or possessive_stripped in _KNOWN_TITLE_WORDS or word.endswith("-General")
    )


_KNOWN_TITLE_WORDS = set()


def _similarity(first, second):
    from .names import surname_score

    return surname_score(first, second)


class SpeakerNames:
    """Resolves the names and pronouns a sentence gives its speaker, against the actor directory
    and the people the article has named so far."""

    def _by_name_text(self, name, role):
        speaker = self._resolve_name(name, role)
        return self._make(speaker, self._record(speaker), role, "said", "", "")

    @staticmethod
    def _subject(mentions):
        """The speaker among a subject's names: a person before an organization or a state
        ("Borrell, the EU's foreign policy chief"), else the name nearest the verb."""
        people = [mention for mention in mentions if mention.record.is_person]
        return people[-1] if people else mentions[-1]

    def _organ(self, text, offset, mention):
        """ "Ukraine's foreign ministry", "the Chinese embassy in London": a state's organ that no
        actor is recorded as, proposed as a new organisation affiliated with the state."""
        if mention.record.is_person or mention.record.kind != "state":
            return None
        match = ORGAN_AFTER.match(text, offset + mention.end)
        if match is None:
            return None
        return self._new_office(text[offset + mention.start : match.end()].strip(), mention.record)

    def _new_office(self, written, state):
        """The office `written` of the state `state`, proposed as a new organisation."""
        return SpeakerMatch(
            written,
            None,
            written,
            reason=f"'{written}' is an office of {state.name}: a new organization?",
            is_new=True,
            kind="organization",
            affiliation=self._public(state),
        )

    def _target_of(self, record):
        root = self.actors.root(record)
        target = self._public(root)
        if root.is_proposed:
            target["is_new"] = True
        return target

    def _by_mention(self, mention, before, offset, verb):
        organ = self._organ(before, offset, mention)
        if organ is not None:
            attribution = self._make(organ, None, "", verb.group("verb"), *self._frame(before, verb))
            attribution.is_person = False
            return attribution
        start = offset + mention.start
        role = self._role_before(before, start) if mention.record.is_person else ""
        if CONNECTIVE_ROLE.match(role):
            role = ""
        if not role and mention.record.is_person:
            role = self._apposition(before[offset + mention.end :])
        described = re.sub(r"^(?:the|a|an)\s+", "", before[offset:].strip(" ,-—–"), flags=re.I)
        speaks_for = not mention.record.is_person and PERSON_ROLE.search(described)
        if speaks_for and len(described.split()) <= MAX_ROLE_WORDS:
            role = described  # "a Foreign Office spokesperson": the office, with who spoke for it
        attribution = self._make(
            self._match_mention(mention), mention.record, role, verb.group("verb"), *self._frame(before, verb)
        )
        attribution.for_person = bool(speaks_for)
        return attribution

    def _by_name(self, name, before, start, verb, content=None):
        role = self._role_before(before, start)
        speaker = self._resolve_name(name, role)
        frame, rest = self._frame(before, verb)
        return self._make(speaker, self._record(speaker), role, verb.group("verb"), frame, content or rest)

    def _by_pronoun(self, pronoun, before, verb, organization=False):
        """He/she: the last person who spoke; it/they (and "the ministry"): the last organisation or
        state; with neither yet, the pronoun itself, for the editor to resolve."""
        previous = self.last_attribution
        if organization and self.last_organization is None and "statement" not in pronoun.lower():
            previous = None  # "The ministry said", no organisation named before: no one to refer to
        elif not organization and pronoun.lower() in ("he", "she") and self.last_person is not None:
            previous = self.last_person
        elif not organization and pronoun.lower() == "they" and self.last_group is not None:
            previous = self.last_group
        elif (organization or pronoun.lower() in ("it", "they")) and self.last_organization is not None:
            previous = self.last_organization
        if previous is None:
            speaker = SpeakerMatch(
                pronoun,
                None,
                pronoun,
                reason=f"'{pronoun}' follows no named speaker",
                is_new=True,
                unnamed=True,
            )
            attribution = self._make(speaker, None, "", verb.group("verb"), *self._frame(before, verb))
            attribution.is_person = pronoun.lower() in ("he", "she")
            return attribution
        reason = f"'{pronoun}' refers to the last one named before it, {previous.speaker.name}"
        return self._referring_back(previous, pronoun, reason, before, verb)

    def _referring_back(self, earlier, as_written, reason, before, verb):
        """The speaker of the attribution `earlier` again, written `as_written` this time (a
        pronoun, a title), saying what follows `verb`."""
        speaker = dataclasses.replace(earlier.speaker, as_written=as_written, reason=reason)
        attribution = dataclasses.replace(earlier, speaker=speaker, verb=verb.group("verb"))
        attribution.frame, attribution.content = self._frame(before, verb)
        return attribution

    def _frame(self, before, verb):
        """The attribution's frame (who, when) and the statement it introduces."""
        sentence_rest = verb.string[verb.end() :]
        lead = CONTENT_LEAD.match(sentence_rest)
        tail = FRAME_TAIL.match(sentence_rest)
        frame_end = lead.end() if lead else tail.end() if tail else FRAME_TAIL_LENGTH
        frame = before + verb.group() + sentence_rest[:frame_end]
        quoted_before = " ".join(quotations(before))
        if quoted_before and not lead:
            # "'…,' the minister told reporters in Ottawa.": the statement is the quotation; after
            # the verb come to whom and where.
            return frame, quoted_before
        content = sentence_rest[frame_end:] if lead else sentence_rest
        if not lead and len(WORD.findall(content)) < MIN_CONTENT_WORDS and "," in before:
            # "The ships will stay, the ministry said.": the statement came before its speaker.
            return frame, before[: before.rfind(",")].strip()
        return frame, f"{quoted_before} {content}".strip()

    def _make(self, speaker, record, role, verb, frame, content):
        roots = set()
        if record is not None:
            roots.add(self.actors.root(record).record_id)
        for text in (role, "" if record is not None else speaker.as_written):
            for mention in self.actors.mentions(text) + self.actors.demonym_mentions(text):
                if not LOCATED_IN.search(text, 0, mention.start):
                    roots.add(self.actors.root(mention.record).record_id)
        return SentenceAttribution(
            speaker=speaker,
            speaker_root_ids=roots,
            role=role,
            verb=verb,
            frame=frame,
            content=content,
            is_person=record.is_person if record is not None else True,
        )

    def _record(self, speaker):
        return self.actors.records.get(speaker.actor_id) if speaker.actor_id else None

    @staticmethod
    def _trailing_name(text):
        """A proper name ending `text`, without the titles before it ("Deputy Minister Lavrov")."""
        match = TRAILING_NAME.search(text.strip())
        if not match:
            return ""
        words = match.group("name").split()
        last = words[-1].lower().strip(".")
        # "Ai Jun", "Jan Novak": a short month after a first name is a name
        is_time = last in TIME_WORDS and (len(last) > 4 or len(words) == 1 or words[-1].endswith("."))
        if is_time or TIME_PREPOSITION.search(text.strip()[: match.start()]):
            return ""  # "on Tuesday", "in March": when, not who
        while len(words) > 1 and (words[0].lower().strip(".") in TITLE_WORDS | {"u.s"} or is_title(words[0])):
            words.pop(0)
        if words and words[0].lower().strip(".") in TITLE_WORDS:
            words.pop(0)
        if not words or (
            len(words) == 1
            and match.start() == 0
            and text.strip() == match.group("name")
            and len(words[0]) < 3
        ):
            return ""
        return " ".join(words)

    @staticmethod
    def _role_before(text, name_start):
        """The title written just before a name: "Russian Deputy Foreign Minister" Grushko."""
        role = re.split(r"\s[-—–]+\s", CLAUSE_BREAK.split(text[:name_start])[-1])[-1].strip()
        role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
        if STATEMENT_WORDS.match(role) or len(role.split()) > 16:
            return ""
        return role

    @staticmethod
    def _apposition_after(text):
        """'"...," said Davison, a senior analyst at the Crisis Group.': the role after the name."""
        match = re.match(r"^\s*,\s*(?:the|a|an)\s+(?P<role>[^,.;]{3,120})", text)
        return match.group("role").strip() if match else ""

    @staticmethod
    def _apposition(text):
        """ "Borrell, the EU's foreign policy chief, said": the role after the name."""
        match = re.match(r"^\s*,\s*(?:the|a|an)\s+(?P<role>[^,]{3,120}),\s*$", text)
        return match.group("role").strip() if match else ""

    def _match_mention(self, mention):
        record = mention.record
        written = mention.as_written
        if plain(written) == plain(record.name):
            reason = f"name '{written}'"
        else:
            reason = f"alias '{written}' of {record.name}"
        alternatives = [{"actor_id": record.record_id, "name": record.name, "score": 100}]
        if record.is_person:
            for score, other, _evidence in self.actors.ranked_people(written.split()[-1]):
                if other.record_id != record.record_id and len(alternatives) < 3:
                    alternatives.append(
                        {"actor_id": other.record_id, "name": other.name, "score": round(score)}
                    )
        if record.is_proposed:
            return SpeakerMatch(
                record.name,
                None,
                written,
                [],
                f"'{written}' is {record.name}, not yet recorded: a new {record.kind}?",
                is_new=True,
                kind=str(record.kind),
                affiliation=self._public(self.actors.records.get(record.affiliation_id)),
            )
        return SpeakerMatch(
            record.name, record.record_id, written, alternatives, reason, kind=str(record.kind)
        )

    @staticmethod
    def _public(record):
        """An actor as candidates name it: {"name", "actor_id"}, the id None for a new actor, which
        also has its "kind"."""
        if record is None:
            return None
        if record.is_proposed:
            return {"name": record.name, "actor_id": None, "kind": str(record.kind)}
        return {"name": record.name, "actor_id": record.record_id}

    def _resolve_name(self, name, role):
        words = name.split()
        earlier = self.last_person.speaker if self.last_person else None
        if (
            earlier
            and len(words) == 1
            and plain(words[0]) in plain(earlier.as_written + " " + earlier.name).split()
        ):
            reason = f"'{name}' is part of the name of the previous speaker, {earlier.name}"
            return dataclasses.replace(earlier, as_written=name, reason=reason)
        surname, first_name = words[-1], words[0] if len(words) > 1 else ""
        ranked = self.actors.ranked_people(surname, first_name, role)
        alternatives = [
            {"actor_id": record.record_id, "name": record.name, "score": round(score)}
            for score, record, _ in ranked[:3]
        ]
        if ranked:
            score, record, evidence = ranked[0]
            if score >= CONFIDENT_SCORE or (score >= SUPPORTED_SCORE and evidence):
                known = max(record.surnames, key=lambda known: _similarity(surname, known))
                reason = f"alias '{surname}' ~ {known}" + "".join(f", with {item}" for item in evidence)
                return SpeakerMatch(record.name, record.record_id, name, alternatives, reason)
        reason = f"no known actor is named like '{name}': a new actor?"
        affiliations = self.actors.mentions(role) or self.actors.demonym_mentions(role)
        affiliation = self._public(affiliations[-1].record) if affiliations else None
        return SpeakerMatch(
            name, None, name, alternatives, reason, is_new=True, kind="person", affiliation=affiliation
        )
