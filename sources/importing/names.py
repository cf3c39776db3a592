"""Finding the actors and topics an article names, and guessing who an unfamiliar name is.

Names are compared as `plain` text: transliterated to Latin letters (unidecode), without case. A
surname seen in an article that no alias spells exactly is compared with every person's surnames
twice: as written, and as a rough phonetic `skeleton` that forgives the usual transliteration drift
(Chinese agencies write Grushko as "Glushko": l/r; Russian names gain or lose a y, an h, a
doubled letter).
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from unidecode import unidecode

from claims.choices import ActorKind
from claims.models import Actor, Claim, Topic, importer_aliases, split_aliases

# Spellings this short, or written in capitals ("US", "EU"), match only with their exact case:
# "us" is a pronoun.
CASE_SENSITIVE_LENGTH = 4
# A fuzzy surname is taken when it scores `CONFIDENT_SCORE` on its own, or `SUPPORTED_SCORE` when a
# first name or a title in the article agrees with what we know of the actor ("Libuyakov", Deputy
# Foreign Minister, is Ryabkov: 75). "Lavrov" against Ryabkov scores 62: a shared title is not enough.
CONFIDENT_SCORE = 82
SUPPORTED_SCORE = 70
EVIDENCE_BONUS = 15
# Title words compared with an actor's known roles; the rest of a role ("the", "of") says nothing.
# "New Mexico", "New Jersey": a US state, not the country the rest of the name is.
NEW_PLACE = re.compile(r"\bNew\s+$")
TITLE_STOP_WORDS = frozenset(["the", "a", "an", "of", "and", "for", "in", "on", "at", "to"])


def plain(text):
    return " ".join(unidecode(text).casefold().split())


def skeleton(text):
    """A name reduced to what transliterations of it tend to share."""
    text = re.sub(r"[^a-z]", "", plain(text))
    for written, spoken in (("kh", "h"), ("zh", "j"), ("ck", "k"), ("ph", "f"), ("ei", "e"), ("ey", "e")):
        text = text.replace(written, spoken)
    text = text.translate(str.maketrans("lwycq", "rvikk"))
    return re.sub(r"(.)\1+", r"\1", text)


def surname_score(written, known):
    """How alike two surnames are, 0 to 100, as written or as they sound."""
    return max(fuzz.ratio(plain(written), plain(known)), fuzz.ratio(skeleton(written), skeleton(known)))


@dataclass
class NamedRecord:
    """An actor or topic with every spelling it goes by."""

    record_id: int
    name: str
    spellings: list
    kind: str = ""
    affiliation_id: int | None = None
    roles: list = field(default_factory=list)
    # "Chinese", "Japanese": adjectives that name the state where they describe who speaks.
    demonyms: list = field(default_factory=list)

    @property
    def is_person(self):
        return self.kind == ActorKind.PERSON

    @property
    def is_proposed(self):
        """Known from the importer's own data (`world.py`), not recorded: a new actor to propose."""
        return self.record_id < 0

    @property
    def surnames(self):
        return {spelling.split()[-1] for spelling in self.spellings if spelling.split()}

    @property
    def first_names(self):
        return {spelling.split()[0] for spelling in self.spellings if len(spelling.split()) > 1}


@dataclass
class Mention:
    record: NamedRecord
    start: int
    end: int
    as_written: str


