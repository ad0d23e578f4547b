"""Authoring in a real browser: the question bank filtered as you choose (htmx), drafts
generated from a standard's page, a quiz's item analysis with the flagged question, results;
at tablet, phone and desktop sizes, with axe-core on every page."""

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, check_accessibility, login, tap, wait_for_address

pytestmark = pytest.mark.browser


def _open_quiz(page: Any, code: str) -> None:
    page.goto("/quizzes/manage")
    with page.expect_navigation():
        tap(page, page.get_by_role("link", name=code, exact=True))


def test_bank_generation_and_item_analysis(page: Any, screenshot: Any) -> None:
    login(page, "author")
    page.goto("/quizzes/bank")
    check_accessibility(page)
    screenshot(page, "bank")
    with page.expect_response(lambda r: "/quizzes/bank?" in r.url and r.status == 200):
        page.select_option("#type", "true_false")
    page.wait_for_function(
        "() => !document.querySelector('#results').textContent.includes('Q-GRT-01-01')"
    )
    wait_for_address(page, "type=true_false")  # the filter is in the address, to share or reload
    assert page.locator("#results .question-card").count() >= 10

    page.goto("/standards/GRT-01")
    with page.expect_navigation():
        tap(page, page.get_by_role("button", name="Generate quiz questions"))
    assert "already in the bank" in page.locator("[role=status]").first.inner_text()

    _open_quiz(page, "QZ-LNG")
    flagged = page.locator("tr.attention", has_text="Q-DEMO-14")
    assert flagged.count() == 1
    assert "Very few answer it right" in flagged.inner_text()
    check_accessibility(page)
    screenshot(page, "analysis")

    page.goto("/quizzes/bank/new?type=multiple")
    check_accessibility(page)
    screenshot(page, "editor")


def test_results_for_hr(page: Any, screenshot: Any) -> None:
    login(page, "hr")
    _open_quiz(page, "QZ-LNG")
    with page.expect_navigation():
        tap(page, page.locator("a[href$='/results']"))
    assert page.locator("tbody tr").count() >= 5
    with page.expect_navigation():
        tap(page, page.get_by_role("link", name="By team"))
    check_accessibility(page)
    screenshot(page, "by-team")


def test_author_pages_on_a_desktop(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server, bypass_csp=True
    )
    page = context.new_page()
    try:
        login(page, "author")
        SCREENSHOTS.mkdir(exist_ok=True)
        for label, path in (("bank", "/quizzes/bank"), ("builder", "/quizzes/manage/new")):
            page.goto(path)
            check_accessibility(page)
            page.screenshot(
                path=str(SCREENSHOTS / f"quiz-authoring-{label}-desktop.png"), full_page=True
            )
        _open_quiz(page, "QZ-LNG")
        page.screenshot(path=str(SCREENSHOTS / "quiz-authoring-analysis-desktop.png"))
    finally:
        context.close()
