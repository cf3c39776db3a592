"""Who speaks: the importer's rules for finding a claim's speaker, each pinned with a sentence of its own."""

import datetime

import pytest

from claims.tests.factories import ActorFactory
from sources.importing import extract_article

pytestmark = pytest.mark.django_db

A_WEDNESDAY = datetime.date(2025, 3, 12)


def candidates(text):
    return extract_article(text, published_on=A_WEDNESDAY).candidates


def only(text):
    [candidate] = candidates(text)
    return candidate


def test_a_party_label_after_a_name_is_not_read_as_part_of_it():
    candidate = only('"The levee will not hold another spring," said Sen. Dana Whitfield (D-Ore.).')

    assert candidate.speaker.name == "Dana Whitfield"


def test_a_party_label_between_commas_is_not_read_as_a_role():
    candidate = only("Rep. Omar Lindqvist, R-Idaho, says the grazing fees are too high.")

    assert candidate.speaker.name == "Omar Lindqvist"


def test_an_abbreviated_title_opens_the_subject_of_a_participle():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("On Monday, Mrs. Hallam met Okafor at a rally, calling him a careful steward.")

    assert candidate.speaker.name == "Hallam"


def test_an_opening_phrase_is_not_the_subject():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Facing questions from Okafor's allies, Ines Barrow kept the quota, saying it was fair.")

    assert candidate.speaker.name == "Ines Barrow"


def test_a_relative_clause_does_not_hide_the_one_it_describes():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Ms. Varga, who has both praised Okafor and criticized his deputies, stayed silent.")

    assert candidate.speaker.name == "Varga"


def test_a_second_verb_after_but_speaks_for_the_subject_of_the_clause():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only(
        "Hallam, speaking in Leeds, did not name Okafor, but told the crowd the tender was rigged."
    )

    assert candidate.speaker.name == "Hallam"


def test_the_name_before_the_first_verb_speaks_not_the_names_after_it():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only(
        "The Courier's columnist Nia Brandt has long doubted Okafor but on Friday wrote that he was right."
    )

    assert candidate.speaker.name == "Nia Brandt"
    assert candidate.speaker_role == "Courier's columnist"


def test_a_single_capitalised_word_opening_a_sentence_is_no_name():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Critics of Okafor argued that the tender was rigged.")

    assert candidate.speaker.name == "Paul Okafor"  # "Critics" is not proposed as a person


def test_a_person_from_a_place_is_the_person():
    candidate = only("Gov. Ines Barrow of Montana said the quota was fair.")

    assert candidate.speaker.name == "Ines Barrow"


def test_an_organisation_named_with_of_is_not_cut():
    candidate = only("The Joint Board of Examiners said the papers had leaked.")

    assert candidate.speaker.name != "Joint Board"


def test_an_inversion_with_a_person_from_a_place():
    candidate = only('"It will not pass," said Hugo Marsh of the University of Bristol.')

    assert candidate.speaker.name == "Hugo Marsh"


def test_whom_someone_told_is_not_the_speaker():
    candidate = only(
        "The mayor will stay in the race, her campaign manager, Lena Ortiz, told the Valley Herald."
    )

    assert candidate.speaker.name == "Lena Ortiz"
    assert candidate.speaker_role == "her campaign manager"


def test_an_inversion_with_a_plain_description_before_the_name():
    candidate = only('"Nobody saw this coming," said Leeds University economist Tom Hale.')

    assert candidate.speaker.name == "Tom Hale"
    assert candidate.speaker_role == "Leeds University economist"


def test_an_inversion_with_the_name_in_apposition_after_a_description():
    candidate = only('"He never gave up," said his oldest friend, Marco Bellini, who met him at school.')

    assert candidate.speaker.name == "Marco Bellini"


def test_an_inversion_with_an_unnamed_source():
    candidate = only('"This will cost us the county," said one longtime party organizer.')

    assert candidate.speaker.unnamed
    assert candidate.speaker.as_written == "one longtime party organizer"


