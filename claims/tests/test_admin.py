import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims import operations
from claims.choices import EvidenceStatus, PublicationState
from claims.models import Claim, ClaimRelation
from sources.models import Citation
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

pytestmark = pytest.mark.django_db

INLINE_PREFIXES = ["citations", "relations_from", "relations_to", "status_changes"]


def claim_form_data(claim=None, *, citations=(), **fields):
    """The POST of the admin's claim form: the claim's fields plus its (empty) inline formsets."""
    speaker = claim.speaker if claim else ActorFactory()
    data = {
        "summary": claim.summary if claim else "Grushko said Russia has not violated the treaty.",
        "quote": "",
        "kind": "denial",
        "speaker": speaker.pk,
        "speaker_role": "Russian Deputy Foreign Minister",
        "target": "",
        "stated_on": "2020-05-21",
        "stated_on_precision": "day",
        "attribution": "reported",
        "evidence_status": claim.evidence_status if claim else "unreviewed",
        "rationale": claim.rationale if claim else "",
        "status_change_reason": "",
        "publication_state": claim.publication_state if claim else "draft",
        "slug": claim.slug if claim else "",
    }
    for prefix in INLINE_PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    existing = list(claim.citations.all()) if claim else []
    data["citations-INITIAL_FORMS"] = len(existing)
    rows = [
        {"id": c.pk, "source": c.source_id, "stance": c.stance, "excerpt": c.excerpt, "locator": c.locator}
        for c in existing
    ]
    rows += [{"id": "", **citation} for citation in citations]
    data["citations-TOTAL_FORMS"] = len(rows)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"citations-{index}-{key}"] = value
    data.update(fields)
    return data


ADMIN_MODELS = [
    "claims.claim",
    "claims.actor",
    "claims.topic",
    "claims.claimrelation",
    "sources.source",
    "sources.citation",
]


def admin_url(model, view, *args):
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def one_of(model, claim):
    """A record of `model` from around `claim`."""
    return {
        "claims.claim": claim,
        "claims.actor": claim.speaker,
        "claims.topic": claim.topics.first(),
        "claims.claimrelation": ClaimRelation.objects.first(),
        "sources.source": claim.citations.first().source,
        "sources.citation": claim.citations.first(),
    }[model]


