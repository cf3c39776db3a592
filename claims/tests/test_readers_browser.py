"""The readers' pages with their charts in headless Chromium at a phone's width and a desktop's:
nothing scrolls sideways, every chart mark is a link that opens its claim, and axe-core finds no
serious or critical accessibility violation. See browser.py for when these run; the screenshots
land in artifacts/.

The pages run no script of their own (the charts are drawn on the server); JavaScript is on only
because axe-core needs the page's timers to finish its run."""

from io import StringIO
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Actor, Claim, Topic

from .browser import (  # noqa: F401 (browser and axe_source are fixtures)
    ARTIFACTS,
    accessibility_violations,
    axe_source,
    browser,
    covered_links,
    follow,
    overflowing_elements,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]
CHART_MARKS = "svg a.mark"


@pytest.fixture
def pages(live_server):
    """The pages to check, by name, with the Open Skies / INF dataset loaded."""
    call_command("load_dataset", stdout=StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    largest_topic = Topic.objects.by_claim_count().first()
    busiest_actor = Actor.objects.most_prolific().first()
    answered = Claim.objects.published().with_most_counter_claims().first()
    return {
        "home": reverse("claims:home"),
        "topic": largest_topic.get_absolute_url(),
        "actor": busiest_actor.get_absolute_url(),
        "claim": answered.get_absolute_url(),
        "actors": reverse("claims:actor-list"),
        "about": reverse("claims:about"),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_the_readers_pages_fit_link_every_mark_and_pass_the_accessibility_check(
    browser,  # noqa: F811
    axe_source,  # noqa: F811
    live_server,
    pages,
    width,
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert overflowing_elements(page) == [], name
        page.screenshot(path=ARTIFACTS / f"readers-{name}-{width}.png")
        marks = page.locator(CHART_MARKS)
        if name in ("home", "topic", "actor", "claim"):
            assert marks.count() > 0, name
        for href in {mark.get_attribute("href") for mark in marks.all()}:
            assert page.request.get(urljoin(page.url, href)).status == 200, (name, href)
        assert covered_links(page, CHART_MARKS) == [], name
        assert accessibility_violations(page, axe_source) == [], name
    context.close()


def test_a_reader_clicks_a_mark_of_the_topics_chart_and_lands_on_its_claim(browser, live_server, pages):  # noqa: F811
    page = browser.new_context(viewport={"width": 375, "height": 900}, java_script_enabled=False).new_page()
    page.goto(live_server.url + pages["topic"])
    mark = page.locator(f"#charts-heading ~ figure {CHART_MARKS}").first
    claim = Claim.objects.get(slug=mark.get_attribute("href").strip("/").split("/")[-1])
    follow(page, mark)
    assert page.get_by_role("heading", level=1).inner_text() == claim.summary
