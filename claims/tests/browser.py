"""Headless Chromium for the browser tests: Debian's package (/usr/bin/chromium) driven by
Playwright for Python; never a downloaded browser.

Without Chromium the tests are skipped, and the run says so plainly; with REQUIRE_BROWSER_TESTS
set (as .ci/run does) they fail instead, so CI cannot pass without running them.
"""

import os
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = settings.BASE_DIR / "artifacts"
# axe-core, the accessibility checker, from the npm registry: `make test` installs the version the
# Makefile pins (AXE_VERSION) here; AXE_CORE_JS names another copy.
AXE_CORE = Path(
    os.environ.get("AXE_CORE_JS") or settings.BASE_DIR / ".cache/axe/node_modules/axe-core/axe.min.js"
)
# The impacts a page may not have any violation of.
BLOCKING_IMPACTS = ("serious", "critical")


def browser_tests_required():
    return os.environ.get("REQUIRE_BROWSER_TESTS", "").lower() in ("1", "true", "yes", "on")


def missing_browser():
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-test.txt)"
    return None


def say_plainly(config, message):
    """Print `message` in the run's output, not only in the skip reasons that -rs would list."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n{message}", yellow=True)


@pytest.fixture(scope="module")
def browser(request):
    problem = missing_browser()
    if problem:
        message = f"Browser tests not run: {problem}."
        if browser_tests_required():
            pytest.fail(f"{message} REQUIRE_BROWSER_TESTS is set, so this is a failure.", pytrace=False)
        say_plainly(request.config, f"{message} With REQUIRE_BROWSER_TESTS=1 this fails.")
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, and Django refuses database calls
    # from a thread with a running loop; here the loop is Playwright's and the calls are the
    # tests' own set-up, so they are safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source(request):
    """axe-core's script, or a skip (a failure with REQUIRE_BROWSER_TESTS) when it is missing."""
    if not AXE_CORE.exists():
        message = (
            f"Accessibility checks not run: axe-core is not at {AXE_CORE} (make test installs it with npm)."
        )
        if browser_tests_required():
            pytest.fail(f"{message} REQUIRE_BROWSER_TESTS is set, so this is a failure.", pytrace=False)
        say_plainly(request.config, message)
        pytest.skip(message)
    return AXE_CORE.read_text(encoding="utf-8")


def accessibility_violations(page, axe_source):
    """axe-core's serious and critical violations on the page, one line each. Run through the
    DevTools protocol (page.evaluate), which the Content-Security-Policy does not govern; the
    page's context needs JavaScript on, for axe's timers."""
    page.evaluate(axe_source)
    found = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((violation) => ({
                id: violation.id, impact: violation.impact,
                targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{violation['impact']} {violation['id']}: {', '.join(violation['targets'])}"
        for violation in found
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def covered_links(page, selector):
    """The hrefs of links matching `selector` that a reader cannot click: at the middle of each,
    the topmost element is something else (another mark drawn over it)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((link) => {
            link.scrollIntoView({block: "center"});
            const box = link.getBoundingClientRect();
            const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return !(top && link.contains(top));
        }).map((link) => link.getAttribute("href"))""",
        selector,
    )


def overflowing_elements(page):
    """Elements that stick out past the right edge of the viewport (descriptions, for messages)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const described = (element) =>
                element.tagName.toLowerCase() + (element.className ? "." + element.className : "");
            const outside = [...document.body.querySelectorAll("*")]
                .filter((element) => element.getBoundingClientRect().right > width + 0.5)
                .map(described);
            if (document.documentElement.scrollWidth > width) outside.push("(the page scrolls sideways)");
            return outside;
        }"""
    )


def click_and_load(page, element, url):
    """Click `element`, which navigates, and return once the page at `url` has loaded.

    A click waits only until the navigation it starts commits: page.url is already the new one,
    but the new page is still arriving, so a read right after it (all_inner_texts, evaluate) can
    see a half-parsed page, with no claim cards yet. page.wait_for_url waits for the load event
    as well. `url` (a predicate, regular expression or glob, as wait_for_url takes) must not
    match the page being left, or this could return before the click has navigated at all.
    """
    element.click()
    page.wait_for_url(url)


def follow(page, link):
    """Click `link` and return once the page it leads to has loaded."""
    target = urljoin(page.url, link.get_attribute("href"))
    click_and_load(page, link, lambda url: url == target)


def expect_heading(page, text):
    """Assert the page's h1 reads `text`, waiting for it as Playwright's expect does."""
    from playwright.sync_api import expect  # here, not at the top: see missing_browser

    expect(page.get_by_role("heading", level=1)).to_have_text(text)
