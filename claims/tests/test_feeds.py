"""The Atom feeds, the sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from claims.choices import ClaimKind
from claims.models import Claim
from claims.sitemaps import ClaimSitemap
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.tests.helpers import queries_for

from .factories import ActorFactory, ClaimFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def atom_entries(client, url):
    response = get(client, url)
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def locations_in(client, url):
    return [loc.text for loc in ET.fromstring(get(client, url).content).iter(f"{SITEMAP}loc")]


def sitemap_files(client):
    """The URLs of the sitemap's files, as its index lists them (local paths)."""
    return [
        file_url.removeprefix("http://testserver") for file_url in locations_in(client, reverse("sitemap"))
    ]


def sitemap_locations(client):
    """Every URL the sitemap lists, following its index to each of its files."""
    return [location for file_url in sitemap_files(client) for location in locations_in(client, file_url)]


class TestFeeds:
    def test_the_site_feed_lists_newly_published_claims_newest_first(self, client):
        older = PublishedClaimFactory(summary="Published first.")
        newer = PublishedClaimFactory(summary="Published last.")
        Claim.objects.filter(pk=older.pk).update(published_at=timezone.now() - datetime.timedelta(days=2))
        ClaimFactory(summary="A draft.")

        entries = atom_entries(client, reverse("claims:feed"))
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
            "Published last.",
            "Published first.",
        ]
        link = entries[0].find(f"{ATOM}link").get("href")
        assert link == f"http://testserver{newer.get_absolute_url()}"

    def test_an_entry_says_who_said_it_when_and_its_status(self, client):
        PublishedClaimFactory(
            speaker=ActorFactory(name="Sergei Ryabkov"),
            speaker_role="Deputy Foreign Minister",
            kind=ClaimKind.DENIAL,
            quote="The accusation is unfounded.",
            topics=[TopicFactory(name="Open Skies Treaty")],
        )
        (entry,) = atom_entries(client, reverse("claims:feed"))
        summary = entry.findtext(f"{ATOM}summary")
        assert "Sergei Ryabkov, Deputy Foreign Minister, 21 May 2020." in summary
        assert "The accusation is unfounded." in summary
        assert "Evidence status: Not yet reviewed." in summary
        assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == [
            "Open Skies Treaty"
        ]

    def test_a_topic_feed_lists_only_that_topics_published_claims(self, client):
        topic = TopicFactory()
        about = PublishedClaimFactory(topics=[topic])
        PublishedClaimFactory(summary="About something else.")
        ClaimFactory(topics=[topic], summary="A draft about it.")
        entries = atom_entries(client, reverse("claims:topic-feed", args=[topic.slug]))
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == [about.summary]

    def test_an_unknown_topic_feed_is_a_404(self, client):
        assert client.get(reverse("claims:topic-feed", args=["no-such-topic"])).status_code == 404

    def test_user_written_text_is_escaped_in_the_feed(self, client):
        PublishedClaimFactory(summary="<script>alert(1)</script>", quote="<b>bold</b>")
        (entry,) = atom_entries(client, reverse("claims:feed"))
        assert entry.findtext(f"{ATOM}title") == "<script>alert(1)</script>"  # a text title
        summary = entry.findtext(f"{ATOM}summary")  # HTML: the markup must arrive as text
        assert "<b>" not in summary
        assert "&lt;b&gt;bold&lt;/b&gt;" in summary

    def test_the_feeds_run_a_constant_number_of_queries(self, client):
        topic = TopicFactory()

        def count_with(claims):
            PublishedClaimFactory.create_batch(claims, topics=[topic], target=ActorFactory())
            return (
                queries_for(client, reverse("claims:feed")),
                queries_for(client, reverse("claims:topic-feed", args=[topic.slug])),
            )

        # Site feed: the claims with speaker and target; their topics. Topic feed: the topic, too.
        assert count_with(1) == (2, 3)
        assert count_with(30) == (2, 3)


