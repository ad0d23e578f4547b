"""A timed quiz in a real browser: started on one device, resumed on the other after a reload,
with the countdown running and answers saved as they go; then submitted and graded."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, SCREENSHOTS, full_page_screenshot, tap

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 768, "height": 1024}}
# (first device, second device, demo teller): tellers no other browser test takes quizzes as.
RUNS = [("phone", "tablet", "E1003"), ("tablet", "phone", "E1004")]


@pytest.fixture
def devices(browser: Any, live_server: str) -> Iterator[dict[str, Any]]:
    contexts = {
        name: browser.new_context(
            viewport=size, base_url=live_server, locale="en-GB", has_touch=name == "phone"
        )
        for name, size in SIZES.items()
    }
    pages = {}
    errors: list[str] = []
    for name, context in contexts.items():
        context.set_default_timeout(10_000)
        pages[name] = context.new_page()
        pages[name].on("pageerror", lambda exc: errors.append(str(exc)))
        pages[name].on("dialog", lambda dialog: dialog.accept())
    yield pages
    for context in contexts.values():
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _login(page: Any, employee_no: str) -> None:
    page.goto("/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


def _shot(page: Any, label: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"quiz-{label}.png")


def _open_timed_quiz(page: Any) -> None:
    """From the Practice list: start the timed quiz, or resume it."""
    page.goto("/quizzes/practice")
    card = page.locator(".practice-list li.timed").first
    button = card.locator("a[role=button], button[type=submit]").first
    with page.expect_navigation():
        tap(page, button)
    page.wait_for_load_state("networkidle")
    assert "/quizzes/attempts/" in page.url


def _answer(page: Any) -> None:
    """Answer the question on screen, whatever its type (the draws are random)."""
    question = page.locator(".quiz-question")
    if question.locator(".quiz-options label input").count():
        tap(page, question.locator(".quiz-options label").first)
    elif question.locator("select").count():
        selects = question.locator("select")
        for n in range(selects.count()):
            selects.nth(n).select_option(str(n + 1))
    else:
        question.locator("textarea").fill("您好！请问您办理什么业务？")
        question.locator("textarea").dispatch_event("change")


@pytest.mark.parametrize(("first", "second", "teller"), RUNS)
def test_a_timed_quiz_resumed_on_the_other_device(
    devices: dict[str, Any], first: str, second: str, teller: str
) -> None:
    one, other = devices[first], devices[second]
    _login(one, teller)
    _open_timed_quiz(one)
    timer = one.locator(".countdown-value")
    shown = timer.inner_text()
    expect(timer).not_to_have_text(shown)  # the countdown runs
    attempt_url = one.url.split("?")[0]
    one.goto(attempt_url + "?q=1")
    _answer(one)
    expect(one.locator("#saved-1")).not_to_be_empty()  # saved by htmx, no page load
    expect(one.locator("#step-1")).to_have_class("answered")  # and the page knows it
    total = one.locator(".question-steps a").count()
    # "还有 N 道题未作答。": the teller reads Chinese
    expect(one.locator("#open-questions")).to_contain_text(re.compile(rf"\b{total - 1}\b"))
    _shot(one, f"question-{first}")

    _login(other, teller)
    _open_timed_quiz(other)
    assert other.url.split("?")[0] == attempt_url  # the same attempt
    other.goto(attempt_url + "?q=1")
    other.reload()
    expect(other.locator("#saved-1")).not_to_be_empty()  # the answer came along
    assert other.locator(".countdown-value").is_visible()
    with other.expect_navigation():
        tap(other, other.locator("button[name=go][value=next]"))
    assert other.url.endswith("?q=2")
    tap(
        other,
        other.locator(".quiz-options label, .quiz-options select, .quiz-question textarea").first,
    )
    _shot(other, f"resumed-{second}")
    with other.expect_navigation():
        tap(other, other.locator("#submit-form button[type=submit]"))
    assert other.locator(".result-summary .score").is_visible()
    _shot(other, f"result-{second}")

    one.reload()
    assert one.locator(".result-summary").is_visible()  # graded once, seen on both
