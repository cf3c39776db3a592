"""The ClaimReview (schema.org JSON-LD) a reviewed claim's page embeds for search engines."""

import datetime
import json
import re

import pytest

from claims.choices import ActorKind, DatePrecision, EvidenceStatus
from sources.tests.factories import CitationFactory
from tracker.tests.helpers import html

from .factories import ActorFactory, PublishedClaimFactory
from .test_pages import reviewed

pytestmark = pytest.mark.django_db


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    return [json.loads(block) for block in blocks]


class TestClaimReview:
    def test_a_reviewed_claim_embeds_a_claim_review_google_accepts(self, client, settings):
        settings.SITE_NAME = "Open Skies tracker"
        pompeo = ActorFactory(name="Mike Pompeo", kind=ActorKind.PERSON, wikidata_id="Q473239")
        claim = reviewed(
            summary="Pompeo accused Russia of violating the Open Skies Treaty.",
            speaker=pompeo,
            speaker_role="US Secretary of State",
            stated_on=datetime.date(2020, 5, 1),
            stated_on_precision=DatePrecision.MONTH,
            citation__source__url="https://example.org/xinhua",
            citation__source__title="Russia calls for equal dialogue",
            citation__source__outlet="Xinhua News Agency",
        )
        CitationFactory(
            claim=claim, source__url="", source__title="A report without an address", source__outlet="Unknown"
        )

        (review,) = json_ld(html(client, claim.get_absolute_url()))
        url = f"http://testserver{claim.get_absolute_url()}"
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"] == url
        assert review["claimReviewed"] == claim.summary
        assert review["datePublished"] == claim.published_at.date().isoformat()
        assert review["author"] == {
            "@type": "Organization",
            "name": "Open Skies tracker",
            "url": "http://testserver/",
        }
        assert review["reviewRating"] == {
            "@type": "Rating",
            "ratingValue": 3,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Disputed",
        }
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == {
            "@type": "Person",
            "name": "Mike Pompeo",
            "jobTitle": "US Secretary of State",
            "sameAs": "https://www.wikidata.org/wiki/Q473239",
        }
        assert item["datePublished"] == "2020-05"  # said in May 2020; the day is not known
        first, second = item["appearance"]
        assert first["url"] == "https://example.org/xinhua"
        assert first["headline"] == "Russia calls for equal dialogue"
        assert first["publisher"] == {"@type": "Organization", "name": "Xinhua News Agency"}
        assert "url" not in second
        assert "publisher" not in second  # the editors could not identify the outlet
        assert second["headline"] == "A report without an address"

    @pytest.mark.parametrize(
        ("status", "rating"),
        [
            (EvidenceStatus.CONTRADICTED, 1),
            (EvidenceStatus.UNSUBSTANTIATED, 2),
            (EvidenceStatus.DISPUTED, 3),
            (EvidenceStatus.SUPPORTED, 4),
            (EvidenceStatus.CONFIRMED, 5),
        ],
    )
    def test_the_rating_follows_the_evidence_scale(self, client, status, rating):
        claim = PublishedClaimFactory(evidence_status=status, rationale="Because.")
        (review,) = json_ld(html(client, claim.get_absolute_url()))
        assert review["reviewRating"]["ratingValue"] == rating
        assert review["reviewRating"]["alternateName"] == status.label

    def test_an_organization_or_state_is_the_author_as_an_organization(self, client):
        claim = reviewed(speaker=ActorFactory(name="Russian Federation", kind=ActorKind.STATE))
        (review,) = json_ld(html(client, claim.get_absolute_url()))
        assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Russian Federation"}

    def test_an_unreviewed_claim_emits_no_claim_review(self, client):
        claim = PublishedClaimFactory(evidence_status=EvidenceStatus.UNREVIEWED)
        assert json_ld(html(client, claim.get_absolute_url())) == []

    def test_the_json_ld_cannot_close_its_script_element(self, client):
        claim = reviewed(summary="</script><script>alert(1)</script> & more")
        page = html(client, claim.get_absolute_url())
        assert "</script><script>alert(1)" not in page
        (review,) = json_ld(page)
        assert review["claimReviewed"] == "</script><script>alert(1)</script> & more"
