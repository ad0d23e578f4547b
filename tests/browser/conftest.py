"""Browser tests: the demo bank served by `frontline serve`, driven by the system Chromium.

One server (with the demo data loaded) runs for the whole session, one per pytest-xdist worker
(each on a database of its own); every test gets a fresh browser context, so cookies never leak
from one test to the next. Without Chromium or Playwright the tests are skipped locally but fail
in CI, where they must really run.
"""

import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from staff.demo import DEMO_PASSWORD
from tests.databases import PG_URL, create_database, drop_database
from tests.live_server import ServerFailed, environment, run_frontline, serving

REPO = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "screenshots"
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

VIEWPORTS = {
    "tablet-portrait": {"width": 768, "height": 1024},
    "tablet-landscape": {"width": 1024, "height": 768},
    "phone": {"width": 390, "height": 844},
}
TABLET_AND_PHONE = list(VIEWPORTS)
DESKTOP = {"width": 1366, "height": 768}

# Demo logins, one per role (staff/demo.py).
LOGINS = {
    "admin": "A0001",
    "hr": "H0001",
    "author": "Q0001",
    "supervisor": "S1001",
    "employee": "E1001",
}
PASSWORD = DEMO_PASSWORD


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def _live_database(workdir: Path) -> Iterator[str]:
    """The live server's database: a new one on the test PostgreSQL server when
    FRONTLINE_TEST_DATABASE_URL names one (the CI's PostgreSQL pass), else a SQLite file."""
    if not PG_URL:
        yield f"sqlite:///{workdir / 'demo.db'}"
        return
    name = f"frontline_browser_{uuid.uuid4().hex[:12]}"
    try:
        yield create_database(name)
    finally:
        drop_database(name)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the demo bank, served from a fresh database for this session."""
    workdir = tmp_path_factory.mktemp("live-server")
    with _live_database(workdir) as database_url:
        env = environment(database_url=database_url, secret_key="browser-tests-secret-key")
        demo = run_frontline("demo", "--no-serve", env=env, cwd=workdir)
        if demo.returncode != 0:
            pytest.fail(f"`frontline demo --no-serve` failed:\n{demo.stdout}\n{demo.stderr}")
        try:
            with serving(env=env, cwd=workdir) as url:
                yield url
        except ServerFailed as exc:
            pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"playwright cannot be imported: {exc}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=TABLET_AND_PHONE)
def viewport(request: pytest.FixtureRequest) -> str:
    """The viewport's name; tests may narrow the list with indirect parametrization."""
    name = str(request.param)
    assert name in VIEWPORTS, name
    return name


@pytest.fixture
def context(browser: Any, viewport: str, live_server: str) -> Iterator[Any]:
    # The app's CSP (script-src 'self') would block the injected axe-core script.
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=live_server,
        bypass_csp=True,
        locale="en-GB",
        has_touch=viewport == "phone",
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def csp_page(browser: Any, viewport: str, live_server: str) -> Iterator[Any]:
    """A page under the app's real Content-Security-Policy; `page.csp_violations` lists
    the browser's reports of anything it blocked."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=live_server,
        locale="en-GB",
        has_touch=viewport == "phone",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.csp_violations = violations
    yield page
    context.close()


# ---- helpers --------------------------------------------------------------------------------


def login(page: Any, role: str) -> None:
    """Log in through the form as the demo person for `role`; lands on the home page."""
    page.goto("/login")
    page.fill("#employee_no", LOGINS[role])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert "/login" not in page.url, f"login as {role} failed: {page.url}"
    assert page.locator("form[action='/logout']").count() == 1, f"not logged in as {role}"


def tap(page: Any, locator: Any) -> None:
    """A tap where the screen is a touch screen (the phone viewport), else a click."""
    if page.evaluate("navigator.maxTouchPoints > 0"):
        locator.tap()
    else:
        locator.click()


def open_nav(page: Any) -> None:
    """Open the header's menu panel where the header is folded (tablets and phones); on a
    desktop the button is hidden, the links are in the header and nothing is done."""
    toggle = page.locator(".app-header .nav-toggle")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        tap(page, toggle)
        page.locator(".app-header .nav-links").wait_for(state="visible")


def wait_for_address(page: Any, part: str) -> None:
    """Wait until the address bar holds `part`. htmx pushes the address after it swaps the
    content in, so a check straight after the swap can still see the old one."""
    page.wait_for_function("part => location.href.includes(part)", arg=part, timeout=5000)


SERIOUS = ("serious", "critical")


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page, as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lines: list[str] = []
    for violation in results["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        lines.append(
            f"{page.url}: [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return lines


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page; fail on any serious or critical violation, listed readably."""
    problems = axe_problems(page)
    if problems:
        pytest.fail("Accessibility violations:\n" + "\n".join(problems), pytrace=False)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@contextmanager
def fresh_pages(
    browser: Any, live_server: str, viewport: dict[str, int], *, touch: bool
) -> Iterator[Any]:
    """make(): a page in a fresh browser context (its own cookies) at this viewport, for tests
    where two people act in turn; every context is closed afterwards. `make(locale=…)` gives
    the browser another language (a page in Chinese without the language buttons, which save
    the choice to the shared demo account), `make(viewport=…)` another size."""
    contexts: list[Any] = []

    def make(*, locale: str = "en-GB", viewport: dict[str, int] = viewport) -> Any:
        context = browser.new_context(
            viewport=viewport,
            base_url=live_server,
            bypass_csp=True,
            locale=locale,
            has_touch=touch,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_page(browser: Any, live_server: str, size: str) -> Iterator[Any]:
    """make(): fresh_pages at the viewport named by the module's own `size` fixture (a name in
    VIEWPORTS, or "desktop"), a touch screen on the phone."""
    viewport = DESKTOP if size == "desktop" else VIEWPORTS[size]
    with fresh_pages(browser, live_server, viewport, touch=size == "phone") as make:
        yield make


def no_sideways_scroll(page: Any) -> None:
    """The page itself never scrolls sideways; a wide table scrolls inside its own box."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def full_page_screenshot(page: Any, path: Path, *, tries: int = 3) -> None:
    """A full-page PNG. On a loaded machine Chromium sometimes answers "Unable to capture
    screenshot" for a tall page (seen once in a CI run); the picture is for people to look
    at, so it is asked again rather than failing the checks around it."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(1, tries + 1):
        try:
            page.screenshot(path=str(path), full_page=True)
            return
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == tries:
                raise
            page.wait_for_timeout(250 * attempt)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, viewport: str) -> Any:
    """screenshot(page, label=None): a full-page PNG in <repo>/screenshots/.

    Named <test-name>[-<label>]-<viewport>.png; the folder is git-ignored.
    """

    def take(page: Any, label: str | None = None) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = request.node.originalname + (f"-{label}" if label else "")
        path = SCREENSHOTS / f"{_slug(name)}-{viewport}.png"
        full_page_screenshot(page, path)
        return path

    return take
