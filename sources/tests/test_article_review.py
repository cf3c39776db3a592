"""The review of an imported article: bounded work on hostile articles, the answers it links, the
aliases it may learn (and when readers see them), and the review screen an editor works on."""

import datetime
import importlib
import socket
import time

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import operations
from claims.models import Actor, Claim, ClaimRelation, Topic
from claims.tests.factories import ActorFactory, EditorFactory, PublishedClaimFactory
from sources.importing.drafts import alias_offer, write_accepted
from sources.importing.review import MOST_ANSWERS, client_has_gone, review_article
from sources.importing.upload import MAX_TEXT_BYTES
from sources.tests.test_article_drafts import candidate, review
from sources.tests.test_article_import import _form_data, _formset_data
from tracker.tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db

DENIAL = '"We deny it," Ryabkov said. '
PAIRS = list(
    zip(
        ["hiding", "testing", "selling", "moving", "building", "buying", "stockpiling", "smuggling"],
        ["missiles", "drones", "satellites", "warships", "tanks", "radars", "mines", "rockets"],
        strict=True,
    )
)


@pytest.fixture
def ryabkov():
    russia = ActorFactory(name="Russian Federation", kind="state", aliases="Russia\nMoscow")
    return ActorFactory(name="Sergei Ryabkov", aliases="Ryabkov", affiliation=russia)


@pytest.fixture
def united_states():
    return ActorFactory(name="United States", kind="state", aliases="Washington\nU.S.")


@pytest.fixture
def small_caps(monkeypatch):
    """The caps made small, so that a modest article exceeds them."""
    monkeypatch.setattr("sources.importing.review.MOST_CANDIDATES", 5)
    monkeypatch.setattr("sources.importing.review.MOST_CUES", 12)


# --- Bounded work ----------------------------------------------------------------------------


def queries_a_search():
    """A search for similar claims: the claims found by their words, then their vectors compared
    (the first search's read builds the vector index); on PostgreSQL also how common the words are."""
    return 3 if connection.vendor == "postgresql" else 2


def queries_to_repeat_and_answer():
    """A denial by a recorded speaker: a search for the claims it repeats, and one for the
    accusations it answers (`answered_by`), which first reads whom the speaker speaks for."""
    return 2 * queries_a_search() + 1


def test_a_denial_repeated_hundreds_of_times_gives_the_capped_candidates_in_bounded_queries(
    ryabkov, small_caps, django_assert_max_num_queries
):
    # The importer's directory of actors, topics and roles, the existing source, the actors named,
    # then per denial a search for the claims it repeats and one for those it answers.
    with django_assert_max_num_queries(6 + queries_to_repeat_and_answer() * 5):
        proposal = review_article(DENIAL * 400)
    assert len(proposal["candidates"]) == 5
    assert any("first 5 are shown" in notice for notice in proposal["notices"])
    assert any("read up to" in notice for notice in proposal["notices"])


def test_many_accusation_denial_pairs_give_capped_answers_per_candidate(
    ryabkov, united_states, django_assert_max_num_queries
):
    pairs = "".join(
        f"Washington accused Moscow of {doing} {what}.\nRyabkov denied {doing} {what}, in a reply.\n"
        for doing, what in PAIRS
    )
    searches = queries_a_search() + queries_to_repeat_and_answer()  # an accusation, a denial
    with django_assert_max_num_queries(6 + searches * len(PAIRS)):
        proposal = review_article(pairs, published_on=datetime.date(2024, 3, 4))
    denials = [c for c in proposal["candidates"] if c["kind"] == "denial"]
    assert denials
    assert all(len(c["answers"]) <= MOST_ANSWERS for c in proposal["candidates"])
    assert any("nearest, which are linked" in notice for notice in proposal["notices"])


def test_a_candidate_that_can_neither_repeat_nor_answer_a_recorded_claim_searches_nothing():
    def queries(text):
        with CaptureQueriesContext(connection) as context:
            review_article(text)
        return len(context.captured_queries)

    assert queries("Zed Quux said the weather was fine.\n") == queries("The weather was fine.\n")


def test_past_its_deadline_the_review_says_it_read_only_part_of_the_article(ryabkov):
    late = review_article(DENIAL * 3, deadline=time.monotonic() - 1)
    assert "only its first part was read" in late["notices"][0]
    assert "stopped looking for recorded claims" in late["notices"][-1] or not late["candidates"]


