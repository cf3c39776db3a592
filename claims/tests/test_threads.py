"""Thread order: claims that answer one another read top to bottom, whatever their dates' precision."""

import datetime

import pytest

from claims.choices import DatePrecision
from claims.models import Claim
from claims.threads import in_thread_order, topic_timeline

from .factories import ClaimFactory, ClaimRelationFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db


def test_a_claim_of_a_year_comes_before_its_answer_from_that_year():
    # Sorting on the period's end alone would put the "2020" accusation after its answer.
    accusation = ClaimFactory(stated_on=datetime.date(2020, 1, 1), stated_on_precision=DatePrecision.YEAR)
    answer = ClaimFactory(stated_on=datetime.date(2020, 6, 3))
    unrelated = ClaimFactory(stated_on=datetime.date(2020, 9, 1))
    order = in_thread_order([unrelated, answer, accusation], [(answer.pk, accusation.pk)])
    assert order == [accusation.pk, answer.pk, unrelated.pk]


def test_dates_decide_where_periods_do_not_overlap_and_break_cycles():
    early = ClaimFactory(stated_on=datetime.date(2019, 1, 23))
    late = ClaimFactory(stated_on=datetime.date(2020, 5, 21))
    same_day = ClaimFactory(stated_on=datetime.date(2020, 5, 21))
    # A relation against the dates, and a cycle, do not stop the sort.
    relations = [(early.pk, late.pk), (late.pk, same_day.pk), (same_day.pk, late.pk)]
    assert in_thread_order([same_day, late, early], relations) == [early.pk, late.pk, same_day.pk]


def test_a_topic_timeline_groups_by_month_with_each_reply_under_the_claim_it_answers():
    accusation = PublishedClaimFactory(summary="Accusation.", stated_on=datetime.date(2020, 5, 21))
    denial = PublishedClaimFactory(summary="Denial.", stated_on=datetime.date(2020, 6, 2))
    ClaimRelationFactory(from_claim=denial, to_claim=accusation, relation_type="disputes")
    later = PublishedClaimFactory(summary="Later.", stated_on=datetime.date(2020, 6, 1))
    of_the_year = PublishedClaimFactory(
        summary="Some time in 2020.",
        stated_on=datetime.date(2020, 1, 1),
        stated_on_precision=DatePrecision.YEAR,
    )
    claims = list(Claim.objects.published().with_relations())

    timeline = topic_timeline(claims)

    assert [group.label for group in timeline] == ["May 2020", "June 2020", "2020, month not known"]
    may, june, year = timeline
    assert [entry.claim for entry in may.entries] == [accusation]
    assert [reply.claim for reply in may.entries[0].replies] == [denial]  # under it, though from June
    assert [entry.claim for entry in june.entries] == [later]
    assert [entry.claim for entry in year.entries] == [of_the_year]
