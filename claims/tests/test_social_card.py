"""A topic's link preview: the topic page names a PNG of its exchange chart as its `og:image`."""

import re
import struct

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import ClaimKind, EvidenceStatus
from claims.social_card import HEIGHT, WIDTH, topic_card_svg

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(content):
    """Width and height from a PNG's header chunk."""
    assert content.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", content[16:24])


@pytest.fixture
def topic():
    topic = TopicFactory(name="Fishing rights & quotas")
    accuser, accused = ActorFactory(name="Kingdom of Norland"), ActorFactory(name="Republic of Sudria")
    PublishedClaimFactory(
        speaker=accuser,
        target=accused,
        kind=ClaimKind.ACCUSATION,
        evidence_status=EvidenceStatus.SUPPORTED,
        rationale="Catch records confirm it.",
        summary="Norland accused Sudria of overfishing the shared bank.",
        topics=[topic],
    )
    PublishedClaimFactory(speaker=accused, kind=ClaimKind.DENIAL, topics=[topic])
    ClaimFactory(speaker=accused, summary="A draft no reader may see yet.", topics=[topic])
    return topic


def test_the_topic_page_names_its_card_as_the_preview_image(client, topic):
    page = client.get(topic.get_absolute_url()).content.decode()

    card_url = f"http://testserver{reverse('claims:topic-card', args=[topic.slug])}"
    assert f'<meta property="og:image" content="{card_url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert re.search(r'<meta property="og:image:alt" content="Fishing rights &amp; quotas: [^"]+">', page)


def test_pages_without_a_card_keep_the_small_preview(client, topic):
    page = client.get(reverse("claims:home")).content.decode()

    assert 'property="og:image"' not in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_the_card_is_a_png_of_the_preview_size_in_a_bounded_number_of_queries(client, topic):
    url = reverse("claims:topic-card", args=[topic.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert png_size(response.content) == (WIDTH, HEIGHT)
    assert len(queries) <= 4
    PublishedClaimFactory.create_batch(5, topics=[topic])
    with CaptureQueriesContext(connection) as more_claims:
        client.get(url)
    assert len(more_claims) == len(queries)


def test_the_card_draws_the_published_claims_with_their_status_and_never_a_draft(topic):
    card = topic_card_svg(topic)

    assert "Fishing rights &amp; quotas" in card
    assert "Kingdom of Norland" in card
    assert "Republic of Sudria" in card
    assert 'class="st-supported"' in card
    assert "All 2 claims" in card
    assert "A draft no reader may see yet" not in card
    # The legend writes each status out, as the page's does.
    for status in EvidenceStatus:
        assert f">{status.label}</text>" in card


def test_no_card_for_a_topic_readers_cannot_see_or_that_does_not_exist(client):
    drafts_only = TopicFactory()
    ClaimFactory(topics=[drafts_only])

    assert client.get(reverse("claims:topic-card", args=[drafts_only.slug])).status_code == 404
    assert client.get(reverse("claims:topic-card", args=["no-such-topic"])).status_code == 404


def test_a_card_address_with_parameters_is_sent_to_the_one_that_is_kept(client, topic):
    url = reverse("claims:topic-card", args=[topic.slug])

    response = client.get(f"{url}?v=2")

    assert response.status_code == 302
    assert response["Location"] == url


def test_the_card_is_only_read(client, topic):
    response = client.post(reverse("claims:topic-card", args=[topic.slug]))

    assert response.status_code == 405
