import os
import subprocess
import sys
import textwrap
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from claims.history import save_with_history
from claims.models import Actor, Claim, ClaimRelation, EvidenceStatusChange, Topic
from claims.tests.factories import ActorFactory
from claims.tests.test_admin import claim_form_data
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db

DATASET = settings.BASE_DIR / "fixtures" / "open_skies_inf.yaml"
MODELS = [Actor, Topic, Source, Claim, Citation, ClaimRelation, EvidenceStatusChange, Claim.history.model]

SMALL_DATASET = """
actors:
  - {slug: russia, name: Russian Federation, kind: state}
  - {slug: grushko, name: Alexander Grushko, kind: person, aliases: [Glushko], affiliation: russia}
  - {slug: trump, name: Donald Trump, kind: person}
topics:
  - {slug: open-skies-treaty, name: Open Skies Treaty, aliases: [Open Sky Treaty]}
sources:
  - slug: cns-2020-05-21
    kind: news_article
    title: Grushko on the US withdrawal
    outlet: China News Service
    published_on: 2020-05-21
claims:
  - slug: trump-russia-violated
    summary: Trump said Russia violated the Open Skies Treaty.
    speaker: trump
    target: russia
    kind: accusation
    stated_on: 2020-05-21
    topics: [open-skies-treaty]
    evidence_status: disputed
    rationale: Russia denies it; the sources cite no evidence either way.
    published: true
    citations:
      - {source: cns-2020-05-21, excerpt: on the grounds that Russia violated the treaty, locator: para 2}
  - slug: grushko-no-violation
    summary: Grushko said Russia has not violated the treaty.
    speaker: grushko
    kind: denial
    stated_on: 2020-05-21
    published: true
    citations:
      - {source: cns-2020-05-21, excerpt: Grushko said Russia has not violated the treaty}
    relations:
      - {type: disputes, claim: trump-russia-violated}
"""


def write(tmp_path, text):
    path = tmp_path / "dataset.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def counts():
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_a_dataset_loads_with_its_links_and_publishes_claims(tmp_path):
    call_command("load_dataset", write(tmp_path, SMALL_DATASET), stdout=StringIO())
    denial = Claim.objects.get(slug="grushko-no-violation")
    assert denial.is_published
    assert denial.speaker.affiliation.name == "Russian Federation"
    assert denial.relations_from.get().to_claim.slug == "trump-russia-violated"
    accusation = Claim.objects.get(slug="trump-russia-violated")
    assert [change.to_status for change in accusation.status_changes.all()] == ["disputed"]
    assert list(Claim.objects.search("Glushko")) == [denial]


def test_loading_twice_creates_and_changes_nothing(tmp_path):
    path = write(tmp_path, SMALL_DATASET)
    call_command("load_dataset", path, stdout=StringIO())
    before = counts()
    output = StringIO()
    call_command("load_dataset", path, stdout=output)
    assert counts() == before
    assert "Created 0 actors, 0 topics, 0 sources, 0 claims, 0 citations, 0 relations" in output.getvalue()
    assert "updated 0 existing records" in output.getvalue()


@pytest.mark.parametrize(
    ("mistake", "replacement", "message"),
    [
        (
            "relations:\n      - {type: disputes, claim: trump-russia-violated}",
            "relations:\n      - {type: disputes, claim: nobody-said-this}",
            "claims[1].relations[0]: claim 'nobody-said-this' is not defined in this file",
        ),
        ("speaker: grushko", "speaker: glushko", "claims[1]: speaker 'glushko' is not defined in this file"),
        (
            "kind: denial",
            "kind: rumour",
            "claims[1] (grushko-no-violation): kind: Value 'rumour' is not a valid choice.",
        ),
        (
            "stated_on: 2020-05-21\n    published",
            "stated_on: 21 May 2020\n    published",
            "claims[1]: stated_on '21 May 2020' is not an ISO date (YYYY-MM-DD)",
        ),
        (
            "      - {source: cns-2020-05-21, excerpt: Grushko said Russia has not violated the treaty}",
            "      []",
            "claims[1] (grushko-no-violation): a published claim needs at least one citation",
        ),
        (
            "rationale: Russia denies it; the sources cite no evidence either way.",
            "rationale: ''",
            "claims[0] (trump-russia-violated): rationale:",
        ),
    ],
)
def test_a_dataset_with_a_mistake_is_refused_whole_with_one_readable_line(
    tmp_path, mistake, replacement, message
):
    assert mistake in SMALL_DATASET
    path = write(tmp_path, SMALL_DATASET.replace(mistake, replacement))
    with pytest.raises(CommandError) as error:
        call_command("load_dataset", path, stdout=StringIO())
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert all(count == 0 for count in counts().values())


def test_a_file_that_is_not_yaml_or_missing_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not valid YAML"):
        call_command("load_dataset", write(tmp_path, "actors: [unclosed"), stdout=StringIO())
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_dataset", tmp_path / "missing.yaml", stdout=StringIO())


