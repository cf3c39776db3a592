"""The importer's proposals for one article, as the editor reviews them: what the extraction found
(`sources.importing`), and for each candidate the recorded claims it may repeat (`duplicates`)
and the claims, recorded or in the same article, that it answers (`answers`), each with a reason.
Nothing is written here: `sources.article_drafts` writes what the editor accepts."""

import datetime
import operator
from functools import reduce

from django.db.models import Q

from claims.choices import ClaimKind
from claims.models import Actor, Claim

from .importing import extract_article
from .models import Source

# A recorded claim at least this similar to a candidate is offered as the claim it repeats.
DUPLICATE_SIMILARITY = 0.35
MOST_SUGGESTIONS = 3


def review_article(text, *, url="", published_on=None, outlet="", is_html=None):
    """The article's source and candidate claims as JSON-ready dicts (the `import_article --json`
    shape), with duplicates, answers and an existing source to reuse where one is found."""
    proposal = extract_article(
        text, url=url, published_on=published_on, outlet=outlet, is_html=is_html
    ).as_json()
    existing = _existing_source(proposal["source"], text)
    if existing is not None and published_on is None and existing.published_on:
        # The article is recorded already: its date dates the statements (a dateline rarely has a year).
        proposal = extract_article(
            text, url=url, published_on=existing.published_on, outlet=outlet, is_html=is_html
        ).as_json()
    proposal["source"]["existing_source_id"] = existing.pk if existing else None
    candidates = proposal["candidates"]
    for candidate in candidates:
        candidate["duplicates"], candidate["duplicate_reasons"] = _duplicates(candidate)
    for index, candidate in enumerate(candidates):
        candidate["answers"], candidate["answer_reasons"] = _answers(index, candidate, candidates)
    return proposal


def _existing_source(source, text):
    """A recorded source with the article's URL, or else with its very text (as given, or as
    extracted from the page)."""
    if source.get("url"):
        return Source.objects.filter(url=source["url"]).first()
    texts = {version for version in (text, text.strip(), source.get("full_text", "")) if version.strip()}
    if not texts:
        return None
    # One equality each, which the hash index `source_full_text_hash` serves (it cannot serve IN).
    return Source.objects.filter(reduce(operator.or_, (Q(full_text=version) for version in texts))).first()


def _similar(candidate, claims=None):
    text = " ".join(part for part in (candidate.get("summary"), candidate.get("excerpt")) if part)
    if not text.strip():
        return []
    speaker_id = (candidate.get("speaker") or {}).get("actor_id")
    speaker = Actor.objects.filter(pk=speaker_id).first() if speaker_id else None
    stated_on = candidate.get("stated_on")
    around = datetime.date.fromisoformat(stated_on) if isinstance(stated_on, str) else stated_on
    claims = Claim.objects.all() if claims is None else claims
    similar = claims.similar_to(text, speaker=speaker, around=around).select_related("speaker")
    return list(similar[:MOST_SUGGESTIONS])


def _duplicates(candidate):
    """Recorded claims by the same speaker saying the same thing: citing the article on one of
    them is the right move, not a new claim."""
    speaker_id = (candidate.get("speaker") or {}).get("actor_id")
    if not speaker_id:
        return [], []
    found = [
        claim
        for claim in _similar(candidate, Claim.objects.filter(speaker_id=speaker_id))
        if claim.similarity >= DUPLICATE_SIMILARITY
    ]
    reasons = [f"Same speaker, {claim.similarity:.0%} similar: “{claim.summary}”" for claim in found]
    return [claim.pk for claim in found], reasons


def _answers(index, candidate, candidates):
    """What a denial or counter-accusation answers: accusations against its speaker (or the body
    the speaker speaks for), recorded or earlier in the same article."""
    if candidate.get("kind") not in ClaimKind.answers_to_accusations():
        return [], []
    speaker_id = (candidate.get("speaker") or {}).get("actor_id")
    accused = _speaking_for(speaker_id)
    if not accused:
        return [], []
    answers, reasons = [], []
    for other_index, other in enumerate(candidates):
        target_id = (other.get("target") or {}).get("actor_id")
        if other_index != index and other.get("kind") in ClaimKind.accusations() and target_id in accused:
            answers.append(f"candidate:{other_index}")
            reasons.append(f"Answers candidate {other_index + 1}, an accusation against {_name(target_id)}")
    recorded = Claim.objects.accusations().filter(target_id__in=accused)
    for claim in _similar(candidate, recorded):
        answers.append(claim.pk)
        reasons.append(f"Answers “{claim.summary}”, an accusation against {_name(claim.target_id)}")
    return answers, reasons


def _speaking_for(actor_id):
    """The actor and those it speaks for (its affiliation, and that one's): a deputy minister's
    denial answers an accusation against the ministry or the state."""
    ids = []
    actor = Actor.objects.select_related("affiliation__affiliation").filter(pk=actor_id).first()
    while actor is not None and actor.pk not in ids:
        ids.append(actor.pk)
        actor = actor.affiliation
    return ids


def _name(actor_id):
    return Actor.objects.filter(pk=actor_id).values_list("name", flat=True).first() or "an unknown actor"
