"""Every way the records readers see are written moves the public cache's version: a reader who
saw a page sees the change at the next request, whether an editor saved in the admin or the API,
merged two records, loaded the dataset or accepted an imported article."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from claims import operations
from claims.merging import merge_actors, merge_topics
from claims.models import Claim
from claims.tests.factories import ActorFactory, ClaimRelationFactory, PublishedClaimFactory, TopicFactory
from claims.tests.test_admin import admin_url, claim_form_data
from sources.importing.drafts import write_accepted
from sources.merging import merge_sources
from sources.tests.factories import CitationFactory, SourceFactory
from sources.tests.test_article_drafts import candidate, review
from sources.tests.test_dataset import SMALL_DATASET, write
from tracker.tests.helpers import html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600  # as deployed


def admin_form_data(editor_client, model, pk, **changes):
    """The POST of the admin's change form of a record as it stands, with `changes`."""
    page = editor_client.get(admin_url(model, "change", pk))
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **changes}


def saved_in_admin(editor_client, model, record, **changes):
    response = editor_client.post(
        admin_url(model, "change", record.pk), admin_form_data(editor_client, model, record.pk, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors


# Each write below reads the page it changes first (so that the page is stored), writes, and says
# what the page shows (`shown`) or no longer shows (`gone`) after the write.


def admin_saves_an_actor(claim, client, editor_client, **_):
    url = read_first(client, claim.speaker.get_absolute_url())
    saved_in_admin(editor_client, "claims.actor", claim.speaker, name="Alexander V. Grushko")
    return url, "Alexander V. Grushko", None


def admin_saves_a_topic(claim, client, editor_client, **_):
    topic = claim.topics.get()
    url = read_first(client, topic.get_absolute_url())
    saved_in_admin(editor_client, "claims.topic", topic, name="The Open Skies Treaty of 1992")
    return url, "The Open Skies Treaty of 1992", None


def admin_saves_a_source(claim, client, editor_client, **_):
    source = claim.citations.get().source
    url = read_first(client, claim.get_absolute_url())
    saved_in_admin(editor_client, "sources.source", source, title="Grushko on the treaty, in full")
    return url, "Grushko on the treaty, in full", None


def admin_saves_a_claim(claim, client, editor_client, **_):
    url = read_first(client, claim.get_absolute_url())
    data = claim_form_data(claim, summary="Grushko said the treaty was kept to the letter.")
    data["speaker"] = claim.speaker_id
    response = editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return url, "kept to the letter", None


def the_api_edits_a_claim(claim, client, editor_api, **_):
    url = read_first(client, claim.get_absolute_url())
    response = editor_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary": "Grushko said the treaty held."})
    assert response.status_code == 200
    return url, "the treaty held", None


def actors_are_merged(claim, client, **_):
    kept = ActorFactory(name="Alexander Viktorovich Grushko")
    url = read_first(client, claim.get_absolute_url())
    merge_actors(kept, claim.speaker)
    return url, "Alexander Viktorovich Grushko", None


def topics_are_merged(claim, client, **_):
    kept = PublishedClaimFactory(topics=[TopicFactory(name="Treaty on Open Skies")]).topics.get()
    url = read_first(client, kept.get_absolute_url(), showing="these 1 claim")
    merge_topics(kept, claim.topics.get())
    return url, "these 2 claims", None


def sources_are_merged(claim, client, **_):
    kept = SourceFactory(title="The interview as broadcast")
    url = read_first(client, claim.get_absolute_url())
    merge_sources(kept, claim.citations.get().source)
    return url, "The interview as broadcast", None


def claims_are_merged(claim, client, **_):
    kept = PublishedClaimFactory(summary="Grushko denied any violation, again.")
    url = read_first(client, "/claims/")
    operations.merge_claims(kept, claim)
    return url, None, claim.summary


def the_dataset_is_loaded(claim, client, tmp_path, **_):
    url = read_first(client, "/claims/")
    call_command("load_dataset", write(tmp_path, SMALL_DATASET), stdout=StringIO())
    return url, "Trump said Russia violated the Open Skies Treaty.", None


def an_imported_article_is_accepted(claim, client, **_):
    url = read_first(client, claim.get_absolute_url())
    cited = candidate({"actor_id": claim.speaker_id, "name": claim.speaker.name}, cite_on=claim.pk)
    write_accepted(review(cited, title="Xinhua: Moscow denies violating the treaty"))
    return url, "Xinhua: Moscow denies violating the treaty", None


def a_relation_is_saved(claim, client, **_):
    accusation = PublishedClaimFactory(summary="Pompeo accused Russia of violating the treaty.")
    url = read_first(client, claim.get_absolute_url())
    ClaimRelationFactory(from_claim=claim, to_claim=accusation)
    return url, accusation.summary, None


def a_relation_is_deleted(claim, client, **_):
    accusation = PublishedClaimFactory(summary="Pompeo accused Russia of violating the treaty.")
    relation = ClaimRelationFactory(from_claim=claim, to_claim=accusation)
    url = read_first(client, claim.get_absolute_url(), showing=accusation.summary)
    relation.delete()
    return url, None, accusation.summary


def a_citation_is_saved(claim, client, **_):
    source = SourceFactory(title="TASS: Grushko on Open Skies")
    url = read_first(client, claim.get_absolute_url())
    CitationFactory(claim=claim, source=source)
    return url, source.title, None


def a_citation_is_deleted(claim, client, **_):
    citation = CitationFactory(claim=claim, source=SourceFactory(title="TASS: Grushko on Open Skies"))
    url = read_first(client, claim.get_absolute_url(), showing=citation.source.title)
    citation.delete()
    return url, None, citation.source.title


def claims_are_updated_in_bulk(claim, client, **_):
    url = read_first(client, claim.get_absolute_url())
    Claim.objects.filter(pk=claim.pk).update(summary="Grushko said Russia complied in full.")
    return url, "complied in full", None


def read_first(client, url, showing=None):
    """Read `url` twice, so that it is stored and served from the cache, before the write."""
    first = html(client, url)
    assert html(client, url) == first
    if showing is not None:
        assert showing in first
    return url


WRITES = [
    admin_saves_an_actor,
    admin_saves_a_topic,
    admin_saves_a_source,
    admin_saves_a_claim,
    the_api_edits_a_claim,
    actors_are_merged,
    topics_are_merged,
    sources_are_merged,
    claims_are_merged,
    the_dataset_is_loaded,
    an_imported_article_is_accepted,
    a_relation_is_saved,
    a_relation_is_deleted,
    a_citation_is_saved,
    a_citation_is_deleted,
    claims_are_updated_in_bulk,
]


@pytest.mark.parametrize("write_records", WRITES, ids=lambda write: write.__name__)
def test_a_reader_sees_each_kind_of_write_at_the_next_request(
    write_records, editor_client, editor_api, tmp_path
):
    client = Client()  # an anonymous reader: `editor_client` is the `client` fixture, signed in
    claim = PublishedClaimFactory(
        summary="Grushko said Russia has not violated the treaty.",
        speaker=ActorFactory(name="Alexander Grushko"),
        topics=[TopicFactory(name="Open Skies Treaty")],
    )
    url, shown, gone = write_records(
        claim, client=client, editor_client=editor_client, editor_api=editor_api, tmp_path=tmp_path
    )
    page = html(client, url)
    if shown is not None:
        assert shown in page
    if gone is not None:
        assert gone not in page