def test_with_the_client_gone_the_review_returns_the_candidates_it_has(ryabkov):
    gone = review_article(DENIAL * 3, should_stop=lambda: True)
    assert gone["candidates"]
    assert "stopped looking for recorded claims at candidate 1" in gone["notices"][-1]


def test_a_client_that_hung_up_is_told_from_one_still_waiting(rf):
    server_end, client_end = socket.socketpair()
    request = rf.post("/admin/sources/source/import/")
    request.META["gunicorn.socket"] = server_end
    try:
        assert not client_has_gone(request)
        client_end.close()
        assert client_has_gone(request)
    finally:
        server_end.close()
    assert not client_has_gone(rf.post("/"))  # a server that does not tell: assume it waits


def test_an_article_longer_than_the_importer_reads_is_a_form_error_naming_the_field(client):
    sign_in_with_code(client, EditorFactory())
    text = "Zed Quux said the weather was fine. " * (MAX_TEXT_BYTES // 30)
    response = client.post(reverse("admin:sources_source_import"), {"step": "article", "text": text})
    assert response.status_code == 200
    assert response.context["form"].errors["text"][0].startswith("Article text: The article is 2")
    assert "the most the importer reads is 200 KB" in response.content.decode()


# --- Answers ---------------------------------------------------------------------------------


def test_a_denial_answers_the_accusation_against_its_side_in_the_same_article(ryabkov, united_states):
    text = (
        "Washington accused Moscow of deploying banned missiles.\n"
        "Deputy Foreign Minister Sergei Ryabkov denied that Russia had deployed any banned missiles.\n"
    )
    proposal = review_article(text, published_on=datetime.date(2024, 3, 4))
    kinds = [c["kind"] for c in proposal["candidates"]]
    denial = proposal["candidates"][kinds.index("denial")]
    assert denial["answers"] == [f"candidate:{kinds.index('accusation')}"]
    assert denial["answer_reasons"][0].startswith(
        f"Answers candidate {kinds.index('accusation') + 1}, an accusation"
    )


def test_a_spokesperson_of_a_state_not_yet_recorded_answers_the_accusation_against_it():
    text = (
        "Latvia accused Belarus of pushing migrants across the border fence.\n\n"
        "Anton Kovalenko, a Belarusian border guard spokesman, denied that any migrants had been pushed.\n"
    )
    accusation, denial = review_article(text, published_on=datetime.date(2024, 3, 4))["candidates"]
    assert (accusation["target"]["name"], accusation["target"]["actor_id"]) == ("Belarus", None)
    assert denial["speaker"]["affiliation"]["name"] == "Belarus"
    assert denial["answers"] == ["candidate:0"]


def test_a_denial_of_a_reported_accusation_answers_the_accused_sides_statement(ryabkov, united_states):
    text = (
        "The United States said it would leave the treaty in six months.\n"
        "Ryabkov rejected the U.S. allegations that Russia had broken the treaty.\n"
    )
    proposal = review_article(text, published_on=datetime.date(2024, 3, 4))
    statement, second = proposal["candidates"]
    assert statement["speaker"]["name"] == "United States"
    assert second["kind"] == "denial"
    assert second["answers"] == ["candidate:0"]
    assert second["answer_reasons"][0].startswith("Answers candidate 1, ")


def test_a_statement_answers_only_what_was_said_shortly_before_it(ryabkov, united_states):
    text = (
        "In March 2021, the United States said the inspections were working.\n"
        "Ryabkov accused the United States of blocking the inspections on Monday.\n"
        "On Tuesday, Washington accused Russia of hiding the launchers.\n"
    )
    proposal = review_article(text, published_on=datetime.date(2024, 3, 6))
    background, accusation, counter = proposal["candidates"]
    assert (background["stated_on"], accusation["stated_on"]) == ("2021-03-01", "2024-03-04")
    assert accusation["answers"] == []  # the US statement is years old; Washington's came later
    assert counter["answers"] == ["candidate:1"]


def test_a_denial_naming_the_accusation_answers_it_however_old(ryabkov, united_states):
    text = (
        "In January, Washington accused Moscow of hiding launchers in Siberia.\n"
        "On Monday, Ryabkov said the US accusations about the launchers were groundless.\n"
    )
    accusation, denial = review_article(text, published_on=datetime.date(2024, 6, 5))["candidates"]
    assert (accusation["stated_on"], denial["stated_on"]) == ("2024-01-01", "2024-06-03")
    assert denial["answers"] == ["candidate:0"]


def test_a_statement_naming_the_other_side_responds_to_what_it_said_just_before(ryabkov, united_states):
    text = (
        "The United States said it would stop sharing flight data in May.\n"
        "Washington said the inspections had cost too much.\n"
        "Ryabkov said the decision of the United States would matter to every party to the treaty.\n"
    )
    *_earlier, regret = review_article(text, published_on=datetime.date(2024, 3, 4))["candidates"]
    assert regret["kind"] not in ("denial", "accusation", "counter_accusation")
    assert regret["answers"] == ["candidate:1"]
    assert "of which it speaks" in regret["answer_reasons"][0]


def test_a_denial_answers_a_recorded_accusation_with_a_reason(ryabkov, united_states):
    recorded = PublishedClaimFactory(
        speaker=united_states,
        target=ryabkov.affiliation,
        kind="accusation",
        summary="The United States accused Russia of deploying banned missiles near the border.",
    )
    proposal = review_article("Ryabkov denied that Russia had deployed banned missiles near the border.\n")
    (denial,) = proposal["candidates"]
    assert recorded.pk in denial["answers"]
    assert f"Answers “{recorded.summary}”" in " ".join(denial["answer_reasons"])


def test_a_denial_answers_first_the_recorded_accusation_of_the_side_it_names(ryabkov, united_states):
    russia = ryabkov.affiliation
    by_japan = PublishedClaimFactory(
        speaker=ActorFactory(name="Japan", kind="state"),
        target=russia,
        kind="accusation",
        summary="Japan accused Russia of hiding missile launchers in Siberia.",
    )
    by_washington = PublishedClaimFactory(
        speaker=united_states,
        target=russia,
        kind="accusation",
        summary="The United States accused Russia of hiding missile launchers in Siberia.",
    )
    text = "Russia rejected the U.S. accusations that it had hidden missile launchers in Siberia.\n"
    (denial,) = review_article(text)["candidates"]
    assert (denial["kind"], denial["target"]["actor_id"]) == ("denial", united_states.pk)
    assert denial["answers"][:2] == [by_washington.pk, by_japan.pk]
    assert "same speaker" in denial["answer_reasons"][0]  # Washington, whom the denial answers


def test_a_new_spokesperson_of_a_recorded_state_answers_the_accusation_against_it(ryabkov, united_states):
    recorded = PublishedClaimFactory(
        speaker=united_states,
        target=ryabkov.affiliation,
        kind="accusation",
        summary="The United States accused Russia of jamming satellite signals over the Baltic.",
    )
    text = "Russian Deputy Foreign Minister Ilse Marren denied that Russia had jammed satellite signals.\n"
    (denial,) = review_article(text)["candidates"]
    assert denial["speaker"]["actor_id"] is None
    assert denial["answers"] == [recorded.pk]


# --- Aliases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "name", "kind", "offered"),
    [
        ("it", "Ministry of Foreign Affairs", "organization", None),
        ("They", "Ministry of Foreign Affairs", "organization", None),
        ("the ministry", "Ministry of Foreign Affairs", "organization", None),
        ("officials", "Ministry of Foreign Affairs", "organization", None),
        ("London", "Foreign, Commonwealth and Development Office", "organization", None),
        ("Foreign Ministry", "Ministry of Foreign Affairs", "organization", True),
        ("OPCW", "Organisation for the Prohibition of Chemical Weapons", "organization", True),
        ("FSB", "Federal Security Service", "organization", False),
        ("Glushko", "Alexander Grushko", "person", False),
        ("Moscow", "Russian Federation", "state", False),
    ],
)
def test_only_name_like_spellings_are_offered_and_only_sure_ones_ticked(spelling, name, kind, offered):
    offer = alias_offer(spelling, name, "", kind)
    assert (offer and offer["suggested"]) == offered if offered is not None else offer is None


