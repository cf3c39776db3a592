"""Accepting an imported article's candidates: one transaction writes drafts, and nothing else."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Actor, Claim, ClaimRelation
from claims.tests.factories import ActorFactory, EditorFactory, PublishedClaimFactory, TopicFactory
from sources.importing.drafts import write_accepted
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db


def review(*candidates, **source):
    return {
        "source": {
            "title": "Russia denies violating the Open Skies Treaty",
            "outlet": "Xinhua",
            "url": "https://example.org/open-skies",
            "published_on": "2020-05-22",
            "language": "en",
            "full_text": "MOSCOW, May 22 (Xinhua) -- Glushko said Russia had not violated the treaty.",
            **source,
        },
        "candidates": list(candidates),
    }


def candidate(speaker, **fields):
    return {
        "speaker": speaker,
        "speaker_role": "Russian Deputy Foreign Minister",
        "target": None,
        "kind": "denial",
        "stated_on": "2020-05-22",
        "date_precision": "day",
        "summary": "Grushko said Russia had not violated the Open Skies Treaty.",
        "quote": "",
        "excerpt": "Glushko said Russia had not violated the treaty.",
        "locator": "Paragraph 1",
        "topics": [],
        "duplicates": [],
        "answers": [],
        **fields,
    }


def test_accepting_writes_the_source_draft_claims_citations_relations_and_the_alias_ticked():
    editor = EditorFactory()
    grushko = ActorFactory(name="Alexander Grushko", aliases="")
    topic = TopicFactory(name="Open Skies Treaty")
    accusation = PublishedClaimFactory(summary="Pompeo accused Russia of violating the treaty.")
    denial = candidate(
        {"name": "Alexander Grushko", "actor_id": grushko.pk, "as_written": "Glushko", "learn_alias": True},
        topics=[{"name": "Open Sky Treaty", "topic_id": topic.pk}],
        answers=[accusation.pk],
    )
    newcomer = candidate(
        {"name": "Ivan Petrov", "actor_id": None, "as_written": "Ivan Petrov"},
        kind="assertion",
        summary="Petrov said the treaty still matters.",
        answers=["candidate:0"],
    )

    written = write_accepted(review(denial, newcomer), by=editor)

    source = Source.objects.get(url="https://example.org/open-skies")
    assert (source.outlet, source.published_on.isoformat()) == ("Xinhua", "2020-05-22")
    made = Claim.objects.exclude(pk=accusation.pk).order_by("pk")
    assert [(claim.summary, claim.publication_state, claim.created_by) for claim in made] == [
        ("Grushko said Russia had not violated the Open Skies Treaty.", "draft", editor),
        ("Petrov said the treaty still matters.", "draft", editor),
    ]
    first, second = made
    assert list(first.topics.all()) == [topic]
    assert first.citations.get().excerpt == "Glushko said Russia had not violated the treaty."
    assert ClaimRelation.objects.filter(
        from_claim=first, to_claim=accusation, relation_type="disputes"
    ).exists()
    assert ClaimRelation.objects.filter(
        from_claim=second, to_claim=first, relation_type="responds_to"
    ).exists()
    grushko.refresh_from_db()
    # "Glushko" matches at once next time; readers see it once a published claim quotes it
    assert (grushko.aliases, grushko.unpublished_aliases) == ("", "Glushko")
    assert Actor.objects.get(name="Ivan Petrov").kind == "person"
    assert "2 draft claim(s)" in written.summary()


def test_another_appearance_of_a_recorded_claim_cites_the_article_on_it_and_makes_no_claim():
    known = PublishedClaimFactory()
    write_accepted(review(candidate({"actor_id": known.speaker_id, "name": "x"}, cite_on=known.pk)))
    assert Claim.objects.count() == 1
    assert known.citations.filter(source__url="https://example.org/open-skies").exists()


def test_rejected_candidates_are_left_out_and_a_review_with_none_accepted_writes_nothing():
    speaker = ActorFactory()
    left_out = candidate({"actor_id": speaker.pk, "name": speaker.name}, accepted=False)
    with pytest.raises(ValidationError, match="Accept at least one"):
        write_accepted(review(left_out))
    assert not Source.objects.exists()


def test_a_failure_in_any_candidate_writes_nothing_and_names_the_candidate_and_field():
    speaker = ActorFactory()
    good = candidate({"actor_id": speaker.pk, "name": speaker.name, "as_written": "Someone Else"})
    undated = candidate({"actor_id": speaker.pk, "name": speaker.name}, stated_on="")
    with pytest.raises(ValidationError, match="Candidate 2: stated_on: "):
        write_accepted(review(good, undated))
    assert not Source.objects.exists()
    assert not Claim.objects.exists()
    assert not Citation.objects.exists()
    speaker.refresh_from_db()
    assert "Someone Else" not in speaker.aliases


def test_an_existing_source_with_the_same_url_is_reused():
    existing = Source.objects.create(title="Earlier copy", url="https://example.org/open-skies")
    speaker = ActorFactory()
    written = write_accepted(review(candidate({"actor_id": speaker.pk, "name": speaker.name})))
    assert written.source == existing
    assert not written.source_created
    assert Source.objects.count() == 1
