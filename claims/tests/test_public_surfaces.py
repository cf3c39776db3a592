"""An actor, topic or source made only for a draft is as hidden as the draft, everywhere the public
looks (API, pages, feeds, sitemap, search and filters), until a published claim refers to it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import operations
from claims.choices import ClaimKind
from claims.models import Actor, Claim, Topic
from sources.models import Source
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.tests.helpers import queries_for
from tracker.tests.two_factor import sign_in_with_code

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory, TopicFactory, UserFactory
from .test_feeds import sitemap_locations

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def prepared_accusation():
    """A draft accusation whose speaker, target, topic and source were all made for it."""
    claim = ClaimFactory(
        speaker=ActorFactory(name="Colonel Ivan Quietov", slug="ivan-quietov"),
        target=ActorFactory(name="Harbour Logistics Unit", slug="harbour-logistics-unit"),
        kind=ClaimKind.ACCUSATION,
        summary="The unit moved the missiles at night.",
        topics=[TopicFactory(name="Operation Still Water", slug="operation-still-water")],
    )
    CitationFactory(
        claim=claim,
        source=SourceFactory(
            title="A memo about the night move",
            slug="memo-night-move",
            full_text="The memo's full text.",
            notes="From a whistle-blower; not yet verified.",
        ),
    )
    return claim


def listed_ids(client, resource):
    response = client.get(f"{API}/{resource}/", {"page_size": 500})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def status_of(client, url):
    return client.get(url).status_code


def sitemap(client):
    return sitemap_locations(client)


def what_the_public_sees(client, api, claim):
    """Where the draft's speaker, target, topic and source show on each public surface."""
    speaker, target = claim.speaker, claim.target
    topic, source = claim.topics.get(), claim.citations.get().source
    records = {"actor": speaker, "target": target, "topic": topic, "source": source}
    api_urls = {
        "actor": f"{API}/actors/{speaker.pk}/",
        "target": f"{API}/actors/{target.pk}/",
        "topic": f"{API}/topics/{topic.pk}/",
        "source": f"{API}/sources/{source.pk}/",
    }
    pages = {
        "actor page": speaker.get_absolute_url(),
        "target page": target.get_absolute_url(),
        "topic page": topic.get_absolute_url(),
        "topic feed": reverse("claims:topic-feed", args=[topic.slug]),
        "source page": source.get_absolute_url(),
    }
    search = client.get(reverse("claims:claim-list"), {"q": speaker.name})
    browsable_api = api.get(f"{API}/claims/", {"format": "api"}).content.decode()
    return {
        "listed in the API": {
            "actor": speaker.pk in listed_ids(api, "actors"),
            "target": target.pk in listed_ids(api, "actors"),
            "topic": topic.pk in listed_ids(api, "topics"),
            "source": source.pk in listed_ids(api, "sources"),
        },
        "API detail status": {name: status_of(api, url) for name, url in api_urls.items()},
        "page status": {name: status_of(client, url) for name, url in pages.items()},
        "in the sitemap": {
            name: f"http://testserver{record.get_absolute_url()}" in sitemap(client)
            for name, record in records.items()
        },
        "found by searching the speaker's name": search.context["count"].number,
        "in the claims list's filters": {
            "speaker": f'<option value="{speaker.name}">' in search.content.decode(),
            "topic": f'<option value="{topic.name}">' in search.content.decode(),
        },
        "API filter status": {
            "speaker": status_of(api, f"{API}/claims/?speaker={speaker.slug}"),
            "target": status_of(api, f"{API}/claims/?target={target.slug}"),
            "topic": status_of(api, f"{API}/claims/?topic={topic.slug}"),
        },
        "named in the browsable API": {
            "actor": speaker.name in browsable_api,
            "target": target.name in browsable_api,
            "topic": topic.name in browsable_api,
        },
    }


