"""The importer's reading rules, each pinned with a sentence of its own."""

import datetime
import time

import pytest

from claims.tests.factories import ActorFactory
from sources.importing import extract_article

pytestmark = pytest.mark.django_db

A_WEDNESDAY = datetime.date(2025, 3, 12)


def only(text, published_on=A_WEDNESDAY):
    [candidate] = extract_article(text, published_on=published_on).candidates
    return candidate


# --- who speaks --------------------------------------------------------------------------------


def test_an_unrecorded_state_is_proposed_as_a_new_state():
    candidate = only("Estonia said the cable had been cut deliberately.")

    assert (candidate.speaker.name, candidate.speaker.actor_id) == ("Estonia", None)
    assert candidate.speaker.is_new
    assert candidate.speaker.kind == "state"


def test_a_seat_of_government_is_its_state_and_a_recorded_state_is_proposed_as_recorded():
    russia = ActorFactory(name="Russian Federation", aliases="Russia", kind="state")

    candidate = only("The Kremlin said the drills were purely defensive.")

    assert candidate.speaker.actor_id == russia.pk
    assert candidate.speaker.as_written == "The Kremlin"


def test_an_international_organisation_is_known_by_its_acronym():
    candidate = only("The OPCW said samples from the site contained traces of a nerve agent.")

    assert candidate.speaker.name == "Organisation for the Prohibition of Chemical Weapons"
    assert candidate.speaker.kind == "organization"


def test_a_named_person_speaks_not_the_organisation_in_their_title():
    candidate = only("NATO Deputy Secretary General Anna Lindqvist said the patrols would double.")

    assert candidate.speaker.name == "Anna Lindqvist"
    assert candidate.speaker.is_new
    assert candidate.speaker.kind == "person"
    assert candidate.speaker_role == "NATO Deputy Secretary General"
    assert candidate.speaker.affiliation["name"] == "North Atlantic Treaty Organization"


def test_a_new_person_is_proposed_with_the_role_written_in_apposition():
    candidate = only("Tomas Berg, the port authority's chief engineer, said the crane had been sabotaged.")

    assert candidate.speaker.name == "Tomas Berg"
    assert candidate.speaker_role == "port authority's chief engineer"


def test_a_role_without_a_name_is_the_organisation_with_the_role_kept():
    candidate = only("A Foreign Office spokesperson said the ambassador had been summoned.")

    assert candidate.speaker.name == "Foreign, Commonwealth and Development Office"
    assert candidate.speaker_role == "Foreign Office spokesperson"


def test_people_described_by_a_demonym_are_their_state():
    candidate = only("Norwegian diplomats said the trawler had ignored three warnings.")

    assert candidate.speaker.name == "Norway"
    assert candidate.speaker_role == "Norwegian diplomats"


def test_a_states_office_is_proposed_as_a_new_organisation_of_that_state():
    candidate = only("Chile's foreign ministry said the vessel had entered without permission.")

    assert candidate.speaker.name == "Chile's foreign ministry"
    assert candidate.speaker.kind == "organization"
    assert candidate.speaker.affiliation["name"] == "Chile"


def test_a_city_where_someone_speaks_is_not_the_speaker():
    candidate = only("A Peruvian embassy spokesperson in Madrid said the visas had been revoked.")

    assert candidate.speaker.name == "Peruvian embassy"
    assert candidate.speaker.affiliation["name"] == "Peru"


def test_an_inversion_names_the_speaker_after_the_verb():
    candidate = only('"The nets were cut on purpose," said Ingrid Solheim, a fisheries inspector.')

    assert candidate.speaker.name == "Ingrid Solheim"
    assert candidate.speaker_role == "fisheries inspector"


def test_an_inversion_with_a_description_after_the_verb():
    candidate = only('"We were never consulted," said a spokesman for the Kenyan government.')

    assert candidate.speaker.name == "Kenya"


