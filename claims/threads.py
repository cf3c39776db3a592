"""Thread order: claims that answer one another, in an order that reads top to bottom, for a
claim's page (its thread) and a topic's page (its timeline)."""

import datetime
import heapq
from dataclasses import dataclass, field
from itertools import groupby

from .choices import DatePrecision, RelationType
from .models import Claim

# Relations that make a claim a reply, shown indented under the claim it answers on a topic's page.
ANSWERING = {RelationType.DISPUTES, RelationType.RESPONDS_TO}


def period(claim):
    """The first and last day of the period a claim's date names (a day, a month or a year)."""
    return claim.stated_on, DatePrecision(claim.stated_on_precision).period_end(claim.stated_on)


def in_thread_order(claims, relations):
    """The primary keys of `claims` in time order, a claim never before a claim it relates to.

    Dates have precisions, so time only partly orders claims. A claim is placed at the end of its
    period ("May 2020" after the days of May), which puts a denial of "May 2020" after the
    accusation of 21 May 2020 it answers. Dates alone still fail the other way round (an accusation
    of "2020" answered on 3 June 2020 would follow its answer), so this is a topological sort
    (Kahn's algorithm) with the dates as tie-break:

    - a claim that disputes, answers, supports or repeats a claim whose period overlaps its own
      waits until that claim is placed; where the periods do not overlap the dates decide, whatever
      the relation says;
    - among the claims free to go, the earliest goes first: by the end of its period, then its
      start, then primary key; but a claim that others wait for counts as early as the earliest of
      them, so the "2020" accusation goes just before its 3 June answer rather than holding it back
      behind the rest of the year;
    - a cycle (two claims disputing each other) is broken by the dates too.

    `relations` are (from_claim pk, to_claim pk) pairs; pairs naming other claims are ignored.
    """
    periods = {claim.pk: period(claim) for claim in claims}
    placed_after = {pk: set() for pk in periods}
    waiting_for = dict.fromkeys(periods, 0)
    for later, earlier in relations:
        if later == earlier or later not in periods or earlier not in periods:
            continue
        (later_start, later_end), (earlier_start, earlier_end) = periods[later], periods[earlier]
        overlapping = later_start <= earlier_end and earlier_start <= later_end
        if overlapping and later not in placed_after[earlier]:
            placed_after[earlier].add(later)
            waiting_for[later] += 1

    own_key = {pk: (end, start, pk) for pk, (start, end) in periods.items()}
    earliest = dict(own_key)
    changed = True
    while changed:  # carry each claim's key back to the claims it waits for, through chains
        changed = False
        for earlier, laters in placed_after.items():
            for later in laters:
                if earliest[later] < earliest[earlier]:
                    earliest[earlier] = earliest[later]
                    changed = True
    sort_key = {pk: (earliest[pk], own_key[pk], pk) for pk in periods}

    ready = [sort_key[pk] for pk, count in waiting_for.items() if count == 0]
    heapq.heapify(ready)
    unplaced = set(periods)
    order = []
    while unplaced:
        if not ready:  # only a cycle is left: release its earliest claim
            heapq.heappush(ready, min(sort_key[pk] for pk in unplaced))
        pk = heapq.heappop(ready)[-1]
        if pk not in unplaced:
            continue
        unplaced.discard(pk)
        order.append(pk)
        for later in placed_after[pk]:
            waiting_for[later] -= 1
            if waiting_for[later] == 0:
                heapq.heappush(ready, sort_key[later])
    return order


@dataclass
class ThreadEntry:
    """A claim in a claim page's thread, with how it relates to the page's claim, in words."""

    claim: Claim
    relations: list = field(default_factory=list)  # (relation type, "Disputes this claim")
    is_current: bool = False


def claim_thread(claim):
    """The claim and the published claims it disputes, answers, supports or repeats, or that do so
    to it, in thread order. Empty when nothing relates to it. Needs `with_relations()`."""
    entries = {claim.pk: ThreadEntry(claim, is_current=True)}
    pairs = []
    for relation in claim.relations_from_list:
        entry = entries.setdefault(relation.to_claim_id, ThreadEntry(relation.to_claim))
        relation_type = RelationType(relation.relation_type)
        entry.relations.append((relation_type, f"{relation_type.inverse_label} this claim"))
        pairs.append((claim.pk, relation.to_claim_id))
    for relation in claim.relations_to_list:
        entry = entries.setdefault(relation.from_claim_id, ThreadEntry(relation.from_claim))
        relation_type = RelationType(relation.relation_type)
        entry.relations.append((relation_type, f"{relation_type.label} this claim"))
        pairs.append((relation.from_claim_id, claim.pk))
    if len(entries) == 1:
        return []
    return [entries[pk] for pk in in_thread_order([entry.claim for entry in entries.values()], pairs)]


@dataclass
class TimelineEntry:
    """A claim on a topic's timeline, with the replies indented under it."""

    claim: Claim
    # Its relations, those to the claim it is indented under first: (relation types, other claim,
    # where the other claim is: "page", "timeline" (another page of it) or "elsewhere").
    relations: list = field(default_factory=list)
    replies: list = field(default_factory=list)


@dataclass
class TimelineGroup:
    label: str
    entries: list


def topic_timeline(claims, on_other_pages=frozenset()):
    """Claims (with `with_timeline_relations()`) grouped by month, each reply under the claim it answers.
    `on_other_pages`: the primary keys of claims on the topic's timeline but not among `claims`.

    A claim that disputes or responds to an earlier claim on the page is indented under it (under
    the earliest, when it answers several), whatever month it is from, so an exchange reads top to
    bottom. Claims that answer nothing here head the month they were made in; claims dated only to
    a year follow the months of their year.
    """
    by_pk = {claim.pk: claim for claim in claims}
    pairs = [(claim.pk, relation.to_claim_id) for claim in claims for relation in claim.relations_from_list]
    order = in_thread_order(claims, pairs)
    position = {pk: index for index, pk in enumerate(order)}
    entries = {pk: TimelineEntry(by_pk[pk]) for pk in order}
    roots = []
    for pk in order:
        entry = entries[pk]
        relations = entry.claim.relations_from_list
        answered = [
            relation.to_claim_id
            for relation in relations
            if relation.relation_type in ANSWERING
            and position.get(relation.to_claim_id, len(order)) < position[pk]
        ]
        parent = min(answered, key=position.get) if answered else None
        by_claim = {}
        for relation in sorted(relations, key=lambda relation: relation.to_claim_id != parent):
            where = (
                "page"
                if relation.to_claim_id in position
                else "timeline"
                if relation.to_claim_id in on_other_pages
                else "elsewhere"
            )
            types, _, _ = by_claim.setdefault(relation.to_claim_id, ([], relation.to_claim, where))
            types.append(RelationType(relation.relation_type))
        entry.relations = list(by_claim.values())
        if parent is None:
            roots.append(entry)
        else:
            entries[parent].replies.append(entry)

    def month(entry):
        stated_on = entry.claim.stated_on
        # Claims dated only to a year follow its months, as in `in_thread_order`.
        return (
            stated_on.year,
            13 if entry.claim.stated_on_precision == DatePrecision.YEAR else stated_on.month,
        )

    groups = []
    for (year, month_number), members in groupby(sorted(roots, key=month), key=month):
        if month_number == 13:
            label = f"{year}, month not known"
        else:
            label = DatePrecision.MONTH.format(datetime.date(year, month_number, 1))
        groups.append(TimelineGroup(label, list(members)))
    return groups