def test_a_draft_only_actor_topic_and_source_are_hidden_until_the_claim_is_published(
    client, editor, prepared_accusation
):
    api = APIClient()
    hidden = what_the_public_sees(client, api, prepared_accusation)
    assert hidden == {
        "listed in the API": {"actor": False, "target": False, "topic": False, "source": False},
        "API detail status": {"actor": 404, "target": 404, "topic": 404, "source": 404},
        "page status": {
            "actor page": 404,
            "target page": 404,
            "topic page": 404,
            "topic feed": 404,
            "source page": 404,
        },
        "in the sitemap": {"actor": False, "target": False, "topic": False, "source": False},
        "found by searching the speaker's name": 0,
        "in the claims list's filters": {"speaker": False, "topic": False},
        "API filter status": {"speaker": 404, "target": 404, "topic": 404},
        "named in the browsable API": {"actor": False, "target": False, "topic": False},
    }
    # A hidden slug is refused exactly as one that names nothing.
    for parameter, slug in [("speaker", "ivan-quietov"), ("topic", "operation-still-water")]:
        hidden_answer = api.get(f"{API}/claims/", {parameter: slug})
        unknown_answer = api.get(f"{API}/claims/", {parameter: "no-such-slug"})
        assert hidden_answer.status_code == unknown_answer.status_code
        assert hidden_answer.content.decode().replace(slug, "no-such-slug") == unknown_answer.content.decode()

    operations.publish(prepared_accusation, by=editor)

    shown = what_the_public_sees(client, api, prepared_accusation)
    assert shown == {
        "listed in the API": {"actor": True, "target": True, "topic": True, "source": True},
        "API detail status": {"actor": 200, "target": 200, "topic": 200, "source": 200},
        "page status": {
            "actor page": 200,
            "target page": 200,
            "topic page": 200,
            "topic feed": 200,
            "source page": 200,
        },
        "in the sitemap": {"actor": True, "target": True, "topic": True, "source": True},
        "found by searching the speaker's name": 1,
        "in the claims list's filters": {"speaker": True, "topic": True},
        "API filter status": {"speaker": 200, "target": 200, "topic": 200},
        "named in the browsable API": {"actor": True, "target": True, "topic": True},
    }
    source_page = client.get("/sources/memo-night-move/").content.decode()
    assert "The memo&#x27;s full text." in source_page
    assert "From a whistle-blower; not yet verified." in source_page


def test_the_api_counts_published_claims_only(api, editor, prepared_accusation):
    speaker, target = prepared_accusation.speaker, prepared_accusation.target
    ClaimFactory(speaker=speaker, target=target, kind=ClaimKind.ACCUSATION)  # another draft
    operations.publish(prepared_accusation, by=editor)

    actor = api.get(f"{API}/actors/{speaker.pk}/").json()
    accused = api.get(f"{API}/actors/{target.pk}/").json()
    topic = api.get(f"{API}/topics/{prepared_accusation.topics.get().pk}/").json()
    source = api.get(f"{API}/sources/{prepared_accusation.citations.get().source_id}/").json()
    assert (actor["claims_made_count"], accused["accusations_received_count"]) == (1, 1)
    assert (topic["claim_count"], source["claim_count"]) == (1, 1)


def test_signed_in_readers_who_are_not_editors_do_not_see_them(prepared_accusation):
    reader = APIClient()
    reader.force_authenticate(UserFactory())
    assert prepared_accusation.speaker_id not in listed_ids(reader, "actors")
    assert prepared_accusation.topics.get().pk not in listed_ids(reader, "topics")
    assert prepared_accusation.citations.get().source_id not in listed_ids(reader, "sources")
    assert status_of(reader, f"{API}/actors/{prepared_accusation.speaker_id}/") == 404
    assert status_of(reader, f"{API}/claims/?speaker=ivan-quietov") == 404


