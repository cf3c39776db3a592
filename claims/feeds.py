"""Atom feeds of newly published claims: the whole site's and each topic's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Claim, Topic

FEED_SIZE = 50


class LatestClaimsFeed(Feed):
    feed_type = Atom1Feed
    # A template, so the speaker's words are escaped before the feed marks them up as HTML.
    description_template = "claims/feed_item.html"

    def title(self):
        return f"{settings.SITE_NAME}: newly published claims"

    def subtitle(self):
        return "Who claimed what, when, against whom, on what evidence, and who disputed it."

    def link(self):
        return reverse("claims:claim-list")

    def author_name(self):
        return settings.SITE_NAME

    def claims(self):
        return Claim.objects.published().with_related().order_by("-published_at", "-pk")

    def items(self):
        return self.claims()[:FEED_SIZE]

    def item_title(self, claim):
        return claim.summary

    def item_pubdate(self, claim):
        return claim.published_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_categories(self, claim):
        return [topic.name for topic in claim.topics.all()]


class TopicClaimsFeed(LatestClaimsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, topic):
        return f"{settings.SITE_NAME}: newly published claims about {topic.name}"

    def subtitle(self, topic):
        return topic.description or f"Claims about {topic.name}."

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return self.claims().about(topic)[:FEED_SIZE]
