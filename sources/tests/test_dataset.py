import textwrap
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.models import Actor, Claim, ClaimRelation, EvidenceStatusChange, Topic
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


class TestTheOpenSkiesDataset:
    @pytest.fixture
    def loaded(self):
        call_command("load_dataset", DATASET, stdout=StringIO())

    def test_it_loads_twice_without_duplicates(self, loaded):
        before = counts()
        call_command("load_dataset", DATASET, stdout=StringIO())
        assert counts() == before

    def test_it_holds_every_kind_of_claim_from_the_five_articles(self, loaded):
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
    def test_the_spellings_the_articles_use_find_the_canonical_actor(self, loaded, spelling, actor):
        assert [found.name for found in Actor.objects.named(spelling)] == [actor]

    def test_every_published_claim_is_cited_verbatim_from_its_source(self, loaded):
        for citation in Citation.objects.select_related("source"):
            text = " ".join(citation.source.full_text.split())
            assert " ".join(citation.excerpt.split()) in text, citation
        assert not Claim.objects.published().exclude(pk__in=Citation.objects.values("claim")).exists()

    def test_every_reviewed_claim_explains_its_status(self, loaded):
        assert not Claim.objects.exclude(evidence_status="unreviewed").filter(rationale="").exists()
