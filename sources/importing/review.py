"""The importer's proposals for one article, as the editor reviews them: what the extraction found
(`extraction.extract_article`), and for each candidate the recorded claims it may repeat (`duplicates`)
and the claims, recorded or in the same article, that it answers (`answers`), each with a reason.
No claim is written here (its searches store the re-ranking vectors they compute for recorded
claims that had none): `drafts` writes what the editor accepted.

Every review is bounded by what an editor can check on one page: at most `MOST_CANDIDATES`
candidates, `MOST_ANSWERS` answers each, one search for similar recorded claims per candidate (none
for a candidate that can neither repeat nor answer one), and `TIME_BUDGET_SECONDS` in all, after
which it returns what it has. Each bound that cut something is told in `proposal["notices"]`."""

import datetime
import itertools
import operator
import re
import socket
import time
from functools import reduce

from django.db.models import Q

from claims.choices import ClaimKind, DatePrecision
from claims.models import Actor, Claim, importer_aliases, plain_name

from ..models import Source
from .drafts import alias_offer
from .extraction import extract_article

# A recorded claim at least this similar to a candidate is offered as the claim it repeats; at
# least `SAME_CLAIM_SIMILARITY` and stated within `SAME_CLAIM_DAYS` of it, it is proposed as the
# claim to cite the article on. (On PostgreSQL, the seed articles' candidates, each's summary and
# excerpt ranked against the curated claims of its speaker: the claim quoting the candidate's own
# sentence scores from 0.31, median 0.51 (9 pairs); the speaker's other claims median 0.26, one in
# twenty above 0.47 (319). Re-reading the best lifts both: these thresholds, 0.3 and 0.45 before
# it, keep as many pairs of each kind above them as those did: 8 and 5 of the 9, 72 and 7 of the
# 319, against 70 and 7.)
DUPLICATE_SIMILARITY = 0.35
SAME_CLAIM_SIMILARITY = 0.5
SAME_CLAIM_DAYS = 7
MOST_SUGGESTIONS = 3
MOST_CANDIDATES = 60
MOST_ANSWERS = 3
# From the finest to the coarsest.
DATE_PRECISIONS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
# How long after a statement another may still answer it; older ones are background.
ANSWERS_WITHIN = datetime.timedelta(days=31)
TIME_BUDGET_SECONDS = 8.0
# Words that usually tell someone's statement. An article with more of them than `MOST_CUES` is
# read up to the line (or sentence) of the last one: beyond it lie more candidates than a review
# shows, and finding them costs the extraction far more than their count.
STATEMENT_CUE = re.compile(
    r"\b(?:said|says|told|tells|stated|states|added|noted|denied|denies|accused|accuses|claimed|claims"
    r"|warned|called|urged|insisted|rejected|dismissed|responded|replied|stressed|announced|according to)\b",
    re.IGNORECASE,
)
MOST_CUES = 2 * MOST_CANDIDATES
# "rejected the US allegations", "said the accusations were unfounded": the accusation named.
REPORTED_ACCUSATION = re.compile(r"\b(?:accusations?|allegations?|charges)\b", re.IGNORECASE)
# A candidate that disputes, accuses or reacts answers the other side's statements; a bare
# assertion or position does so only when its words say it replies.
RESPONSE_WORDS = (
    "in response",
    "responded",
    "responding",
    "in reply",
    "replied",
    "reacted",
    "reacting",
    "rejected",
    "regret",
    "in this regard",
    "countered",
    "dismissed",
)


