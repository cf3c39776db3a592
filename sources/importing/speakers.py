"""Who speaks in a sentence: the speech verb and the subject before it ("Ruiz said", "The
ministry's spokeswoman, Maria Zakharova, said"); a speaker named after the verb, in a headline or
in "according to ..." is read by `speakers_after`."""

import re

from .candidates import SpeakerMatch
from .names import plain
from .sentences import inside_quotation
from .speech_patterns import (
    ADVERBIAL_PHRASE,
    AFTER_PREPOSITION,
    APPOSITION,
    BASE_FORM_VERBS,
    BRACKETED_CLAUSE,
    CLAUSE_BREAK,
    CLAUSE_OPENING,
    CLAUSE_WORDS,
    CONNECTIVE_ROLE,
    COORDINATED_LEAD,
    COORDINATED_VERB,
    DASH,
    DEFINITE_PERSON,
    DESCRIBED_SUBJECT,
    DETERMINER,
    FINAL_ATTRIBUTION,
    INVERSION_VERBS,
    INVERTED_SPEAKER,
    LEADING_CONJUNCTION,
    LEADING_NAME,
    LISTED,
    LOCATED_IN,
    LOWERCASE_PHRASE,
    LY_ADVERB,
    MAX_DESCRIBED_WORDS,
    NAME_OF_PLACE,
    NOT_A_SUBJECT,
    NOT_SAID,
    NOUN_BEFORE,
    NOUN_FORMS,
    ORGAN_AFTER,
    ORGANIZATION_NOUNS,
    ORGANIZATION_WORDS,
    PARENTHETICAL,
    PARTICIPLE_LEAD,
    PARTICIPLES,
    PARTY_LABEL,
    PASSIVE_AFTER,
    PASSIVE_FORMS,
    PERSON_ROLE,
    POSSESSIVE_END,
    POSSESSIVES,
    PREDICATE,
    PRONOUN,
    PRONOUN_WORDS,
    QUANTIFIERS,
    REFERRING_NOUN,
    RELATIVE_AFTER,
    RELATIVE_CLAUSE,
    SENTENCE_ADVERBS,
    SENTENCE_END,
    SPEECH_VERB,
    SUBORDINATE_SUBJECT,
    TIME_WORDS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
    TRAILING_ADVERBS,
    TRAILING_TIME,
    VERB_AND_OBJECT,
)


def _without_party_labels(sentence):
    """ "Sen. Ann Reyes (D-Ore.)" read as "Sen. Ann Reyes", blanked so that every offset stays the same."""
    sentence = PARENTHETICAL.sub(lambda match: " " * len(match.group()), sentence)
    sentence = BRACKETED_CLAUSE.sub(lambda match: " " * len(match.group()), sentence)
    return PARTY_LABEL.sub(lambda match: " " * len(match.group()), sentence)


def _reads_as_no_one(speaker):
    """An unnamed speaker whose words are no description of anyone: a clause's verb or pronoun in
    them ("the impact it", "Back when he", "the past few days -- said she"), or an adverb alone
    ("forcefully", "now")."""
    if not speaker.unnamed:
        return False
    words = speaker.as_written.split()
    if len(words) == 1 and (words[0].lower() in SENTENCE_ADVERBS or LY_ADVERB.fullmatch(words[0])):
        return True
    if VERB_AND_OBJECT.match(speaker.as_written):
        return True  # "interjected", "making a pitch to voters", "incurred a wave of boos upon"
    if any(word.lower() in PRONOUN_WORDS for word in words[1:]):
        return True
    return any(word.lower() in CLAUSE_WORDS or DASH.fullmatch(word) for word in words)


def _is_passive(sentence, verb):
    return verb.group("verb").lower() in PASSIVE_FORMS and bool(PASSIVE_AFTER.match(sentence, verb.end()))


def _after_last_quotation(text):
    """The words after a quotation closes: '"...," Jens Laerke, a spokesman' -> 'Jens Laerke, ...'."""
    last = max(text.rfind('"'), text.rfind("”"), text.rfind("''"))
    return text[last + 1 :].lstrip("' ") if last >= 0 else text


