"""A supervisor in a real browser at phone, tablet and desktop size: coverage worst first,
one person's page, a reminder with one tap, and the reminder on the employee's home page."""

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


@pytest.fixture(params=["phone", "tablet-portrait", "desktop"])
def size(request: pytest.FixtureRequest) -> str:
    """The viewport's name, for conftest's new_page."""
    return str(request.param)


def _shot(page: Any, size: str, label: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"supervision-{label}-{size}.png")


def _tables_fit(page: Any) -> None:
    """From tablet width up, every table fits its box: nothing hidden off to the side."""
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('.table-scroll')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
    )
    assert clipped == 0, f"{clipped} table(s) on {page.url} need sideways scrolling"


# A standard of the report per size, so the sizes do not use up each other's reminders (the
# demo bank is shared by every browser test); the report's first one is the next test's.
STANDARD_ROW = {"phone": 1, "tablet-portrait": 2, "desktop": 3}


def test_a_row_of_a_standards_detail_reminds_its_person(new_page: Any, size: str) -> None:
    """The rows are kept rendered without the viewer's token: their buttons submit the page's
    one form, each to its own person's address."""
    page = new_page()
    login(page, "supervisor")
    page.goto("/acknowledgments/report")
    tap(page, page.locator("table.coverage tbody tr a").nth(STANDARD_ROW[size]))
    page.wait_for_url("**/acknowledgments/report/*")
    reminded = page.locator("table.people-status .badge", has_text="Reminded today")
    before = reminded.count()
    button = page.locator("table.people-status button", has_text="Remind").first
    person = button.locator("xpath=ancestor::tr//td/a").first.inner_text()
    with page.expect_navigation():
        tap(page, button)
    assert page.get_by_text("Reminder sent to 1 person.").is_visible()
    assert reminded.count() == before + 1
    row = page.locator("table.people-status tbody tr", has_text=person)
    assert row.locator(".badge", has_text="Reminded today").count() == 1
    check_accessibility(page)


def test_supervisor_reminds_a_team_member_who_sees_it_at_home(new_page: Any, size: str) -> None:
    page = new_page()
    login(page, "supervisor")
    page.goto("/acknowledgments/report")
    assert page.get_by_text(" done").count() > 0
    no_sideways_scroll(page)
    if size != "phone":
        _tables_fit(page)
    check_accessibility(page)
    _shot(page, size, "report")

    tap(page, page.locator("table.coverage tbody tr a").first)
    page.wait_for_url("**/acknowledgments/report/*")
    no_sideways_scroll(page)
    if size != "phone":
        _tables_fit(page)
    check_accessibility(page)
    _shot(page, size, "detail")

    # The first person who can still be reminded about this standard (earlier runs at other
    # sizes reminded someone already), then their own page.
    row = page.locator("table.people-status tbody tr", has=page.locator("button")).first
    tap(page, row.locator("td a").first)
    page.wait_for_url("**/people/*/overview")
    employee_no = page.locator("h1 small").inner_text().strip()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, size, "person")

    with page.expect_navigation():
        tap(page, page.locator("table.people-status button", has_text="Remind").first)
    assert page.get_by_text("Reminder sent to 1 person.").is_visible()
    assert page.locator("table.people-status .badge", has_text="Reminded today").count() >= 1
    _shot(page, size, "person-reminded")

    employee = new_page()
    employee.goto("/login")
    employee.fill("#employee_no", employee_no)
    employee.fill("#password", PASSWORD)
    with employee.expect_navigation():
        employee.click("form[action='/login'] button[type=submit]")
    panel = employee.locator("article.reminders")
    assert panel.is_visible()
    assert "刘建国" in panel.inner_text()  # the demo supervisor S1001
    no_sideways_scroll(employee)
    check_accessibility(employee)
    _shot(employee, size, "employee-home")