def test_editors_see_them_in_the_api_and_can_filter_by_them(editor_api, prepared_accusation):
    speaker, topic = prepared_accusation.speaker, prepared_accusation.topics.get()
    source = prepared_accusation.citations.get().source
    assert speaker.pk in listed_ids(editor_api, "actors")
    assert prepared_accusation.target_id in listed_ids(editor_api, "actors")
    assert topic.pk in listed_ids(editor_api, "topics")
    assert source.pk in listed_ids(editor_api, "sources")
    actor = editor_api.get(f"{API}/actors/{speaker.pk}/").json()
    assert (actor["name"], actor["claims_made_count"]) == ("Colonel Ivan Quietov", 0)  # no published claim
    found = editor_api.get(f"{API}/claims/", {"speaker": speaker.slug, "topic": topic.slug})
    assert [claim["id"] for claim in found.json()["results"]] == [prepared_accusation.pk]
    assert speaker.name in editor_api.get(f"{API}/claims/", {"format": "api"}).content.decode()


def test_a_hidden_affiliation_is_not_named_and_draft_only_members_are_not_listed(client):
    state = ActorFactory(name="A State", kind="state")
    ministry = ActorFactory(name="Its Ministry", kind="organization", affiliation=state)
    diplomat = ActorFactory(name="A Diplomat", affiliation=ministry)
    PublishedClaimFactory(speaker=diplomat)
    PublishedClaimFactory(speaker=ministry)
    newcomer = ActorFactory(name="A Newcomer Only Drafts Name", affiliation=ministry)
    ClaimFactory(speaker=newcomer)

    assert set(Actor.objects.public()) == {diplomat, ministry}
    diplomat_page = client.get(diplomat.get_absolute_url()).content.decode()
    assert (
        f'<dt>Part of</dt><dd><a href="{ministry.get_absolute_url()}">Its Ministry</a></dd>' in diplomat_page
    )
    assert "A State" not in diplomat_page
    assert status_of(client, state.get_absolute_url()) == 404
    ministry_page = client.get(ministry.get_absolute_url()).content.decode()
    assert f'<a href="{diplomat.get_absolute_url()}">A Diplomat</a>' in ministry_page
    assert "A Newcomer" not in ministry_page
    assert status_of(client, newcomer.get_absolute_url()) == 404


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The page of records, each tested for a published claim in the same query.
        (f"{API}/actors/", 1),
        (f"{API}/topics/", 1),
        (f"{API}/sources/", 1),
        # The claims' latest change; each section's largest id (claims, actors, topics, sources).
        ("/sitemap.xml", 5),
        # A sitemap file: the section's largest id; its range of items.
        ("/sitemap-actors.xml", 2),
        # The claims list: the suggested topics; the first and last years, and which years between
        # have claims; the suggested speakers; the count; the page of claims.
        ("/claims/", 7),
    ],
)
def test_hiding_draft_only_records_costs_no_query_per_record(api, client, url, queries):
    def count_with(records):
        for _ in range(records):
            PublishedClaimFactory(target=ActorFactory(), topics=[TopicFactory()])
            draft = ClaimFactory(target=ActorFactory(), topics=[TopicFactory()])
            CitationFactory(claim=draft)
        return queries_for(api if url.startswith(API) else client, url)

    assert count_with(1) == queries
    assert count_with(30) == queries
    assert Actor.objects.public().count() < Actor.objects.count()
    assert Topic.objects.public().count() < Topic.objects.count()
    assert Source.objects.public().count() < Source.objects.count()
    assert Claim.objects.drafts().exists()


def test_a_merged_records_old_url_does_not_lead_anonymous_clients_to_a_draft_only_record(client, editor):
    from claims.merging import merge_actors

    kept = ActorFactory(name="Draft-only Person", slug="draft-only-person")
    ClaimFactory(speaker=kept)
    merged = ActorFactory(name="Draft Only Person", slug="draft-only-person-2")
    merge_actors(kept, merged, by=editor)
    assert client.get("/actors/draft-only-person-2/").status_code == 404
    sign_in_with_code(client, editor)
    assert client.get("/actors/draft-only-person-2/").status_code == 301  # an editor may know it


def test_the_api_leaves_an_affiliation_only_a_draft_names_unnamed(client):
    ministry = ActorFactory(name="Ministry of Drafts", kind="organization")
    ClaimFactory(speaker=ministry)
    minister = ActorFactory(affiliation=ministry)
    PublishedClaimFactory(speaker=minister)
    assert client.get(f"/api/v1/actors/{minister.pk}/").json()["affiliation"] is None