def review_article(
    text, *, url="", published_on=None, outlet="", is_html=None, deadline=None, should_stop=None
):
    """The article's source and candidate claims as JSON-ready dicts (the `import_article --json`
    shape), with duplicates, answers and an existing source to reuse where one is found.

    `deadline` (a `time.monotonic()` value, `TIME_BUDGET_SECONDS` from now unless given) and
    `should_stop` (a callable, true once nobody waits for the answer) end the work early."""
    deadline = deadline or time.monotonic() + TIME_BUDGET_SECONDS
    should_stop = should_stop or (lambda: False)
    notices = []
    given_text = text
    text, cut = _readable_part(text, is_html)
    if cut:
        notices.append(
            f"The article holds more statements than one review can show: it was read up to “{cut}”. "
            "Import the rest separately."
        )
    extraction = extract_article(
        text, url=url, published_on=published_on, outlet=outlet, is_html=is_html, deadline=deadline
    )
    existing = _existing_source(extraction.source.url, given_text, extraction.source.full_text)
    if existing is not None and published_on is None and existing.published_on and not should_stop():
        # The article is recorded already: its date dates the statements (a dateline rarely has a year).
        extraction = extract_article(
            text,
            url=url,
            published_on=existing.published_on,
            outlet=outlet,
            is_html=is_html,
            deadline=deadline,
        )
    if extraction.truncated:
        notices.append(
            "The article is long: only its first part was read in the time a review may take. "
            "Add what was missed by selecting it in the article."
        )
    proposal = extraction.as_json()
    proposal.pop("truncated", None)
    proposal["source"]["existing_source_id"] = existing.pk if existing else None
    proposal["source"].pop("paragraphs", None)  # the page splits the text itself
    candidates = proposal["candidates"]
    if len(candidates) > MOST_CANDIDATES:
        notices.append(
            f"The importer found {len(candidates)} candidate claims; the first {MOST_CANDIDATES} are "
            "shown. Import the rest of the article separately."
        )
        del candidates[MOST_CANDIDATES:]
    actors = _actors_named(candidates)
    for candidate in candidates:
        candidate.setdefault("duplicates", [])
        candidate["duplicate_reasons"], candidate["answer_reasons"] = [], []
        candidate["answers"] = []
        candidate["speaker"]["alias_offer"] = _alias_offer(candidate["speaker"], actors)
    _answers_in_the_article(candidates, actors, notices)
    for number, candidate in enumerate(candidates, start=1):
        if time.monotonic() > deadline or should_stop():
            notices.append(
                f"The review stopped looking for recorded claims at candidate {number} of "
                f"{len(candidates)}, to answer in time: check the rest against the record yourself."
            )
            break
        _recorded_claims(candidate, actors)
    proposal["notices"] = notices
    return proposal


