"""A spelling learned from an imported article is public (shown, searched, in the API) only once a
published claim quotes it: until then no search tells of the unpublished claim that used it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import operations
from claims.merging import merge_actors
from claims.models import Actor
from claims.tests.factories import ActorFactory, ClaimFactory, PublishedClaimFactory
from sources.importing.drafts import _learn_alias
from sources.tests.factories import CitationFactory

pytestmark = pytest.mark.django_db

QUOTING = "Glushko said Russia had not violated the treaty."


@pytest.fixture
def grushko():
    """A public actor with a spelling learned from an import, and the draft claim that quotes it."""
    actor = ActorFactory(name="Alexander Grushko", aliases="Grushko", unpublished_aliases="Glushko")
    published = PublishedClaimFactory(speaker=actor, summary="Grushko rejected the accusation.")
    draft = ClaimFactory(speaker=actor, summary="Grushko denied violating the treaty.")
    CitationFactory(claim=draft, excerpt=QUOTING)
    return actor, published, draft


def found_by(client, spelling):
    """Where an anonymous reader searching `spelling` finds something: each a list of what it found."""
    api = client.get("/api/v1/actors/", {"q": spelling}).json()["results"]
    return {
        "actors": client.get("/actors/", {"q": spelling}).content.decode(),
        "api actors": [actor["name"] for actor in api],
        "claims": client.get("/claims/", {"q": spelling}).content.decode(),
        "by speaker": client.get("/claims/", {"speaker": spelling}).content.decode(),
    }


def test_an_unpublished_spelling_finds_nothing_and_a_published_claim_quoting_it_makes_it_public(
    client, grushko
):
    actor, published, draft = grushko
    found = found_by(client, "Glushko")
    assert actor.get_absolute_url() not in found["actors"]
    assert found["api actors"] == []
    assert published.get_absolute_url() not in found["claims"]
    assert published.get_absolute_url() not in found["by speaker"]
    assert "Glushko" not in client.get(actor.get_absolute_url()).content.decode()

    operations.publish(draft)
    found = found_by(client, "Glushko")
    assert actor.get_absolute_url() in found["actors"]
    assert found["api actors"] == ["Alexander Grushko"]
    assert published.get_absolute_url() in found["claims"]
    assert draft.get_absolute_url() in found["by speaker"]
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "Also written as</dt><dd>Grushko, Glushko</dd>" in page


def test_a_citation_added_to_a_published_claim_makes_public_the_spelling_it_quotes(grushko):
    actor, published, _ = grushko
    CitationFactory(claim=published, excerpt="An unrelated passage.")
    assert Actor.objects.get(pk=actor.pk).alias_list == ["Grushko"]
    CitationFactory(claim=published, excerpt=QUOTING.upper())
    actor.refresh_from_db()
    assert (actor.alias_list, actor.unpublished_aliases) == (["Grushko", "Glushko"], "")


def test_a_citation_saved_as_its_claim_goes_back_to_draft_leaves_the_spelling_unpublished(grushko):
    actor, published, _ = grushko

    operations.edit_claim(
        published,
        publication_state="draft",
        save_related=lambda: CitationFactory(claim=published, excerpt=QUOTING),
    )

    actor.refresh_from_db()
    assert (actor.alias_list, actor.unpublished_aliases) == (["Grushko"], "Glushko")


def test_a_published_claim_quoting_a_spelling_of_someone_else_leaves_it_unpublished(grushko):
    actor, _, _ = grushko
    PublishedClaimFactory(speaker=ActorFactory(name="Sergei Ryabkov"), citation__excerpt=QUOTING)
    actor.refresh_from_db()
    assert (actor.alias_list, actor.unpublished_aliases) == (["Grushko"], "Glushko")


def test_the_actors_api_runs_as_many_queries_however_many_unpublished_spellings(
    client, django_assert_max_num_queries
):
    def public_actor(number, *learned_spellings):
        actor = ActorFactory(name=f"Deputy minister {number}")
        PublishedClaimFactory(speaker=actor)
        for spelling in learned_spellings:  # as the importer learns them
            _learn_alias(actor, spelling, by=None)

    public_actor(0)
    with CaptureQueriesContext(connection) as one_without:
        assert client.get("/api/v1/actors/").status_code == 200
    for number in range(1, 31):
        public_actor(number, f"Minister {number}", f"Deputy {number}")
    with django_assert_max_num_queries(len(one_without)):
        assert len(client.get("/api/v1/actors/").json()["results"]) == 31


def test_merging_carries_the_unpublished_spellings_across_unpublished(grushko):
    actor, _, _ = grushko
    merged = ActorFactory(name="A. Grushko", aliases="Grouchko", unpublished_aliases="Gruschko\nGlushko")
    merge_actors(actor, merged)
    kept = Actor.objects.get(pk=actor.pk)
    assert kept.alias_list == ["Grushko", "A. Grushko", "Grouchko"]
    assert kept.unpublished_aliases == "Glushko\nGruschko"
