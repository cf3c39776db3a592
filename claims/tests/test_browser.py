"""A reader's journey through the pages in headless Chromium, with JavaScript off: the pages are
server-rendered and must work without it. See browser.py for when these run."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim

from .browser import (  # noqa: F401 (browser is a fixture)
    ARTIFACTS,
    browser,
    click_and_load,
    expect_heading,
    follow,
    overflowing_elements,
)

# Transactional: the live server reads what the test writes. Its flush empties the Editors group,
# which EditorFactory makes again when it is missing.
pytestmark = pytest.mark.django_db(transaction=True)

ACCUSATION = (
    "Trump said the United States would withdraw from the Open Skies Treaty because Russia had violated it."
)
DENIAL = "Grushko said Russia has not violated the Open Skies Treaty."
FOCUS_YELLOW = "rgb(255, 221, 0)"


@pytest.fixture
def site(live_server):
    """The live server's address, with the Open Skies / INF dataset loaded."""
    call_command("load_dataset", stdout=StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def new_page(browser, width):  # noqa: F811 (the fixture, passed on)
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    return context.new_page()


def assert_fits(page):
    assert overflowing_elements(page) == [], page.url


def test_a_reader_on_a_phone_follows_a_dispute_to_the_speaker_then_searches_and_filters(browser, site):  # noqa: F811
    page = new_page(browser, 375)
    page.goto(site)
    assert_fits(page)

    # Every click below navigates: wait for the next page to load before reading it.
    follow(page, page.locator("#topics").get_by_role("link", name="Open Skies Treaty"))
    expect_heading(page, "Open Skies Treaty")
    assert_fits(page)

    follow(page, page.locator(".timeline").get_by_role("link", name=ACCUSATION))
    expect_heading(page, ACCUSATION)
    assert "Reported by" in page.locator(".facts").inner_text()
    assert "Disputed" in page.locator(".evidence").inner_text()
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "claim-page-375.png", full_page=True)

    follow(page, page.locator(".thread").get_by_role("link", name=DENIAL, exact=True))
    expect_heading(page, DENIAL)
    accusation_entry, this_entry = page.locator(".thread-entry").all_inner_texts()
    assert ACCUSATION in accusation_entry
    assert "Disputed by this claim" in accusation_entry
    assert "This claim:" in this_entry
    assert_fits(page)

    follow(page, page.locator(".facts").get_by_role("link", name="Alexander Grushko"))
    expect_heading(page, "Alexander Grushko")
    assert "Glushko" in page.locator(".facts").inner_text()
    assert DENIAL in page.locator("#claims-made").inner_text()
    assert_fits(page)

    page.get_by_role("searchbox", name="Search claims").fill("Glushko")
    search = page.get_by_role("search").get_by_role("button", name="Search")
    click_and_load(page, search, re.compile(r"[?&]q=Glushko(&|$)"))
    assert "matching “Glushko”" in page.locator("#results-heading").inner_text()
    found = page.locator(".claim-card").all_inner_texts()
    assert found
    assert all("Alexander Grushko" in card for card in found)
    assert_fits(page)

    page.get_by_label("Evidence status").select_option("disputed")
    apply_filters = page.get_by_role("button", name="Apply filters")
    click_and_load(page, apply_filters, re.compile(r"[?&]status=disputed(&|$)"))
    assert "q=Glushko" in page.url
    assert "status=disputed" in page.url
    statuses = page.locator(".claim-card .status").all_inner_texts()
    assert 0 < len(statuses) < len(found)
    assert all(status.endswith("Disputed") for status in statuses)
    assert_fits(page)


def test_on_a_wide_screen_the_thread_sits_beside_the_claim_and_focus_is_visible(browser, site):  # noqa: F811
    page = new_page(browser, 1280)
    page.goto(site + Claim.objects.get(summary=ACCUSATION).get_absolute_url())
    thread, evidence = page.locator(".thread").bounding_box(), page.locator(".evidence").bounding_box()
    assert thread["x"] >= evidence["x"] + evidence["width"]
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "claim-page-1280.png", full_page=True)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.evaluate("link => link === document.activeElement")
    assert skip_link.bounding_box()["y"] >= 0  # shown on screen once focused
    page.keyboard.press("Tab")
    brand = page.locator(".brand")
    assert brand.evaluate("link => getComputedStyle(link).backgroundColor") == FOCUS_YELLOW