class TestEditorPages:
    @pytest.fixture
    def dataset(self):
        claim = PublishedClaimFactory(topics=[TopicFactory()], target=ActorFactory())
        ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=claim)
        return claim

    @pytest.mark.parametrize("model", ADMIN_MODELS)
    def test_an_editor_opens_every_list_add_and_change_page(self, editor_client, dataset, model):
        instance = one_of(model, dataset)
        for url in [
            admin_url(model, "changelist"),
            admin_url(model, "add"),
            admin_url(model, "change", instance.pk),
            admin_url(model, "history", instance.pk),
        ]:
            assert editor_client.get(url).status_code == 200, url

    @pytest.mark.parametrize("model", ADMIN_MODELS)
    def test_lists_run_the_same_queries_for_one_row_or_thirty(self, editor_client, model):
        url = admin_url(model, "changelist")
        PublishedClaimFactory(topics=[TopicFactory()])
        ClaimRelationFactory()
        few = queries_for(editor_client, url)
        for _ in range(30):
            claim = PublishedClaimFactory(
                topics=[TopicFactory()], speaker=ActorFactory(affiliation=ActorFactory())
            )
            ClaimRelationFactory(from_claim=claim)
        assert queries_for(editor_client, url) == few

    # Each page's queries: session, user, the second factor the session signed in with, the object,
    # the user's and group's permissions, then what the form shows. Autocomplete widgets look up
    # their selected value, one query per filled widget (the claim page's inline rows: its
    # citations' sources and its related claims).
    PAGE_QUERIES = {
        ("claims.claim", "add"): 6,
        # + topics, status history, citations, relations x2, the latest history entry; 7 widgets;
        # the similar claims panel (on PostgreSQL how common the words are; the vector index built
        # on a process's first comparison, after estimating the claims; the shortlist's vectors;
        # the candidates scored; the texts of the best without a re-ranking vector, and their
        # vectors written in a savepoint; then the ranked claims)
        ("claims.claim", "change"): 29,
        ("claims.actor", "add"): 6,
        ("claims.actor", "change"): 6,
        ("claims.topic", "add"): 6,
        ("claims.topic", "change"): 7,
        ("claims.claimrelation", "add"): 6,
        ("claims.claimrelation", "change"): 9,
        ("sources.source", "add"): 6,
        ("sources.source", "change"): 8,
        ("sources.citation", "add"): 6,
        ("sources.citation", "change"): 12,
    }

    @pytest.mark.parametrize(("model", "view"), PAGE_QUERIES)
    def test_add_and_change_pages_run_a_bounded_number_of_queries(
        self, editor_client, dataset, model, view, django_assert_max_num_queries
    ):
        ClaimRelationFactory(from_claim=dataset)
        CitationFactory(claim=dataset)
        instance = one_of(model, dataset)
        url = admin_url(model, view, instance.pk) if view == "change" else admin_url(model, view)
        with django_assert_max_num_queries(self.PAGE_QUERIES[model, view]):
            assert editor_client.get(url).status_code == 200

    def test_the_claim_list_runs_a_fixed_number_of_queries(
        self, editor_client, django_assert_max_num_queries
    ):
        for _ in range(60):
            PublishedClaimFactory(topics=[TopicFactory()])
        # session, user, (permissions) x2, filter choices: years, topics, speakers; the count of
        # all claims and of the filtered ones, the page of claims with their speakers.
        with django_assert_max_num_queries(12):
            response = editor_client.get(admin_url("claims.claim", "changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 50

    def test_the_claim_list_shows_the_date_at_its_precision_and_the_status_as_text(self, editor_client):
        ClaimFactory(
            stated_on=datetime.date(2020, 12, 1),
            stated_on_precision="month",
            evidence_status=EvidenceStatus.DISPUTED,
            rationale="Denied.",
        )
        page = editor_client.get(admin_url("claims.claim", "changelist")).content.decode()
        assert "December 2020" in page
        assert "1 December 2020" not in page
        assert ">Disputed</span>" in page

    def test_the_claim_form_shows_relations_in_both_directions(self, editor_client):
        claim = ClaimFactory(summary="The accusation.")
        ClaimRelationFactory(from_claim=ClaimFactory(summary="The denial."), to_claim=claim)
        ClaimRelationFactory(
            from_claim=claim, to_claim=ClaimFactory(summary="An earlier remark."), relation_type="responds_to"
        )
        page = editor_client.get(admin_url("claims.claim", "change", claim.pk)).content.decode()
        assert "The denial." in page
        assert "An earlier remark." in page

    def test_editors_cannot_delete_claims_but_can_remove_citations(self, editor_client, editor):
        claim = ClaimFactory()
        assert editor_client.get(admin_url("claims.claim", "delete", claim.pk)).status_code == 403
        assert editor.has_perm("sources.delete_citation")
        assert not editor.has_perm("claims.delete_claim")

    def test_a_staff_user_outside_editors_sees_nothing(self, client):
        sign_in_with_code(client, UserFactory(is_staff=True))
        assert client.get(admin_url("claims.claim", "changelist")).status_code == 403


class TestSearchAndFilters:
    def test_searching_a_spelling_the_sources_use_finds_the_speakers_claims(self, editor_client):
        grushko = ActorFactory(name="Alexander Grushko", aliases="Glushko")
        ClaimFactory(speaker=grushko, summary="The US withdrew for imagined reasons.")
        ClaimFactory(summary="Something else entirely.")
        response = editor_client.get(admin_url("claims.claim", "changelist"), {"q": "Glushko"})
        assert [claim.summary for claim in response.context["cl"].result_list] == [
            "The US withdrew for imagined reasons."
        ]

    def test_searching_words_of_the_quote(self, editor_client):
        ClaimFactory(quote="absolutely unacceptable")
        ClaimFactory(quote="something else")
        response = editor_client.get(admin_url("claims.claim", "changelist"), {"q": "unacceptable"})
        assert response.context["cl"].result_count == 1

    def test_filtering_by_status_topic_and_year(self, editor_client):
        topic = TopicFactory()
        wanted = ClaimFactory(
            evidence_status="disputed",
            rationale="Denied.",
            stated_on=datetime.date(2019, 1, 23),
            topics=[topic],
        )
        ClaimFactory(
            evidence_status="disputed",
            rationale="Denied.",
            stated_on=datetime.date(2020, 1, 1),
            topics=[topic],
        )
        ClaimFactory(stated_on=datetime.date(2019, 3, 1), topics=[topic])
        response = editor_client.get(
            admin_url("claims.claim", "changelist"),
            {"evidence_status__exact": "disputed", "topics__id__exact": topic.pk, "year": "2019"},
        )
        assert list(response.context["cl"].result_list) == [wanted]


class TestAddingAndChangingClaims:
    def test_an_editor_adds_a_claim_with_a_citation_and_is_recorded_as_its_author(
        self, editor_client, editor
    ):
        source = SourceFactory()
        data = claim_form_data(
            citations=[
                {"source": source.pk, "stance": "reports", "excerpt": "Russia has not violated the treaty."}
            ]
        )
        response = editor_client.post(admin_url("claims.claim", "add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        claim = Claim.objects.get()
        assert claim.created_by == editor
        assert claim.citations.get().source == source
        assert claim.history.first().history_user == editor

    def test_a_reviewed_status_without_rationale_is_refused_on_the_rationale_field(self, editor_client):
        data = claim_form_data(evidence_status="disputed", rationale="")
        response = editor_client.post(admin_url("claims.claim", "add"), data)
        assert response.status_code == 200
        assert "rationale" in response.context["adminform"].form.errors
        assert not Claim.objects.exists()

    def test_publishing_without_a_citation_is_refused_and_nothing_is_saved(self, editor_client):
        response = editor_client.post(
            admin_url("claims.claim", "add"), claim_form_data(publication_state="published")
        )
        assert response.status_code == 200
        assert "needs at least one citation" in response.content.decode()
        assert not Claim.objects.exists()

    def test_an_editor_publishes_a_cited_draft_from_its_form(self, editor_client):
        claim = CitationFactory().claim
        data = claim_form_data(claim, publication_state="published")
        response = editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        claim.refresh_from_db()
        assert claim.is_published
        assert claim.published_at is not None

    def test_removing_the_last_citation_of_a_published_claim_is_refused(self, editor_client):
        claim = PublishedClaimFactory()
        data = claim_form_data(claim, **{"citations-0-DELETE": "on"})
        response = editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
        assert response.status_code == 200
        assert claim.citations.count() == 1

    def test_a_status_change_is_kept_with_the_reason_the_editor_gives(self, editor_client, editor):
        claim = PublishedClaimFactory()
        data = claim_form_data(
            claim,
            evidence_status="disputed",
            rationale="Russia denies it and no evidence is cited.",
            status_change_reason="Denied by the accused; no evidence cited.",
        )
        response = editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
        assert response.status_code == 302
        change = claim.status_changes.get()
        assert (change.to_status, change.reason, change.changed_by) == (
            "disputed",
            "Denied by the accused; no evidence cited.",
            editor,
        )
        history_page = editor_client.get(admin_url("claims.claim", "history", claim.pk)).content.decode()
        assert "Denied by the accused; no evidence cited." in history_page

    def test_reverting_to_an_earlier_version_records_the_true_step_naming_the_version(
        self, editor_client, editor
    ):
        claim = PublishedClaimFactory(
            evidence_status="supported", rationale="The inspection report shows it."
        )
        supported_version = claim.history.first()
        data = claim_form_data(claim, evidence_status="disputed", rationale="Russia denies it.")
        assert editor_client.post(admin_url("claims.claim", "change", claim.pk), data).status_code == 302

        revert_url = reverse(
            "admin:claims_claim_simple_history", args=[claim.pk, supported_version.history_id]
        )
        form = editor_client.get(revert_url)
        assert form.status_code == 200
        reverted = Claim.objects.get(pk=claim.pk)
        reverted.evidence_status, reverted.rationale = "supported", "The inspection report shows it."
        response = editor_client.post(revert_url, claim_form_data(reverted))
        assert response.status_code == 302

        steps = [(step.from_status, step.to_status) for step in claim.status_changes.all()]
        assert steps == [("unreviewed", "supported"), ("supported", "disputed"), ("disputed", "supported")]
        last = claim.status_changes.last()
        assert f"Reverted to version #{supported_version.history_id}" in last.reason
        assert last.changed_by == editor
        assert Claim.objects.get(pk=claim.pk).is_published

    def test_reverting_the_topics_recounts_them(self, editor_client):
        first, second = TopicFactory(name="Open Skies"), TopicFactory(name="INF")
        claim = PublishedClaimFactory(topics=[first])
        first_version = claim.history.first()
        data = {**claim_form_data(claim, kind=claim.kind), "topics": [second.pk]}
        assert editor_client.post(admin_url("claims.claim", "change", claim.pk), data).status_code == 302
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.claim_count, second.claim_count) == (0, 1)

        revert_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first_version.history_id])
        reverted = {**claim_form_data(Claim.objects.get(pk=claim.pk), kind=claim.kind), "topics": [first.pk]}
        assert editor_client.post(revert_url, reverted).status_code == 302

        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.claim_count, second.claim_count) == (1, 0)

    def test_every_edit_in_the_history_says_what_it_did(self, editor_client):
        claim = PublishedClaimFactory()
        data = claim_form_data(claim, summary="Reworded.", kind=claim.kind, speaker_role=claim.speaker_role)
        editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
        assert claim.history.first().history_change_reason == "Changed summary"
        history_page = editor_client.get(admin_url("claims.claim", "history", claim.pk)).content.decode()
        assert "Changed summary" in history_page
        assert ">None<" not in history_page

    def test_a_new_claim_with_its_citation_is_published_from_one_form(self, editor_client, editor):
        source = SourceFactory()
        data = claim_form_data(
            citations=[{"source": source.pk, "stance": "reports", "excerpt": "He said so."}],
            publication_state="published",
        )
        assert editor_client.post(admin_url("claims.claim", "add"), data).status_code == 302
        claim = Claim.objects.get()
        assert claim.is_published
        assert [record.history_change_reason for record in claim.history.order_by("history_id")] == [
            "Created",
            "Published",
        ]

    def test_a_save_from_a_stale_form_is_refused_naming_who_changed_what_and_keeps_the_input(
        self, editor_client, client
    ):
        claim = PublishedClaimFactory(kind="denial", speaker_role="Russian Deputy Foreign Minister")
        url = admin_url("claims.claim", "change", claim.pk)
        opened = editor_client.get(url).context["adminform"].form["opened_version"].value()

        first_editor = EditorFactory(username="alice")
        alice = sign_in_with_code(Client(), first_editor)
        first = claim_form_data(claim, rationale="Alice's new rationale.", opened_version=opened)
        assert alice.post(url, first).status_code == 302

        second = claim_form_data(claim, summary="Bob's new summary.", opened_version=opened)
        refused = editor_client.post(url, second)
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "Not saved: this claim was changed since you opened it." in page
        assert "alice" in page
        assert "rationale → “Alice&#x27;s new rationale.”" in page
        assert "Bob&#x27;s new summary." in page  # the second editor's input, kept
        claim.refresh_from_db()
        assert (claim.summary, claim.rationale) == (claim.summary, "Alice's new rationale.")
        assert claim.summary != "Bob's new summary."

        # Saving again from the refused form is a knowing choice, and goes through.
        again = {**second, "opened_version": refused.context["adminform"].form["opened_version"].value()}
        again["rationale"] = "Alice's new rationale."
        assert editor_client.post(url, again).status_code == 302
        claim.refresh_from_db()
        assert (claim.summary, claim.rationale) == ("Bob's new summary.", "Alice's new rationale.")

    def test_a_stale_form_does_not_undo_another_editors_citation_change(self, editor_client):
        claim = PublishedClaimFactory(kind="denial", speaker_role="Russian Deputy Foreign Minister")
        url = admin_url("claims.claim", "change", claim.pk)
        opened = editor_client.get(url).context["adminform"].form["opened_version"].value()
        stale = claim_form_data(claim, summary="A new summary.", opened_version=opened)
        citation = claim.citations.get()
        citation.excerpt = "The corrected excerpt."
        citation.save()
        refused = editor_client.post(url, stale)
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "Its citations or relations changed" in page
        assert "Its citations were changed by another editor since you opened this claim" in page
        assert claim.citations.get().excerpt == "The corrected excerpt."

        # Saving again sends what the refused form shows: the citation as stored, not as it was.
        (citations,) = [
            formset.formset
            for formset in refused.context["inline_admin_formsets"]
            if formset.formset.prefix == "citations"
        ]
        assert not citations.is_bound
        (shown,) = citations.forms
        again = {
            **stale,
            "opened_version": refused.context["adminform"].form["opened_version"].value(),
            **{
                f"citations-0-{name}": shown[name].value()
                for name in ("source", "stance", "excerpt", "locator")
            },
        }
        assert again["citations-0-excerpt"] == "The corrected excerpt."
        assert editor_client.post(url, again).status_code == 302
        claim.refresh_from_db()
        assert claim.summary == "A new summary."
        assert claim.citations.get().excerpt == "The corrected excerpt."

    def test_a_stale_form_keeps_the_editors_citation_rows_when_only_the_claim_changed(self, editor_client):
        claim = PublishedClaimFactory(kind="denial", speaker_role="Russian Deputy Foreign Minister")
        url = admin_url("claims.claim", "change", claim.pk)
        opened = editor_client.get(url).context["adminform"].form["opened_version"].value()
        changed = Claim.objects.get(pk=claim.pk)
        changed.rationale = "Another editor's rationale."
        operations.edit_claim(changed)
        stale = claim_form_data(claim, opened_version=opened)
        stale["citations-0-excerpt"] = "This editor's excerpt."
        refused = editor_client.post(url, stale)
        assert refused.status_code == 200
        assert "were changed by another editor" not in refused.content.decode()
        (citations,) = [
            formset.formset
            for formset in refused.context["inline_admin_formsets"]
            if formset.formset.prefix == "citations"
        ]
        assert citations.forms[0]["excerpt"].value() == "This editor's excerpt."

    def test_reverting_to_a_published_version_of_a_claim_left_without_citations_is_refused_whole(
        self, editor_client
    ):
        claim = PublishedClaimFactory(evidence_status="supported", rationale="The report shows it.")
        published_version = claim.history.first()
        claim.rationale = "Russia denies it."
        operations.change_evidence_status(claim, "disputed")
        operations.unpublish(claim)
        claim.citations.all().delete()
        revert_url = reverse(
            "admin:claims_claim_simple_history", args=[claim.pk, published_version.history_id]
        )
        reverted = Claim.objects.get(pk=claim.pk)
        reverted.evidence_status, reverted.rationale = "supported", "The report shows it."
        data = claim_form_data(reverted, publication_state="published")
        response = editor_client.post(revert_url, data, follow=True)
        assert "Not reverted: A published claim needs at least one citation" in response.content.decode()
        claim.refresh_from_db()
        assert (claim.evidence_status, claim.publication_state) == ("disputed", "draft")
        assert claim.status_changes.last().to_status == "disputed"

    def test_relating_a_claim_to_itself_is_refused_in_the_form(self, editor_client):
        claim = ClaimFactory()
        data = claim_form_data(
            claim,
            **{
                "relations_from-TOTAL_FORMS": 1,
                "relations_from-0-relation_type": "disputes",
                "relations_from-0-to_claim": claim.pk,
            },
        )
        response = editor_client.post(admin_url("claims.claim", "change", claim.pk), data)
        assert response.status_code == 200
        assert "cannot be related to itself" in response.content.decode()
        assert not ClaimRelation.objects.exists()


