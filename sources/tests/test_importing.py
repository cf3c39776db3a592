import datetime

import pytest

from claims.choices import ActorKind
from claims.tests.factories import ActorFactory, TopicFactory
from sources.importing import extract_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def grushko():
    return ActorFactory(name="Alexander Grushko", aliases="Grushko")


def test_it_finds_a_quote_and_its_speaker(grushko):
    text = (
        'MOSCOW, May 21 (Xinhua) -- "The treaty has kept the peace for 20 years," Grushko said on Thursday.'
    )

    extraction = extract_article(text, published_on=datetime.date(2020, 5, 21))

    [candidate] = extraction.candidates
    assert candidate.speaker.actor_id == grushko.pk
    assert candidate.quote == "The treaty has kept the peace for 20 years,"
    assert extraction.source.outlet == "Xinhua"


def test_a_quotation_before_the_verb_is_the_statement_not_where_it_was_told(grushko):
    text = '"The treaty has kept the peace for 20 years," Grushko told reporters in Moscow on Thursday.'

    [candidate] = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert candidate.summary == "Grushko said The treaty has kept the peace for 20 years."
    assert candidate.stated_on == datetime.date(2020, 5, 21)


def test_it_resolves_a_transliterated_surname(grushko):
    text = "Russian Deputy Foreign Minister Glushko said that Russia has not violated the treaty."

    [candidate] = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert candidate.speaker.actor_id == grushko.pk
    assert candidate.speaker.as_written == "Glushko"
    assert "Grushko" in candidate.speaker.reason
    assert candidate.speaker_role == "Russian Deputy Foreign Minister"
    assert candidate.kind == "denial"


def test_it_gives_a_pronoun_follow_up_to_the_last_speaker(grushko):
    text = "Grushko said the treaty was important.\n\nHe also said that Moscow would keep talking."

    _first, second = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert second.speaker.actor_id == grushko.pk
    assert second.speaker.as_written == "He"
    assert second.locator == "Paragraph 2"


def test_it_dates_on_tuesday_against_the_dateline(grushko):
    text = "WASHINGTON, June 18, 2020 (Reuters) - Grushko said on Tuesday that the talks had failed."

    [candidate] = extract_article(text).candidates

    assert candidate.stated_on == datetime.date(2020, 6, 16)
    assert candidate.date_precision == "day"
    assert not candidate.date_inferred


def test_it_marks_a_date_taken_from_the_article_as_inferred(grushko):
    [candidate] = extract_article(
        "Grushko said the talks had failed.", published_on=datetime.date(2020, 6, 18)
    ).candidates

    assert candidate.stated_on == datetime.date(2020, 6, 18)
    assert candidate.date_inferred


def test_it_keeps_a_web_pages_scripts_out_of_the_text(grushko):
    html = (
        "<html><head><title>Treaty row</title><script>var tracking = 'secret-tracker';</script></head>"
        "<body><nav>Home | World | Sport</nav><article><h1>Treaty row</h1>"
        "<p>Grushko said that the United States had destroyed a pillar of European security in Europe.</p>"
        "<p>He added that Russia had no plans to leave the agreement for now, and would keep talking.</p>"
        "</article><script>alert('x')</script></body></html>"
    )

    extraction = extract_article(html, published_on=datetime.date(2020, 5, 21))

    assert "secret-tracker" not in extraction.source.full_text
    assert "alert" not in extraction.source.full_text
    assert "Grushko said" in extraction.source.full_text


def test_empty_text_gives_no_candidates():
    extraction = extract_article("   \n\n ")

    assert extraction.candidates == []
    assert extraction.as_json()["candidates"] == []


def test_every_excerpt_is_part_of_the_full_text(grushko):
    ActorFactory(name="United States", kind=ActorKind.STATE, aliases="US\nWashington")
    text = (
        "Treaty row deepens\n\n"
        "MOSCOW, May 21 (Xinhua) -- Grushko accused Washington of violating the treaty. "
        "It has no evidence. He said the “imagined reasons” were a pretext.\n"
        "The treaty was signed in 1992."
    )

    extraction = extract_article(text, published_on=datetime.date(2020, 5, 21))

    assert extraction.candidates
    for candidate in extraction.candidates:
        assert candidate.excerpt in extraction.source.full_text
    assert extraction.candidates[0].target["name"] == "United States"


def test_it_matches_topics_by_alias(grushko):
    topic = TopicFactory(name="Open Skies Treaty", aliases="Open Sky Treaty")

    [candidate] = extract_article(
        'Grushko said the "Open Sky Treaty" mattered.', published_on=datetime.date(2020, 5, 21)
    ).candidates

    assert candidate.topics == [{"name": "Open Skies Treaty", "topic_id": topic.pk}]
    assert candidate.quote == ""


def test_an_unknown_speaker_is_proposed_as_a_new_actor(grushko):
    [candidate] = extract_article(
        "Analyst Jane Doakes said the treaty was doomed.", published_on=datetime.date(2020, 5, 21)
    ).candidates

    assert candidate.speaker.actor_id is None
    assert candidate.speaker.name == "Jane Doakes"


def test_a_thousand_word_article_is_handled(grushko):
    paragraph = "Grushko said that the United States had withdrawn from the treaty for imagined reasons. " * 8
    text = "\n\n".join([paragraph] * 9)
    assert len(text.split()) > 1000

    extraction = extract_article(text, published_on=datetime.date(2020, 5, 21))

    # The same statement 72 times over is one claim for the editor to review.
    assert len(extraction.candidates) == 1


@pytest.fixture
def two_states():
    return (
        ActorFactory(name="United States", kind=ActorKind.STATE, aliases="US\nWashington"),
        ActorFactory(name="Russian Federation", kind=ActorKind.STATE, aliases="Russia\nMoscow"),
    )


