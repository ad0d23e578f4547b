"""Scorecards in a real browser at tablet and desktop size: an employee's scorecard with its
trend chart, a supervisor's branch rollup and rankings, and the printable view."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    VIEWPORTS,
    check_accessibility,
    full_page_screenshot,
    login,
    open_nav,
    tap,
)

pytestmark = pytest.mark.browser

SIZES = {
    "tablet-portrait": VIEWPORTS["tablet-portrait"],
    "tablet-landscape": VIEWPORTS["tablet-landscape"],
    "desktop": {"width": 1366, "height": 768},
}


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Any, live_server: str, size: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport=SIZES[size], base_url=live_server, bypass_csp=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _shot(page: Any, size: str, label: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"scorecards-{label}-{size}.png")


def _no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_an_employee_reads_their_scorecard_and_its_trend(page: Any, size: str) -> None:
    login(page, "employee")
    open_nav(page)  # tablets: the header's links sit in the "Menu" panel
    tap(page, page.locator("nav a[href='/scorecards/me']"))
    page.wait_for_url("**/scorecards/me")
    assert page.locator("h1").is_visible()
    assert page.locator(".composite-value").is_visible()
    chart = page.locator("svg.trend-svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 300  # drawn at a readable size
    assert page.locator(".trend-table tbody tr").count() == 12
    _no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, size, "employee")

    page.select_option("#period", label=page.locator("#period option").nth(3).inner_text())
    with page.expect_navigation():
        page.click("form.period-form button[type=submit]")
    assert "period=" in page.url
    assert page.locator(".composite-value").is_visible()

    page.click("a[href*='/print']")
    page.wait_for_url("**/print**")
    page.emulate_media(media="print")
    assert page.locator("svg.trend-svg").is_visible()
    _shot(page, size, "print")


def test_a_supervisor_reads_the_branch_rollup(page: Any, size: str) -> None:
    login(page, "supervisor")
    open_nav(page)
    tap(page, page.locator("details.nav-reports > summary"))  # the header's Reports menu
    tap(page, page.locator("nav a[href='/scorecards']"))
    page.wait_for_url("**/scorecards")
    assert page.locator("table.ranking").count() == 2
    _no_sideways_scroll(page)
    _shot(page, size, "supervisor-overview")

    team_link = page.locator("table.ranking a[href^='/scorecards/teams/']").first
    tap(page, team_link)
    page.wait_for_url("**/scorecards/teams/**")
    branch_link = page.locator("a[href^='/scorecards/branches/']").first
    tap(page, branch_link)
    page.wait_for_url("**/scorecards/branches/**")
    assert page.locator("#people-heading").is_visible()
    assert page.locator("table.distribution meter").count() == 6
    _no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, size, "branch")

    person = page.locator("table.ranking a[href^='/scorecards/people/']").first
    tap(page, person)
    page.wait_for_url("**/scorecards/people/**")
    assert page.locator(".composite-value").is_visible()