def test_accepting_learns_no_alias_unless_ticked_and_never_a_pronoun():
    ministry = ActorFactory(name="Ministry of Foreign Affairs", kind="organization")
    write_accepted(
        review(candidate({"actor_id": ministry.pk, "name": ministry.name, "as_written": "Foreign Ministry"}))
    )
    write_accepted(
        review(
            candidate(
                {"actor_id": ministry.pk, "name": ministry.name, "as_written": "it", "learn_alias": True}
            ),
            url="https://example.org/other",
        )
    )
    ministry.refresh_from_db()
    assert (ministry.aliases, ministry.unpublished_aliases) == ("", "")


def test_a_learned_spelling_is_public_only_once_a_published_claim_quotes_it(client):
    grushko = ActorFactory(name="Alexander Grushko", aliases="Grushko")
    PublishedClaimFactory(speaker=grushko)  # a public actor, whose other spellings are public
    learned = {"actor_id": grushko.pk, "name": grushko.name, "as_written": "Glushko", "learn_alias": True}
    written = write_accepted(review(candidate(learned)), by=EditorFactory())
    grushko.refresh_from_db()
    assert (grushko.aliases, grushko.unpublished_aliases) == ("Grushko", "Glushko")
    api = client.get(f"/api/v1/actors/{grushko.pk}/").json()
    assert api["aliases"] == ["Grushko"]
    assert "Glushko" not in client.get(grushko.get_absolute_url()).content.decode()

    (draft,) = written.claims
    operations.publish(draft)  # its citation's excerpt writes "Glushko"
    grushko.refresh_from_db()
    assert (grushko.aliases, grushko.unpublished_aliases) == ("Grushko\nGlushko", "")
    assert client.get(f"/api/v1/actors/{grushko.pk}/").json()["aliases"] == ["Grushko", "Glushko"]
    page = client.get(grushko.get_absolute_url()).content.decode()
    assert "Also written as</dt><dd>Grushko, Glushko</dd>" in page


