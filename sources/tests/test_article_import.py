"""The importer as editors reach it: the admin's "Import an article", `manage.py import_article`
and `POST /api/v1/imports/`. Each finds the claims, writes nothing until accepted, and refuses bad
input with a message."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Claim
from claims.tests.factories import ActorFactory, EditorFactory, PublishedClaimFactory, UserFactory
from sources.importing.review import review_article
from sources.models import Source
from tracker.tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Russia denies violating Open Skies Treaty\n"
    "MOSCOW, May 22 (Xinhua) -- Russian Deputy Foreign Minister Alexander Grushko on Friday denied "
    "that Russia had violated the Open Skies Treaty.\n"
    '"Russia has fully complied with the treaty," Grushko told reporters.\n'
)


@pytest.fixture
def grushko():
    return ActorFactory(name="Alexander Grushko", aliases="Grushko")


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "open-skies.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_candidates_and_writes_nothing_without_commit(grushko, article_file, capsys):
    call_command("import_article", str(article_file), "--json")
    proposal = json.loads(capsys.readouterr().out)
    assert proposal["source"]["outlet"] == "Xinhua"
    speakers = {candidate["speaker"]["actor_id"] for candidate in proposal["candidates"]}
    assert grushko.pk in speakers
    assert all(ARTICLE.find(candidate["excerpt"]) >= 0 for candidate in proposal["candidates"])
    assert not Claim.objects.exists()
    assert not Source.objects.exists()


def test_the_command_with_commit_writes_drafts_only(grushko, article_file):
    call_command("import_article", str(article_file), "--commit", "--url", "https://example.org/a")
    assert Claim.objects.exists()
    assert set(Claim.objects.values_list("publication_state", flat=True)) == {"draft"}
    assert Source.objects.get().url == "https://example.org/a"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), ("caf\xe9".encode("latin-1"), "UTF-8")],
)
def test_the_command_refuses_bad_files_with_one_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path))


def test_the_command_exits_non_zero_with_one_readable_line_for_a_missing_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"CommandError: Cannot read {tmp_path / 'missing.txt'}: No such file or directory."
    ]


# --- The API ----------------------------------------------------------------------------------


def test_editors_get_the_proposal_and_nothing_is_written(grushko):
    api = APIClient()
    api.force_authenticate(EditorFactory())
    response = api.post("/api/v1/imports/", {"text": ARTICLE, "published_on": "2020-05-22"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["source"]["published_on"] == "2020-05-22"
    assert any(candidate["speaker"]["actor_id"] == grushko.pk for candidate in response.json()["candidates"])
    assert not Claim.objects.exists()


def test_only_editors_may_import():
    assert APIClient().post("/api/v1/imports/", {"text": ARTICLE}, format="json").status_code == 401
    reader = APIClient()
    reader.force_authenticate(UserFactory())
    assert reader.post("/api/v1/imports/", {"text": ARTICLE}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "x" * (5 * 1024 * 1024 + 1)}, "text"),
        ({"text": ARTICLE, "outlet": 0}, "outlet"),
    ],
)
def test_bad_articles_are_a_400_naming_the_field(data, field):
    api = APIClient()
    api.force_authenticate(EditorFactory())
    response = api.post("/api/v1/imports/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_request_larger_than_the_server_takes_is_a_json_413():
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(EditorFactory())
    response = api.post("/api/v1/imports/", {"text": "x" * (7 * 1024 * 1024)}, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is larger than the 6 MB taken."}


def test_a_text_with_null_characters_is_refused():
    api = APIClient()
    api.force_authenticate(EditorFactory())
    response = api.post("/api/v1/imports/", {"text": "\x89PNG\x00\x00 binary"}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()


# --- The admin --------------------------------------------------------------------------------


def test_an_editor_pastes_reviews_and_accepts_drafts(client, grushko):
    editor = EditorFactory()
    sign_in_with_code(client, editor)
    url = reverse("admin:sources_source_import")
    assert "Import an article" in client.get(reverse("admin:claims_claim_changelist")).content.decode()

    review = client.post(url, {"step": "article", "text": ARTICLE, "published_on": "2020-05-22"})
    assert review.status_code == 200
    page = review.content.decode()
    assert "Review the claims found in the article" in page
    assert not Claim.objects.exists()  # nothing before accept

    formset = review.context["formset"]
    data = {"step": "accept", "proposal": review.context["proposal_json"]}
    data.update({f"{name}": value for name, value in _form_data(review.context["source_form"]).items()})
    data.update(_formset_data(formset))
    accepted = client.post(url, data)
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    claims = Claim.objects.all()
    assert claims.exists()
    assert {claim.publication_state for claim in claims} == {"draft"}
    assert {claim.created_by for claim in claims} == {editor}


def test_a_likely_duplicate_is_offered_as_another_appearance(client, grushko):
    known = PublishedClaimFactory(
        speaker=grushko, summary="Grushko said Russia has fully complied with the Open Skies Treaty."
    )
    sign_in_with_code(client, EditorFactory())
    review = client.post(reverse("admin:sources_source_import"), {"step": "article", "text": ARTICLE})
    assert f"Another appearance of “{known.summary}”" in review.content.decode()


def test_a_bad_paste_is_a_form_error_and_writes_nothing(client):
    sign_in_with_code(client, EditorFactory())
    response = client.post(reverse("admin:sources_source_import"), {"step": "article", "text": "  "})
    assert response.status_code == 200
    assert "Paste the article or upload it" in response.content.decode()
    assert not Source.objects.exists()


def test_a_tampered_review_is_answered_with_the_form_not_an_error(client, grushko):
    sign_in_with_code(client, EditorFactory())
    response = client.post(
        reverse("admin:sources_source_import"),
        {
            "step": "accept",
            "proposal": "{not json",
            "candidate-TOTAL_FORMS": "0",
            "candidate-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Review the claims found in the article" in response.content.decode()
    assert not Claim.objects.exists()


def test_readers_cannot_open_the_importer(client):
    sign_in_with_code(client, UserFactory(is_staff=True))
    assert client.get(reverse("admin:sources_source_import")).status_code == 403


def _form_data(form):
    return {form.add_prefix(name): _value(form[name].value()) for name in form.fields}


def _formset_data(formset):
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
    }
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if name == "accepted":
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = _value(value)
    return data


def _value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def test_an_article_recorded_already_is_offered_and_its_date_dates_the_statements(grushko):
    recorded = Source.objects.create(
        title="Russia denies violating Open Skies Treaty", full_text=ARTICLE, published_on="2020-05-22"
    )
    proposal = review_article(ARTICLE)
    assert proposal["source"]["existing_source_id"] == recorded.pk
    assert {candidate["stated_on"][:4] for candidate in proposal["candidates"]} == {"2020"}


def test_the_review_page_costs_a_bounded_number_of_queries_a_candidate(client, grushko):
    sign_in_with_code(client, EditorFactory())
    one = ARTICLE.split("\n")[0] + "\n" + ARTICLE.split("\n")[1] + "\n"

    def queries_for(text):
        with CaptureQueriesContext(connection) as context:
            response = client.post(reverse("admin:sources_source_import"), {"step": "article", "text": text})
        return len(context.captured_queries), len(response.context["rows"])

    few, one_candidate = queries_for(one)
    more, two_candidates = queries_for(ARTICLE)
    assert (one_candidate, two_candidates) == (1, 2)
    # (20 with the session's second factor and a denial's two searches, for the claims it repeats
    # and for those it answers; on PostgreSQL each search for similar claims weighs the text's
    # words first)
    assert few <= 20
    # A candidate's duplicates and answers (each after weighing its words, on PostgreSQL), and the
    # claims the form offers.
    assert more - few <= 5
