"""One record per fact: likely duplicates are found before they are saved, and duplicates that
slip through are merged, never deleted; their old URLs lead to the record kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from claims import operations
from claims.choices import DatePrecision
from claims.merging import merge_actors, merge_topics
from claims.models import Actor, Claim, ClaimTombstone, Topic
from claims.operations import merge_claims
from sources.merging import merge_sources
from sources.models import Citation, Source
from sources.tests.factories import CitationFactory, SourceFactory

from .factories import ActorFactory, ClaimFactory, ClaimRelationFactory, PublishedClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


class TestLikelyDuplicates:
    def test_a_claim_by_the_same_speaker_on_an_overlapping_date_reading_alike_is_found(self):
        grushko = ActorFactory(name="Alexander Grushko")
        recorded = ClaimFactory(
            speaker=grushko,
            summary="Russia has not violated the Open Skies Treaty.",
            stated_on=datetime.date(2020, 5, 1),
            stated_on_precision=DatePrecision.MONTH,
        )
        ClaimFactory(
            speaker=grushko,
            summary="Russia has not violated the Open Skies Treaty.",
            stated_on=datetime.date(2021, 5, 1),
        )
        ClaimFactory(
            summary="Russia has not violated the Open Skies Treaty.", stated_on=datetime.date(2020, 5, 21)
        )
        ClaimFactory(
            speaker=grushko, summary="NATO is expanding to the east.", stated_on=datetime.date(2020, 5, 21)
        )

        again = Claim(
            speaker=grushko,
            summary="Russia has not violated the Open Skies treaty",
            stated_on=datetime.date(2020, 5, 21),
        )
        assert [claim for claim, _ in Claim.objects.likely_duplicates_of(again)] == [recorded]

    def test_a_quote_reading_alike_is_enough(self):
        recorded = ClaimFactory(summary="Grushko on the treaty.", quote="There is no violation on our part.")
        again = Claim(
            speaker=recorded.speaker,
            summary="Something worded quite differently from the first.",
            quote="There is no violation on our part!",
            stated_on=recorded.stated_on,
        )
        assert [claim for claim, _ in Claim.objects.likely_duplicates_of(again)] == [recorded]

    @pytest.mark.parametrize("spelling", ["new start treaty", "NEW START Treaty", "Néw START Treaty"])
    def test_names_and_aliases_match_ignoring_case_and_accents(self, spelling):
        new_start = TopicFactory(name="New START", aliases="New START Treaty\nСНВ-3")
        TopicFactory(name="INF Treaty")
        assert list(Topic.objects.sharing_a_name_with(spelling)) == [new_start]
        borrell = ActorFactory(name="Josep Borrell", aliases="Borelli")
        assert list(Actor.objects.sharing_a_name_with("JOSEP BORRÉLL", "someone else")) == [borrell]

    def test_the_api_refuses_a_likely_duplicate_with_409_unless_confirmed(self, editor):
        recorded = ClaimFactory(summary="Russia has not violated the Open Skies Treaty.")
        api = APIClient()
        api.force_authenticate(editor)
        claim = {
            "summary": "Russia has not violated the Open Skies Treaty.",
            "speaker": recorded.speaker.slug,
            "kind": "denial",
            "stated_on": recorded.stated_on.isoformat(),
        }
        refused = api.post(f"{API}/claims/", claim, format="json")
        assert refused.status_code == 409
        [duplicate] = refused.json()["likely_duplicates"]
        assert duplicate["id"] == recorded.pk
        assert duplicate["url"].endswith(f"{API}/claims/{recorded.pk}/")
        assert Claim.objects.count() == 1

        confirmed = api.post(f"{API}/claims/", {**claim, "confirm_not_duplicate": True}, format="json")
        assert confirmed.status_code == 201
        assert Claim.objects.count() == 2


class TestMergingActors:
    def test_claims_members_and_names_move_and_old_urls_redirect(self, client, editor):
        kept = ActorFactory(name="Alexander Grushko", slug="alexander-grushko")
        merged = ActorFactory(name="Alexander Glushko", slug="alexander-glushko", aliases="Glushko")
        spoken = PublishedClaimFactory(speaker=merged)
        accused = PublishedClaimFactory(target=merged, kind="accusation")
        member = ActorFactory(affiliation=merged)

        merged_id = merged.pk
        merge_actors(kept, merged, by=editor, reason="The same diplomat, misspelt in translation.")

        assert not Actor.objects.filter(pk=merged_id).exists()
        spoken.refresh_from_db()
        accused.refresh_from_db()
        member.refresh_from_db()
        assert (spoken.speaker, accused.target, member.affiliation) == (kept, kept, kept)
        kept.refresh_from_db()
        assert kept.alias_list == ["Alexander Glushko", "Glushko"]
        assert "Merged #" in kept.history.first().history_change_reason
        deleted = Actor.history.filter(id=merged_id).first()
        assert deleted.history_type == "-"
        assert deleted.history_change_reason.startswith(f"Merged into #{kept.pk}")
        assert deleted.history_user == editor

        page = client.get("/actors/alexander-glushko/")
        assert (page.status_code, page["Location"]) == (301, "/actors/alexander-grushko/")
        api = client.get(f"{API}/actors/{merged_id}/")
        assert (api.status_code, api["Location"]) == (301, f"{API}/actors/{kept.pk}/")
        counts = client.get(f"{API}/actors/{kept.pk}/").json()
        assert (counts["claims_made_count"], counts["accusations_received_count"]) == (1, 1)
        assert "alexander-glushko" not in client.get("/sitemap.xml").content.decode()


class TestMergingTopicsAndSources:
    def test_a_topics_claims_move_once_and_its_pages_and_feed_redirect(self, client):
        kept, merged = TopicFactory(name="New START"), TopicFactory(name="New START Treaty")
        both, only_merged = (
            PublishedClaimFactory(topics=[kept, merged]),
            PublishedClaimFactory(topics=[merged]),
        )
        merge_topics(kept, merged)
        assert list(both.topics.all()) == [kept]
        assert list(only_merged.topics.all()) == [kept]
        assert kept.alias_list == ["New START Treaty"]
        assert client.get(f"/topics/{merged.slug}/")["Location"] == f"/topics/{kept.slug}/"
        assert client.get(f"/feeds/topics/{merged.slug}/")["Location"] == f"/feeds/topics/{kept.slug}/"
        assert client.get(f"{API}/topics/{kept.pk}/").json()["claim_count"] == 2

    def test_a_sources_citations_and_url_move(self, client):
        kept = SourceFactory(title="Grushko on Open Skies", url="")
        merged = SourceFactory(title="Grushko on Open Skies (copy)", url="https://example.org/grushko")
        claim = PublishedClaimFactory()
        CitationFactory(claim=claim, source=merged)
        merged_id = merged.pk
        merge_sources(kept, merged)
        assert Citation.objects.filter(claim=claim, source=kept).count() == 1
        assert claim.citations.count() == 2  # its first source's, and the merged source's, now kept
        assert not Source.objects.filter(pk=merged_id).exists()
        kept.refresh_from_db()
        assert kept.url == "https://example.org/grushko"
        assert client.get(f"/sources/{merged.slug}/")["Location"] == f"/sources/{kept.slug}/"


class TestMergingClaims:
    def test_citations_relations_and_topics_move_and_researchers_get_a_tombstone(self, client, editor):
        topic = TopicFactory()
        kept = PublishedClaimFactory(summary="Russia has not violated the treaty.")
        merged = PublishedClaimFactory(
            summary="Russia has not violated the treaty!", topics=[topic], quote="No."
        )
        accusation = PublishedClaimFactory(kind="accusation")
        ClaimRelationFactory(from_claim=merged, to_claim=accusation)
        ClaimRelationFactory(from_claim=kept, to_claim=merged, relation_type="repeats")
        merged_citation_source, merged_id = merged.citations.get().source, merged.pk

        merge_claims(kept, merged, by=editor, reason="Entered twice.")

        assert set(kept.citations.values_list("source", flat=True)) >= {merged_citation_source.pk}
        assert [relation.to_claim for relation in kept.relations_from.all()] == [accusation]
        assert list(kept.topics.all()) == [topic]
        kept.refresh_from_db()
        assert kept.quote == "No."
        tombstone = ClaimTombstone.objects.get(claim_id=merged_id)
        assert (tombstone.state, tombstone.merged_into) == ("merged", kept)

        page = client.get(f"/claims/{merged.slug}/")
        assert (page.status_code, page["Location"]) == (301, f"/claims/{kept.slug}/")
        assert client.get(f"{API}/claims/{merged_id}/")["Location"] == f"{API}/claims/{kept.pk}/"
        listed = client.get(f"{API}/tombstones/").json()["results"]
        assert [(row["id"], row["merged_into"]) for row in listed] == [(merged_id, kept.pk)]
        assert merged.slug not in client.get("/sitemap.xml").content.decode()
        assert merged.summary not in client.get("/feeds/claims/").content.decode()

    def test_a_tombstone_does_not_point_readers_at_a_claim_withdrawn_since(self, client, editor):
        kept, merged = PublishedClaimFactory(), PublishedClaimFactory()
        merged_id = merged.pk
        merge_claims(kept, merged, by=editor)
        operations.unpublish(kept, by=editor)
        listed = {row["id"]: row for row in client.get(f"{API}/tombstones/").json()["results"]}
        assert (listed[merged_id]["merged_into"], listed[merged_id]["merged_into_url"]) == (None, None)
        assert listed[kept.pk]["state"] == "withdrawn"
        editors = APIClient()
        editors.force_authenticate(editor)
        listed = {row["id"]: row for row in editors.get(f"{API}/tombstones/").json()["results"]}
        assert listed[merged_id]["merged_into"] == kept.pk  # an editor sees where it went

    def test_a_published_claim_is_not_merged_into_a_draft(self):
        draft, published = ClaimFactory(), PublishedClaimFactory()
        with pytest.raises(ValidationError, match="Publish the claim you keep first"):
            merge_claims(draft, published)
        assert Claim.objects.filter(pk=published.pk).exists()

    def test_a_record_is_not_merged_into_itself(self):
        claim = ClaimFactory()
        with pytest.raises(ValidationError, match="cannot be merged into itself"):
            merge_claims(claim, claim)


class TestInTheAdmin:
    def test_an_editor_merges_two_actors_choosing_which_to_keep_and_why(self, editor_client, editor):
        kept = ActorFactory(name="Alexander Grushko")
        merged = ActorFactory(name="Alexander Glushko")
        claim = PublishedClaimFactory(speaker=merged)
        url = reverse("admin:claims_actor_changelist")
        selected = {"action": "merge_selected", "_selected_action": [kept.pk, merged.pk]}

        confirmation = editor_client.post(url, selected)
        assert confirmation.status_code == 200
        page = confirmation.content.decode()
        assert "Alexander Glushko" in page
        assert "Alexander Grushko" in page
        assert Actor.objects.count() == 2  # nothing merged before the editor confirms

        done = editor_client.post(
            url,
            {**selected, "confirm_merge": "yes", "kept": kept.pk, "reason": "One diplomat, two spellings."},
            follow=True,
        )
        assert "Merged “Alexander Glushko” into" in done.content.decode()
        claim.refresh_from_db()
        assert claim.speaker == kept
        assert not Actor.objects.filter(name="Alexander Glushko").exists()
        assert Actor.history.filter(history_type="-").get().history_user == editor

    def test_merging_needs_exactly_two_records(self, editor_client):
        topic = TopicFactory()
        response = editor_client.post(
            reverse("admin:claims_topic_changelist"),
            {"action": "merge_selected", "_selected_action": [topic.pk]},
            follow=True,
        )
        assert "Select exactly two records to merge." in response.content.decode()

    def test_a_refused_merge_says_why_and_changes_nothing(self, editor_client):
        draft, published = ClaimFactory(), PublishedClaimFactory()
        response = editor_client.post(
            reverse("admin:claims_claim_changelist"),
            {
                "action": "merge_selected",
                "_selected_action": [draft.pk, published.pk],
                "confirm_merge": "yes",
                "kept": draft.pk,
                "reason": "Same claim.",
            },
            follow=True,
        )
        assert "Publish the claim you keep first" in response.content.decode()
        assert Claim.objects.count() == 2

    def test_a_topic_named_like_anothers_alias_is_saved_only_once_confirmed(self, editor_client):
        new_start = TopicFactory(name="New START", aliases="New START Treaty")
        url = reverse("admin:claims_topic_add")
        data = {"name": "New START Treaty", "slug": "new-start-treaty", "aliases": "", "description": ""}
        warned = editor_client.post(url, data)
        assert warned.status_code == 200
        page = warned.content.decode()
        assert "This may be a topic already recorded" in page
        assert reverse("admin:claims_topic_change", args=[new_start.pk]) in page
        assert Topic.objects.count() == 1
        saved = editor_client.post(url, {**data, "confirm_not_duplicate": "on"})
        assert saved.status_code == 302
        assert Topic.objects.count() == 2

    def test_a_claim_like_one_recorded_is_warned_of_with_a_link(self, editor_client):
        from .test_admin import claim_form_data

        recorded = ClaimFactory(summary="Grushko said Russia has not violated the treaty.", kind="denial")
        data = claim_form_data(
            summary="Grushko said Russia has not violated the treaty!", speaker=recorded.speaker.pk
        )
        warned = editor_client.post(reverse("admin:claims_claim_add"), data)
        assert warned.status_code == 200
        assert reverse("admin:claims_claim_change", args=[recorded.pk]) in warned.content.decode()
        assert Claim.objects.count() == 1
        saved = editor_client.post(reverse("admin:claims_claim_add"), {**data, "confirm_not_duplicate": "on"})
        assert saved.status_code == 302
        assert Claim.objects.count() == 2


def test_a_long_reason_fits_every_history_and_is_kept_whole_with_the_merge():
    from claims.models import MergedRecord

    kept, merged = ActorFactory(), ActorFactory()
    reason = "The same person: " + "spelt differently in each translation; " * 10
    merge_actors(kept, merged, reason=reason)
    assert len(kept.history.first().history_change_reason) <= 100
    assert MergedRecord.objects.get().reason == reason
