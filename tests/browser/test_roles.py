"""Each role sees its own navigation, and every page it may open passes the axe-core check."""

from typing import Any

import pytest

from tests.browser.conftest import LOGINS, axe_problems, login, open_nav

pytestmark = pytest.mark.browser

# The header's links (by address) each role must see. The staff links are exactly these; other
# domains (standards, ...) add their own links, which this test leaves to their own tests.
NAV_LINKS = {
    "admin": ["/", "/standards", "/people", "/people-import", "/org", "/audit-trail"],
    "hr": ["/", "/standards", "/people", "/people-import"],
    "supervisor": ["/", "/standards", "/people"],
    "author": ["/", "/standards"],
    "employee": ["/", "/standards"],
}
STAFF_LINKS = {"/people", "/people-import", "/org", "/audit-trail"}

# Pages each role may open. Names in angle brackets are found by following a link first.
PAGES = {
    "admin": [
        "/",
        "/account",
        "/people",
        "<person>",
        "/people/new",
        "/people-import",
        "/org",
        "<branch>",
        "/org/branches/new",
        "<team>",
        "/org/teams/new",
        "/audit-trail",
    ],
    "hr": ["/", "/account", "/people", "<person>", "/people-import"],
    "supervisor": ["/", "/account", "/people", "<person>"],
    "author": ["/", "/account"],
    "employee": ["/", "/account"],
}
# Where a link to the page in angle brackets is found.
LINK_SOURCES = {
    "<person>": ("/people", "#people-table tbody a[href^='/people/']"),
    "<branch>": ("/org", "a[href^='/org/branches/']:not([href$='/new'])"),
    "<team>": ("/org", "a[href^='/org/teams/']:not([href$='/new'])"),
}
MISSING_PAGE = "/no-such-page"


def nav_hrefs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".app-header nav .nav-links a", "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize(
    ("viewport", "role"),
    [
        *(("tablet-portrait", role) for role in LOGINS),
        ("phone", "employee"),
        ("phone", "supervisor"),
    ],
    indirect=["viewport"],
)
def test_each_role_sees_its_navigation(page: Any, role: str, screenshot: Any) -> None:
    login(page, role)
    hrefs = nav_hrefs(page)
    assert hrefs[0] == "/", hrefs
    assert set(NAV_LINKS[role]) <= set(hrefs), hrefs
    assert set(hrefs) & STAFF_LINKS == set(NAV_LINKS[role]) & STAFF_LINKS, hrefs
    # The signed-in person's name links to their account; logging out is always offered.
    assert page.locator(".nav-user a[href='/account']").is_visible()
    assert page.locator(".nav-user form[action='/logout'] button").is_visible()
    screenshot(page, f"home-{role}")
    open_nav(page)  # tablets and phones: the links sit in the "Menu" panel
    if role in ("admin", "hr"):
        # HR and admin pages sit in the "Manage" menu, closed until tapped.
        assert not page.locator(".nav-links a[href='/people-import']").is_visible()
        page.locator(".nav-manage summary").click()
    for href in NAV_LINKS[role]:
        assert page.locator(f".nav-links a[href='{href}']").is_visible(), href
    if role == "admin":
        nav = page.locator(".nav-links")
        assert nav.get_by_role("link", name="Organisation").is_visible()
        assert nav.get_by_role("link", name="Audit trail").is_visible()
    if role == "employee":
        assert page.locator("a[href='/people']").count() == 0
        assert page.locator("a[href='/org']").count() == 0
    screenshot(page, f"home-{role}-menu-open")


def _resolve(page: Any, name: str) -> str:
    if not name.startswith("<"):
        return name
    source, selector = LINK_SOURCES[name]
    page.goto(source)
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link for {name} on {source}"
    return str(href)


# axe's rules hardly change with the width, and a full-page screenshot costs more than the
# page: every role's pages are checked with axe and pictured at the tablet size the app is
# built for, and on the phone by those who read on one. The other sizes check the layout only.
THOROUGH = {"tablet-portrait": set(LOGINS), "phone": {"employee", "supervisor"}}


def _walk(
    page: Any, pages: list[tuple[str, str, int]], screenshot: Any, *, thorough: bool = True
) -> None:
    """Open each (label, url, expected status); collect every problem, then fail once."""
    problems: list[str] = []
    for label, url, status in pages:
        response = page.goto(url)
        assert response is not None
        if response.status != status:
            problems.append(f"{url}: HTTP {response.status}, expected {status}")
            continue
        if thorough:
            screenshot(page, label)
            problems.extend(axe_problems(page))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{url}: the page scrolls sideways by {overflow}px")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("role", list(LOGINS))
def test_every_page_of_each_role_is_accessible(
    page: Any, viewport: str, role: str, screenshot: Any
) -> None:
    login(page, role)
    pages = []
    for name in PAGES[role]:
        url = _resolve(page, name)
        label = name.strip("<>/").replace("/", "-") or "home"
        pages.append((f"{role}-{label}", url, 200))
    pages.append((f"{role}-404", MISSING_PAGE, 404))
    if role in ("author", "employee"):
        pages.append((f"{role}-403", "/people", 403))
    _walk(page, pages, screenshot, thorough=role in THOROUGH.get(viewport, set()))


def test_pages_before_login_are_accessible(page: Any, screenshot: Any) -> None:
    _walk(page, [("login", "/login", 200), ("404", MISSING_PAGE, 404)], screenshot)
    # A page that needs a login sends the visitor to the login page and back afterwards.
    page.goto("/people")
    assert "/login?next=/people" in page.url


def test_404_page_offers_the_way_home(page: Any) -> None:
    login(page, "supervisor")
    response = page.goto(MISSING_PAGE)
    assert response is not None and response.status == 404
    assert page.locator("main h1").is_visible()
    assert page.locator("main [role='alert']").is_visible()
    page.locator("main a[href='/']").click()
    page.wait_for_url("**/")
    assert page.locator("main h1").is_visible()
