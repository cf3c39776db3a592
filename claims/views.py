"""The readers' pages: home, the claims list, and a page per claim, actor and topic."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from tracker.pages import BoundedCount, PageMetaMixin, description, paginate

from . import charts, social_card
from .choices import Attribution, EvidenceStatus
from .claim_lists import ClaimPage
from .forms import ActorSearchForm, ClaimFilterForm
from .models import Actor, Claim, EvidenceStatusChange, Topic
from .structured_data import claim_review
from .templatetags.claim_pages import STATUS_SYMBOLS
from .threads import claim_thread, topic_timeline

# Topics on the home page, those with the most claims; the topics page lists them all.
HOME_TOPICS = 12
# The busiest disputes drawn on the home page, each from its latest claims (`THUMBNAIL_MARKS`).
HOME_DISPUTES = 3
# Actors and corrections a page of their lists shows.
ACTORS_PAGE_SIZE = 50
CORRECTIONS_PAGE_SIZE = 50
# Claims a page of a topic's timeline shows.
TIMELINE_PAGE_SIZE = 50
# A search's matches are counted up to here ("more than 100"), not to the 1,000 of other lists:
# counting far into the matches of common words costs tens of milliseconds at a million claims.
SEARCH_COUNTED_AT_MOST = 100

# --- What a claim's page says about the claim --------------------------------------------------


def _join(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def attribution_text(claim):
    """Whether the words come from the speaker or from someone reporting them, in one line."""
    if claim.attribution == Attribution.ON_RECORD:
        return "On record: the speaker's own words"
    if claim.attribution == Attribution.CONTESTED:
        return "Attribution contested"
    outlets = []
    for source in claim.cited_sources():
        name = source.known_outlet or "an unidentified outlet"
        if source.is_translation:
            name += " (in translation)"
        if name not in outlets:
            outlets.append(name)
    return f"Reported by {_join(outlets)}" if outlets else "Reported"


# --- Views -------------------------------------------------------------------------------------


class HomeView(PageMetaMixin, TemplateView):
    template_name = "claims/home.html"

    def get_context_data(self, **kwargs):
        published = Claim.objects.published().for_listing()
        busiest = Topic.objects.by_claim_count()[:HOME_DISPUTES]
        return super().get_context_data(
            disputes=[
                (
                    topic,
                    charts.topic_exchange(
                        topic, latest=charts.THUMBNAIL_MARKS, chart_id=f"dispute-{number}", title=topic.name
                    ),
                )
                for number, topic in enumerate(busiest, 1)
            ],
            topics=Topic.objects.by_claim_count()[:HOME_TOPICS],
            topic_count=Topic.objects.by_claim_count().count(),
            latest_claims=published[:8],
            claims_with_most_counter_claims=published.with_most_counter_claims()[:5],
            **kwargs,
        )


class ClaimListView(PageMetaMixin, TemplateView):
    template_name = "claims/claim_list.html"

    page_title = "All claims"
    page_description = (
        "Every published claim, newest first. Filter by topic, speaker, evidence status, kind "
        "and year, or search the summaries, quotes and speakers."
    )

    def get_context_data(self, **kwargs):
        form = ClaimFilterForm(self.request.GET)
        claims = form.filter(Claim.objects.published())
        page = ClaimPage(self.request, claims.for_listing())
        return super().get_context_data(
            form=form,
            filters=form.descriptions(),
            page=page,
            claims=page.claims,
            count=BoundedCount(claims, most=SEARCH_COUNTED_AT_MOST if form.cleaned_data.get("q") else None),
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
        last_reviewed = claim.status_history[-1].changed_at if claim.status_history else None
        claim_url = self.request.build_absolute_uri(claim.get_absolute_url())
        thread = claim_thread(claim)
        return super().get_context_data(
            thread=thread,
            speaker_affiliation_is_public=bool(claim.speaker.affiliation_id)
            and Actor.objects.public().filter(pk=claim.speaker.affiliation_id).exists(),
            thread_chart=charts.thread_exchange(claim, thread) if thread else None,
            corrections=[change for change in claim.status_history if change.corrected_at],
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
        claims_made = published.for_speaker(actor).for_listing()
        accusations = published.targeting(actor).accusations().for_listing()
        return super().get_context_data(
            record=charts.kept_record(self.request, actor),
            roles=claims_made.speaker_roles(),
            members=actor.members.public(),
            claims_made=ClaimPage(self.request, claims_made, prefix="made_"),
            accusations=ClaimPage(self.request, accusations, prefix="against_"),
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
        topic = self.object
        claims = Claim.objects.published().about(topic).for_listing().with_timeline_relations()
        page = ClaimPage(self.request, claims, size=TIMELINE_PAGE_SIZE)
        related = {relation.to_claim_id for claim in page for relation in claim.relations_from_list}
        related -= {claim.pk for claim in page}
        on_other_pages = set(Claim.objects.about(topic).filter(pk__in=related).values_list("pk", flat=True))
        exchange, accusations = charts.kept_topic_charts(self.request, topic)
        return super().get_context_data(
            exchange=exchange,
            accusations=accusations,
            og_image=self.request.build_absolute_uri(reverse("claims:topic-card", args=[topic.slug])),
            og_image_alt=f"{topic.name}: its claims over time, one lane per side",
            timeline=topic_timeline(page.claims, on_other_pages=on_other_pages),
            page=page,
            **kwargs,
        )


@require_safe
def topic_card(request, slug):
    """The topic's exchange chart as a PNG, for link previews (the topic page's `og:image`).
    Drawing one takes a few tenths of a second, so it takes no parameters: the bare address is
    the one the public page cache keeps, and any other is sent there rather than drawn."""
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    if request.GET:
        return redirect("claims:topic-card", slug=topic.slug)
    return HttpResponse(social_card.topic_card_png(topic), content_type="image/png")


class TopicListView(PageMetaMixin, TemplateView):
    template_name = "claims/topic_list.html"

    page_title = "Topics"
    page_description = "Every topic with published claims, in alphabetical order, with its number of claims."

    def get_context_data(self, **kwargs):
        topics = Topic.objects.by_claim_count().order_by("name")
        return super().get_context_data(page_obj=paginate(self.request, topics, per_page=100), **kwargs)


class ActorListView(PageMetaMixin, TemplateView):
    """Everyone who made a published claim or was accused in one, searchable by name, sorted by
    claims made or accusations received (from the stored counts)."""

    template_name = "claims/actor_list.html"

    page_title = "Actors"
    page_description = (
        "The people, organisations and states in the record, by claims made or accusations received."
    )

    def get_context_data(self, **kwargs):
        form = ActorSearchForm(self.request.GET)
        actors = form.actors()
        return super().get_context_data(
            form=form,
            page_obj=paginate(self.request, actors, per_page=ACTORS_PAGE_SIZE),
            **kwargs,
        )


class AboutView(PageMetaMixin, TemplateView):
    template_name = "claims/about.html"

    page_title = "About the tracker"
    page_description = (
        "What the tracker records, what each evidence status means, and how claims are chosen, "
        "reviewed and corrected."
    )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=[(status, STATUS_SYMBOLS[status]) for status in EvidenceStatus], **kwargs
        )


class CorrectionsView(PageMetaMixin, TemplateView):
    template_name = "claims/corrections.html"

    page_title = "Corrections"
    page_description = (
        "Steps of claims' evidence-status histories that the editors corrected, with their notes."
    )

    def get_context_data(self, **kwargs):
        corrections = EvidenceStatusChange.objects.corrections()
        return super().get_context_data(
            page_obj=paginate(self.request, corrections, per_page=CORRECTIONS_PAGE_SIZE), **kwargs
        )