def test_he_follows_the_last_person_and_it_the_last_organisation():
    text = (
        "Ecuador's navy said the boats had crossed the line. Admiral Rosa Vidal said three were seized. "
        "It said the crews would be released. She said the owners would be fined."
    )

    navy, admiral, it, she = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert it.speaker.name == navy.speaker.name == "Ecuador's navy"
    assert she.speaker.name == admiral.speaker.name == "Rosa Vidal"


def test_a_pronoun_before_any_speaker_is_left_for_the_editor():
    candidate = only("She said the vote had been rigged.")

    assert candidate.speaker.unnamed
    assert candidate.speaker.actor_id is None


def test_an_unnamed_source_is_kept_as_written():
    candidate = only("Several shipping executives said insurance costs had tripled.")

    assert candidate.speaker.unnamed
    assert candidate.speaker.as_written == "Several shipping executives"


def test_according_to_a_recorded_actor():
    ActorFactory(name="Greenpeace", kind="organization")

    candidate = only("According to Greenpeace, the spill covered forty kilometres of coast.")

    assert candidate.speaker.name == "Greenpeace"


def test_according_to_someone_not_recorded():
    candidate = only("The levy would double by 2030, according to a senior customs official.")

    assert candidate.speaker.unnamed
    assert candidate.speaker.as_written == "a senior customs official"


def test_according_to_a_text_is_no_ones_statement():
    assert (
        extract_article("According to the charter, members may inspect each other's ports.").candidates == []
    )


def test_transcript_answers_are_the_host_named_in_the_headline():
    text = (
        "Foreign Ministry Spokesperson Lu Mingzhe's Regular Press Conference\n\n"
        "Q: Manila says your ships rammed its boat. Your comment?\n\n"
        "A: The Philippine side staged this provocation. We urge it to stop."
    )

    candidates = extract_article(text, published_on=A_WEDNESDAY).candidates
    answers = [candidate for candidate in candidates if candidate.locator == "Paragraph 3"]

    assert {answer.speaker.name for answer in answers} == {"Lu Mingzhe"}
    assert "staged this provocation" in answers[0].excerpt


def test_a_named_transcript_turn_is_its_speaker():
    text = "MS. HARLOW: We have seen no evidence for that claim.\n\nQUESTION: And the sanctions?"

    [candidate] = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert candidate.speaker.name == "Harlow"


def test_an_accusation_and_a_statement_in_one_sentence_are_two_candidates():
    text = "Finland accused Russia of jamming GPS signals and said airlines had been warned."

    accusation, statement = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert accusation.kind == "accusation"
    assert accusation.target["name"] == "Russia"
    assert statement.speaker.name == "Finland"
    assert "airlines had been warned" not in accusation.summary


def test_saying_something_poses_a_threat_accuses():
    candidate = only("Denmark said the drone flights posed a serious threat to its airports.")

    assert candidate.kind == "accusation"


def test_calling_an_act_unacceptable_accuses_those_who_did_it():
    candidate = only('Poland called the border closure by Belarus "unacceptable".')

    assert candidate.kind == "accusation"
    assert candidate.target["name"] == "Belarus"


def test_a_denial_answers_whoever_accused_the_speakers_side():
    text = "Kenya accused Uganda of moving the border markers.\n\nUganda denied it."

    _accusation, denial = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert denial.kind == "denial"
    assert denial.target["name"] == "Kenya"


def test_an_accusation_answering_one_paragraphs_before_is_a_counter_accusation():
    text = (
        "Chile on Tuesday accused Peru of blocking trucks at the border crossing.\n\n"
        "Drivers said the queue stretched for twelve kilometres.\n\n"
        "Local traders said they had lost a week of sales.\n\n"
        "The crossing reopened briefly in the afternoon.\n\n"
        "Peru said Chile had illegally closed its side of the crossing first."
    )

    accusation, answer = extract_article(text, published_on=A_WEDNESDAY).candidates[::3]

    assert (accusation.kind, answer.kind) == ("accusation", "counter_accusation")
    assert answer.target["name"] == "Chile"


def test_an_accusation_told_as_background_answers_nothing_said_after_it():
    text = (
        "Chile on Tuesday accused Peru of blocking trucks at the border crossing.\n\n"
        "Last month, Peru accused Chile of dumping mine waste into a shared river."
    )

    _accusation, earlier = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert earlier.kind == "accusation"


