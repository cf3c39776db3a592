"""Who speaks when named after the speech verb ('"...," said Ryabkov.', "…, sources said."), in a
headline's "Speaker: ...", or in "according to ...": the other half of `speakers`."""

import re

from .candidates import SpeakerMatch
from .speech_patterns import (
    ACCORDING_TO,
    ADDRESSING_VERBS,
    DESCRIBED_AFTER,
    HEADLINE_SPEAKER,
    INVERSION_TAIL,
    LEGAL_TEXT,
    MAX_ROLE_WORDS,
    NOT_A_SUBJECT,
    TITLE_WORDS,
)


class SpeakersAfterTheVerb:
    def _speaker_after(self, sentence, verb):
        """'"...," said Ryabkov.'"""
        if not re.search(r"(?:[,\"”]|'')\s*$", sentence[: verb.start()]):
            return None
        if verb.group("verb").lower() in ADDRESSING_VERBS:
            return None  # after "told" comes whom they told: "..., told Reuters"
        after = sentence[verb.end() :]
        # "said Tom Hale in a statement", "said Tom Hale during the debate": where and when, after who
        words = INVERSION_TAIL.split(after.split(",")[0], maxsplit=1)[0]
        placed = self._name_before_place(words.rstrip(". "))
        if placed and self._only_titles(words[: words.find(placed)]):
            attribution = self._by_name(
                placed, words, words.find(placed), verb, content=sentence[: verb.start()]
            )
            attribution.frame = sentence[: verb.end()]
            return attribution
        mentions = self.actors.mentions(words)
        name = self._trailing_name(words.strip().rstrip("."))
        name_at = words.rfind(name) if name else -1
        if name and (not mentions or name_at >= mentions[-1].end) and self._only_role_words(words[:name_at]):
            # "said Leeds University economist Tom Hale", "said former Ohio congressman Tom Hale"
            attribution = self._by_name(name, words, name_at, verb, content=sentence[: verb.start()])
            attribution.frame = sentence[: verb.end()]
            attribution.role = attribution.role or self._apposition_after(
                after[after.find(name) + len(name) :]
            )
            return attribution
        named_after = self._name_after_description(after)
        if named_after is not None:
            name, role = named_after
            speaker = self._resolve_name(name, role)
            return self._make(
                speaker,
                self._record(speaker),
                role,
                verb.group("verb"),
                sentence[: verb.end()],
                sentence[: verb.start()],
            )
        if mentions and self._only_titles(words[: mentions[0].start]):
            mention = mentions[-1]
            return self._make(
                self._match_mention(mention),
                mention.record,
                self._apposition_after(after[mention.end :]),
                verb.group("verb"),
                sentence[: verb.end()],
                sentence[: verb.start()],
            )
        name = self._trailing_name(words.strip().rstrip("."))
        if name and self._only_titles(words[: words.find(name)]):
            attribution = self._by_name(name, words, words.find(name), verb, content=sentence[: verb.start()])
            attribution.role = attribution.role or self._apposition_after(
                after[after.find(name) + len(name) :]
            )
            return attribution
        described = DESCRIBED_AFTER.match(words)
        if described:
            attribution = self._described_subject(described.group("subject"), sentence[: verb.start()], verb)
            if attribution is not None:
                attribution.frame = sentence[: verb.end()]
                attribution.content = sentence[: verb.start()]
            return attribution
        return None

    def _name_after_description(self, after):
        """'"...," said his oldest friend, Tom Hale, ...': a description, then the name in apposition."""
        parts = after.split(",")
        if len(parts) < 2:
            return None
        role_words = parts[0].split()
        described = DESCRIBED_AFTER.match(parts[0] + ",") or (
            role_words and role_words[-1].islower() and self._only_role_words(parts[0])
        )
        if not described:
            return None
        name = parts[1].strip().rstrip(".")
        if len(name.split()) < 2 or self._trailing_name(name) != name:
            return None
        return name, re.sub(r"^(?:the|a|an)\s+", "", parts[0].strip(), flags=re.I)

    @staticmethod
    def _only_role_words(text):
        """Whether the words between an inversion's verb and a name describe the person, however
        plainly ('said Leeds University economist'), rather than begin a statement ('said that')."""
        words = text.split()
        if words and words[0].lower() in ("his", "her", "its", "their"):
            words = words[1:]  # "said his campaign manager Jeff Weaver"
        return len(words) <= MAX_ROLE_WORDS and all(
            word[:1].isupper()
            or word[:1].isdigit()
            or word.lower().strip(".,") in TITLE_WORDS
            or word == "of"
            or (
                word.replace("-", "").isalpha()
                and word.lower() not in NOT_A_SUBJECT
                and not word.endswith("ing")
            )
            for word in words
        )

    @staticmethod
    def _only_titles(text):
        """Whether the words between an inversion's verb and a name are a title at most
        ('said Deputy Minister Ryabkov'), not a statement ('said having Trump at the top ...')."""
        return all(word[:1].isupper() or word.lower().strip(".,") in TITLE_WORDS for word in text.split())

    def _headline_speaker(self, sentence):
        match = HEADLINE_SPEAKER.match(sentence)
        if not match:
            return None
        speaker_text = match.group("speaker")
        mentions = self.actors.mentions(speaker_text)
        rest = sentence[match.end() :]
        if mentions and mentions[-1].end >= len(speaker_text.rstrip()) - 1:
            mention = mentions[-1]
            if not mention.record.is_person:
                # "Russian Ministry of Foreign Affairs: ..." is a subheading over the paragraph that
                # reports the statement; a person's name before a colon is a transcript's speaker.
                return None
            role = self._role_before(speaker_text, mention.start)
            return self._make(self._match_mention(mention), mention.record, role, "said", "", rest)
        name = self._trailing_name(speaker_text)
        if name and len(name.split()) >= 2:
            speaker = self._resolve_name(name, self._role_before(speaker_text, speaker_text.rfind(name)))
            return self._make(speaker, self._record(speaker), "", "said", "", rest)
        return None

    def _according_to(self, sentence):
        """ "According to Tass, quoting spokesman Zakharova's comments, ...": the first phrase that
        names a known actor gives the speaker."""
        matches = list(ACCORDING_TO.finditer(sentence))
        for match in matches:
            mentions = self.actors.mentions(match.group("source"))
            if mentions:
                return self._according_to_mention(sentence, match, mentions)
        for match in matches[:1]:
            # "according to the Center for Responsive Politics", "according to a senior official"
            source = match.group("source").strip().rstrip(".!?\"”' ")
            if not match.group().lower().startswith("according") or self._is_a_text(source):
                return None
            name = self._trailing_name(source)
            rest = sentence[match.end() :].lstrip(" ,") if match.start() == 0 else sentence[: match.start()]
            if name and source.endswith(name):
                speaker = self._resolve_name(name, source[: source.rfind(name)].strip())
            else:
                phrase = source if len(source.split()) <= MAX_ROLE_WORDS else ""
                if not phrase:
                    return None
                speaker = SpeakerMatch(
                    phrase,
                    None,
                    phrase,
                    reason=f"'{phrase}' names no one: an unnamed source",
                    is_new=True,
                    unnamed=True,
                )
            return self._make(speaker, self._record(speaker), "", "said", sentence[: match.end()], rest)
        return None

    def _is_a_text(self, source):
        """ "According to the treaty": what a text provides, not what anyone said."""
        return bool(LEGAL_TEXT.search(source) or self.topics.mentions(source))

    def _according_to_mention(self, sentence, match, mentions):
        mention = self._subject(mentions)
        rest = sentence[match.end() :].lstrip(" ,")
        return self._make(
            self._match_mention(mention), mention.record, "", "said", sentence[: match.end()], rest
        )
