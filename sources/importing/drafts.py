"""Writing what an editor accepted from an imported article, in one transaction: the source (or
the existing one chosen), new actors and topics named on the review, draft claims with their
citations and relations, citations of the article on claims it repeats, and the spellings the
editor ticked as new aliases of the actors they matched. Nothing is published; a failure writes
nothing.

The review is the importer's JSON (`sources.importing.Extraction.as_json()`), as the editor left
it: each candidate may carry `"accepted": false` (left out), `"cite_on": <claim id>` (another
appearance of a claim already recorded: the article is cited on it, no claim is made), a speaker
with `"learn_alias": true` (the spelling seen becomes an unpublished alias of the actor matched,
kept from readers until a published claim quotes it) or with a `"kind"` for a new actor,
and topics named without a `topic_id` (new topics).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.choices import (
    ActorKind,
    Attribution,
    ClaimKind,
    DatePrecision,
    EvidenceStatus,
    PublicationState,
    RelationType,
)
from claims.history import save_with_history
from claims.models import (
    Actor,
    Claim,
    Topic,
    importer_aliases,
    plain_name,
    split_aliases,
)
from claims.operations import create_claim, relate

from ..dataset import iso_date
from ..models import Citation, CitationStance, Source, SourceKind

# Words that make a new speaker's name an organization's rather than a person's.
ORGANIZATION_WORDS = {"ministry", "department", "office", "agency", "council", "committee", "embassy"}
# Words that refer to someone named elsewhere: never anyone's alias.
PRONOUNS = frozenset(
    [
        *("i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them", "who"),
        *("this", "that", "these", "those", "its", "his", "their", "our", "your"),
    ]
)
DETERMINERS = ("the ", "a ", "an ")


@dataclass
class Written:
    """What accepting a review wrote, for the editor's message and the command's output."""

    source: Source
    source_created: bool
    claims: list = field(default_factory=list)
    cited_on: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    aliases_added: list = field(default_factory=list)
    relations: int = 0

    def summary(self):
        counts = [
            (len(self.claims), "draft claim(s)"),
            (len(self.cited_on), "citation(s) on recorded claims"),
            (len(self.actors), "new actor(s)"),
            (len(self.aliases_added), "new alias(es)"),
            (self.relations, "relation(s)"),
        ]
        source = f"{'created' if self.source_created else 'reused'} source “{self.source.title}”"
        return ", ".join([source, *(f"{count} {what}" for count, what in counts if count)])


def write_accepted(review, *, by=None):
    """Write the accepted candidates of `review`; raise ValidationError (naming the candidate and
    the field) and write nothing if any of it does not hold."""
    candidates = [
        (index, candidate)
        for index, candidate in enumerate(review.get("candidates", []))
        if candidate.get("accepted", True)
    ]
    if not candidates:
        raise ValidationError("Accept at least one candidate claim: nothing was written.")
    with transaction.atomic():
        source, created = _source(review.get("source") or {}, by)
        written = Written(source, created)
        made = {}
        for index, candidate in candidates:
            try:
                if candidate.get("cite_on"):
                    written.cited_on.append(_cite_on_existing(candidate, source, by))
                else:
                    made[index] = _draft_claim(candidate, source, written, by)
            except ValidationError as error:
                raise ValidationError(f"Candidate {index + 1}: {_described(error)}") from None
        for index, claim in made.items():
            written.relations += _relate(claim, review["candidates"][index], made)
        written.claims = list(made.values())
        return written


def _source(fields, by):
    existing = fields.get("existing_source_id")
    if existing:
        return Source.objects.get(pk=existing), False
    url = (fields.get("url") or "").strip()
    if url and (same_url := Source.objects.filter(url=url).first()):
        return same_url, False
    source = Source(
        kind=SourceKind.NEWS_ARTICLE,
        title=(fields.get("title") or "").strip() or "Untitled article",
        outlet=fields.get("outlet") or "",
        author=fields.get("author") or "",
        url=url,
        published_on=_date(fields.get("published_on")),
        language=fields.get("language") or "",
        full_text=fields.get("full_text") or "",
        retrieved_on=datetime.date.today(),
    )
    _save(source, by)
    return source, True


def _draft_claim(candidate, source, written, by):
    speaker = _actor(candidate.get("speaker"), written, by, required="speaker")
    target = _actor(candidate.get("target"), written, by) if candidate.get("target") else None
    claim = Claim(
        summary=(candidate.get("summary") or "").strip(),
        quote=candidate.get("quote") or "",
        speaker=speaker,
        speaker_role=candidate.get("speaker_role") or "",
        target=target,
        kind=candidate.get("kind") or ClaimKind.ASSERTION,
        stated_on=_date(candidate.get("stated_on")),
        stated_on_precision=candidate.get("date_precision") or DatePrecision.DAY,
        evidence_status=EvidenceStatus.UNREVIEWED,
        # Read in an article: someone reports the words, the speaker's own record is not at hand.
        attribution=Attribution.REPORTED,
        publication_state=PublicationState.DRAFT,
        created_by=by,
    )
    claim.full_clean(exclude=["slug"])  # made from the summary when saved
    create_claim(
        claim,
        note=f"Imported from “{source.title}”",
        by=by,
        topics=_topics(candidate.get("topics", []), by),
        save_related=lambda: _cite(claim, candidate, source, by),
    )
    return claim


def _cite_on_existing(candidate, source, by):
    claim = Claim.objects.get(pk=candidate["cite_on"])
    _cite(claim, candidate, source, by)
    return claim


def _cite(claim, candidate, source, by):
    if Citation.objects.filter(claim=claim, source=source, stance=CitationStance.REPORTS).exists():
        return
    citation = Citation(
        claim=claim,
        source=source,
        stance=CitationStance.REPORTS,
        excerpt=candidate.get("excerpt") or "",
        locator=candidate.get("locator") or "",
    )
    citation.full_clean()
    _save(citation, by, reason=f"Imported from “{source.title}”")


def _actor(match, written, by, required=None):
    """The actor `match` names: the matched one (learning the spelling seen as an alias when the
    editor ticked it), or a new one with that name (and kind, affiliation, a recorded actor or
    another new one, and for a person their role as description, when the editor gave them)."""
    match = match or {}
    as_written = (match.get("as_written") or match.get("name") or "").strip()
    if match.get("actor_id"):
        actor = Actor.objects.get(pk=match["actor_id"])
        aliases = importer_aliases(actor.aliases, actor.unpublished_aliases)
        offer = alias_offer(as_written, actor.name, aliases, actor.kind)
        if match.get("learn_alias") and offer and _learn_alias(actor, as_written, by):
            written.aliases_added.append((actor, as_written))
        return actor
    name = (match.get("name") or as_written).strip()
    if not name:
        if required:
            raise ValidationError({required: "Choose a known actor or give a name."})
        return None
    for actor in written.actors:  # a new actor named twice in one article is made once
        if plain_name(actor.name) == plain_name(name):
            return actor
    kind = match.get("kind") if match.get("kind") in ActorKind.values else _guess_kind(name)
    affiliation = _actor(match["affiliation"], written, by) if match.get("affiliation") else None
    # A person's role ("Deputy Foreign Minister") describes them; a spokesperson's, not their office.
    role = match.get("role", "") if kind == ActorKind.PERSON else ""
    description = (match.get("description") or role or "").strip()[:300]
    actor = Actor(name=name, kind=kind, description=description, affiliation=affiliation)
    actor.full_clean(exclude=["slug"])  # made from the name when saved
    _save(actor, by, reason="Named in an imported article")
    written.actors.append(actor)
    return actor


def alias_offer(spelling, name, aliases, kind):
    """Whether the review offers `spelling` (as an article wrote an actor's name) as a new alias of
    the actor `name`: None when it is known already or never an alias (a pronoun, a common noun, a
    lone place name standing for an office: "London" for the Foreign Office), else
    `{"spelling", "suggested"}`, suggested (ticked) only when it shares a word with a known
    spelling or is its acronym."""
    spelling = " ".join(spelling.split())
    known = [name, *split_aliases(aliases)]
    if not spelling or plain_name(spelling) in {plain_name(each) for each in known}:
        return None
    bare = spelling[len(spelling.split()[0]) + 1 :] if spelling.lower().startswith(DETERMINERS) else spelling
    words = bare.split()
    if not words or spelling.lower() in PRONOUNS or not any(word[:1].isupper() for word in words):
        return None
    is_acronym = len(words) == 1 and words[0].isupper() and len(words[0]) > 1
    known_words = {word for each in known for word in plain_name(each).split()}
    shares_a_word = bool(set(plain_name(bare).split()) & known_words)
    lone_place = len(words) == 1 and bare == spelling and not is_acronym and not shares_a_word
    if lone_place and kind == ActorKind.ORGANIZATION:
        return None
    initials = {"".join(word[0] for word in each.split() if word[:1].isupper()) for each in known}
    return {"spelling": spelling, "suggested": shares_a_word or (is_acronym and words[0] in initials)}


def _learn_alias(actor, spelling, by):
    """Add `spelling` to the actor's unpublished aliases: the importer knows it from now on,
    readers once a published claim quotes it (`ActorQuerySet.publish_spellings_quoted_by`)."""
    known = [actor.name, *split_aliases(importer_aliases(actor.aliases, actor.unpublished_aliases))]
    if plain_name(spelling) in {plain_name(name) for name in known}:
        return False
    actor.unpublished_aliases = "\n".join([*split_aliases(actor.unpublished_aliases), spelling])
    _save(actor, by, reason=f"Spelling “{spelling}” seen in an imported article")
    return True


def _guess_kind(name):
    words = set(name.lower().split())
    return ActorKind.ORGANIZATION if words & ORGANIZATION_WORDS else ActorKind.PERSON


def _topics(named, by):
    """The topics the candidate names: recorded ones by id or name, new ones made with the name."""
    topics = []
    for entry in named:
        topic_id = entry.get("topic_id") if isinstance(entry, dict) else None
        name = (entry.get("name", "") if isinstance(entry, dict) else str(entry)).strip()
        found = Topic.objects.filter(pk=topic_id).first() if topic_id else None
        found = found or (Topic.objects.sharing_a_name_with(name).first() if name else None)
        if found is None and name and not topic_id:
            found = Topic(name=name)
            found.full_clean(exclude=["slug"])
            _save(found, by, reason="Named in an imported article")
        if found and found not in topics:
            topics.append(found)
    return topics


def _relate(claim, candidate, made):
    """Relations from the new claim to what it answers: existing claims (ids) or other candidates
    of the article ("candidate:N", 0-based)."""
    count = 0
    disputes = claim.kind in ClaimKind.answers_to_accusations()
    relation_type = RelationType.DISPUTES if disputes else RelationType.RESPONDS_TO
    for answered in candidate.get("answers", []):
        if isinstance(answered, str) and answered.startswith("candidate:"):
            other = made.get(int(answered.split(":", 1)[1]))
        else:
            other = Claim.objects.filter(pk=answered).first()
        if other is None or other.pk == claim.pk:
            continue
        _, created = relate(claim, other, relation_type)
        count += created
    return count


def _described(error):
    """ "stated_on: This field cannot be null." for each field the error names."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def _date(value):
    try:
        return iso_date(value)
    except ValueError:
        raise ValidationError({"stated_on": f"Not an ISO date: {value!r}."}) from None


def _save(instance, by, reason=""):
    save_with_history(instance, reason=reason, by=by)
