"""The readers' pages: home, the claims list, and a page per claim, actor and topic."""

import datetime
import heapq
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.text import Truncator
from django.views.generic import DetailView, TemplateView

from .choices import ActorKind, Attribution, DatePrecision, RelationType
from .forms import ClaimFilterForm
from .models import Actor, Claim, Topic

PAGE_SIZE = 20
# Relations that make a claim a reply, shown indented under the claim it answers on a topic's page.
ANSWERING = {RelationType.DISPUTES, RelationType.RESPONDS_TO}


def paginate(request, queryset, parameter="page"):
    """The page of `queryset` named by the `parameter` query value; out of range gives the last page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(parameter))


def description(text):
    return Truncator(" ".join(text.split())).chars(200)


class PageMetaMixin:
    """Puts the page's title and description (for <title>, the description meta tag and the
    OpenGraph tags) in the context."""

    og_type = "website"

    def get_page_title(self):
        return ""

    def get_page_description(self):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            page_description=self.get_page_description(),
            og_type=self.og_type,
        )
        return context


# --- Thread order ------------------------------------------------------------------------------


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
    to it, in thread order. Empty when nothing relates to it. Needs `with_thread()`."""
    entries = {claim.pk: ThreadEntry(claim, is_current=True)}
    pairs = []
    for relation in claim.published_relations_from:
        entry = entries.setdefault(relation.to_claim_id, ThreadEntry(relation.to_claim))
        relation_type = RelationType(relation.relation_type)
        entry.relations.append((relation_type, f"{relation_type.inverse_label} this claim"))
        pairs.append((claim.pk, relation.to_claim_id))
    for relation in claim.published_relations_to:
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
    # whether the other claim is on the page).
    relations: list = field(default_factory=list)
    replies: list = field(default_factory=list)


@dataclass
class TimelineGroup:
    label: str
    entries: list


def topic_timeline(claims):
    """Claims (with `with_thread()`) grouped by month, each reply under the claim it answers.

    A claim that disputes or responds to an earlier claim on the page is indented under it (under
    the earliest, when it answers several), whatever month it is from, so an exchange reads top to
    bottom. Claims that answer nothing here head the month they were made in; claims dated only to
    a year follow the months of their year.
    """
    by_pk = {claim.pk: claim for claim in claims}
    pairs = [
        (claim.pk, relation.to_claim_id) for claim in claims for relation in claim.published_relations_from
    ]
    order = in_thread_order(claims, pairs)
    position = {pk: index for index, pk in enumerate(order)}
    entries = {pk: TimelineEntry(by_pk[pk]) for pk in order}
    roots = []
    for pk in order:
        entry = entries[pk]
        relations = entry.claim.published_relations_from
        answered = [
            relation.to_claim_id
            for relation in relations
            if relation.relation_type in ANSWERING
            and position.get(relation.to_claim_id, len(order)) < position[pk]
        ]
        parent = min(answered, key=position.get) if answered else None
        by_claim = {}
        for relation in sorted(relations, key=lambda relation: relation.to_claim_id != parent):
            types, _, _ = by_claim.setdefault(
                relation.to_claim_id, ([], relation.to_claim, relation.to_claim_id in position)
            )
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


# --- What a claim's page says about the claim --------------------------------------------------


def _join(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def cited_sources(claim):
    """The claim's sources, each once, in citation order (needs `for_page()`)."""
    sources = {}
    for citation in claim.citations.all():
        sources.setdefault(citation.source_id, citation.source)
    return list(sources.values())


def known_outlet(source):
    """The source's outlet, or "" when the editors could not identify it (recorded as "Unknown")."""
    outlet = source.outlet.strip()
    return "" if outlet.lower() == "unknown" else outlet


def is_translation(source):
    return source.language.lower() not in ("", "en") or "translat" in source.notes.lower()


def attribution_text(claim):
    """Whether the words come from the speaker or from someone reporting them, in one line."""
    if claim.attribution == Attribution.ON_RECORD:
        return "On record: the speaker's own words"
    if claim.attribution == Attribution.CONTESTED:
        return "Attribution contested"
    outlets = []
    for source in cited_sources(claim):
        name = known_outlet(source) or "an unidentified outlet"
        if is_translation(source):
            name += " (in translation)"
        if name not in outlets:
            outlets.append(name)
    return f"Reported by {_join(outlets)}" if outlets else "Reported"


def iso_date_at_precision(claim):
    """ISO 8601 at the claim's precision: 2020-05-21, 2020-05 or 2020."""
    precision = DatePrecision(claim.stated_on_precision)
    if precision == DatePrecision.YEAR:
        return f"{claim.stated_on:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{claim.stated_on:%Y-%m}"
    return claim.stated_on.isoformat()


def claim_review(claim, request, last_reviewed):
    """schema.org ClaimReview for Google's fact-check rich results; None for an unreviewed claim."""
    status = claim.status
    if not status.is_reviewed:
        return None
    speaker = claim.speaker
    author = {"@type": "Person" if speaker.kind == ActorKind.PERSON else "Organization", "name": speaker.name}
    if speaker.kind == ActorKind.PERSON and claim.speaker_role:
        author["jobTitle"] = claim.speaker_role
    if speaker.wikidata_id:
        author["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
    appearances = []
    for source in cited_sources(claim):
        work = {"@type": "CreativeWork", "headline": source.title}
        if source.url or source.archive_url:
            work["url"] = source.url or source.archive_url
        if source.published_on:
            work["datePublished"] = source.published_on.isoformat()
        if known_outlet(source):
            work["publisher"] = {"@type": "Organization", "name": known_outlet(source)}
        appearances.append(work)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": claim.summary,
        "datePublished": claim.published_at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": status.claim_review_rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": status.label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": author,
            "datePublished": iso_date_at_precision(claim),
            "appearance": appearances,
        },
    }
    if last_reviewed:
        review["dateModified"] = last_reviewed.date().isoformat()
    return review