class TestBulkActions:
    def test_publishing_in_bulk_skips_claims_without_citations(self, editor_client):
        cited = CitationFactory().claim
        uncited = ClaimFactory()
        response = editor_client.post(
            admin_url("claims.claim", "changelist"),
            {"action": "publish", "_selected_action": [cited.pk, uncited.pk]},
            follow=True,
        )
        cited.refresh_from_db()
        uncited.refresh_from_db()
        assert cited.publication_state == PublicationState.PUBLISHED
        assert uncited.publication_state == PublicationState.DRAFT
        page = response.content.decode()
        assert "Published 1 claim(s)." in page
        assert "1 claim(s) left as drafts" in page

    def test_unpublishing_in_bulk(self, editor_client, editor):
        claims = [PublishedClaimFactory() for _ in range(3)]
        editor_client.post(
            admin_url("claims.claim", "changelist"),
            {"action": "unpublish", "_selected_action": [claim.pk for claim in claims]},
        )
        assert not Claim.objects.published().exists()
        assert claims[0].history.first().history_user == editor


def test_a_citation_that_is_a_published_claims_last_cannot_be_deleted(editor_client):
    citation = Citation.objects.get(claim=PublishedClaimFactory())
    assert editor_client.get(admin_url("sources.citation", "delete", citation.pk)).status_code == 403
    second = CitationFactory(claim=citation.claim)
    assert editor_client.get(admin_url("sources.citation", "delete", second.pk)).status_code == 200