class SpeakerFinding:
    """Finds the speaker of a sentence and the frame around the verb; the names found are resolved
    by `SpeakerNames`."""

    def _attribution(self, sentence):
        # Two apostrophes or backticks are some outlets' quotation marks (''Yes,'' he said): read as
        # one mark and a space, so that every offset stays the same.
        sentence = sentence.replace("''", '" ').replace("``", '" ')
        sentence = _without_party_labels(sentence)
        misread = None
        # "a contractor accused of spying": said of someone, not by them; read after the other verbs.
        # "Protocol called for a trauma center, sources said.": who reports the whole sentence, first.
        final = FINAL_ATTRIBUTION.search(sentence)
        verbs = sorted(
            SPEECH_VERB.finditer(sentence),
            key=lambda verb: (
                _is_passive(sentence, verb),
                not final or verb.start("verb") != final.start("verb"),
            ),
        )
        for verb in verbs:
            if inside_quotation(sentence, verb.start()):
                continue
            before = sentence[: verb.start()]
            if not before.strip():
                continue
            if verb.group("verb").lower() in BASE_FORM_VERBS and NOT_SAID.search(before):
                continue
            if verb.group("verb").lower() in NOUN_FORMS and NOUN_BEFORE.search(before):
                continue  # "in all five of these states", "Lazar's claims": a noun, not a verb
            attribution = (
                self._main_clause_subject(before, verb)
                or self._inversion_after_clause(sentence, before, verb)
                or self._speaker_before(before, verb)
                or self._speaker_after(sentence, verb)
            )
            if attribution is not None and _reads_as_no_one(attribution.speaker):
                # "Back when he wrote his book, Mr. Hale said": words that are no one's description
                # before the verb; a later verb, else the clause's subject, may name the speaker.
                misread = misread or (attribution, before, verb)
                continue
            if attribution is not None:
                return attribution
        return self._headline_speaker(sentence) or self._according_to(sentence) or self._subject_of(misread)

    def _subject_of(self, misread):
        """For a sentence whose only speaker read is no one's description, the subject opening its
        clause ("The statement also referenced the impact it said"), else that reading as it is."""
        if misread is None:
            return None
        attribution, before, verb = misread
        subject = self._clause_subject(before, verb, people_only=False)
        if subject is None or _reads_as_no_one(subject.speaker):
            return attribution
        written = subject.speaker.as_written
        lone = subject.speaker.is_new and " " not in written and written not in self.surnames
        if lone and not re.match(rf"\W*{re.escape(written)}\s*,", before):
            return attribution  # "Highway motorists are used to": a capital opening the sentence, no name
        return subject

    def _main_clause_subject(self, before, verb):
        """ "Clinton went on offense against Trump on Monday, saying he would ...": a participle
        after a comma speaks for the subject of the clause before it, not the name nearest to it."""
        participle = verb.group("verb").lower() in PARTICIPLES and PARTICIPLE_LEAD.search(before)
        if not participle and not COORDINATED_LEAD.search(before):
            return None
        # "Ruiz met Okafor and said": a person's second verb; a state's or an office's ("Britain
        # expelled the attache and accused") is read by `_speaker_before`.
        return self._clause_subject(before, verb, people_only=not participle)

    def _clause_subject(self, before, verb, people_only):
        """The subject opening the clause that `before` is in: a pronoun, a known name, a name, or a
        short description before the clause's first verb."""
        opening = CLAUSE_OPENING.match(before)
        subject = before[opening.end() :] if opening else before
        first = re.match(r"\s*(?P<pronoun>he|she|they|it)\b", subject, re.I)
        if first and (not people_only or first.group("pronoun").lower() in ("he", "she")):
            return self._by_pronoun(first.group("pronoun"), before, verb)
        mentions = [m for m in self.actors.mentions(subject) if not inside_quotation(subject, m.start)]
        if mentions and subject[: mentions[0].start].strip().lower() in ("", "the"):
            if people_only and not mentions[0].record.is_person:
                return None
            offset = len(before) - len(subject)
            return self._by_mention(mentions[0], before[: offset + mentions[0].end], offset, verb)
        name = LEADING_NAME.match(subject)
        speaker_name = self._trailing_name(name.group("name")) if name else ""
        if POSSESSIVE_END.search(speaker_name):
            speaker_name = ""  # "Ruiz's office": the office, described below
        if speaker_name and speaker_name.split()[0].lower() not in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS:
            return self._by_name(speaker_name, before, before.find(speaker_name), verb)
        if people_only:
            return None
        predicate = PREDICATE.search(subject)
        head = subject[: predicate.start()].strip() if predicate else ""
        if head and "," not in head and len(head.split()) <= MAX_DESCRIBED_WORDS:
            # "Both parents stiffened their criticism of Okafor, saying": who did the first verb
            described = self._referring_description(head, before, verb) or self._described_subject(
                head, before, verb
            )
            if described is not None:
                return described
        first_segment = re.split(r"[,;:]", subject, maxsplit=1)[0]
        named = self._named_in_apposition(subject, first_segment)
        if named:
            return self._by_name(named, before, before.rfind(named), verb)
        if 0 < len(first_segment.split()) <= MAX_DESCRIBED_WORDS and "," in subject:
            return self._described_subject(first_segment.strip(), before, verb)
        return None

    def _named_in_apposition(self, subject, description):
        """ "But one prominent conservative, syndicated radio host Dennis Prager, disagrees": the name
        in apposition after a description opening the clause ("" when there is none)."""
        parts = subject.split(",")
        if len(parts) < 3 or not (
            DETERMINER.match(description.strip()) or LOWERCASE_PHRASE.match(description.strip())
        ):
            return ""
        apposition = parts[1].strip()
        name = self._trailing_name(apposition)
        if len(name.split()) < 2 or not apposition.endswith(name):
            return ""
        return name if self._only_role_words(apposition[: -len(name)]) else ""

    def _speaker_before(self, before, verb):
        named_subject = self._name_ending(before)
        if named_subject is not None:
            return self._by_mention(named_subject, before, 0, verb)
        pieces = CLAUSE_BREAK.split(before)
        tail = pieces[-1].strip()
        tail = TRAILING_ADVERBS.sub("", LEADING_CONJUNCTION.sub("", tail)).strip()
        only_time = TRAILING_TIME.fullmatch(" " + tail)
        tail = TRAILING_TIME.sub("", tail).strip() or tail
        # the words before the verb, or between the last two commas when a comma ends them
        last_piece = tail or (
            pieces[-2].strip() if len(pieces) > 1 and before.rstrip()[-1:] not in '"”' else ""
        )
        connective = CONNECTIVE_ROLE.match(last_piece) and last_piece.lower() not in ("and", "but")
        # "Ruiz's office, when asked by reporters, said": where or when, between commas
        connective = connective or (
            not tail and self._set_off(before, pieces) and ADVERBIAL_PHRASE.match(last_piece)
        )
        if (connective or only_time) and "," in before.rstrip()[:-1]:
            # "Ruiz, meanwhile, said", "Ruiz, who ..., last week said": the subject before them
            cut = before.rstrip().rstrip(",")
            earlier = self._speaker_before(cut[: cut.rfind(",")], verb) if "," in cut else None
            if earlier is not None:
                earlier.frame, earlier.content = self._frame(before, verb)
                return earlier
        relative = RELATIVE_CLAUSE.search(before)
        if relative and len(pieces) > 1:
            # "Ana Ruiz, who has long opposed the mayor, criticized": the one the clause describes.
            antecedent = self._speaker_before(before[: relative.start()], verb)
            if antecedent is not None and antecedent.speaker.as_written.lower() not in ("who", "which"):
                antecedent.frame, antecedent.content = self._frame(before, verb)
                return antecedent
        subordinate = SUBORDINATE_SUBJECT.search(tail)
        opening = CLAUSE_OPENING.match(before)
        at = before.rfind(tail) + subordinate.start() if subordinate else 0
        if subordinate and before[opening.end() if opening else 0 : at].strip():
            # "Trump took on Clinton after the Democratic front-runner had said": the subject of the
            # clause the verb is in, not the name opening the sentence ("When the moderator
            # pointed out ..., the candidate said" is read at its main verb)
            group = "subject" if subordinate.group("subject") else "object_of"
            at += subordinate.start(group) - subordinate.start()
            within = self._speaker_before(before[at:], verb)
            if within is not None and not _reads_as_no_one(within.speaker):
                within.frame, within.content = self._frame(before, verb)
                return within
        if PRONOUN.match(tail):
            return self._by_pronoun(tail, before, verb)
        referring = REFERRING_NOUN.match(tail)
        if referring:
            return self._by_pronoun(
                tail, before, verb, organization=referring.group("noun").lower() in ORGANIZATION_NOUNS
            )
        appositive = self._appositive_subject(_after_last_quotation(before))
        trimmed = TRAILING_ADVERBS.sub("", before.rstrip())
        if appositive is None and trimmed.endswith(","):
            # "The senator stays in the race, his campaign manager, Tad Devine, told reporters": the
            # last two parts between commas, after a clause of their own.
            segments = trimmed.rsplit(",", 3)
            last_parts = (
                self._appositive_subject(",".join(segments[1:]) + " ") if len(segments) == 4 else None
            )
            if last_parts is not None:
                attribution = last_parts(verb)
                attribution.frame, attribution.content = self._frame(before, verb)
                return attribution
        if appositive is not None:
            return appositive(verb)
        tail_offset = before.rfind(tail)
        leading = self._leading_subject(tail, tail_offset, before, verb)
        if leading is not None:
            return leading
        placed = self._name_before_place(tail)
        if placed and not any(m.record.is_person for m in self.actors.mentions(tail)):
            return self._by_name(placed, before, tail_offset + tail.find(placed), verb)
        mentions = self._subject_mentions(tail)
        name = self._trailing_name(tail)
        if (
            name
            and mentions
            and not any(m.record.is_person for m in mentions)
            and self._name_after(name, tail, mentions)
        ):
            # "NATO Secretary General Jens Stoltenberg": the person, not the organisation in the title.
            return self._by_name(name, before, tail_offset + tail.rfind(name), verb)
        if mentions:
            return self._by_mention(self._subject(mentions), before, tail_offset, verb)
        if name:
            return self._by_name(name, before, tail_offset + tail.rfind(name), verb)
        if DETERMINER.match(tail) or LOWERCASE_PHRASE.match(tail):
            # "the vice president said", "a campaign aide said": a description is the subject, not
            # a name earlier in the sentence.
            described = self._referring_description(tail, before, verb) or self._described_subject(
                tail, before, verb
            )
            if described is not None:
                return described
        if tail and not before.rstrip().endswith(","):
            # "Israeli officials said": the description at the verb, before any name earlier on
            described = self._described_subject(tail, before, verb)
            if described is not None:
                return described
        mentions = [m for m in self.actors.mentions(before) if not inside_quotation(before, m.start)]
        people = [m for m in mentions if m.record.is_person]
        if people and before.rstrip().endswith(","):
            # "Trump's candidacy drove voters to the polls, said Tom Hale": the name after the verb
            inverted = self._speaker_after(verb.string, verb)
            if inverted is not None and inverted.is_person and not inverted.speaker.unnamed:
                return inverted
        if people:
            return self._by_mention(people[0], before, 0, verb)
        return self._described_subject(tail, before, verb)

    @staticmethod
    def _set_off(before, pieces):
        """Whether the words before the last comma of `before` follow a comma too (", in a statement,")."""
        if len(pieces) < 2:
            return False
        clause = before.rstrip()[:-1]
        start = clause.rfind(pieces[-2])
        return start > 0 and clause[start - 1] == ","

    def _referring_description(self, tail, before, verb):
        """ "the Ohio senator", "the former governor": a person named before, when one of the people
        who spoke lately has that title; anyone else described so stays a description."""
        match = DEFINITE_PERSON.match(tail)
        if match is None:
            return None
        title = match.group("title").lower()
        for earlier in reversed(self.recent_people):
            words = plain(f"{earlier.role} {earlier.speaker.as_written}").replace(".", "").split()
            if (
                title in words
                or TITLE_ABBREVIATIONS.get(title) in words
                or self._titled_before(title, earlier)
            ):
                reason = f"'{tail}' refers to {earlier.speaker.name}, who was introduced with that title"
                return self._referring_back(earlier, tail, reason, before, verb)
        return None

    def _titled_before(self, title, earlier):
        """Whether the article gives the person who spoke earlier this title before their name
        anywhere ("Mayor Bill de Blasio described it as ..."), though not where they spoke."""
        surname = earlier.speaker.name.split()[-1:] if not earlier.speaker.unnamed else []
        if not surname:
            return False
        titles = "|".join(re.escape(word) for word in (title, TITLE_ABBREVIATIONS.get(title)) if word)
        pattern = rf"\b(?:{titles})\.?\s+(?:[\w.'’-]+\s+){{0,3}}?{re.escape(surname[0])}\b"
        return re.search(pattern, self.source.full_text, re.I) is not None

    def _leading_subject(self, tail, tail_offset, before, verb):
        """ "Graham met Trump on Monday and said", "The Post's columnist Ana Ruiz has been critical of
        Trump but wrote": the name before the clause's first verb speaks; the names after it are its
        objects."""
        opening = CLAUSE_OPENING.match(tail)
        subject = tail[opening.end() :] if opening else tail
        predicate = PREDICATE.search(subject)
        if predicate is None or not any(m.start >= predicate.start() for m in self.actors.mentions(subject)):
            return None  # no name after the verb to confuse the speaker with: the usual reading stands
        head = subject[: predicate.start()].rstrip()
        subject_offset = tail_offset + len(tail) - len(subject)
        known = [m for m in self.actors.mentions(head) if m.end >= len(head) - 1]
        if known:
            return self._by_mention(self._subject(known), before, subject_offset, verb)
        speaker_name = self._trailing_name(head)
        words = speaker_name.split()
        if not words or not head.endswith(speaker_name):
            return None
        if words[0].lower() in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS | SENTENCE_ADVERBS:
            return None
        titled = len(head.split()) > len(words)
        if len(words) < 2 and not titled and words[0] not in self.surnames:
            return None  # "Officials", "Critics": a capital opening the sentence, no name
        return self._by_name(speaker_name, before, subject_offset + head.rfind(speaker_name), verb)

    def _name_before_place(self, text):
        """ "Gov. Ana Ruiz of Oregon": the person's name, not the place they are from."""
        match = NAME_OF_PLACE.match(text.strip())
        if match is None:
            return ""
        who = match.group("who").strip()
        name = self._trailing_name(who)
        if not name or not who.endswith(name) or (len(name.split()) < 2 and name == who):
            return ""
        if who.lower().startswith("the ") or any(word.lower() in ORGANIZATION_WORDS for word in name.split()):
            return ""  # "The Joint Chiefs of Staff", "Bank of America": an organisation's name
        return name

    def _subject_mentions(self, tail):
        """The names in a subject that may speak: not a city where someone speaks ("a spokesperson
        in Tokyo"), and, in "Britain expelled Russia's attache and accused", the first."""
        mentions = [m for m in self.actors.mentions(tail) if not LOCATED_IN.search(tail, 0, m.start)]
        if len(mentions) > 1 and COORDINATED_VERB.search(tail, mentions[0].end):
            return mentions[:1]
        return mentions

    @staticmethod
    def _name_after(name, tail, mentions):
        return tail.rfind(name) >= mentions[-1].end

    def _appositive_subject(self, before):
        """ "Samantha Phillips, the city's emergency director, said", "Clinton's campaign chairman,
        John Podesta, said": the name and its apposition, the apposition (or the title) the role."""
        match = APPOSITION.match(TRAILING_ADVERBS.sub("", before.rstrip()) + " ")
        if not match or LISTED.search(match.group("role")):
            return None
        head = PARENTHETICAL.sub("", match.group("head")).strip()
        apposition = match.group("role").strip(" ,")
        name = self._name_before_place(head) or self._trailing_name(head)
        if name and AFTER_PREPOSITION.search(head[: head.rfind(name)]):
            return None  # "In a statement to the Observer, her adviser, Jake Sullivan,": not the head
        role = re.sub(r"^(?:the|a|an)\s+", "", apposition, flags=re.I)
        is_a_name = self._trailing_name(apposition) == apposition
        if name and (not apposition[:1].isupper() or (len(name.split()) >= 2 and not is_a_name)):
            # "Tom Hale, the port's engineer,"; "Tom Hale, Acme's chief engineer,"
            if len(name.split()) == 1 and not head.endswith(name):
                return None
        elif (
            is_a_name
            and len(apposition.split()) >= 2
            and not any(word.lower() in TITLE_WORDS for word in apposition.split())
        ):
            name, role = apposition, head  # "Clinton's campaign chairman, John Podesta,"
        elif not name and self._titled_name(apposition):
            name, role = self._titled_name(apposition), head  # "A former lawmaker, Sen. Joe Lieberman,"
        else:
            return None
        words = name.split()
        if words[0].lower().strip(".") in TITLE_WORDS | TIME_WORDS | SENTENCE_ADVERBS | NOT_A_SUBJECT:
            return None
        if words[-1].lower() in TIME_WORDS:
            return None
        offset = before.find(name)
        known = self.actors.mentions(name)
        if known and known[0].start == 0 and known[-1].end >= len(name) - 1:
            mention = known[-1]
            return lambda verb: self._with_role(
                self._by_mention(mention, before, offset, verb), role if mention.record.is_person else ""
            )

        def attribution(verb):
            speaker = self._resolve_name(name, role)
            frame, rest = self._frame(before, verb)
            return self._make(speaker, self._record(speaker), role, verb.group("verb"), frame, rest)

        return attribution

    def _titled_name(self, text):
        """The name of two words or more that `text` ends with, after titles only ("Sen. Joe
        Lieberman"); "" when other words come before it."""
        name = self._trailing_name(text)
        if len(name.split()) < 2 or not text.endswith(name):
            return ""
        return name if self._only_titles(text[: -len(name)]) else ""

    def _inversion_after_clause(self, sentence, before, verb):
        """ "The plant is hanging on, said the company's chief executive, John Ferriola.": after a
        clause and its comma, "said" and a name that the sentence ends with (an apposition aside);
        the name speaks, not a name in the clause."""
        if verb.group("verb").lower() not in INVERSION_VERBS or not before.rstrip().endswith(","):
            return None
        if not INVERTED_SPEAKER.match(sentence, verb.end()):
            return None  # "said of Cruz", "said that ...", "said he ...": no speaker after the verb
        inverted = self._speaker_after(sentence, verb)
        if inverted is None or not inverted.is_person or inverted.speaker.unnamed:
            return None
        after = sentence[verb.end() :]
        written = inverted.speaker.as_written
        at = after.find(written)
        if at < 0:
            return None
        rest = RELATIVE_AFTER.split(after[at + len(written) :], maxsplit=1)[0]
        return inverted if SENTENCE_END.match(rest) else None

    @staticmethod
    def _with_role(attribution, role):
        if role and not attribution.role:
            attribution.role = role
        return attribution

    def _described_subject(self, tail, before, verb):
        """A speaker written as a description: "a Foreign Office spokesperson" is the office with
        its role; "Chinese diplomats" China; "participants" no one recorded, kept as written."""
        subject = DESCRIBED_SUBJECT.search(tail)
        if subject is None:
            return None
        phrase = subject.group("subject").strip()
        words = phrase.split()
        if (
            (words[0].lower() in NOT_A_SUBJECT and not (len(words) > 1 and words[0].lower() in POSSESSIVES))
            or words[-1].lower() in NOT_A_SUBJECT | {"the", "a", "an"}
            or SPEECH_VERB.match(words[0].lower())
            or words[-1].lower() in TIME_WORDS
        ):
            return None
        role = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
        mentions = self._subject_mentions(phrase)
        if not mentions:
            for demonym in self.actors.demonym_mentions(phrase):
                organ = ORGAN_AFTER.match(phrase, demonym.end)
                if organ:
                    speaker = self._new_office(phrase[demonym.start : organ.end()].strip(), demonym.record)
                    attribution = self._make(
                        speaker, None, role, verb.group("verb"), *self._frame(before, verb)
                    )
                    attribution.is_person = False
                    attribution.for_person = bool(PERSON_ROLE.search(phrase))
                    return attribution
            mentions = self.actors.demonym_mentions(phrase)
        if mentions:
            mention = self._subject(mentions)
            attribution = self._make(
                self._match_mention(mention),
                mention.record,
                role,
                verb.group("verb"),
                *self._frame(before, verb),
            )
            attribution.is_person = False
            attribution.for_person = bool(PERSON_ROLE.search(phrase))
            return attribution
        speaker = SpeakerMatch(
            role,
            None,
            phrase,
            reason=f"'{phrase}' names no one: an unnamed source",
            is_new=True,
            unnamed=True,
        )
        return self._make(speaker, None, role, verb.group("verb"), *self._frame(before, verb))

    def _name_ending(self, before):
        """A known name with a comma inside it ("The Foreign Ministry of Belgium, Finland and
        Sweden") that ends where the verb begins; the clause split below would cut it apart."""
        mentions = self.actors.mentions(before)
        if not mentions:
            return None
        last = mentions[-1]
        if before[last.end :].strip() or not CLAUSE_BREAK.search(last.as_written):
            return None
        return last
