"""HR and a supervisor follow training in a real browser at phone, tablet and desktop size:
the figures per module and team, the overdue people behind a figure, a reminder to them all,
and the reminded employee's home page; the refresher E1001 has after TXN-02's correction."""

from typing import Any

import pytest

from tests.browser.conftest import (
    PASSWORD,
    SCREENSHOTS,
    check_accessibility,
    full_page_screenshot,
    login,
    no_sideways_scroll,
    tap,
)

pytestmark = pytest.mark.browser


@pytest.fixture(params=["phone", "tablet-portrait", "tablet-landscape", "desktop"])
def size(request: pytest.FixtureRequest) -> str:
    """The viewport's name, for conftest's new_page."""
    return str(request.param)


def _shot(page: Any, size: str, label: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"training-status-{label}-{size}.png")


def test_hr_finds_the_overdue_and_reminds_them(new_page: Any, size: str) -> None:
    page = new_page()
    login(page, "hr")
    page.goto("/training/dashboard")
    rows = page.locator("table.training-figures tbody tr")
    assert rows.count() >= 6  # the demo's modules and its exam
    assert "TRN-CTR-01" in page.locator("table.training-figures").inner_text()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, size, "modules")

    page.select_option("#group", "team")
    with page.expect_navigation():
        tap(page, page.locator(".dashboard-filters button[type=submit]"))
    assert "group=team" in page.url
    assert "Counter team 1" in page.locator("table.training-figures").inner_text()
    no_sideways_scroll(page)
    _shot(page, size, "teams")

    overdue = page.locator("table.training-figures tfoot a").first
    tap(page, overdue)
    page.wait_for_url("**/training/dashboard/people*")
    page.select_option("#status", "overdue")
    with page.expect_navigation():
        tap(page, page.locator(".dashboard-filters button[type=submit]"))
    people = page.locator("table.people-status tbody tr")
    assert people.count() >= 3 and "Overdue" in page.locator("table.people-status").inner_text()
    no_sideways_scroll(page)
    check_accessibility(page)
    with page.expect_navigation():
        tap(page, page.get_by_role("button", name="Remind everyone with training outstanding"))
    assert page.locator(".notice").first.is_visible()  # "n reminders sent; m … last day"
    _shot(page, size, "overdue-reminded")

    employee = new_page()  # E1004 (刘洋) is overdue on the counter module
    employee.goto("/login")
    employee.fill("#employee_no", "E1004")
    employee.fill("#password", PASSWORD)
    with employee.expect_navigation():
        employee.click("form[action='/login'] button[type=submit]")
    home = employee.locator("main").inner_text()
    assert "TRN-CTR-01" in home and "王芳" in home  # E1004 reads Chinese; HR 王芳 reminded
    no_sideways_scroll(employee)
    check_accessibility(employee)
    _shot(employee, size, "employee-home")


def test_a_refresher_after_a_standard_changed(new_page: Any, size: str) -> None:
    page = new_page()
    login(page, "employee")  # E1001 finished the counter module before TXN-02's correction
    link = page.locator("a[href^='/training/refreshers/']").first
    assert link.is_visible()
    tap(page, link)
    page.wait_for_url("**/training/refreshers/*")
    assert "TXN-02" in page.locator("h1").inner_text()
    assert page.locator("a[href*='/standards/TXN-02/diff']").is_visible()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, size, "refresher")
    hr = new_page()
    login(hr, "hr")
    hr.goto("/training/refreshers")
    assert "TXN-02" in hr.locator("table").inner_text()
    no_sideways_scroll(hr)
    check_accessibility(hr)
    _shot(hr, size, "changes")