def test_the_importer_matches_a_learned_spelling_no_published_claim_quotes_yet():
    grushko = ActorFactory(name="Alexander Grushko", aliases="Grushko")
    learned = {"actor_id": grushko.pk, "name": grushko.name, "as_written": "Sashko", "learn_alias": True}
    write_accepted(review(candidate(learned)), by=EditorFactory())
    assert Actor.objects.get(pk=grushko.pk).alias_list == ["Grushko"]

    proposal = review_article(
        "Russia rejects the accusation\n"
        '"We have not violated the treaty," Sashko told reporters in Moscow on Friday.'
    )
    (speaker,) = [entry["speaker"] for entry in proposal["candidates"]]
    assert (speaker["actor_id"], speaker["alias_offer"]) == (grushko.pk, None)  # known: not offered again


def test_the_migration_keeps_unpublished_spellings_out_of_the_public_aliases():
    migration = importlib.import_module("claims.migrations.0016_unpublished_aliases_only_unpublished")
    grushko = ActorFactory(
        name="Alexander Grushko", aliases="Grushko\nGlushko", unpublished_aliases="Glushko"
    )
    other = ActorFactory(name="Sergei Ryabkov", aliases="Ryabkov")
    migration.keep_unpublished_spellings_out_of_aliases(apps, None)
    assert Actor.objects.get(pk=grushko.pk).aliases == "Grushko"
    assert Actor.objects.get(pk=grushko.pk).unpublished_aliases == "Glushko"
    assert Actor.objects.get(pk=other.pk).aliases == "Ryabkov"
    migration.write_unpublished_spellings_to_aliases_too(apps, None)
    assert Actor.objects.get(pk=grushko.pk).aliases == "Grushko\nGlushko"


def test_the_migration_removes_learned_pronoun_aliases_and_keeps_names_in_capitals():
    migration = importlib.import_module("claims.migrations.0013_remove_pronoun_aliases")
    ministry = ActorFactory(
        name="Ministry of Foreign Affairs", aliases="MFA\nit\nThey", unpublished_aliases="it"
    )
    states = ActorFactory(name="United States", aliases="US\nus\nWashington")
    migration.remove_pronoun_aliases(apps, None)
    assert Actor.objects.get(pk=ministry.pk).aliases == "MFA"
    assert Actor.objects.get(pk=ministry.pk).unpublished_aliases == ""
    assert Actor.objects.get(pk=states.pk).aliases == "US\nWashington"


# --- The review screen -----------------------------------------------------------------------

SCREEN_ARTICLE = (
    "Russia denies deploying banned missiles\n"
    "MOSCOW, March 4 (Reuters) - Washington accused Moscow of deploying banned missiles.\n"
    "The dispute has lasted for years.\n"
    "Ryabkov denied that Russia had deployed any banned missiles.\n"
    "A senior diplomat in Geneva called the charge absurd.\n"
    "Talks between the two delegations are expected to resume in the spring.\n"
)