# --- Views -------------------------------------------------------------------------------------


class HomeView(PageMetaMixin, TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        published = Claim.objects.published().for_listing()
        return super().get_context_data(
            topics=Topic.objects.public().with_claim_count().order_by("-claim_count", "name"),
            latest_claims=published[:8],
            most_disputed_claims=published.most_disputed()[:5],
            **kwargs,
        )


class ClaimListView(PageMetaMixin, TemplateView):
    template_name = "claims/claim_list.html"

    def get_page_title(self):
        return "All claims"

    def get_page_description(self):
        return (
            "Every published claim, newest first. Filter by topic, speaker, evidence status, kind "
            "and year, or search the summaries, quotes and speakers."
        )

    def get_context_data(self, **kwargs):
        form = ClaimFilterForm(self.request.GET)
        claims = form.filter(Claim.objects.published().for_listing())
        page = paginate(self.request, claims)
        return super().get_context_data(
            form=form,
            filters=form.descriptions(),
            page_obj=page,
            claims=page.object_list,
            **kwargs,
        )


class ClaimDetailView(PageMetaMixin, DetailView):
    queryset = Claim.objects.published().for_page()
    context_object_name = "claim"
    og_type = "article"

    def get_page_title(self):
        return self.object.summary

    def get_page_description(self):
        claim = self.object
        return description(
            f"{claim.speaker}, {claim.display_date}: {claim.summary} Evidence status: {claim.status.label}."
        )

    def get_context_data(self, **kwargs):
        claim = self.object
        status_changes = list(claim.status_changes.all())
        last_reviewed = status_changes[-1].changed_at if status_changes else None
        claim_url = self.request.build_absolute_uri(claim.get_absolute_url())
        return super().get_context_data(
            thread=claim_thread(claim),
            counter_claim_count=sum(
                relation.relation_type == RelationType.DISPUTES for relation in claim.published_relations_to
            ),
            status_changes=status_changes,
            last_reviewed=last_reviewed,
            attribution=attribution_text(claim),
            claim_review=claim_review(claim, self.request, last_reviewed),
            correction_mailto=f"mailto:{settings.CORRECTIONS_EMAIL}?subject="
            + quote(f"Correction: {claim_url}"),
            **kwargs,
        )


class ActorDetailView(PageMetaMixin, DetailView):
    queryset = Actor.objects.public().select_related("affiliation__affiliation").with_public_affiliations()
    context_object_name = "actor"

    def get_page_title(self):
        return self.object.name

    def get_page_description(self):
        actor = self.object
        return description(actor.description or f"Claims made by {actor} and accusations against them.")

    def get_context_data(self, **kwargs):
        actor = self.object
        published = Claim.objects.published()
        accusations = published.targeting(actor).accusations()
        return super().get_context_data(
            roles=published.for_speaker(actor)
            .exclude(speaker_role="")
            .order_by("speaker_role")
            .values_list("speaker_role", flat=True)
            .distinct(),
            members=actor.members.public(),
            claims_made=paginate(self.request, published.for_speaker(actor).for_listing(), "made"),
            accusations=paginate(self.request, accusations.for_listing(), "against"),
            **kwargs,
        )


class TopicDetailView(PageMetaMixin, DetailView):
    queryset = Topic.objects.public()
    context_object_name = "topic"

    def get_page_title(self):
        return f"{self.object.name}: timeline"

    def get_page_description(self):
        topic = self.object
        return description(
            f"Every claim about {topic.name} in date order, with the denials and counter-claims "
            f"that answer it. {topic.description}"
        )

    def get_context_data(self, **kwargs):
        claims = list(
            Claim.objects.published().about(self.object).select_related("speaker", "target").with_thread()
        )
        return super().get_context_data(timeline=topic_timeline(claims), claim_count=len(claims), **kwargs)