def test_the_kind_reads_the_quotation_a_speaker_follows():
    text = '"Their coast guard attacked our boats," Ana Ruiz, a navy spokeswoman, told reporters in Vigo.'

    candidate = only(text)

    assert candidate.kind == "accusation"


def test_urging_while_calling_the_others_act_unjust_accuses():
    candidate = only("Ghana urged Togo to reopen the border, calling the closure unjustified.")

    assert candidate.kind == "accusation"
    assert candidate.target["name"] == "Togo"


def test_a_forecast_of_consequences_is_an_assessment_not_a_position():
    candidate = only("The agency said the new dam would have a limited effect on the river's flow.")

    assert candidate.kind == "assessment"


def test_the_accused_calling_the_act_politically_motivated_denies():
    text = (
        "Norway accused Russia of jamming flights near the border.\n\n"
        'Russia called the accusation of jamming "politically motivated".\n\n'
        'Moscow called the expulsion of its diplomats "baseless".'
    )

    _accusation, *answers = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert [answer.kind for answer in answers] == ["denial", "denial"]


def test_accusing_the_side_whose_accusation_a_denial_rejected_counter_accuses():
    text = (
        "Mongolia rejected the Chinese accusations that it had harboured smugglers.\n\n"
        "Mongolia said China had illegally sent armed patrols across the frontier."
    )

    denial, counter = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert (denial.kind, denial.target["name"]) == ("denial", "China")
    assert counter.kind == "counter_accusation"


def test_a_speaker_named_again_by_surname_keeps_their_side():
    text = (
        "Vietnam accused China of overfishing near the Paracels.\n\n"
        "Wei Dong, a spokesman for the Chinese embassy in Hanoi, said the accusation was absurd.\n\n"
        '"It is Vietnam that is stealing the fish," Wei said.'
    )

    *_earlier, counter = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert counter.kind == "counter_accusation"
    assert counter.target["name"] == "Vietnam"


def test_refuted_is_a_denial():
    candidate = only("Vietnam refuted the report that its militia had fired first.")

    assert candidate.kind == "denial"


def test_a_quotation_opened_across_full_stops_is_one_statement():
    text = "“The data is clear. The smoke is not ours,” said Dewi Lestari, a forestry official."

    candidate = only(text)

    assert candidate.speaker.name == "Dewi Lestari"
    assert candidate.excerpt == text


def test_a_target_is_found_among_states_no_actor_records():
    candidate = only("Armenia accused Azerbaijan of shelling border villages.")

    assert candidate.target["name"] == "Azerbaijan"
    assert candidate.target["actor_id"] is None
    assert candidate.target["is_new"]


def test_the_target_may_be_the_object_of_the_verb():
    candidate = only("Thailand blamed illegal logging in Cambodia for the floods that hit its farms.")

    assert candidate.target["name"] == "Cambodia"


def test_a_denial_targets_who_made_the_accusation_not_whom_it_is_about():
    candidate = only("Kenya rejected accusations by Somali officials that it had armed Ethiopian militias.")

    assert (candidate.kind, candidate.target["name"]) == ("denial", "Somalia")


def test_whom_a_statement_is_addressed_to_is_not_its_target():
    text = (
        "Guyana accused Venezuela of massing troops on the border.\n\n"
        "Guyana said in a letter to the United Nations that the troops posed a grave threat to its people."
    )

    _first, letter = extract_article(text, published_on=A_WEDNESDAY).candidates

    assert letter.kind == "accusation"
    assert letter.target["name"] == "Venezuela"


def test_the_target_is_the_first_side_the_statement_names():
    candidate = only("Vietnam said Chinese ships had no right to interfere in the waters off Malaysia.")

    assert candidate.target["name"] == "China"


def test_a_place_after_new_is_not_the_country():
    assert (
        extract_article("New Mexico officials said the count was accurate.").candidates[0].speaker.name
        != "Mexico"
    )


# --- when --------------------------------------------------------------------------------------