def client_has_gone(request):
    """Whether the client of `request` has hung up (the editor left the page), where the server
    tells: gunicorn hands the view its socket, which a peek reads as empty once the client closed it."""
    connection = request.META.get("gunicorn.socket")
    if connection is None:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _readable_part(text, is_html):
    """(text, "") when it holds at most `MOST_CUES` statement cues, else (the text up to the end of
    the line or sentence of the last cue read, the words where it ends). A web page is read whole:
    its markup is no statement, and its size is capped at upload."""
    if is_html or (is_html is None and text.lstrip()[:1] == "<"):
        return text, ""
    cues = STATEMENT_CUE.finditer(text)
    read = list(itertools.islice(cues, MOST_CUES))
    if len(read) < MOST_CUES or next(cues, None) is None:
        return text, ""
    last = read[-1]
    ends = [at for at in (text.find("\n", last.end()), text.find(". ", last.end())) if at >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[:end], " ".join(text[max(end - 60, 0) : end].split()[1:])


def _existing_source(url, text, full_text):
    """A recorded source with the article's URL, or else with its very text (as given, or as
    extracted from the page)."""
    if url:
        return Source.objects.filter(url=url).first()
    texts = {version for version in (text, text.strip(), full_text or "") if version.strip()}
    if not texts:
        return None
    # One equality each, which the hash index `source_full_text_hash` serves (it cannot serve IN).
    return Source.objects.filter(reduce(operator.or_, (Q(full_text=version) for version in texts))).first()


def _actors_named(candidates):
    """{id: (name, kind, aliases, unpublished aliases, ids it speaks for)} of every actor the
    candidates name (or name as a new speaker's affiliation), in one query: a deputy minister's
    denial answers an accusation against the ministry or the state."""
    ids = set()
    for candidate in candidates:
        speaker = candidate.get("speaker") or {}
        ids.add(speaker.get("actor_id"))
        ids.add((speaker.get("affiliation") or {}).get("actor_id"))
        ids.add((candidate.get("target") or {}).get("actor_id"))
    ids.discard(None)
    rows = Actor.objects.filter(pk__in=ids).values_list(
        *["pk", "name", "kind", "aliases", "unpublished_aliases"],
        *["affiliation_id", "affiliation__affiliation_id"],
    )
    return {
        pk: {
            "name": name,
            "kind": kind,
            "aliases": importer_aliases(aliases, unpublished),
            "sides": {pk, affiliation, grand} - {None},
        }
        for pk, name, kind, aliases, unpublished, affiliation, grand in rows
    }


def _sides(match, actors):
    """The sides an actor speaks for: a recorded actor's id and its affiliations' ids; a new
    actor's name ("new:" and its plain spelling) and its affiliation's sides, so that a new
    spokesperson of a new state answers an accusation against that state."""
    match = match or {}
    actor_id = match.get("actor_id")
    if actor_id is not None:
        return actors[actor_id]["sides"] if actor_id in actors else {actor_id}
    if not match.get("name") or match.get("unnamed"):
        return set()
    return {f"new:{plain_name(match['name'])}"} | _sides(match.get("affiliation"), actors)


def _recorded_sides(match, actors):
    return {side for side in _sides(match, actors) if isinstance(side, int)}


def _alias_offer(speaker, actors):
    actor = actors.get(speaker.get("actor_id"))
    if actor is None:
        return None
    return alias_offer(speaker.get("as_written") or "", actor["name"], actor["aliases"], actor["kind"])


def _answers_in_the_article(candidates, actors, notices):
    """Links between candidates of the article. An accusation, denial or counter-accusation answers
    the accusations against its side ("accused each other" links both ways); one that disputes or
    says it replies answers the statements of the side it targets reported before it, or with no
    target, the other side's statement just before it. Any other statement that names another
    side of the article ("regretted the US withdrawal") responds to what that side said before it.
    Only what was said at most `ANSWERS_WITHIN` before it (`_may_answer`). The nearest first, at
    most `MOST_ANSWERS` each; one pass over the candidates per side, never over every pair."""
    by_side, accusing = {}, {}
    spellings = _side_spellings(candidates, actors)
    for index, candidate in enumerate(candidates):
        for side in _sides(candidate["speaker"], actors):
            by_side.setdefault(side, []).append(index)
        if candidate.get("kind") in ClaimKind.accusations():
            for side in _sides(candidate.get("target"), actors):
                accusing.setdefault(side, []).append(index)
    capped = 0
    for index, candidate in enumerate(candidates):
        own = _sides(candidate["speaker"], actors)
        if not own:
            continue
        kind = candidate.get("kind")
        disputes = kind in ClaimKind.answers_to_accusations()

        # "rejected the US allegations": a denial naming the accusation answers it however old it is
        names_it = kind == ClaimKind.DENIAL and REPORTED_ACCUSATION.search(candidate.get("excerpt") or "")

        def other_side(other, own=own, index=index, names_it=names_it):
            return (
                other != index
                and not own & _sides(candidates[other]["speaker"], actors)
                and _may_answer(candidates[index], candidates[other], any_age=names_it)
            )

        found = {}
        if disputes or kind in ClaimKind.accusations():
            for side in own:
                for other in accusing.get(side, []):
                    if other_side(other):
                        target = (candidates[other].get("target") or {}).get("name") or "it"
                        found.setdefault(other, f"an accusation against {target}")
        replies = disputes or _says_it_replies(candidate)
        if replies or kind in ClaimKind.accusations():
            targets = _sides(candidate.get("target"), actors) - own
            # What the side it targets said before it: an article reports what is answered first.
            for side in targets:
                for other in by_side.get(side, []):
                    if other < index and other_side(other):
                        found.setdefault(
                            other, f"what {candidate['target'].get('name')} said, which it answers"
                        )
            if replies and not targets and not found:
                earlier = [
                    other
                    for other in range(index)
                    if other_side(other) and _sides(candidates[other]["speaker"], actors)
                ]
                if earlier:
                    found[earlier[-1]] = "the other side's statement just before, which it answers"
        elif kind not in ClaimKind.accusations():
            for side, name in _sides_named(candidate.get("summary") or "", spellings, own):
                earlier = [other for other in by_side.get(side, []) if other < index and other_side(other)]
                if earlier:
                    found.setdefault(earlier[-1], f"what {name} said just before, of which it speaks")
        nearest = sorted(found, key=lambda other: (abs(other - index), other))
        capped += len(nearest) > MOST_ANSWERS
        for other in nearest[:MOST_ANSWERS]:
            candidate["answers"].append(f"candidate:{other}")
            candidate["answer_reasons"].append(f"Answers candidate {other + 1}, {found[other]}")
    if capped:
        notices.append(
            f"{capped} candidate(s) could answer more statements of the article than the "
            f"{MOST_ANSWERS} nearest, which are linked; link others by hand."
        )


def _side_spellings(candidates, actors):
    """{side: (name, pattern)} for each side a candidate speaks for: how a statement names it (a
    recorded actor's name and aliases, a new actor's name), capitalised as names are."""
    spellings = {}
    for candidate in candidates:
        speaker = candidate.get("speaker") or {}
        for match in (speaker, speaker.get("affiliation")):
            for side in _sides(match, actors) if match else ():
                if side in spellings:
                    continue
                names = [actors[side]["name"], *actors[side]["aliases"]] if side in actors else []
                if isinstance(side, str):
                    names = [match["name"]] if plain_name(match["name"]) == side.removeprefix("new:") else []
                names = [name for name in names if name[:1].isupper()]
                if names:
                    pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
                    spellings[side] = (names[0], re.compile(rf"\b(?:{pattern})\b"))
    return spellings


def _sides_named(text, spellings, own):
    """(side, its name) of each side other than `own` that `text` names."""
    return [
        (side, name)
        for side, (name, pattern) in spellings.items()
        if side not in own and pattern.search(text)
    ]


def _may_answer(answering, answered, any_age=False):
    """Whether `answering` was said at most `ANSWERS_WITHIN` after `answered` (at any time after
    it, with `any_age`), and not before it, compared at the coarser of their dates' precisions: a
    statement answers what was said lately, not what it reports as background months or years
    before (nor anything said after it)."""
    if not (answered.get("stated_on") and answering.get("stated_on")):
        return True
    coarser = max(
        (DatePrecision(each.get("date_precision") or DatePrecision.DAY) for each in (answered, answering)),
        key=DATE_PRECISIONS.index,
    )
    gap = coarser.truncate(_as_date(answering["stated_on"])) - coarser.truncate(
        _as_date(answered["stated_on"])
    )
    return datetime.timedelta(0) <= gap and (any_age or gap <= ANSWERS_WITHIN)


def _as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _says_it_replies(candidate):
    text = " ".join((candidate.get("excerpt") or "", candidate.get("summary") or "")).lower()
    return any(word in text for word in RESPONSE_WORDS)


def _recorded_claims(candidate, actors):
    """The recorded claims the candidate repeats (same speaker, similar words) and, for a denial or
    counter-accusation, the accusations against its side it answers, ranked by
    `Claim.objects.answered_by` (the similarity with the speaker and target roles swapped): one
    search for each, none for a candidate that can neither repeat nor answer a recorded claim."""
    speaker = candidate.get("speaker") or {}
    speaker_id = speaker.get("actor_id")
    answering = candidate.get("kind") in ClaimKind.answers_to_accusations()
    # A new spokesperson of a recorded ministry answers as the ministry.
    answerer = speaker_id or (speaker.get("affiliation") or {}).get("actor_id") if answering else None
    text = " ".join(part for part in (candidate.get("summary"), candidate.get("excerpt")) if part)
    if not text.strip() or not (speaker_id or answerer):
        return
    stated_on = candidate.get("stated_on")
    around = datetime.date.fromisoformat(stated_on) if isinstance(stated_on, str) else stated_on
    if speaker_id:
        similar = Claim.objects.filter(speaker_id=speaker_id).similar_to(
            text, speaker=speaker_id, around=around, limit=MOST_SUGGESTIONS
        )
        duplicates = [claim for claim in similar if claim.similarity >= DUPLICATE_SIMILARITY]
        for claim in duplicates:
            candidate["duplicates"].append(claim.pk)
            candidate["duplicate_reasons"].append(
                f"Same speaker, {claim.similarity:.0%} similar: “{claim.summary}”"
            )
        if duplicates and _is_the_same_claim(duplicates[0], around):
            candidate["same_claim"] = duplicates[0].pk
    if answerer:
        target_id = (candidate.get("target") or {}).get("actor_id")
        topics = [topic["topic_id"] for topic in candidate.get("topics") or [] if topic.get("topic_id")]
        answered = Claim.objects.answered_by(
            text, speaker=answerer, target=target_id, topics=topics or None, around=around, limit=MOST_ANSWERS
        ).select_related("target")
        for claim in answered:
            candidate["answers"].append(claim.pk)
            candidate["answer_reasons"].append(
                f"Answers “{claim.summary}”, an accusation against {claim.target.name} "
                f"({claim.similarity:.0%}: {claim.similarity_reason})"
            )


def _is_the_same_claim(claim, around):
    near = around is None or abs((claim.stated_on - around).days) <= SAME_CLAIM_DAYS
    return claim.similarity >= SAME_CLAIM_SIMILARITY and near
