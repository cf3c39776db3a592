"""The Content-Security-Policy holds in a real browser: Chromium logs no violation on the public
pages, the admin's claim form, the second factor's set-up (its QR code) or the API docs, and an
injected inline script does not run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.models import Claim
from tracker.tests.two_factor import code_from
from tracker.two_factor import RECOVERY_CODES

from .browser import browser  # noqa: F401 (a fixture)
from .factories import EditorFactory

# Transactional: the live server reads what the test writes.
pytestmark = pytest.mark.django_db(transaction=True)


def violations_while_visiting(browser, base_url, paths, *, sign_in=None):  # noqa: F811
    """Every console message about the Content-Security-Policy while `paths` load."""
    context = browser.new_context()
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(f"{page.url}: {message.text}"))
    if sign_in:
        sign_in(page)
    for path in paths:
        response = page.goto(base_url + path, wait_until="networkidle")
        assert response.status < 400, path
        assert "content-security-policy" in response.headers, path
    context.close()
    return [message for message in messages if "Content Security Policy" in message]


def test_no_page_breaks_the_policy(browser, live_server):  # noqa: F811
    call_command("load_dataset", stdout=StringIO())
    claim = Claim.objects.published().first()
    editor = EditorFactory(username="csp-editor")

    def sign_in(page):
        """The first sign-in: password, then the authenticator app set up from the page's QR code."""
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", "a-long-test-passphrase")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/second-factor/")
        assert page.locator(".qr-code svg").is_visible()
        page.fill("#id_code", code_from(TOTPDevice.objects.get(user=editor)))
        page.click("input[type=submit]")
        assert page.locator(".recovery-codes li").count() == RECOVERY_CODES
        page.click("text=Continue to the admin")
        page.wait_for_url(f"{live_server.url}/admin/")

    public = ["/", "/claims/", claim.get_absolute_url(), claim.speaker.get_absolute_url(), "/api/v1/docs/"]
    # The pages with charts (inline SVG, coloured from the stylesheet), and the readers' indexes.
    public += [claim.topics.first().get_absolute_url(), "/actors/", "/sources/", "/about/", "/corrections/"]
    assert violations_while_visiting(browser, live_server.url, public) == []
    admin = [
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claim/add/",
        "/admin/claims/claim/",
        "/admin/second-factor/",
    ]
    assert violations_while_visiting(browser, live_server.url, admin, sign_in=sign_in) == []


def test_an_injected_inline_script_does_not_run(browser, live_server):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/claims/")
    ran = page.evaluate(
        """() => {
            window.injected = false;
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            return window.injected;
        }"""
    )
    context.close()
    assert ran is False