def test_a_weekday_is_the_last_such_day_on_or_before_the_article():
    candidate = only("Iceland said on Thursday the whaling ban would stay.", datetime.date(2019, 6, 4))

    assert candidate.stated_on == datetime.date(2019, 5, 30)
    assert "Thursday" in candidate.date_reason
    assert not candidate.date_inferred


def test_the_year_comes_from_the_articles_date_not_today():
    candidate = only(
        "Greece said on March 3 that the jets had violated its airspace.", datetime.date(2016, 5, 1)
    )

    assert candidate.stated_on == datetime.date(2016, 3, 3)


def test_a_leap_day_after_the_article_with_no_earlier_leap_day_that_year_is_no_date():
    candidate = only(
        "Norway said on February 29 that the quota talks had failed.", datetime.date(2016, 2, 19)
    )

    assert candidate.stated_on == datetime.date(2016, 2, 19)
    assert candidate.date_inferred


def test_a_date_inside_the_quotation_is_not_the_statements():
    candidate = only('"The convoy was stopped on 2 March," the agency said.', datetime.date(2024, 3, 20))

    assert candidate.stated_on == datetime.date(2024, 3, 20)
    assert candidate.date_inferred


def test_the_date_of_the_event_condemned_is_not_the_statements():
    candidate = only(
        "Latvia strongly condemns the cyberattack carried out against its railways on 5 May.",
        datetime.date(2024, 5, 9),
    )

    assert candidate.stated_on == datetime.date(2024, 5, 9)


def test_a_background_last_year_does_not_date_the_next_paragraphs():
    text = (
        "Portugal said last year that it would expand its fishing zone.\n\n"
        "Spain said the expansion breached the agreement."
    )

    _background, answer = extract_article(text, published_on=datetime.date(2022, 10, 7)).candidates

    assert (answer.stated_on, answer.date_precision) == (datetime.date(2022, 10, 7), "day")
    assert answer.date_inferred
    assert answer.date_reason == "the article's date (2022-10-07)"


def test_a_background_last_month_does_not_date_the_next_paragraphs():
    text = (
        "The commission said in a report last month that the catch had fallen by half.\n\n"
        "Iceland said the quotas were fair."
    )

    _report, statement = extract_article(text, published_on=datetime.date(2024, 6, 14)).candidates

    assert (statement.stated_on, statement.date_precision) == (datetime.date(2024, 6, 14), "day")


def test_every_inferred_date_says_so_and_why():
    candidate = only("Croatia said the ferry was safe.")

    assert candidate.date_inferred
    assert candidate.date_reason == f"the article's date ({A_WEDNESDAY})"


def test_without_a_date_the_article_says_today_stood_in():
    [candidate] = extract_article("Malta said the ferry was safe.").candidates

    assert "today's date stood in" in candidate.date_reason


# --- bounds ------------------------------------------------------------------------------------


def test_a_passed_deadline_stops_reading_and_says_so():
    text = "\n\n".join(f"Official number {n} said the ferry was safe." for n in range(50))

    extraction = extract_article(text, published_on=A_WEDNESDAY, deadline=time.monotonic() - 1)

    assert extraction.truncated
    assert extraction.candidates == []
    assert extraction.as_json()["truncated"] is True


def test_without_a_deadline_the_whole_article_is_read():
    extraction = extract_article("Croatia said the ferry was safe.", published_on=A_WEDNESDAY)

    assert not extraction.truncated


@pytest.mark.parametrize(
    "hostile",
    [
        '"We deny it," Ryabkov said. ' * 2000,
        "Mr. A " * 20000,
        '"' * 100000,
        "“" * 100000,
        "Russia accused Ukraine of lying. Ukraine denied it. " * 1000,
    ],
    ids=["one-quote-repeated", "mr-a", "straight-quotes", "curly-quotes", "accusation-denial-pairs"],
)
def test_a_hostile_text_returns_a_bounded_number_of_candidates(hostile):
    extraction = extract_article(hostile, published_on=A_WEDNESDAY)

    assert len(extraction.candidates) <= 300