def _review_page(client, **given):
    sign_in_with_code(client, EditorFactory())
    return _post_article(client, **given)


def _post_article(client, **given):
    fields = {"step": "article", "text": SCREEN_ARTICLE, "published_on": "2024-03-04", **given}
    return client.post(reverse("admin:sources_source_import"), fields)


def _accept_data(response, **changes):
    data = {"step": "accept", "proposal": response.context["proposal_json"]}
    data.update(_form_data(response.context["source_form"]))
    data.update(_formset_data(response.context["formset"]))
    data.update(changes)
    return data


def test_the_article_is_shown_with_each_excerpt_marked_and_numbered(client, ryabkov, united_states):
    response = _review_page(client)
    page = response.content.decode()
    count = len(response.context["rows"])
    assert count >= 2
    for number in range(1, count + 1):
        marked = f'<mark id="excerpt-{number}" class="excerpt">'
        assert f'{marked}<a class="excerpt-number" href="#candidate-{number}">' in page
    assert "<p>The dispute has lasted for years.</p>" in page  # no candidate: plain, visibly missed


def test_the_review_page_costs_a_bounded_number_of_queries(
    client, ryabkov, united_states, django_assert_max_num_queries
):
    sign_in_with_code(client, EditorFactory())
    # Session, user, second factor and permissions (5); the importer's roles, actors and topics
    # (3); the existing source; the actors named; for each of the two denials by a known speaker,
    # a search for the claims it repeats and one for those it answers (and on PostgreSQL the
    # claims' estimate the vector index's first build reads); the sources to cite instead; the
    # speakers and targets the forms show (4).
    searches = 2 * queries_to_repeat_and_answer() + (connection.vendor == "postgresql")
    with django_assert_max_num_queries(5 + 3 + 2 + searches + 1 + 4):
        _post_article(client)


def test_a_statement_the_editor_adds_becomes_a_candidate_and_their_edits_are_kept(
    client, ryabkov, united_states
):
    response = _review_page(client)
    count = len(response.context["rows"])
    data = _accept_data(
        response,
        action="add",
        added_excerpt="Talks between the two delegations are expected to resume in the spring.",
        **{"candidate-0-summary": "Edited by the editor."},
    )
    added = client.post(reverse("admin:sources_source_import"), data)
    assert len(added.context["rows"]) == count + 1
    assert added.context["formset"].forms[0]["summary"].value() == "Edited by the editor."
    new = added.context["rows"][-1][1]
    assert new["excerpt"] == "Talks between the two delegations are expected to resume in the spring."
    assert new["locator"] == "Paragraph 6"
    assert f'id="excerpt-{count + 1}"' in added.content.decode()
    assert not Claim.objects.exists()


def test_adding_a_statement_already_found_points_to_its_candidate(client, ryabkov, united_states):
    response = _review_page(client)
    count = len(response.context["rows"])
    found = next(
        number
        for number, (_form, candidate, _flag) in enumerate(response.context["rows"], start=1)
        if candidate["excerpt"].startswith("A senior diplomat")
    )
    data = _accept_data(response, action="add", added_excerpt="A senior diplomat in Geneva called the charge")
    again = client.post(reverse("admin:sources_source_import"), data)
    assert len(again.context["rows"]) == count
    assert f"That statement is already candidate {found}." in again.context["notices"]
    assert f'id="candidate-{found}" data-focus' in again.content.decode()


def test_changing_the_sources_date_moves_the_inferred_dates_and_keeps_the_editors(
    client, ryabkov, united_states
):
    response = _review_page(client)
    assert "Inferred from the article" in response.content.decode()
    data = _accept_data(
        response,
        action="reread",
        published_on="2025-03-04",
        **{"candidate-0-stated_on": "2024-02-01"},
    )
    reread = client.post(reverse("admin:sources_source_import"), data)
    forms = reread.context["formset"].forms
    assert str(forms[0]["stated_on"].value()) == "2024-02-01"
    assert {str(form["stated_on"].value())[:4] for form in forms[1:]} == {"2025"}
    assert "date(s) read from it moved" in reread.content.decode()


