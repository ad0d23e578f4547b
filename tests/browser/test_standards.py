"""The standards library in a real browser at tablet and phone sizes: browse, search as you
type (htmx), read, acknowledge with one tap, compare versions; axe-core on every page."""

from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, check_accessibility, login, tap, wait_for_address

pytestmark = pytest.mark.browser

# One teller per viewport, so acknowledging in one run leaves the others' lists untouched.
TELLER_BY_VIEWPORT = {"tablet-portrait": "E1002", "tablet-landscape": "E1003", "phone": "E1004"}


def _codes(page: Any) -> set[str]:
    return set(page.locator("#results .standard-card .code").all_inner_texts())


def _login_as(page: Any, employee_no: str) -> None:
    page.goto("/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert page.locator("form[action='/logout']").count() == 1


def test_browse_and_search_as_you_type(page: Any, screenshot: Any) -> None:
    login(page, "employee")
    page.goto("/standards")
    assert {"GRT-01", "IDV-01"} <= _codes(page)
    check_accessibility(page)
    screenshot(page, "library")
    url_before = page.url
    with page.expect_response(lambda r: "/standards?" in r.url and r.status == 200):
        page.fill("#q", "联网核查")
    page.wait_for_function(
        "() => !document.querySelector('#results').textContent.includes('GRT-01')"
    )
    # Online ID verification is named in the identity scripts, the AML rule, account opening
    # and service to foreign visitors, nowhere else.
    assert _codes(page) == {"IDV-01", "IDV-02", "CPL-01", "OPN-01", "FRN-01"}
    wait_for_address(page, "q=")  # the search is in the address bar
    assert page.url != url_before
    assert page.locator("html").count() == 1  # a fragment swap, not a new page
    page.fill("#q", "")
    with page.expect_response(lambda r: "channel=phone" in r.url):
        page.select_option("#channel", "phone")
    # The response can arrive before htmx swaps it in; the address changes after the swap.
    wait_for_address(page, "channel=phone")
    assert "GRT-01" not in _codes(page)
    assert {c[:3] for c in _codes(page)} >= {"PHN"}
    screenshot(page, "filtered")


def test_read_and_acknowledge_with_one_tap(page: Any, viewport: str, screenshot: Any) -> None:
    _login_as(page, TELLER_BY_VIEWPORT[viewport])
    page.goto("/acknowledgments")
    before = page.locator(".standard-card").count()
    assert before > 0
    # Version 2 of the counterfeit-note rule is new in the demo bank: nobody has read it yet.
    tap(page, page.locator(".standard-card a", has_text="TXN-02"))
    page.wait_for_url("**/standards/TXN-02/v/2")
    check_accessibility(page)
    screenshot(page, "standard")
    button = page.locator("#acknowledge button[type=submit]")  # this teller reads in Chinese
    box = button.bounding_box()
    assert box and box["height"] >= 44
    with page.expect_response(lambda r: r.url.endswith("/acknowledge") and r.status == 200):
        tap(page, button)
    page.wait_for_selector("#acknowledge .notice[role=status]")
    assert "您已于" in page.inner_text("#acknowledge") or "acknowledged" in page.inner_text(
        "#acknowledge"
    )
    assert page.locator("#acknowledge button").count() == 0
    page.reload()  # it was saved, not just shown
    assert page.locator("#acknowledge .notice[role=status]").count() == 1
    assert page.locator("#acknowledge button").count() == 0
    page.goto("/acknowledgments")
    assert page.locator(".standard-card").count() == before - 1


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_author_pages_compare_and_print(page: Any, screenshot: Any) -> None:
    login(page, "author")
    for path in (
        "/standards/GRT-01/diff",
        "/standards/SPC-01/v/2",
        "/standards/SPC-01/v/2/edit",
        "/standards/new?kind=rule",
        "/standards/import",
        "/standards?status=drafts",
        "/standards/TXN-04/v/1",
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        check_accessibility(page)
    page.goto("/standards/GRT-01/diff")
    assert page.locator("table.diff ins").count() > 0
    screenshot(page, "diff")
    page.goto("/standards/GRT-01/v/2/print")
    assert page.locator("header.app-header").count() == 0
    screenshot(page, "print")


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_supervisor_sees_coverage_for_their_teams(page: Any, screenshot: Any) -> None:
    login(page, "supervisor")
    page.goto("/acknowledgments/report")
    check_accessibility(page)
    rows = page.locator("tbody tr")
    assert rows.count() > 5
    tap(page, page.locator("tbody tr a", has_text="GRT-01"))
    page.wait_for_url("**/acknowledgments/report/*")
    check_accessibility(page)
    screenshot(page, "coverage")