def test_a_relation_an_editor_records_reads_from_each_side_on_the_public_pages(editor_client):
    accusation = PublishedClaimFactory(summary="The US said Russia broke it.")
    denial = PublishedClaimFactory(summary="Russia denied it.")
    recorded = claim_form_data(
        accusation,
        kind=accusation.kind,
        speaker_role=accusation.speaker_role,
        **{
            "relations_to-TOTAL_FORMS": 1,
            "relations_to-0-from_claim": denial.pk,
            "relations_to-0-relation_type": "disputes",
        },
    )
    assert editor_client.post(admin_url("claims.claim", "change", accusation.pk), recorded).status_code == 302

    reader = Client()
    accusation_page = reader.get(accusation.get_absolute_url()).content.decode()
    assert '<span class="relation relation-disputes">Disputes this claim</span>' in accusation_page
    assert f'<a href="{denial.get_absolute_url()}">Russia denied it.</a>' in accusation_page
    denial_page = reader.get(denial.get_absolute_url()).content.decode()
    assert '<span class="relation relation-disputes">Disputed by this claim</span>' in denial_page
    assert f'<a href="{accusation.get_absolute_url()}">The US said Russia broke it.</a>' in denial_page


class TestTheClaimList:
    def test_drafts_carry_a_draft_badge_and_published_claims_say_so_quietly(self, editor_client):
        ClaimFactory(summary="A claim still being written.")
        PublishedClaimFactory(summary="A claim readers see.")
        page = editor_client.get(admin_url("claims.claim", "changelist")).content.decode()
        assert page.count('<span class="publication-badge publication-draft">Draft</span>') == 1
        assert page.count('<span class="publication-badge publication-published">Published</span>') == 1
        # The stylesheet that marks a draft's row and keeps the columns within 1280 px.
        assert "claims/admin.css" in page


