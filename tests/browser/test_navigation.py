"""The header: HR and admin pages sit in one "Manage" menu, so the header stays on one line
on a 1366px desktop, and the menu works by keyboard and by touch without script."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.browser

SIZES = {
    "desktop": {"width": 1366, "height": 768},
    "tablet": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
}
MANAGED = {
    "admin": [
        "/people-import",
        "/org",
        "/audit-trail",
        "/scorecards/weights",
        "/admin/api-tokens",
        "/audits/recorded",
    ],
    "hr": ["/people-import", "/scorecards/weights", "/audits/recorded"],
}


@pytest.fixture
def open_page(browser: Any, live_server: str) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_at(size: str, locale: str = "en-GB") -> Any:
        context = browser.new_context(
            viewport=SIZES[size], base_url=live_server, locale=locale, has_touch=size == "phone"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


def _header_rows(page: Any) -> int:
    """How many lines the header's top-level entries take (a wrapped line is >= 44px lower)."""
    middles = page.eval_on_selector_all(
        ".app-header nav > ul > li",
        "els => els.filter(el => el.offsetParent !== null)"
        ".map(el => { const r = el.getBoundingClientRect(); return (r.top + r.bottom) / 2; })",
    )
    rows: list[float] = []
    for middle in sorted(middles):
        if not rows or middle - rows[-1] > 22:
            rows.append(middle)
    return len(rows)


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize("role", ["admin", "hr"])
def test_desktop_header_fits_on_one_line(open_page: Any, role: str, locale: str) -> None:
    page = open_page("desktop", locale)
    login(page, role)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-{locale}-desktop.png"))
    assert _header_rows(page) == 1
    links = page.locator(".app-header .nav-links > li > a, .app-header .nav-links summary")
    # Content, reports and managing pages sit in dropdowns, not as top-level links.
    assert links.count() <= 10


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", ["admin", "hr"])
def test_manage_menu_opens_by_keyboard_and_leads_to_its_pages(
    open_page: Any, role: str, size: str
) -> None:
    page = open_page(size)
    login(page, role)
    menu = page.locator(".app-header details.nav-manage")
    items = menu.locator("ul a")
    assert [items.nth(i).get_attribute("href") for i in range(items.count())] == MANAGED[role]
    assert not items.first.is_visible()

    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert items.first.is_visible()
    for href in MANAGED[role]:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == href
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-manage-open-{size}.png"))

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(MANAGED[role][-1])
    # On a managing page the closed menu shows where one is.
    assert "current" in (page.locator("details.nav-manage summary").get_attribute("class") or "")
    assert page.locator("details.nav-manage a[aria-current=page]").count() == 1


def test_employees_have_no_manage_menu(open_page: Any) -> None:
    page = open_page("desktop")
    login(page, "employee")
    assert page.locator("details.nav-manage").count() == 0
    assert _header_rows(page) == 1