class TestSitemap:
    def test_it_lists_the_pages_of_published_claims_and_what_they_link_to(self, client):
        topic = TopicFactory()
        claim = PublishedClaimFactory(topics=[topic], target=ActorFactory())
        source = claim.citations.get().source
        locations = sitemap_locations(client)
        for url in (
            reverse("claims:home"),
            reverse("claims:claim-list"),
            claim.get_absolute_url(),
            claim.speaker.get_absolute_url(),
            claim.target.get_absolute_url(),
            topic.get_absolute_url(),
            source.get_absolute_url(),
        ):
            assert f"http://testserver{url}" in locations

    def test_drafts_and_what_only_drafts_use_are_left_out(self, client):
        draft = ClaimFactory(topics=[TopicFactory()])
        CitationFactory(claim=draft, source=SourceFactory())
        locations = sitemap_locations(client)
        for url in (
            draft.get_absolute_url(),
            draft.speaker.get_absolute_url(),
            draft.topics.get().get_absolute_url(),
            draft.citations.get().source.get_absolute_url(),
        ):
            assert f"http://testserver{url}" not in locations

    def test_it_is_an_index_of_files_cut_by_ranges_of_ids_listing_every_published_claim(
        self, client, monkeypatch
    ):
        monkeypatch.setattr(ClaimSitemap, "limit", 2)
        claims = PublishedClaimFactory.create_batch(5)
        draft = ClaimFactory()
        last_file = -(-max(claim.pk for claim in claims) // 2)  # the last published; ids may not start at 1
        files = [url for url in sitemap_files(client) if url.startswith("/sitemap-claims.xml")]
        assert files == [
            "/sitemap-claims.xml",
            *(f"/sitemap-claims.xml?p={n}" for n in range(2, last_file + 1)),
        ]
        # The files that hold the claims' ids, and no more than two URLs each.
        holding = sorted({(claim.pk - 1) // 2 + 1 for claim in claims})
        listed = [locations_in(client, f"/sitemap-claims.xml?p={number}") for number in holding]
        assert all(len(urls) <= 2 for urls in listed)
        every = [url for urls in listed for url in urls]
        assert sorted(every) == sorted(f"http://testserver{claim.get_absolute_url()}" for claim in claims)
        assert f"http://testserver{draft.get_absolute_url()}" not in every
        assert client.get(f"/sitemap-claims.xml?p={last_file + 1}").status_code == 404
        for wrong in ["/sitemap-claims.xml?p=0", "/sitemap-claims.xml?p=two", "/sitemap-drafts.xml"]:
            assert client.get(wrong).status_code == 404, wrong

    def test_a_file_says_when_its_latest_claim_changed(self, client, monkeypatch):
        monkeypatch.setattr(ClaimSitemap, "limit", 10**9)  # one file, whatever the ids
        claim = PublishedClaimFactory()
        Claim.objects.filter(pk=claim.pk).update(
            updated_at=datetime.datetime(2021, 3, 4, 5, 6, tzinfo=datetime.UTC)
        )
        PublishedClaimFactory()  # changed now: the file's latest
        response = get(client, "/sitemap-claims.xml")
        assert response["Last-Modified"] == http_date(
            Claim.objects.latest("updated_at").updated_at.timestamp()
        )
        assert b"<lastmod>2021-03-04</lastmod>" in response.content

    def test_its_index_and_files_run_a_constant_number_of_queries(self, client):
        def count_with(claims):
            PublishedClaimFactory.create_batch(claims, topics=[TopicFactory()])
            index = queries_for(client, reverse("sitemap"))  # before it is cached, where caching is on
            files = {url: queries_for(client, url) for url in sitemap_files(client)}
            return index, files.pop("/sitemap-pages.xml"), set(files.values())

        # The index: the claims' latest change, and each section's largest id (its number of
        # files); no count. The fixed pages' file: none. Any other file (how many there are
        # depends on the ids): the section's largest id, and its range of items.
        assert count_with(1) == (5, 0, {2})
        assert count_with(30) == (5, 0, {2})


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = get(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_advertise_the_feeds(client, settings):
    settings.SITE_NAME = "Claim tracker"
    topic = TopicFactory()
    PublishedClaimFactory(topics=[topic])
    page = get(client, topic.get_absolute_url()).content.decode()
    site_feed = f'title="Claim tracker: newly published claims" href="{reverse("claims:feed")}"'
    assert f'type="application/atom+xml" {site_feed}' in page
    assert f'href="{reverse("claims:topic-feed", args=[topic.slug])}"' in page