def test_the_open_skies_dataset_loads_twice_without_duplicates():
    call_command("load_dataset", DATASET, stdout=StringIO())
    before = counts()
    call_command("load_dataset", DATASET, stdout=StringIO())
    assert counts() == before


@pytest.fixture(scope="class")
def open_skies_dataset(django_db_setup, django_db_blocker):
    """The Open Skies dataset, loaded once for a class of tests that only read it (a load takes
    seconds), in a transaction rolled back after the class's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_dataset", DATASET, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("open_skies_dataset")
class TestTheOpenSkiesDataset:
    def test_it_holds_every_kind_of_claim_from_the_five_articles(self):
        kinds = Counter(Claim.objects.values_list("kind", flat=True))
        assert sum(kinds.values()) > 30
        assert {"accusation", "denial", "counter_accusation", "position", "assessment"} <= set(kinds)
        assert Source.objects.count() == 5
        assert ClaimRelation.objects.filter(relation_type="disputes").exists()

    @pytest.mark.parametrize(
        ("spelling", "actor"),
        [
            ("Glushko", "Alexander Grushko"),
            ("Libuyakov", "Sergei Ryabkov"),
            ("Riyabkov", "Sergei Ryabkov"),
            ("Zaharova", "Maria Zakharova"),
            ("Borelli", "Josep Borrell"),
            ("Treinen", "Dmitri Trenin"),
        ],
    )
    def test_the_spellings_the_articles_use_find_the_canonical_actor(self, spelling, actor):
        assert [found.name for found in Actor.objects.named(spelling)] == [actor]

    def test_every_published_claim_is_cited_verbatim_from_its_source(self):
        for citation in Citation.objects.select_related("source"):
            text = " ".join(citation.source.full_text.split())
            assert " ".join(citation.excerpt.split()) in text, citation
        assert not Claim.objects.published().exclude(pk__in=Citation.objects.values("claim")).exists()

    def test_every_reviewed_claim_explains_its_status(self):
        assert not Claim.objects.exclude(evidence_status="unreviewed").filter(rationale="").exists()


class TestReloadingKeepsEditorsWork:
    """Loading the dataset again (`make run`, the compose start) never undoes an editor's change;
    the dataset's own corrections still reach what no editor touched."""

    @pytest.fixture
    def path(self, tmp_path):
        path = write(tmp_path, SMALL_DATASET)
        call_command("load_dataset", path, stdout=StringIO())
        return path

    def edit_as_an_editor(self, client):
        claim = Claim.objects.get(slug="trump-russia-violated")
        data = claim_form_data(
            claim,
            summary="Trump said Russia violated the treaty by restricting flights over Kaliningrad.",
            kind=claim.kind,
            speaker_role="",
            target=claim.target_id,
            evidence_status="contradicted",
            rationale="The treaty body's report shows no violation.",
            topics=[topic.pk for topic in claim.topics.all()],
        )
        response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        actor = Actor.objects.get(slug="grushko")
        response = client.post(
            reverse("admin:claims_actor_change", args=[actor.pk]),
            {"name": "Alexander Grushko", "slug": "grushko", "kind": "person", "aliases": "Glushko\nГрушко"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        citation = Citation.objects.get(claim__slug="grushko-no-violation")
        response = client.post(
            reverse("admin:sources_citation_change", args=[citation.pk]),
            {
                "claim": citation.claim_id,
                "source": citation.source_id,
                "stance": "reports",
                "excerpt": "Grushko said Russia has not violated the treaty in any way.",
                "locator": "paragraph 4",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    def test_a_reload_keeps_every_edit_and_says_so(self, path, editor_client):
        self.edit_as_an_editor(editor_client)
        output = StringIO()
        call_command("load_dataset", path, stdout=output)

        claim = Claim.objects.get(slug="trump-russia-violated")
        assert claim.summary.endswith("restricting flights over Kaliningrad.")
        assert claim.evidence_status == "contradicted"
        steps = [(step.from_status, step.to_status) for step in claim.status_changes.all()]
        assert steps == [("unreviewed", "disputed"), ("disputed", "contradicted")]
        assert Actor.objects.get(slug="grushko").alias_list == ["Glushko", "Грушко"]
        assert Citation.objects.get(claim__slug="grushko-no-violation").locator == "paragraph 4"
        assert "Kept claim trump-russia-violated (changed by an editor: summary" in output.getvalue()
        assert "kept 3 records editors changed" in output.getvalue()

    def test_the_datasets_corrections_reach_untouched_records(self, path, editor_client):
        self.edit_as_an_editor(editor_client)
        corrected = SMALL_DATASET.replace(
            "title: Grushko on the US withdrawal", "title: Grushko on the US withdrawal from Open Skies"
        ).replace(
            "- {slug: trump, name: Donald Trump, kind: person}",
            "- {slug: trump, name: Donald J. Trump, kind: person}",
        )
        path.write_text(textwrap.dedent(corrected), encoding="utf-8")
        output = StringIO()
        call_command("load_dataset", path, stdout=output)
        assert Source.objects.get().title == "Grushko on the US withdrawal from Open Skies"
        trump = Actor.objects.get(slug="trump")
        assert trump.name == "Donald J. Trump"
        assert trump.history.first().history_change_reason == "Dataset dataset.yaml: correction"
        assert "updated 2 existing records" in output.getvalue()
        assert Claim.objects.get(slug="trump-russia-violated").evidence_status == "contradicted"

    def test_an_edit_is_kept_whatever_its_history_says(self, path, editor):
        trump = Actor.objects.get(slug="trump")
        trump.name = "Donald John Trump"
        save_with_history(trump, reason="Dataset dataset.yaml: correction", by=editor)
        output = StringIO()
        call_command("load_dataset", path, stdout=output)
        assert Actor.objects.get(slug="trump").name == "Donald John Trump"
        assert "Kept actor trump (changed by an editor: name)" in output.getvalue()

    def test_a_record_an_editor_deleted_is_not_brought_back(self, path):
        ClaimRelation.objects.get().delete()
        output = StringIO()
        call_command("load_dataset", path, stdout=output)
        assert not ClaimRelation.objects.exists()
        assert "(deleted or merged by an editor)" in output.getvalue()

    def test_overwriting_takes_an_option_lists_each_change_and_leaves_a_reason(self, path, editor_client):
        self.edit_as_an_editor(editor_client)
        output = StringIO()
        call_command("load_dataset", path, overwrite_edited=True, stdout=output)
        claim = Claim.objects.get(slug="trump-russia-violated")
        assert claim.summary == "Trump said Russia violated the Open Skies Treaty."
        assert claim.status_changes.last().to_status == "disputed"
        assert "Overwrote claim trump-russia-violated: summary" in output.getvalue()
        assert "evidence_status 'contradicted' → 'disputed'" in output.getvalue()
        assert "--overwrite-edited" in claim.history.first().history_change_reason
        assert "paragraph 4" not in Citation.objects.get(claim__slug="grushko-no-violation").locator


def test_the_command_keeps_edits_and_exits_non_zero_on_a_bad_file(tmp_path):
    """`load_dataset` as `make run` and the compose start run it: a process of its own."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    path = write(tmp_path, SMALL_DATASET)
    assert manage("migrate", "--noinput").returncode == 0
    assert manage("load_dataset", str(path)).returncode == 0
    edit = (
        "from claims.models import Claim; claim = Claim.objects.get(slug='grushko-no-violation'); "
        "claim.summary = 'Grushko said Russia never broke the treaty.'; claim.save()"
    )
    assert manage("shell", "--verbosity", "0", "--command", edit).returncode == 0
    reload = manage("load_dataset", str(path))
    assert reload.returncode == 0
    assert "Kept claim grushko-no-violation (changed by an editor: summary)" in reload.stdout
    check = manage(
        "shell",
        "--verbosity",
        "0",
        "--command",
        "from claims.models import Claim; print(Claim.objects.get(slug='grushko-no-violation').summary)",
    )
    assert check.stdout.strip() == "Grushko said Russia never broke the treaty."

    broken = manage("load_dataset", str(write(tmp_path, "actors: [unclosed")))
    assert broken.returncode != 0
    assert broken.stderr.strip().count("\n") == 0
    assert "Nothing was loaded" in broken.stderr


def test_a_month_precise_claim_given_a_day_is_not_taken_for_an_edit(tmp_path):
    path = write(
        tmp_path,
        SMALL_DATASET.replace(
            "stated_on: 2020-05-21\n    published",
            "stated_on: 2020-05-21\n    date_precision: month\n    published",
        ),
    )
    call_command("load_dataset", path, stdout=StringIO())
    output = StringIO()
    call_command("load_dataset", path, stdout=output)
    assert "Kept" not in output.getvalue()


def test_a_claim_whose_speaker_was_merged_still_takes_the_datasets_corrections(tmp_path, editor):
    from claims.merging import merge_actors

    path = write(tmp_path, SMALL_DATASET)
    call_command("load_dataset", path, stdout=StringIO())
    merge_actors(ActorFactory(name="Donald John Trump"), Actor.objects.get(slug="trump"), by=editor)
    corrected = SMALL_DATASET.replace(
        "summary: Trump said Russia violated the Open Skies Treaty.",
        "summary: Trump said Russia had violated the Open Skies Treaty.",
    )
    path.write_text(textwrap.dedent(corrected), encoding="utf-8")
    call_command("load_dataset", path, stdout=StringIO())
    claim = Claim.objects.get(slug="trump-russia-violated")
    assert claim.summary == "Trump said Russia had violated the Open Skies Treaty."
    assert claim.speaker.name == "Donald John Trump"  # the merge stands