def test_rereading_with_another_date_moves_a_weekday_and_says_how_it_was_read(client, ryabkov):
    article = "Ceasefire doubts\nEcuador's defence minister said on Thursday that no troops had crossed.\n"
    response = _review_page(client, text=article, published_on="2024-03-08")
    assert response.context["formset"].forms[0]["stated_on"].value() == "2024-03-07"
    data = _accept_data(response, action="reread", published_on="2024-03-20")
    reread = client.post(reverse("admin:sources_source_import"), data)
    assert str(reread.context["formset"].forms[0]["stated_on"].value()) == "2024-03-14"
    assert (
        "Date read from &#x27;on Thursday&#x27;: the last Thursday on or before the article&#x27;s "
        "date (2024-03-20)." in reread.content.decode()
    )


def test_new_speaker_target_and_topic_are_made_from_the_candidate_and_candidates_link(
    client, ryabkov, united_states
):
    response = _review_page(client)
    rows = response.context["rows"]
    last = len(rows) - 1
    data = _accept_data(
        response,
        **{
            f"candidate-{last}-accepted": "on",  # an unnamed source, left out until the editor names one
            f"candidate-{last}-speaker": "",
            f"candidate-{last}-new_speaker": "Geneva Disarmament Mission",
            f"candidate-{last}-new_speaker_kind": "organization",
            f"candidate-{last}-target": "",
            f"candidate-{last}-new_target": "Pentagon",
            f"candidate-{last}-new_target_kind": "organization",
            f"candidate-{last}-new_topic": "Intermediate-range missiles",
            f"candidate-{last}-answers_candidates": "1",
            f"candidate-{last}-kind": "counter_accusation",
        },
    )
    accepted = client.post(reverse("admin:sources_source_import"), data)
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    mission = Actor.objects.get(name="Geneva Disarmament Mission")
    assert (mission.kind, mission.description) == ("organization", "")
    claim = Claim.objects.get(speaker=mission)
    assert claim.target.name == "Pentagon"
    assert list(claim.topics.all()) == [Topic.objects.get(name="Intermediate-range missiles")]
    first = Claim.objects.get(citations__excerpt=rows[0][1]["excerpt"])
    assert ClaimRelation.objects.filter(from_claim=claim, to_claim=first).exists()


def test_a_likely_repeat_of_a_recorded_claim_defaults_to_citing_it(client, ryabkov, united_states):
    known = PublishedClaimFactory(
        speaker=ryabkov,
        summary="Ryabkov denied that Russia had deployed any banned missiles.",
        stated_on=datetime.date(2024, 3, 4),
    )
    months_before = PublishedClaimFactory(
        speaker=ryabkov,
        summary="Ryabkov denied that Russia had deployed any banned missiles.",
        stated_on=datetime.date(2023, 9, 1),
    )
    response = _review_page(client)
    initial = [form.initial.get("cite_on") for form in response.context["formset"].forms]
    assert known.pk in initial
    assert months_before.pk not in initial
    assert f'<option value="{known.pk}" selected>Another appearance of' in response.content.decode()


def test_a_date_read_without_a_year_is_flagged_as_a_guess(client, ryabkov, united_states):
    page = _review_page(client, published_on="").content.decode()
    assert "the year is a guess" in page
    dated = _review_page(client).content.decode()
    assert "the year is a guess" not in dated
    assert "Inferred from the article&#x27;s date (2024-03-04)" in dated


# --- New actors the engine proposes ----------------------------------------------------------

NEW_ACTORS_ARTICLE = (
    "Drills near the border\n"
    "Russian Deputy Foreign Minister Ilse Marren said the drills near the border were defensive.\n"
    "Chile's foreign ministry said the survey ship had left the disputed waters.\n"
    "Peru accused Ecuador of moving troops to the river crossing.\n"
    "Someone close to the talks said the charge was false.\n"
)


def _new_actors_review(client):
    return _review_page(client, text=NEW_ACTORS_ARTICLE)


def _initial_of(response, excerpt_start):
    return next(
        form.initial
        for form, candidate, _flag in response.context["rows"]
        if candidate["excerpt"].startswith(excerpt_start)
    )