def test_accusing_each_other_gives_a_claim_to_each_side(two_states):
    united_states, russia = two_states
    text = "The United States and Russia have repeatedly accused each other of violating the treaty."

    first, second = extract_article(text, published_on=datetime.date(2019, 1, 23)).candidates

    assert (first.speaker.actor_id, first.kind, first.target["actor_id"]) == (
        united_states.pk,
        "accusation",
        russia.pk,
    )
    assert (second.speaker.actor_id, second.kind, second.target["actor_id"]) == (
        russia.pk,
        "counter_accusation",
        united_states.pk,
    )


def test_a_pronoun_follow_up_shares_the_date_of_the_speakers_statement(grushko):
    text = (
        "WASHINGTON, June 18, 2020 (Reuters) - Grushko said on Tuesday that the talks had failed.\n"
        "He said Russia would inspect the aircraft that crossed the border."
    )

    _first, second = extract_article(text).candidates

    assert second.stated_on == datetime.date(2020, 6, 16)
    assert second.date_precision == "day"
    assert second.summary.startswith("Grushko said Russia would inspect")


def test_calling_the_accusation_absurd_is_a_denial(grushko):
    denial, statement = extract_article(
        "Grushko called the accusation absurd and said Washington had cut the talks short.",
        published_on=datetime.date(2020, 5, 21),
    ).candidates

    assert denial.kind == "denial"
    assert statement.summary == "Grushko said Washington had cut the talks short."


def test_announcing_ones_own_step_is_a_position(two_states):
    [candidate] = extract_article(
        "Russia announced last year that it would leave the treaty.", published_on=datetime.date(2021, 6, 9)
    ).candidates

    assert candidate.kind == "position"
    assert (candidate.stated_on, candidate.date_precision) == (datetime.date(2020, 1, 1), "year")


def test_a_negated_charge_is_not_an_accusation(grushko):
    [candidate] = extract_article(
        "Grushko said inspectors had found no violations.", published_on=datetime.date(2020, 5, 21)
    ).candidates

    assert candidate.kind == "assertion"


def test_the_headline_is_not_a_candidate(grushko):
    text = "Grushko says the treaty is dead\n\nGrushko said the treaty was dead."

    [candidate] = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert candidate.locator == "Paragraph 2"


def test_it_proposes_no_claim_for_a_sentence_that_only_places_the_statement(grushko):
    text = "Grushko said that Russia has not violated the treaty. Grushko made the above statement in Vienna."

    [candidate] = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert candidate.kind == "denial"


def test_a_paraphrase_of_another_kind_after_the_speakers_sentence_is_a_claim_of_its_own(grushko):
    text = (
        "Russia reacts\n"
        "MOSCOW, May 22 (Xinhua) -- Russian Deputy Foreign Minister Alexander Grushko on Friday accused "
        "the United States of violating the treaty. Russia will stay in the treaty for now. "
        "But the decision could change.\n"
    )

    candidates = extract_article(text, published_on=datetime.date(2020, 5, 22)).candidates

    assert [(candidate.kind, candidate.speaker.actor_id) for candidate in candidates] == [
        ("accusation", grushko.pk),
        ("position", grushko.pk),
    ]
    assert candidates[1].excerpt == "Russia will stay in the treaty for now. But the decision could change."


def test_a_picture_caption_is_not_a_claim(grushko):
    text = "Grushko said that Russia has not violated the treaty. (Figure: Tass)"

    [candidate] = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert candidate.excerpt == "Grushko said that Russia has not violated the treaty."


def test_a_restatement_at_the_end_of_the_article_is_proposed_once(grushko):
    text = (
        "Grushko said on Thursday that the accusations of Washington were groundless.\n\n"
        "The treaty was signed in 1992.\n\n"
        "Grushko said that the accusations were groundless."
    )

    candidates = extract_article(text, published_on=datetime.date(2020, 5, 21)).candidates

    assert [candidate.locator for candidate in candidates] == ["Paragraph 1"]


def test_an_analysts_view_is_an_assessment():
    ActorFactory(name="Andreas Osthagen", aliases="Osthagen")
    text = '"Neither side will back down," said Andreas Osthagen, a senior researcher at a think tank.'

    [candidate] = extract_article(text, published_on=datetime.date(2021, 6, 9)).candidates

    assert candidate.kind == "assessment"


def test_a_scheduled_meeting_is_an_assertion_not_a_position(grushko):
    text = "Grushko said that the consultative committee will meet in Vienna next week."

    [candidate] = extract_article(text, published_on=datetime.date(2020, 7, 6)).candidates

    assert candidate.kind == "assertion"


def test_a_date_after_the_verb_dates_a_statement_without_that(two_states):
    text = (
        "The United States informed the other parties of its decision on May 22 this year, saying it "
        "would leave the treaty."
    )

    [candidate] = extract_article(text, published_on=datetime.date(2021, 1, 15)).candidates

    assert (candidate.stated_on, candidate.date_precision) == (datetime.date(2020, 5, 22), "day")


def test_insisting_after_an_accusation_is_a_denial(two_states):
    text = "Washington accused Russia of testing a banned missile.\n\nRussia insisted the tests were routine."

    _accusation, answer = extract_article(text, published_on=datetime.date(2023, 8, 25)).candidates

    assert answer.kind == "denial"


def test_news_of_this_week_dates_a_later_undated_statement_to_the_articles_day(grushko):
    text = (
        "Atlantis on Thursday accused its neighbour of poisoning the river.\n\n"
        "Grushko said the water was safe."
    )

    candidates = extract_article(text, published_on=datetime.date(2023, 8, 25)).candidates

    assert (candidates[-1].stated_on, candidates[-1].date_precision) == (datetime.date(2023, 8, 25), "day")
