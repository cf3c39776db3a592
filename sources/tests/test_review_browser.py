"""The review screen in Chromium at a desk's width: the editor selects a statement the importer
missed and adds it as a candidate; the page keeps to the policy and to the window's width."""

import pytest

from claims.tests.browser import browser, overflowing_elements  # noqa: F401 (a fixture)
from claims.tests.factories import ActorFactory, EditorFactory
from tracker.tests.two_factor import sign_in_in_browser

# Transactional: the live server reads what the test writes.
pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = (
    "Russia denies deploying banned missiles\n"
    "MOSCOW, March 4 (Reuters) - Washington accused Moscow of deploying banned missiles.\n"
    "Ryabkov denied that Russia had deployed any banned missiles.\n"
    "A senior diplomat in Geneva called the charge absurd.\n"
    "Talks between the two delegations are expected to resume in the spring, once both capitals agree.\n"
)


def test_selecting_a_missed_statement_adds_it_as_a_candidate(browser, live_server):  # noqa: F811
    russia = ActorFactory(name="Russian Federation", kind="state", aliases="Russia\nMoscow")
    ActorFactory(name="Sergei Ryabkov", aliases="Ryabkov", affiliation=russia)
    ActorFactory(name="United States", kind="state", aliases="Washington")
    editor = EditorFactory(username="review-editor")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    policy_messages = []
    page.on("console", lambda message: policy_messages.append(message.text))
    sign_in_in_browser(page, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/sources/source/import/")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_published_on", "2024-03-04")
    page.click("input[type=submit][value='Find the claims']")
    page.wait_for_selector("#article-text")
    found = page.locator("fieldset.candidate").count()
    assert overflowing_elements(page) == []

    missed = page.locator("#article-text p", has_text="Talks between the two delegations")
    box = missed.bounding_box()
    page.mouse.move(box["x"] + 1, box["y"] + 4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] - 4, steps=5)
    page.mouse.up()
    assert page.input_value("#id_added_excerpt").startswith("Talks between the two delegations")
    page.click("button.add-selection")
    page.wait_for_selector(f"#candidate-{found + 1}")

    added = page.locator(f"#candidate-{found + 1} textarea[name$='-excerpt']").input_value()
    assert added.startswith("Talks between the two delegations are expected")
    assert page.locator(f"#excerpt-{found + 1}").inner_text().endswith("once both capitals agree.")
    assert [text for text in policy_messages if "Content Security Policy" in text] == []
    context.close()
