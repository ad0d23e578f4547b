"""The header: HR and admin pages sit in one "Manage" menu, so the header stays on one line
on a 1366px desktop, and the menu works by keyboard and by touch without script. On tablets and
phones the header is one row whose "Menu" button opens the links in a panel under it."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    DESKTOP,
    LOGINS,
    SCREENSHOTS,
    check_accessibility,
    login,
    open_nav,
    tap,
)
from tests.browser.test_roles import nav_hrefs

pytestmark = pytest.mark.browser

SIZES = {
    "desktop": DESKTOP,
    "tablet": {"width": 768, "height": 1024},
    "landscape": {"width": 1024, "height": 768},
    "phone": {"width": 390, "height": 844},
}
MAX_FOLDED_HEADER = 80  # px: one row of 44px targets and their padding
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

    def open_at(size: str, locale: str = "en-GB", **options: Any) -> Any:
        context = browser.new_context(
            viewport=SIZES[size],
            base_url=live_server,
            locale=locale,
            has_touch=size == "phone",
            **options,
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


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", ["admin", "hr"])
def test_manage_menu_opens_by_keyboard_and_leads_to_its_pages(
    open_page: Any, role: str, size: str
) -> None:
    page = open_page(size)
    login(page, role)
    open_nav(page)
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


def _header_height(page: Any) -> float:
    return float(page.eval_on_selector(".app-header", "el => el.getBoundingClientRect().height"))


def _expanded(page: Any) -> str | None:
    return page.locator(".app-header .nav-toggle").get_attribute("aria-expanded")


def _focused(page: Any) -> str:
    return str(
        page.evaluate("document.activeElement.className + ' ' + document.activeElement.href")
    )


def _assert_folded(page: Any) -> None:
    """One row (brand, Menu, name, Log out), the panel shut."""
    assert page.locator(".app-header .nav-toggle").is_visible()
    assert _expanded(page) == "false"
    assert not page.locator(".app-header .nav-links").is_visible()
    assert page.locator(".nav-user a[href='/account']").is_visible()
    assert page.locator(".nav-user form[action='/logout'] button").is_visible()
    assert _header_rows(page) == 1
    assert _header_height(page) <= MAX_FOLDED_HEADER


def _open_every_section(page: Any) -> None:
    for summary in page.locator(".app-header .nav-links details.nav-menu > summary").all():
        if summary.evaluate("el => !el.parentElement.open"):
            tap(page, summary)


def _assert_panel_lists(page: Any, hrefs: list[str]) -> None:
    """Every entry visible, one per line across the panel, each at least 44px high."""
    panel = page.locator(".app-header .nav-links").bounding_box()
    assert panel
    lefts = set()
    for href in hrefs:
        link = page.locator(f".app-header .nav-links a[href='{href}']")
        assert link.is_visible(), href
        box = link.bounding_box()
        assert box and box["height"] >= 43.5, (href, box)
        assert box["width"] >= panel["width"] * 0.9, (href, box, panel)
        lefts.add(round(box["y"]))
    assert len(lefts) == len(hrefs), "two entries share a line"


# Every role on the tablet; the phone for those who read on one, landscape for the auditor.
TAP_WALKS = [
    *((role, "tablet") for role in LOGINS),
    ("employee", "phone"),
    ("supervisor", "phone"),
    ("supervisor", "landscape"),
    ("admin", "landscape"),
]


@pytest.mark.parametrize(("role", "size"), TAP_WALKS)
def test_folded_header_is_one_row_and_its_menu_opens_by_tap(
    open_page: Any, role: str, size: str
) -> None:
    page = open_page(size, bypass_csp=True)  # axe-core is injected
    login(page, role)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-folded-{size}.png"))
    _assert_folded(page)
    hrefs = nav_hrefs(page)

    tap(page, page.locator(".app-header .nav-toggle"))
    assert _expanded(page) == "true"
    assert "nav-links" not in _focused(page)  # opening leaves focus where it was
    _open_every_section(page)
    _assert_panel_lists(page, hrefs)
    assert page.locator(".app-header .nav-links a[href='/'][aria-current=page]").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-open-{size}.png"), full_page=True)
    check_accessibility(page)

    # A tap outside the header shuts the panel.
    tap(page, page.locator("main h1").first)
    assert _expanded(page) == "false"
    assert not page.locator(".app-header .nav-links").is_visible()

    # A link in the panel leads to its page, which the panel then marks.
    open_nav(page)
    target = hrefs[-1]
    with page.expect_navigation():
        tap(page, page.locator(f".app-header .nav-links a[href='{target}']"))
    assert page.url.endswith(target)
    _assert_folded(page)
    open_nav(page)
    assert page.locator(f".nav-links a[href='{target}'][aria-current=page]").is_visible()


@pytest.mark.parametrize(
    ("role", "size"), [("admin", "tablet"), ("supervisor", "landscape"), ("employee", "phone")]
)
def test_folded_menu_opens_by_keyboard_and_escape_closes_it(
    open_page: Any, role: str, size: str
) -> None:
    page = open_page(size)  # the app's real CSP: header.js alone does the work
    login(page, role)
    hrefs = [href for href in nav_hrefs(page) if href != "/"]
    toggle = page.locator(".app-header .nav-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    assert _expanded(page) == "true"
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    # The panel comes straight after the button in the tab order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/"

    page.keyboard.press("Escape")
    assert _expanded(page) == "false"
    assert not page.locator(".app-header .nav-links").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target == hrefs[0]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target)
    _assert_folded(page)


@pytest.mark.parametrize(("role", "size"), [("admin", "phone"), ("supervisor", "tablet")])
def test_folded_header_in_chinese(open_page: Any, role: str, size: str) -> None:
    page = open_page(size, "zh-CN", bypass_csp=True)
    login(page, role)
    if page.get_attribute("html", "lang") != "zh-CN":  # the account's own language wins
        pytest.skip(f"the demo {role} reads English")
    assert page.locator(".app-header .nav-toggle").inner_text().strip() == "菜单"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-zh-folded-{size}.png"))
    _assert_folded(page)
    open_nav(page)
    _open_every_section(page)
    _assert_panel_lists(page, nav_hrefs(page))
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-zh-open-{size}.png"), full_page=True)
    check_accessibility(page)


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_without_javascript_the_links_stay_in_the_header(open_page: Any, size: str) -> None:
    page = open_page(size, java_script_enabled=False)
    login(page, "admin")
    assert not page.locator(".app-header .nav-toggle").is_visible()
    for link in page.locator(".app-header .nav-links > li > a").all():
        assert link.is_visible()
    # The menus still open without script: <details> is the browser's own.
    page.locator(".nav-manage summary").click()
    assert page.locator(".nav-manage a[href='/org']").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-admin-no-script-{size}.png"))


def test_desktop_has_no_menu_button_where_the_links_fit(open_page: Any) -> None:
    page = open_page("desktop")
    login(page, "admin")
    toggle = page.locator(".app-header .nav-toggle")
    assert toggle.count() == 1
    assert not toggle.is_visible()
    assert page.locator(".app-header .nav-links a[href='/standards']").is_visible()
    # A window made narrower folds the header, and wider again unfolds it.
    page.set_viewport_size(SIZES["tablet"])
    toggle.wait_for(state="visible")
    page.set_viewport_size(SIZES["desktop"])
    toggle.wait_for(state="hidden")
    assert page.locator(".app-header .nav-links a[href='/standards']").is_visible()


@pytest.mark.parametrize(
    ("role", "locale"),
    [*((role, "en-GB") for role in LOGINS), ("admin", "zh-CN"), ("supervisor", "zh-CN")],
)
def test_a_desktop_header_is_one_line_for_every_role(
    open_page: Any, role: str, locale: str
) -> None:
    """A supervisor's links in English are wider than 1366 px: there the header folds them
    into the menu, as on a tablet, instead of wrapping onto a second line."""
    page = open_page("desktop", locale)
    login(page, role)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"nav-{role}-{locale}-desktop.png"))
    assert _header_rows(page) == 1
    # Content, reports and managing pages sit in dropdowns, not as top-level links.
    top_level = page.locator(".app-header .nav-links > li > a, .app-header .nav-links summary")
    assert top_level.count() <= 10
    toggle = page.locator(".app-header .nav-toggle")
    if toggle.is_visible():
        open_nav(page)
        _open_every_section(page)
        _assert_panel_lists(page, nav_hrefs(page))
        page.keyboard.press("Escape")
        assert not page.locator(".app-header .nav-links").is_visible()
    else:
        assert page.locator(".app-header .nav-links a[href='/standards']").is_visible()


def test_the_header_is_folded_before_the_deferred_scripts_run(open_page: Any) -> None:
    """header.js runs as the header is read, so the page is never drawn with the links on
    three rows that then jump away under a finger: app.js is held back here, and the header
    is already one row before the document has finished loading."""
    page = open_page("tablet")
    login(page, "supervisor")
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => { window.__loaded = true; })"
    )
    held: list[Any] = []
    page.route(re.compile(r"/static/js/app\.js(\?|$)"), lambda route: held.append(route))
    page.goto("/standards", wait_until="commit")
    page.locator(".app-header .nav-toggle").wait_for(state="visible")
    # The head's stylesheets block the first paint, so wait for app.css too: on a busy machine
    # the toggle, an unstyled list item, showed before it arrived (the links beside it).
    page.wait_for_function(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(link => link.sheet)",
        polling=50,
    )
    assert held, "app.js was not asked for"
    assert not page.evaluate("window.__loaded === true")
    _assert_folded(page)
    for route in held:
        route.continue_()
    page.wait_for_function("() => window.__loaded === true")


def test_the_menu_button_carries_the_count_the_folded_links_hide(open_page: Any) -> None:
    """An employee with standards to acknowledge sees how many on the Menu button of a folded
    header; on a desktop the count stays beside its link and the button is hidden."""
    page = open_page("tablet")
    login(page, "employee")
    outstanding = page.locator("#nav-outstanding")
    count = int(outstanding.inner_text())
    assert count >= 1  # the demo's teller has standards to acknowledge
    assert not outstanding.is_visible()
    on_button = page.locator(".app-header .nav-toggle .nav-count")
    assert on_button.is_visible() and int(on_button.inner_text()) == count
    # the demo's teller reads in Chinese: "菜单 5"
    assert page.locator(".app-header .nav-toggle").inner_text().split() == ["菜单", str(count)]
    # On a phone the word gives way to the bars, still named for a screen reader, so the
    # count fits the one row.
    page.set_viewport_size(SIZES["phone"])
    assert _header_rows(page) == 1
    assert page.get_by_role("button", name=f"菜单 {count}").is_visible()
    page.set_viewport_size(SIZES["desktop"])
    page.locator(".app-header .nav-toggle").wait_for(state="hidden")
    assert outstanding.is_visible() and int(outstanding.inner_text()) == count