def test_a_new_speaker_is_proposed_in_the_new_speaker_fields_with_role_kind_and_side(client, ryabkov):
    response = _new_actors_review(client)
    marren = _initial_of(response, "Russian Deputy Foreign Minister")
    assert (marren["speaker"], marren["new_speaker"], marren["new_speaker_kind"]) == (
        None,
        "Ilse Marren",
        "person",
    )
    assert marren["speaker_role"] == "Russian Deputy Foreign Minister"
    assert marren["new_speaker_affiliation"] == ryabkov.affiliation_id  # the recorded Russian Federation
    assert marren["new_speaker_new_affiliation"] == ""
    ministry = _initial_of(response, "Chile's foreign ministry")
    assert (ministry["new_speaker"], ministry["new_speaker_kind"]) == (
        "Chile's foreign ministry",
        "organization",
    )
    assert (ministry["new_speaker_affiliation"], ministry["new_speaker_new_affiliation"]) == (None, "Chile")


def test_a_new_target_is_proposed_in_the_new_target_fields(client, ryabkov):
    accusation = _initial_of(_new_actors_review(client), "Peru accused")
    assert (accusation["target"], accusation["new_target"], accusation["new_target_kind"]) == (
        None,
        "Ecuador",
        "state",
    )


def test_an_unnamed_speaker_waits_for_the_editors_choice(client, ryabkov):
    response = _new_actors_review(client)
    unnamed = _initial_of(response, "Someone close to the talks")
    assert not unnamed["accepted"]
    assert (unnamed["speaker"], unnamed["new_speaker"]) == (None, "")
    assert "The article names no one: choose who said it" in response.content.decode()
    form = next(form for form, c, _flag in response.context["rows"] if c["excerpt"].startswith("Someone"))
    assert "learn_alias" not in form.fields


def test_accepting_makes_the_new_speakers_with_their_kind_role_and_side(client, ryabkov):
    response = _new_actors_review(client)
    accepted = client.post(reverse("admin:sources_source_import"), _accept_data(response))
    assert accepted.status_code == 302
    marren = Actor.objects.get(name="Ilse Marren")
    assert (marren.kind, marren.description, marren.affiliation) == (
        "person",
        "Russian Deputy Foreign Minister",
        ryabkov.affiliation,
    )
    ministry = Actor.objects.get(name="Chile's foreign ministry")
    assert (ministry.kind, ministry.affiliation.name, ministry.affiliation.kind) == (
        "organization",
        "Chile",
        "state",
    )
    assert Actor.objects.get(name="Ecuador").kind == "state"
    assert not Actor.objects.filter(name__icontains="close to the talks").exists()
    assert not Claim.objects.filter(summary__icontains="charge was false").exists()
    assert Claim.objects.filter(speaker=marren, speaker_role="Russian Deputy Foreign Minister").exists()


def test_choosing_a_recorded_actor_for_an_unnamed_speaker_learns_no_alias(client, ryabkov):
    response = _new_actors_review(client)
    number = next(
        index
        for index, (_f, c, _flag) in enumerate(response.context["rows"])
        if c["excerpt"].startswith("Someone")
    )
    data = _accept_data(
        response, **{f"candidate-{number}-accepted": "on", f"candidate-{number}-speaker": str(ryabkov.pk)}
    )
    assert client.post(reverse("admin:sources_source_import"), data).status_code == 302
    ryabkov.refresh_from_db()
    assert ryabkov.aliases == "Ryabkov"
    assert Claim.objects.filter(speaker=ryabkov, summary__icontains="charge was false").exists()


def test_the_review_of_new_actors_costs_a_bounded_number_of_queries(
    client, ryabkov, django_assert_max_num_queries
):
    sign_in_with_code(client, EditorFactory())
    # Session, user, second factor and permissions (5); the importer's roles, actors and topics (3);
    # the existing source; the actors named (the new speaker's recorded side); the sources to cite
    # instead; the recorded side the new speaker's field shows. No speaker is recorded, and no
    # denial speaks for a recorded side: no search for similar claims.
    with django_assert_max_num_queries(12):
        _post_article(client, text=NEW_ACTORS_ARTICLE)


def test_a_new_speakers_details_are_open_only_when_the_speaker_is_not_recorded(
    client, ryabkov, united_states
):
    page = _new_actors_review(client).content.decode()
    marren = page[page.index('id="candidate-1"') : page.index('id="candidate-2"')]
    assert '<details class="new-actor" open><summary>A new speaker</summary>' in marren
    assert '<details class="new-actor"><summary>A new target</summary>' in marren
    recorded = _post_article(client).content.decode()
    first = recorded[recorded.index('id="candidate-1"') : recorded.index('id="candidate-2"')]
    assert '<details class="new-actor"><summary>A new speaker</summary>' in first
