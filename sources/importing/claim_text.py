"""A candidate's words and date: its excerpt and summary, quote and topics, the date it was
stated on, and the restatements left out."""

import re

from .dates import explicit_date, is_plausible_context
from .names import plain
from .sentences import QUOTED, quotations

SUMMARY_WORDS = 40

# A later candidate of the same speaker restates an earlier one when they share this share of the
# shorter one's content words, and this share of the longer one's: a lede that sums up in six words
# what a later paragraph says in twenty is not restated by it.
RESTATEMENT_OVERLAP = 0.6
RESTATEMENT_OVERLAP_OF_LONGER = 0.4
RESTATEMENT_MIN_SHARED = 2
FUNCTION_WORDS = frozenset(
    [
        *("the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but"),
        *("that", "this", "these", "those", "its", "it", "their", "is", "are", "was", "were", "has", "have"),
        *("had", "be", "been", "will", "would", "said", "says", "say", "also", "same", "year", "as"),
        *("which", "who", "into", "than", "not"),
    ]
)

# After the verb, these describe the event the statement is about, whose date is not the statement's.
OBJECT_WORDS = re.compile(
    r"\b(?:carried out|committed|launched|conducted|staged|which took place|that took place)\b"
)

# "WASHINGTON, June 18 (Reuters) - ": the article's date, not the statement's.
DATELINE_PREFIX = re.compile(r"^[A-Z][^\n]{0,90}?\s(?:--|-|—|–)\s+")
# A date named this many paragraphs back still dates an undated statement; an accusation this many
# paragraphs back is still being answered when the dates cannot tell which came first.
CONTEXT_REACH_PARAGRAPHS = 2


def _speaker_key(candidate):
    return candidate.speaker.actor_id or candidate.speaker.name


class ClaimText:
    """A candidate's excerpt, summary, quote, topics and date, and the context dates they are read
    against."""

    def _without_restatements(self, candidates):
        """A later restatement by the same speaker (a recap at the article's end, a background
        paragraph repeating the lede) is left out: the editor records each claim once."""
        kept, kept_words = [], {}
        for candidate in candidates:
            words = self._content_words(candidate)
            earlier = kept_words.setdefault(_speaker_key(candidate), [])
            if not any(self._restates(words, earlier_words) for earlier_words in earlier):
                kept.append(candidate)
                earlier.append(words)
        return kept

    @staticmethod
    def _restates(later_words, earlier_words):
        shared = len(later_words & earlier_words)
        smaller, larger = sorted((len(later_words) or 1, len(earlier_words) or 1))
        return (
            shared >= RESTATEMENT_MIN_SHARED
            and shared / smaller >= RESTATEMENT_OVERLAP
            and shared / larger >= RESTATEMENT_OVERLAP_OF_LONGER
        )

    def _content_words(self, candidate):
        """The words of what a candidate says, without who says it (its summary's first two words)
        and without the names of actors and topics, which every claim of a dispute shares."""
        statement = candidate.summary.split(maxsplit=2)[2:]
        text = " ".join(statement)
        for mention in reversed(self.actors.mentions(text) + self.topics.mentions(text)):
            text = text[: mention.start] + " " + text[mention.end :]
        return set(re.findall(r"[a-z]{3,}", plain(text))) - FUNCTION_WORDS

    @staticmethod
    def _dating_frame(attribution):
        """The words that may date a statement: its frame without the dateline, without quoted
        words ("'... on 24 March,' she said" dates what she spoke of), and, after the verb, only up
        to the description of the event it speaks of ("condemns the attack carried out on 24 March")."""
        frame = DATELINE_PREFIX.sub("", attribution.frame)
        frame = QUOTED.sub(" ", frame)
        verb_at = frame.find(attribution.verb)
        if verb_at >= 0:
            after = frame[verb_at + len(attribution.verb) :]
            cut = OBJECT_WORDS.search(after)
            if cut:
                frame = frame[: verb_at + len(attribution.verb) + cut.start()]
        return frame

    def _extend(self, candidate, excerpt, sentence):
        """A sentence that goes on with the last speaker's statement joins its excerpt."""
        candidate.excerpt = excerpt
        candidate.quote = self._quote(excerpt)
        for topic in self._topics(sentence):
            if topic not in candidate.topics:
                candidate.topics.append(topic)

    def _same_speaker_date(self, attribution):
        """The date of the statement just before, when this one is the same speaker going on."""
        if self.last_statement is None:
            return None
        speaker, stated, paragraph = self.last_statement
        if self.paragraph_number - paragraph > CONTEXT_REACH_PARAGRAPHS:
            return None
        if (speaker.actor_id or speaker.name) != (attribution.speaker.actor_id or attribution.speaker.name):
            return None
        return stated

    def _note_context_date(self, sentence):
        stated = explicit_date(sentence, self.base_date)
        if stated and is_plausible_context(stated, self.base_date):
            self._set_context(stated)

    def _set_context(self, stated):
        self.context_date, self.context_paragraph = stated, self.paragraph_number

    def _current_context(self):
        """The date the article last named, while it still sets the scene."""
        if self.paragraph_number - self.context_paragraph <= CONTEXT_REACH_PARAGRAPHS:
            return self.context_date
        return None

    def _summary(self, attribution):
        speaker = attribution.speaker
        record = self._record(speaker)
        who = speaker.name
        if record is not None and record.is_person:
            who = record.name.split()[-1]
        elif record is None and speaker.as_written:
            who = (
                speaker.as_written.split()[-1] if len(speaker.as_written.split()) > 1 else speaker.as_written
            )
        content = re.sub(r"[\"“”]", "", attribution.content).strip().rstrip(".,;: ")
        verb = attribution.verb
        if verb in (
            "said",
            "says",
            "stated",
            "told",
            "added",
            "noted",
            "stressed",
            "mentioned",
            "emphasized",
        ):
            verb = "said"
        words = content.split()
        if len(words) > SUMMARY_WORDS:
            content = " ".join(words[:SUMMARY_WORDS]).rsplit(",", 1)[0]
        if not content:
            return ""
        return f"{who} {verb} {content}."

    def _quote(self, text):
        spoken = [quote for quote in quotations(text) if not self._is_a_name(quote)]
        return " … ".join(spoken)

    def _is_a_name(self, quote):
        mentions = self.topics.mentions(quote) + self.actors.mentions(quote)
        return any(mention.start == 0 and mention.end >= len(quote.rstrip(".,")) - 1 for mention in mentions)

    def _topics(self, text):
        found = []
        for mention in self.topics.mentions(text):
            topic = {"name": mention.record.name, "topic_id": mention.record.record_id}
            if topic not in found:
                found.append(topic)
        if (
            not found
            and self.article_topic
            and re.search(r"\b(?:treaty|agreement|accord|deal|pact)\b", text, re.I)
        ):
            found.append(self.article_topic)
        return found

    def _main_topic(self):
        counts = {}
        for mention in self.topics.mentions(self.source.full_text):
            counts[mention.record.record_id] = counts.get(mention.record.record_id, 0) + 1
        if not counts:
            return None
        record = self.topics.records[max(counts, key=counts.get)]
        return {"name": record.name, "topic_id": record.record_id}