def test_a_time_between_the_subject_and_the_verb():
    ActorFactory(name="Ghana", kind="state")

    candidate = only("Ghana Health Minister Kofi Asante on Tuesday said the clinics would reopen.")

    assert candidate.speaker.name == "Kofi Asante"


def test_saying_what_someone_cannot_say_is_no_statement_of_theirs():
    candidate = only(
        'Ortiz cannot say that "the money is there," Hale added, calling the budget a wish list.'
    )

    assert candidate.speaker.name == "Hale"


def test_a_time_alone_between_commas_and_the_verb():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Hale, who backed Okafor in the primary, last week said the tender was rigged.")

    assert candidate.speaker.name == "Hale"


def test_a_description_at_the_verb_is_the_speaker_not_a_name_earlier():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Okafor's plan would not change much for renters, housing analysts say.")

    assert candidate.speaker.unnamed
    assert candidate.speaker.as_written == "housing analysts"


def test_a_title_refers_to_the_person_introduced_with_it():
    first, second = candidates(
        "Governor Ines Barrow said the quota was fair. "
        "The fishing fleet would be smaller next year, the governor said, but not by much."
    )

    assert second.speaker.name == first.speaker.name == "Ines Barrow"
    assert second.speaker.as_written == "the governor"


def test_a_title_nobody_was_introduced_with_stays_a_description():
    _governor, second = candidates(
        "Governor Ines Barrow said the quota was fair. The fleet would shrink, the harbour master said."
    )

    assert second.speaker.unnamed
    assert second.speaker.as_written == "the harbour master"


def test_he_follows_a_person_named_in_a_sentence_without_a_statement():
    [candidate] = candidates(
        "Senator Ruth Adeyemi toured the flooded valley on Monday. She said the dam had failed."
    )

    assert candidate.speaker.name == "Ruth Adeyemi"
    assert candidate.speaker.as_written == "She"


def test_a_dateline_is_not_the_subject_of_a_second_verb():
    candidate = candidates(
        "OSLO (Reuters) - Norway on Tuesday expelled two Latvian attaches and accused them of spying."
    )[0]

    assert candidate.speaker.name == "Norway"


def test_an_inversion_ends_the_name_where_the_place_or_occasion_begins():
    candidate = only(
        '"The figures were never audited," said budget watchdog Rosa Lindgren during the hearing.'
    )

    assert candidate.speaker.name == "Rosa Lindgren"
    assert candidate.speaker_role == "budget watchdog"


def test_an_inversion_with_a_possessive_role_then_the_name():
    candidate = only(
        '"We will count every ballot," said the party\'s county chairman, Ivo Petrak, on Sunday.'
    )

    assert candidate.speaker.name == "Ivo Petrak"


def test_a_name_with_a_capitalised_apposition_is_the_person():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("\"They test everything,\" Mila Strand, Acme's head of sales, said of Okafor's team.")

    assert candidate.speaker.name == "Mila Strand"
    assert candidate.speaker_role == "Acme's head of sales"


def test_an_inversion_after_a_sentence_naming_someone_else():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Okafor's campaign drove turnout in the valley, said Edda Brun, a pollster in Tromso.")

    assert candidate.speaker.name == "Edda Brun"


def test_a_connective_between_commas_after_the_subject():
    ActorFactory(name="Estonia", kind="state")

    candidate = only("Estonia's navy, meanwhile, called on the Latvian crew to leave the harbour.")

    assert candidate.speaker.name == "Estonia's navy"


def test_a_participle_speaks_for_a_described_subject_not_the_name_in_its_object():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Both coaches stiffened their criticism of Okafor, saying the draw had been fixed.")

    assert candidate.speaker.unnamed
    assert candidate.speaker.as_written == "Both coaches"


def test_a_relative_clause_with_a_quotation_in_it():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Hale, who calls Okafor a “menace,” said the vote had been rigged.")

    assert candidate.speaker.name == "Hale"


def test_for_instance_after_the_subject():
    candidate = only("Harbour pilots in Bergen, for instance, noted that the channel had silted up.")

    assert candidate.speaker.as_written == "Harbour pilots in Bergen"


