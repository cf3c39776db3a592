"""Two editors change one claim at once, each in a browser of their own, as people would: the
second save is refused and shows the form merged; clicking Save again keeps both editors' work.
See browser.py for when these run."""

import pytest
from django.db import transaction

from tracker.tests.two_factor import sign_in_in_browser

from .browser import browser  # noqa: F401 (a fixture)
from .factories import EditorFactory, PublishedClaimFactory

# Transactional: the live server reads what the test writes.
pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_page(browser, live_server, editor):  # noqa: F811 (the fixture, passed on)
    return sign_in_in_browser(browser.new_context().new_page(), live_server.url, editor)


def click_save(page):
    page.locator("input[name=_save]").first.click()
    page.wait_for_load_state()


def test_the_second_editor_saves_twice_and_both_changes_are_kept(browser, live_server):  # noqa: F811
    with transaction.atomic():  # PostgreSQL checks at commit that a published claim has a citation
        claim = PublishedClaimFactory(kind="denial", speaker_role="Russian Deputy Foreign Minister")
    alice = signed_in_page(browser, live_server, EditorFactory(username="alice"))
    bob = signed_in_page(browser, live_server, EditorFactory(username="bob"))
    change_page = f"{live_server.url}/admin/claims/claim/{claim.pk}/change/"
    alice.goto(change_page)
    bob.goto(change_page)

    alice.fill("#id_rationale", "Alice's rationale.")
    click_save(alice)
    assert alice.url == f"{live_server.url}/admin/claims/claim/"

    bob.fill("#id_summary", "Bob's summary.")
    click_save(bob)
    assert bob.url == change_page  # refused
    assert "Not saved: this claim was changed since you opened it." in bob.content()
    assert bob.input_value("#id_summary") == "Bob's summary."
    assert bob.input_value("#id_rationale") == "Alice's rationale."

    click_save(bob)
    assert bob.url == f"{live_server.url}/admin/claims/claim/"
    claim.refresh_from_db()
    assert (claim.summary, claim.rationale) == ("Bob's summary.", "Alice's rationale.")
