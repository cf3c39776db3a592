"""What a statement does and to whom: its kind, its target, and the links between candidates (who
accused whom, which accusation a denial or counter-accusation answers)."""

import functools
import re

from claims.choices import ClaimKind, DatePrecision

from .kinds import (
    ACCUSING_VERBS,
    ANSWERING,
    INSISTING_VERBS,
    calls_it_unfounded,
    claim_kind,
    kind_for_speaker,
)
from .sentences import quotations

MUTUAL = re.compile(r"(?:each other|one another)\b", re.I)

ANSWER_REACH = 2
# From the finest to the coarsest.
DATE_PRECISIONS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]

# "the US accusations", "Washington's allegations", "accusations by US officials": who accused.
ACCUSATION_AFTER = re.compile(
    r"(?:['’]s?)?\s+(?:\w+\s+)?(?:accusations?|allegations?|claims?|charges?)\b", re.I
)
ACCUSATION_BEFORE = re.compile(
    r"\b(?:accusations?|allegations?|claims?|charges?)\s+(?:\w+\s+)?(?:by|from)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# "in a letter to", "told": the one a statement is addressed to.
ADDRESSEE = re.compile(r"\b(?:to|told|informed|wrote to)\s+(?:the\s+)?$", re.I)


def _date_order(first, second):
    """-1 when the StatedDate `first` is before `second` (or the same day), 1 when after, 0 when
    their precisions cannot tell (the same month, one of them dated to the month only)."""
    if first.precision == second.precision:
        return -1 if first.date <= second.date else 1
    coarser = max(DatePrecision(first.precision), DatePrecision(second.precision), key=DATE_PRECISIONS.index)
    first, second = coarser.truncate(first.date), coarser.truncate(second.date)
    return (first > second) - (first < second)


class ClaimLinks:
    """The kind and target of a candidate, from the accusations the article has reported so far."""

    def _kind(self, attribution, sentence):
        """The kind of the whole statement: where the speaker follows a quotation ('"...," Ms X,
        a spokeswoman, told reporters'), the quoted words are the statement."""
        content = attribution.content
        opening = quotations(sentence)[:1] if sentence.lstrip()[:1] in '"“' else []
        if opening and opening[0] not in content:
            content = f"{opening[0]} {content}"
        kind = claim_kind(attribution.verb, content, attribution.frame)
        stands_accused = self._speaker_stands_accused(attribution)
        if attribution.verb.lower() in INSISTING_VERBS and stands_accused:
            return ClaimKind.DENIAL  # "X accused Y of ... Y insisted the water was safe"
        if (
            kind == ClaimKind.ACCUSATION
            and stands_accused
            and calls_it_unfounded(attribution.verb, attribution.frame, attribution.content)
        ):
            return ClaimKind.DENIAL  # "called the expulsion politically motivated", by the accused
        record = self._record(attribution.speaker)
        return kind_for_speaker(kind, [attribution.role, *(record.roles if record else [])])

    def _speaker_stands_accused(self, attribution):
        return any(accused in attribution.speaker_root_ids for _accuser, accused in self.accusations)

    def _mutual_accusation(self, attribution, sentence, number):
        """ "The United States and Russia accused each other of ...": a claim for each side, the one
        named first accusing and the other answering, as a reader of the dispute records it."""
        if attribution.verb.lower() not in ACCUSING_VERBS or not MUTUAL.match(attribution.content.strip()):
            return []
        subject = attribution.frame[: attribution.frame.find(attribution.verb)]
        sides = {}
        for mention in self.actors.mentions(subject):
            sides.setdefault(self.actors.root(mention.record).record_id, mention)
        if len(sides) != 2:
            return []
        first, second = sides.values()
        candidates = []
        # "have accused each other for years" is background: it makes no later accusation an answer.
        remembered = (
            {pair: list(said) for pair, said in self.accusations.items()},
            dict(self.accusers),
            dict(self.side_targets),
        )
        for speaker, accused, kind in (
            (first, second, ClaimKind.ACCUSATION),
            (second, first, ClaimKind.COUNTER_ACCUSATION),
        ):
            side = self._make(
                self._match_mention(speaker),
                speaker.record,
                "",
                attribution.verb,
                attribution.frame,
                attribution.content,
            )
            side.frame = sentence  # "in recent years" closes the sentence, past the usual frame
            candidate = self._candidate(side, sentence, number)
            candidate.kind = str(kind)
            candidate.target = self._target_of(accused.record)
            candidates.append(candidate)
        self.accusations, self.accusers, self.side_targets = remembered
        return candidates

    def _target(self, attribution, kind):
        if kind not in (ClaimKind.ACCUSATION, ClaimKind.COUNTER_ACCUSATION, ClaimKind.DENIAL):
            return None
        own = attribution.speaker_root_ids
        # "blamed forest fires in Indonesia for the haze that closed ...": the verb's object, when
        # the statement names no one
        verb_at = attribution.frame.find(attribution.verb)
        lead = attribution.frame[verb_at + len(attribution.verb) :] if verb_at >= 0 else ""
        content = attribution.content

        def others(text):
            for mention in self.actors.mentions(text) + self.actors.demonym_mentions(text):
                root = self.actors.root(mention.record)
                if root.record_id not in own and mention.record.record_id != attribution.speaker.actor_id:
                    yield text, mention

        if kind == ClaimKind.DENIAL:
            # "rejected accusations by US officials that it had hidden Chinese doping tests": the
            # denial answers who accused, not whoever the accusation is about.
            for text, mention in [*others(lead), *others(content)]:
                if ACCUSATION_AFTER.match(text, mention.end) or ACCUSATION_BEFORE.search(
                    text, 0, mention.start
                ):
                    return self._target_of(mention.record)
        for text in (content, lead):
            for _text, mention in sorted(others(text), key=lambda found: found[1].start):
                # "said in a letter to the UN Security Council": whom it told, not whom it accuses
                if text is lead and ADDRESSEE.search(text, 0, mention.start):
                    continue
                return self._target_of(mention.record)
        return None

    def _side_target(self, attribution):
        for root in attribution.speaker_root_ids:
            if root in self.side_targets:
                return self.side_targets[root]
        return None

    def _accuser_of(self, attribution):
        """Who last accused the speaker's side in this article, if anyone."""
        for root in attribution.speaker_root_ids:
            record = self.actors.records.get(root)
            key = None if record is None else self._target_key(self._target_of(record))
            if key in self.accusers:
                return self.accusers[key]
        return None

    def _target_key(self, target):
        """The target's record id, as speakers' sides are kept (a state not yet recorded has one
        too), else its name."""
        return target["actor_id"] or self._proposed_ids.get(target["name"]) or target["name"]

    @functools.cached_property
    def _proposed_ids(self):
        return {
            record.name: record.record_id for record in self.actors.records.values() if record.is_proposed
        }

    def _answers_an_accusation(self, attribution, target, stated):
        """Whether the target accused the speaker's side earlier in the article, and not after this
        statement: an article often reports the accusation in its lede and the answers paragraphs
        later, and tells as background ("on May 21, X had accused Y") the accusation Y answered.
        Where the dates cannot order the two (the same month, one of them dated to the month only),
        only an accusation at most `ANSWER_REACH` paragraphs back counts."""
        if ANSWERING.search(attribution.frame):
            return True
        for root in attribution.speaker_root_ids:
            for paragraph, accused_on in self.accusations.get((self._target_key(target), root), []):
                order = _date_order(accused_on, stated)
                near = paragraph is not None and self.paragraph_number - paragraph <= ANSWER_REACH
                if order < 0 or (order == 0 and near):
                    return True
        return False
