"""A claim's admin page beyond saving it: its history, its speaker's roles, a claim added from a
source, and two editors changing it at once."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from sources.tests.factories import CitationFactory, SourceFactory
from tracker.tests.helpers import queries_for
from tracker.tests.two_factor import sign_in_with_code

from .factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EditorFactory,
    PublishedClaimFactory,
    TopicFactory,
    UserFactory,
)
from .test_admin import ADMIN_MODELS, admin_url, claim_form_data, one_of

pytestmark = pytest.mark.django_db


class TestHistoryPages:
    @pytest.mark.parametrize("model", ADMIN_MODELS)
    def test_a_history_page_never_says_none_for_a_missing_reason_editor_or_value(self, editor_client, model):
        # Records made outside the admin: no change reason and no editor, as the dataset loader makes them.
        claim = PublishedClaimFactory(topics=[TopicFactory()])
        ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=claim)
        claim.target = ActorFactory()  # from no target: "None → Actor" before
        claim.save()
        instance = one_of(model, claim)
        page = editor_client.get(admin_url(model, "history", instance.pk)).content.decode()
        versions = re.search(r'<table id="change-history".*?</table>', page, re.DOTALL).group()
        assert "None" not in versions
        assert "—" in versions

    def test_a_claims_history_shows_its_citations_and_relations_being_added_changed_and_removed(
        self, editor_client, editor
    ):
        claim = ClaimFactory(summary="The accusation.")
        denial = ClaimFactory(summary="The denial.")
        source = SourceFactory(title="Xinhua, 6 July")
        url = admin_url("claims.claim", "change", claim.pk)
        added = claim_form_data(
            claim,
            citations=[{"source": source.pk, "stance": "reports", "excerpt": "He said so."}],
            **{
                "relations_to-TOTAL_FORMS": 1,
                "relations_to-0-from_claim": denial.pk,
                "relations_to-0-relation_type": "disputes",
            },
        )
        assert editor_client.post(url, added).status_code == 302
        changed = claim_form_data(claim, **{"citations-0-excerpt": "He said exactly so."})
        assert editor_client.post(url, changed).status_code == 302
        removed = claim_form_data(claim, **{"citations-0-DELETE": "on"})
        assert editor_client.post(url, removed).status_code == 302

        response = editor_client.get(admin_url("claims.claim", "history", claim.pk))
        rows = response.context["related_changes"]
        citation_rows = [row for row in rows if row.what == "Citation: Xinhua, 6 July (reports)"]
        assert [row.record.get_history_type_display() for row in citation_rows] == [
            "Deleted",
            "Changed",
            "Created",
        ]
        assert citation_rows[1].changes == [
            {"field": "Excerpt", "old": "He said so.", "new": "He said exactly so."}
        ]
        assert [row.what for row in rows if row.what.startswith("Relation")] == [
            "Relation: “The denial.” disputes this claim"
        ]
        assert {row.record.history_user for row in rows} == {editor}
        page = response.content.decode()
        assert "Changes to its citations and relations" in page
        assert "Citation: Xinhua, 6 July (reports)" in page
        assert "He said exactly so." in page
        assert "Relation: “The denial.” disputes this claim" in page

    def test_a_claims_history_runs_the_same_queries_for_one_citation_or_many_changes(self, editor_client):
        claim = PublishedClaimFactory()
        url = admin_url("claims.claim", "history", claim.pk)
        few = queries_for(editor_client, url)
        for _ in range(5):
            citation = CitationFactory(claim=claim)
            citation.excerpt = "Reworded."
            citation.save()
            ClaimRelationFactory(from_claim=claim)
            ClaimRelationFactory(to_claim=claim)
        assert queries_for(editor_client, url) == few


class TestSpeakerRoles:
    def test_an_editor_gets_the_speakers_roles_newest_first_each_once(self, editor_client):
        grushko = ActorFactory(name="Alexander Grushko")
        for year, role in [
            (2018, "Permanent Representative to NATO"),
            (2019, "Deputy Foreign Minister"),
            (2020, "Russian Deputy Foreign Minister"),
            (2020, ""),
            (2021, "Deputy Foreign Minister"),
        ]:
            ClaimFactory(speaker=grushko, speaker_role=role, stated_on=datetime.date(year, 1, 1))
        ClaimFactory(speaker_role="Someone else's role")
        response = editor_client.get(reverse("admin:claims_claim_speaker_roles"), {"speaker": grushko.pk})
        assert response.status_code == 200
        assert response.json() == {
            "roles": [
                "Deputy Foreign Minister",
                "Russian Deputy Foreign Minister",
                "Permanent Representative to NATO",
            ]
        }

    def test_speaker_roles_are_for_editors_only(self, client):
        url = reverse("admin:claims_claim_speaker_roles")
        response = client.get(url, {"speaker": ActorFactory().pk})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        sign_in_with_code(client, UserFactory(is_staff=True))
        assert client.get(url, {"speaker": ActorFactory().pk}).status_code == 403

    def test_asking_without_a_speaker_id_is_a_400(self, editor_client):
        response = editor_client.get(reverse("admin:claims_claim_speaker_roles"), {"speaker": "grushko"})
        assert response.status_code == 400
        assert "speaker" in response.json()["error"]

    def test_the_claim_form_offers_the_roles_from_that_url(self, editor_client):
        page = editor_client.get(admin_url("claims.claim", "add")).content.decode()
        role_input = re.search(r'<input[^>]*name="speaker_role"[^>]*>', page).group()
        assert f'data-roles-url="{reverse("admin:claims_claim_speaker_roles")}"' in role_input
        assert "claims/speaker_roles.js" in page


class TestClaimsAddedFromASource:
    def test_the_new_claims_first_citation_row_has_the_source_chosen(self, editor_client):
        source = SourceFactory(title="Grushko interview")
        response = editor_client.get(admin_url("claims.claim", "add"), {"citation_source": source.pk})
        assert response.status_code == 200
        citations = response.context["inline_admin_formsets"][0].formset
        assert citations.prefix == "citations"
        assert citations.forms[0]["source"].value() == source.pk
        source_select = re.search(
            r'<select[^>]*name="citations-0-source".*?</select>', response.content.decode(), re.DOTALL
        ).group()
        assert f'<option value="{source.pk}" selected>{source}</option>' in source_select

    def test_save_and_add_another_starts_the_next_claim_from_the_same_source(self, editor_client):
        source = SourceFactory()
        data = claim_form_data(
            citations=[{"source": source.pk, "stance": "reports", "excerpt": "He said so."}], _addanother="1"
        )
        response = editor_client.post(f"{admin_url('claims.claim', 'add')}?citation_source={source.pk}", data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Claim.objects.get().citations.get().source == source
        assert response["Location"] == f"{admin_url('claims.claim', 'add')}?citation_source={source.pk}"

    def test_without_a_source_the_citation_row_starts_empty(self, editor_client):
        response = editor_client.get(admin_url("claims.claim", "add"))
        assert response.context["inline_admin_formsets"][0].formset.forms[0]["source"].value() is None


class TestTwoEditorsAtOnce:
    """Two editors open the same claim; the one who saves second is refused, sees the other's
    changes merged into the form, and saving that form keeps both editors' work."""

    @pytest.fixture
    def claim(self):
        return PublishedClaimFactory(kind="denial", speaker_role="Russian Deputy Foreign Minister")

    def open_form(self, client, claim):
        response = client.get(admin_url("claims.claim", "change", claim.pk))
        return response.context["adminform"].form["opened_version"].value()

    def test_fields_left_alone_show_what_is_stored_and_saving_again_keeps_both(self, editor_client, claim):
        url = admin_url("claims.claim", "change", claim.pk)
        alice = sign_in_with_code(Client(), EditorFactory(username="alice"))
        opened_by_bob, opened_by_alice = self.open_form(editor_client, claim), self.open_form(alice, claim)
        changed = claim_form_data(claim, rationale="Alice's rationale.", opened_version=opened_by_alice)
        assert alice.post(url, changed).status_code == 302

        stale = claim_form_data(claim, summary="Bob's summary.", opened_version=opened_by_bob)
        refused = editor_client.post(url, stale)
        assert refused.status_code == 200
        form = refused.context["adminform"].form
        assert form["summary"].value() == "Bob's summary."  # his change, kept
        assert form["rationale"].value() == "Alice's rationale."  # hers, which he did not touch
        assert not form.errors.get("rationale")

        # Bob clicks Save on the form as shown.
        again = {
            **stale,
            "rationale": form["rationale"].value(),
            "opened_version": form["opened_version"].value(),
        }
        assert editor_client.post(url, again).status_code == 302
        claim.refresh_from_db()
        assert (claim.summary, claim.rationale) == ("Bob's summary.", "Alice's rationale.")

    def test_a_field_both_changed_shows_both_values_and_keeps_the_editors(self, editor_client, claim):
        url = admin_url("claims.claim", "change", claim.pk)
        alice = sign_in_with_code(Client(), EditorFactory(username="alice"))
        topic = TopicFactory(name="Open Skies Treaty")
        opened_by_bob, opened_by_alice = self.open_form(editor_client, claim), self.open_form(alice, claim)
        changed = claim_form_data(
            claim,
            summary="Alice's summary.",
            kind="assertion",
            topics=[topic.pk],
            opened_version=opened_by_alice,
        )
        assert alice.post(url, changed).status_code == 302

        stale = claim_form_data(claim, summary="Bob's summary.", opened_version=opened_by_bob)
        refused = editor_client.post(url, stale)
        form = refused.context["adminform"].form
        assert form["summary"].value() == "Bob's summary."
        [both] = form.errors["summary"].as_data()
        assert both.code == "changed_by_both"
        page = refused.content.decode()
        assert "Changed by you and by alice since you opened it." in page
        side_by_side = "<tr><th>Yours</th><th>Stored now</th></tr><tr><td>{}</td><td>{}</td></tr>"
        assert side_by_side.format("Bob&#x27;s summary.", "Alice&#x27;s summary.") in page
        # Her other changes, to fields he left alone, are in the form: kind and topics.
        assert form["kind"].value() == "assertion"
        assert [str(pk) for pk in form["topics"].value()] == [str(topic.pk)]
        assert set(form.errors) == {"__all__", "summary"}

        assert editor_client.post(url, as_shown(refused)).status_code == 302  # his summary, knowingly
        claim.refresh_from_db()
        assert (claim.summary, claim.kind, list(claim.topics.all())) == (
            "Bob's summary.",
            "assertion",
            [topic],
        )
        assert claim.history.first().history_user.username == claim.updated_by.username != "alice"


def as_shown(response):
    """What a browser sends when Save is clicked on the page of `response`: every field of the form
    and of its inline rows, with the value the page shows."""
    shown = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        shown += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in shown:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(item) for item in value] if isinstance(value, list) else str(value)
    return data