def test_people_described_at_the_verb_speak_not_a_person_named_earlier():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("Okafor will visit the dam next month, Norwegian officials said on Friday.")

    assert candidate.speaker.name == "Norway"
    assert candidate.speaker_role == "Norwegian officials"


def test_a_relative_clause_in_brackets_after_the_name():
    candidate = only("Hale (who has won two counties so far) said the nomination was still within reach.")

    assert candidate.speaker.name == "Hale"


def test_the_name_in_an_opening_phrase_is_not_the_head_of_an_apposition():
    candidate = only("In a letter to the Gazette, her chief of staff, Ivo Petrak, said the audit was late.")

    assert candidate.speaker.name == "Ivo Petrak"


def test_a_name_with_letters_beyond_ascii():
    candidate = only('"The border was never closed," said Jörg Bäcker, the district mayor.')

    assert candidate.speaker.name == "Jörg Bäcker"


def test_an_inversion_with_a_possessive_before_the_role_and_name():
    candidate = only(
        '"We have the votes," added her campaign manager Lea Fontaine, speaking after the rally.'
    )

    assert candidate.speaker.name == "Lea Fontaine"


def test_an_inversion_stops_at_a_relative_clause_without_commas():
    candidate = only('"The plant will close," said Sen. Ada Quist who represents the valley.')

    assert candidate.speaker.name == "Ada Quist"


def test_a_short_month_after_a_first_name_is_part_of_the_name():
    candidate = only('"The ideas are far from new," columnist Li Jun wrote in the weekend edition.')

    assert candidate.speaker.name == "Li Jun"


def test_a_party_label_before_an_apposition():
    candidate = only(
        "Sen. Ruth Adeyemi, D-Minn., a member of the farm committee, said the subsidy was wasted."
    )

    assert candidate.speaker.name == "Ruth Adeyemi"
    assert candidate.speaker_role == "member of the farm committee"


def test_calling_a_named_thing_something_in_quotation_marks_is_a_statement():
    candidate = only("Mila Strand, a shipping analyst, called Bergen’s new tariff “a tax on ferries.”")

    assert candidate.speaker.name == "Mila Strand"


def test_a_place_called_something_is_no_statement():
    assert candidates("The convoy stopped in a hamlet called Nordvik before dawn.") == []


def test_a_state_alone_in_brackets_after_a_name():
    candidate = only("Rep. Tessa Marlowe (Nev.) said the water rights had been sold twice.")

    assert candidate.speaker.name == "Tessa Marlowe"


def test_two_speakers_joined_by_but_give_each_their_own_clause():
    first, second = candidates(
        "Mayor Lena Castillo said the ferry fares would rise, but Senator Ivo Brandt told "
        "reporters the budget could absorb the cost."
    )

    assert (first.speaker.name, first.excerpt) == (
        "Lena Castillo",
        "Mayor Lena Castillo said the ferry fares would rise",
    )
    assert second.speaker.name == "Ivo Brandt"
    assert second.excerpt == "Senator Ivo Brandt told reporters the budget could absorb the cost."


def test_two_speakers_on_either_side_of_a_semicolon_give_two_candidates():
    first, second = candidates(
        "Senator Oskar Nilsen says the trail is closed until May; Governor Hilde Moen says it "
        "reopens in April."
    )

    assert [first.speaker.name, second.speaker.name] == ["Oskar Nilsen", "Hilde Moen"]
    assert "April" not in first.excerpt
    assert "May" not in second.excerpt


def test_a_speaker_after_a_subordinate_clause_with_another_speaker_is_read_too():
    first, second = candidates(
        "While Mayor Ruth Okello has said the levy is fair, Senator Samir Haddad said it "
        "would drive shops out of the district."
    )

    assert (first.speaker.name, first.excerpt) == (
        "Ruth Okello",
        "While Mayor Ruth Okello has said the levy is fair",
    )
    assert second.speaker.name == "Samir Haddad"
    assert second.excerpt.startswith("Senator Samir Haddad said")