class TestDates:
    def test_a_date_written_day_first_or_month_first_is_refused_with_the_format_to_use(self, editor_client):
        data = claim_form_data(stated_on="02/03/2023")
        response = editor_client.post(admin_url("claims.claim", "add"), data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["stated_on"] == [
            "Enter the date as YYYY-MM-DD, e.g. 2020-05-21."
        ]
        assert "Enter the date as YYYY-MM-DD, e.g. 2020-05-21." in response.content.decode()
        assert not Claim.objects.exists()

    def test_a_date_written_yyyy_mm_dd_is_saved_as_that_day(self, editor_client):
        data = claim_form_data(stated_on="2023-02-03")
        response = editor_client.post(admin_url("claims.claim", "add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Claim.objects.get().stated_on == datetime.date(2023, 2, 3)

    def test_the_claim_form_shows_the_date_and_its_format_as_yyyy_mm_dd(self, editor_client):
        claim = ClaimFactory(stated_on=datetime.date(2020, 5, 21))
        page = editor_client.get(admin_url("claims.claim", "change", claim.pk)).content.decode()
        date_input = re.search(r'<input[^>]*name="stated_on"[^>]*>', page).group()
        assert 'value="2020-05-21"' in date_input
        assert 'placeholder="YYYY-MM-DD"' in date_input
        assert "Format: YYYY-MM-DD." in page