class Directory:
    """The records an article may name, with one regular expression that finds all their spellings."""

    def __init__(self, records, exact_case=frozenset()):
        """`exact_case`: spellings matched only as written (the importer's own data: "Turkey" is
        no turkey, "China" no china)."""
        self.records = {record.record_id: record for record in records}
        by_spelling = {}
        for record in records:
            for spelling in record.spellings:
                by_spelling.setdefault(spelling, record)
        self._by_plain = {}
        for spelling, record in by_spelling.items():
            self._by_plain.setdefault(plain(spelling), record)
        exact = [s for s in by_spelling if self._needs_exact_case(s) or s in exact_case]
        self._exact = self._pattern(exact, 0)
        self._any_case = self._pattern([s for s in by_spelling if s not in set(exact)], re.I)
        by_demonym = {demonym: record for record in records for demonym in record.demonyms}
        self._by_demonym = by_demonym
        self._demonyms = self._pattern(list(by_demonym), 0)

    @staticmethod
    def _needs_exact_case(spelling):
        return len(spelling) <= CASE_SENSITIVE_LENGTH or spelling.isupper()

    def demonym_mentions(self, text):
        """The states an adjective names ("Chinese diplomats"), left to right."""
        if self._demonyms is None:
            return []
        # "Mexicans often say": the people as written, the plural's "s" with them
        return [
            Mention(self._by_demonym[match.group()], match.start(), end, text[match.start() : end])
            for match in self._demonyms.finditer(text)
            for end in [match.end() + (text[match.end() : match.end() + 1] == "s")]
        ]

    @staticmethod
    def _pattern(spellings, flags):
        if not spellings:
            return None
        alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
        # A possessive ("Russia's", or "Russias" where a translation lost the apostrophe) still names it.
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?=(?:['’]?s)?(?![\w-]))", flags)

    def mentions(self, text):
        """The records named in `text`, left to right, the longest spelling winning an overlap."""
        found = []
        for pattern in (self._exact, self._any_case):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                record = self._by_plain.get(plain(match.group()))
                if record is not None and not (
                    record.is_proposed and NEW_PLACE.search(text, 0, match.start())
                ):
                    found.append(Mention(record, match.start(), match.end(), match.group()))
        found.sort(key=lambda mention: (mention.start, -(mention.end - mention.start)))
        kept = []
        for mention in found:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        return kept

    def root(self, record):
        """The top of a record's chain of affiliations: a minister's state."""
        seen = set()
        while (
            record.affiliation_id and record.affiliation_id in self.records and record.record_id not in seen
        ):
            seen.add(record.record_id)
            record = self.records[record.affiliation_id]
        return record

    def ranked_people(self, surname, first_name="", role=""):
        """People whose surname is like `surname`, best first, as (score, record, evidence) triples;
        agreeing evidence raises a score for the ranking, up to 100."""
        ranked = []
        for record in self.records.values():
            if not record.is_person or not record.surnames:
                continue
            score = max(surname_score(surname, known) for known in record.surnames)
            evidence = []
            if first_name and any(surname_score(first_name, known) >= 80 for known in record.first_names):
                evidence.append(f"first name {first_name}")
            if role and self._role_agrees(role, record.roles):
                evidence.append(f"title '{role}'")
            ranked.append((score, record, evidence))
        ranked.sort(key=lambda item: min(100, item[0] + EVIDENCE_BONUS * bool(item[2])), reverse=True)
        return ranked

    @staticmethod
    def _role_agrees(role, known_roles):
        words = {word for word in plain(role).split() if word not in TITLE_STOP_WORDS}
        return any(
            len(words & {w for w in plain(known).split() if w not in TITLE_STOP_WORDS}) >= 2
            or (words and fuzz.token_set_ratio(" ".join(sorted(words)), plain(known)) >= 90)
            for known in known_roles
        )


def actor_directory(with_world=True):
    """Every actor, with the roles their recorded claims give them (read only), and the states and
    organisations of `world.world_records` not yet recorded, as new actors to propose."""
    roles = {}
    for speaker_id, role in Claim.objects.exclude(speaker_role="").values_list("speaker_id", "speaker_role"):
        roles.setdefault(speaker_id, set()).add(role)
    records = [
        NamedRecord(
            record_id=pk,
            name=name,
            spellings=[name, *split_aliases(importer_aliases(aliases, unpublished))],
            kind=kind,
            affiliation_id=affiliation_id,
            roles=sorted(roles.get(pk, ())) + ([description] if description else []),
        )
        for pk, name, aliases, unpublished, kind, affiliation_id, description in Actor.objects.values_list(
            "pk", "name", "aliases", "unpublished_aliases", "kind", "affiliation_id", "description"
        )
    ]
    if not with_world:
        return Directory(records)
    return _with_world(records)


def _with_world(records):
    """`records` and the importer's own states and organisations: one that a recorded actor already
    goes by (a spelling in common, and the same kind) lends that actor its other spellings."""
    from .world import world_records

    recorded = {plain(spelling): record for record in records for spelling in record.spellings}
    merged_into, exact_case, proposed = {}, set(), []
    for known in world_records():
        actor = next(
            (
                recorded[plain(spelling)]
                for spelling in known.spellings
                if plain(spelling) in recorded and recorded[plain(spelling)].kind == known.kind
            ),
            None,
        )
        spellings = _as_written_variants(known.spellings)
        exact_case.update(spellings)
        if actor is not None:
            merged_into[known.record_id] = actor.record_id
            new = [s for s in spellings if plain(s) not in recorded]
            actor.spellings = [*actor.spellings, *new]
            actor.demonyms = [*actor.demonyms, *known.demonyms]
            continue
        proposed.append(
            NamedRecord(
                record_id=known.record_id,
                name=known.name,
                spellings=[s for s in spellings if plain(s) not in recorded],
                kind=known.kind,
                affiliation_id=known.affiliation_id,
                demonyms=known.demonyms,
            )
        )
    for record in proposed:
        record.affiliation_id = merged_into.get(record.affiliation_id, record.affiliation_id)
    return Directory(records + [record for record in proposed if record.spellings], exact_case)


def _as_written_variants(spellings):
    """Each spelling, and "The Kremlin" for "the Kremlin" as a sentence opens with it."""
    variants = []
    for spelling in spellings:
        variants.append(spelling)
        if spelling.startswith("the "):
            variants.append("The " + spelling[4:])
    return variants


def topic_directory():
    return Directory(
        [
            NamedRecord(record_id=pk, name=name, spellings=[name, *split_aliases(aliases)])
            for pk, name, aliases in Topic.objects.values_list("pk", "name", "aliases")
        ]
    )