def test_the_same_speaker_again_after_but_keeps_one_candidate():
    candidate = only("Dr. Agnes Tamm said the clinic would stay open, but Tamm said staff were short.")

    assert candidate.excerpt.endswith("staff were short.")


def test_a_sentence_going_on_after_two_speakers_joins_the_second_excerpt_only():
    first, second = candidates(
        "Mayor Pavel Ruzicka said the stadium was ready, but Governor Nora Lind said the roof "
        "still leaked. It had been patched twice since March."
    )

    assert first.excerpt == "Mayor Pavel Ruzicka said the stadium was ready"
    assert (
        second.excerpt
        == "Governor Nora Lind said the roof still leaked. It had been patched twice since March."
    )


def test_an_office_and_its_state_after_a_semicolon_stay_one_statement():
    veloria = ActorFactory(name="Veloria", kind="state")
    ActorFactory(name="Velorian Trade Ministry", kind="organization", affiliation=veloria)

    candidate = only(
        "The Velorian Trade Ministry said the tariff would stay until June; Veloria regrets that "
        "talks have stalled."
    )

    assert candidate.speaker.name == "Velorian Trade Ministry"
    assert candidate.excerpt.endswith("talks have stalled.")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Back when he wrote his memoir, Mr. Teodor Vance said that debt was a last resort.",
            "Teodor Vance",
            id="a speech verb in an opening clause leaves the speaker to the main verb",
        ),
        pytest.param(
            "Ruta Vilks, a union organiser, drew loud cheers upon saying that the mill would reopen.",
            "Ruta Vilks",
            id="saying after upon speaks for the subject of the clause",
        ),
        pytest.param(
            "The union's letter also referenced the cost it said the closure would bring to the town.",
            "The union's letter",
            id="words with a clause in them are no description: the subject speaks",
        ),
        pytest.param(
            "The senior judge -- who has clashed with the governor for weeks -- said she regretted it.",
            "The senior judge",
            id="a relative clause between dashes does not hide the subject",
        ),
        pytest.param(
            "The governor leads the senator in all four of these states, according to the new survey.",
            "the new survey",
            id="states after a determiner is a noun, not a speech verb",
        ),
        pytest.param(
            "Contrary to Halvorsen's claims, investigators say the ledger was never altered.",
            "investigators",
            id="claims after a possessive is a noun, not a speech verb",
        ),
        pytest.param(
            "But one critic, radio host Ilse Maren, disagrees with the council, saying the levy is unfair.",
            "Ilse Maren",
            id="the name in apposition after a description opening the clause",
        ),
        pytest.param(
            "Idaho Rep. Ola Brenn is making a pitch to farmers saying the levy is unfair.",
            "Ola Brenn",
            id="a verb and its object before a participle are no one: the subject speaks",
        ),
        pytest.param(
            "Halvorsen's office, when asked by reporters, said the ledger was intact.",
            "Halvorsen's office",
            id="when asked, between commas, is passed over for the subject before it",
        ),
        pytest.param(
            "They and their lawyers argue that the ledger was intact.",
            "They and their lawyers",
            id="a pronoun opening a description is part of it",
        ),
        pytest.param(
            'Nothing the mayor said "will calm the valley," the Idaho senator said.',
            "the Idaho senator",
            id="what someone said, opening the sentence, is not its speaker",
        ),
        pytest.param(
            "Ada Brook took on the mayor after the union's chief had said that the levy was unfair.",
            "the union's chief",
            id="the subject of a clause after 'after' speaks, not the name opening the sentence",
        ),
        pytest.param(
            "When the moderator noted that Brook had not answered, the candidate said the levy was fair.",
            "the candidate",
            id="a sentence opening with 'when' is read at its main verb",
        ),
        pytest.param(
            "Halden freed Ivo Marsh, a man accused of spying, but the ministry insisted it was no trade.",
            "the ministry",
            id="accused of is said of someone, not by them",
        ),
        pytest.param(
            "Harbour rules called for the pier to be shut before the storm, officials said.",
            "officials",
            id="a speaker ending the sentence after a comma reports all of it",
        ),
        pytest.param(
            "The council called an emergency meeting on the test, which state media claimed was a success.",
            "state media",
            id="calling a meeting is no statement; the relative clause has the speaker",
        ),
        pytest.param(
            'Lamenting their luck, Peruvians often say, "Poor Peru, so far from the sun."',
            "Peruvians",
            id="people named by their nationality are written in the plural",
        ),
        pytest.param(
            "Even as the mayor won the vote, many union members insist there was fraud.",
            "many union members",
            id="a speech verb in its base form after a plural subject",
        ),
        pytest.param(
            "The levy still leads with 24 percent, according to FairCountPolitics.",
            "FairCountPolitics",
            id="a name written with capitals inside it is one word",
        ),
        pytest.param(
            "Users spent nine minutes a day on the site, according to data from tallyMetrics.",
            "tallyMetrics",
            id="a name written with a lower-case start and a capital inside is one word",
        ),
    ],
)
def test_the_speaker_of_a_sentence_with_a_misleading_word_before_its_verb(text, speaker):
    assert only(text).speaker.as_written == speaker


