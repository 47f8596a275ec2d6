"""End-to-end tests in real headless Chromium (Debian's /usr/bin/chromium) through Playwright.

Without Chromium the tests skip with the reason; with QUIZSITE_REQUIRE_BROWSER=1 (CI sets it)
they fail instead, so a CI run can never pass by skipping them.
"""

import os
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connections

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test itself (fixtures, assertions) are safe here because the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("QUIZSITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
REQUIRE_BROWSER = os.environ.get("QUIZSITE_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}, and QUIZSITE_REQUIRE_BROWSER=1 forbids skipping browser tests.")
    pytest.skip(f"{reason}; install Debian's chromium to run the browser tests.")


class OneRequestAtATimeServer(WSGIServer):
    """The live server, serving one request at a time.

    pytest-django's live server shares the in-memory SQLite test database's one connection
    with every request thread; two requests at once (an htmx preview while a form is saved)
    would then interleave their transactions on it.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The server handles requests in the thread that creates it.
        for alias, connection in (connections_override or {}).items():
            connections[alias] = connection


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live_server, with requests served one at a time."""
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = OneRequestAtATimeServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is missing at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Screens:
    """Saves numbered screenshots of one test under test-output/screenshots/."""

    def __init__(self, name: str):
        self.name = name
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(self, page, label: str) -> Path:
        self.count += 1
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screens(request) -> Screens:
    return Screens(request.node.name.removeprefix("test_"))


@pytest.fixture
def new_page(chromium, live_server):
    """Opens pages in fresh browser contexts (separate cookies) against the live server.

    Any JavaScript error or Content-Security-Policy violation on a page fails the test.
    """
    contexts = []
    errors: list[str] = []
    violations: list[str] = []

    def open_page(*, width: int = 1100, height: int = 900, **options):
        """`options` go to the browser context: has_touch, is_mobile, timezone_id…"""
        context = chromium.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.violations = violations
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"


def log_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll("input, select, textarea, button")]
  .filter((el) => el.type !== "hidden" && el.offsetParent !== null)
  .filter((el) => {
    const named = (el.labels && [...el.labels].some((l) => l.textContent.trim()))
      || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")
      || (el.tagName === "BUTTON" && el.textContent.trim());
    return !named;
  })
  .map((el) => el.outerHTML.slice(0, 120))
"""


def assert_every_control_labelled(page) -> None:
    """Every visible form control has a name a screen reader can announce."""
    unlabelled = page.evaluate(UNLABELLED_CONTROLS)
    assert not unlabelled, f"Controls without a label: {unlabelled}"


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# A phone as a phone is: touch, no hover, the page laid out at the device's width.
TOUCH_PHONE = {**PHONE, "has_touch": True, "is_mobile": True}
DESKTOP = {"width": 1280, "height": 800}


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, of any impact, one line per node.

    axe-core (MPL-2.0, Deque Systems) comes from npm: `make test` installs it from
    tests/browser/package-lock.json."""
    if not AXE.exists():
        _unavailable(f"axe-core is missing at {AXE} (run `make test` or `npm ci` in tests/browser)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # (no inline script) does not govern, as a <script> tag would be.
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def assert_no_axe_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {where}:\n" + "\n".join(violations)