def test_an_adverb_between_an_apposition_and_the_verb():
    candidate = only(
        "In a long interview on Friday at the harbour office, Kaja Lind, the port's chief engineer, "
        "bluntly told the council that the pier would not last."
    )

    assert (candidate.speaker.name, candidate.speaker_role) == ("Kaja Lind", "port's chief engineer")


def test_a_description_opening_with_a_possessive_is_the_speaker():
    ActorFactory(name="Paul Okafor", aliases="Okafor", kind="person")

    candidate = only("For Okafor's part, his office has argued that the contract is lawful.")

    assert candidate.speaker.as_written == "his office"


def test_she_refers_to_the_last_person_named_not_to_people_described_since():
    found = candidates(
        "Sen. Ada Brook spoke first at the hearing on Monday. Other senators said the bill was rushed. "
        "She said she would vote for it anyway."
    )

    assert [(c.speaker.name, c.speaker.as_written) for c in found] == [
        ("Other senators", "Other senators"),
        ("Ada Brook", "She"),
    ]


def test_the_ministry_with_no_organisation_named_before_is_nobody_earlier():
    found = candidates("Sen. Ada Brook said the levy was fair. The ministry said the pier was closed.")

    assert (found[-1].speaker.as_written, found[-1].speaker.unnamed) == ("The ministry", True)


def test_an_inversion_after_a_clause_naming_someone_else_is_the_speaker():
    candidate = only(
        "In nearby Halden, the plant run by Ada Brook is hanging on despite cheap imports, "
        "said the company's chief executive, Ivo Marsh."
    )

    assert (candidate.speaker.name, candidate.speaker_role) == ("Ivo Marsh", "company's chief executive")


def test_a_name_spoken_of_after_the_verb_is_not_an_inversion():
    candidate = only('"They expect us to know this," Ada Brook, the party chair, said of the Marsh family.')

    assert candidate.speaker.name == "Ada Brook"


def test_a_titled_name_in_apposition_after_a_description():
    candidate = only("A former lawmaker, Sen. Edda Holm, also stated her intention to vote for the levy.")

    assert (candidate.speaker.name, candidate.speaker_role) == ("Edda Holm", "A former lawmaker")


def test_a_surname_before_a_relative_clause_speaks_for_a_verb_that_describes_no_one():
    candidate = only('Brandt, who led the union for a decade, interjected to say: "The levy is unfair."')

    assert candidate.speaker.name == "Brandt"


def test_a_title_given_where_the_person_said_nothing_is_remembered():
    found = candidates(
        "The levy was debated for hours.\n\n"
        "The pier was hit by a storm that Mayor Ivo Marsh described as the worst in years. "
        "Marsh said the pier would reopen. "
        "At a briefing, the mayor also said the levy would stay."
    )

    assert (found[-1].speaker.name, found[-1].speaker.as_written) == ("Marsh", "the mayor")
