"""Tablet and phone layout: big enough touch targets, no sideways scrolling."""

from typing import Any

import pytest

from tests.browser.conftest import VIEWPORTS, fresh_pages, login, open_nav

pytestmark = pytest.mark.browser

MIN_TARGET = 44  # px: WCAG 2.5.5 and the platform guidelines for touch targets

# Everything one taps in the header and on the login form.
HEADER_TARGETS = ".app-header nav a, .app-header nav button"
LOGIN_TARGETS = "form[action='/login'] :is(a, button, input:not([type=hidden]))"
FOOTER_TARGETS = ".language-switch button"


def _boxes(page: Any, selector: str) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.eval_on_selector_all(
        selector,
        """els => els
            .filter(el => el.offsetParent !== null)
            .map(el => {
                const r = el.getBoundingClientRect();
                return {html: el.outerHTML.slice(0, 100), left: r.left, top: r.top,
                        right: r.right, bottom: r.bottom, height: r.height};
            })""",
    )
    assert boxes, f"nothing visible matches {selector}"
    return boxes


def _small_targets(page: Any, selector: str) -> list[str]:
    """Targets under 44px high, and targets overlapping each other (a tap could hit both)."""
    boxes = _boxes(page, selector)
    problems = [
        f"{b['height']:.0f}px high: {b['html']}" for b in boxes if b["height"] < MIN_TARGET - 0.5
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            width = min(a["right"], b["right"]) - max(a["left"], b["left"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if width > 1 and height > 1:
                problems.append(f"overlap {width:.0f}x{height:.0f}px: {a['html']} / {b['html']}")
    return problems


@pytest.mark.parametrize("role", ["admin", "employee"])
def test_header_touch_targets_are_at_least_44px(page: Any, role: str) -> None:
    login(page, role)
    small = _small_targets(page, HEADER_TARGETS) + _small_targets(page, FOOTER_TARGETS)
    # The "Menu" panel's entries (tablets and phones) too, every section open.
    open_nav(page)
    for summary in page.locator(".app-header details.nav-menu > summary").all():
        if summary.evaluate("el => !el.parentElement.open"):
            summary.click()
    small += _small_targets(page, HEADER_TARGETS)
    assert not small, "\n".join(small)


def test_login_form_touch_targets_are_at_least_44px(page: Any) -> None:
    page.goto("/login")
    small = (
        _small_targets(page, HEADER_TARGETS)
        + _small_targets(page, LOGIN_TARGETS)
        + _small_targets(page, FOOTER_TARGETS)
    )
    assert not small, "\n".join(small)


def _sideways_scroll(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


# (who is signed in, page): the employee's account is in Chinese, so both languages are covered.
NO_SIDEWAYS = [
    (None, "/login"),
    ("admin", "/"),
    ("admin", "/people"),
    ("employee", "/"),
    # A visually hidden heading in a table that scrolls sideways widened the page by 38 px.
    ("supervisor", "/audits/coverage"),
    # The spread of composite indices (its bars at least 8rem) widened the page on a phone.
    ("hr", "/scorecards"),
]


@pytest.mark.parametrize(("role", "url"), NO_SIDEWAYS)
def test_pages_do_not_scroll_sideways(page: Any, role: str | None, url: str) -> None:
    if role:
        login(page, role)
    page.goto(url)
    overflow = _sideways_scroll(page)
    assert overflow <= 1, f"{url} scrolls sideways by {overflow}px"


# (who, where, the size): tables whose short headings were squeezed in Chinese — the quiz
# results to a character a line (作/答/次/数), the quiz list and the acknowledgment report to
# two or three; the employee's scorecard on a phone to one (类/别, 检/查/项/次).
ONE_LINE_HEADINGS = [
    ("hr", "/quizzes/manage", "tablet-portrait"),
    ("hr", "/quizzes/manage/1/results?by=person", "tablet-portrait"),
    ("hr", "/quizzes/manage/1/results?by=team", "tablet-portrait"),
    ("supervisor", "/acknowledgments/report", "tablet-portrait"),
    ("employee", "/scorecards/me", "phone"),
]


def test_table_headings_stay_on_one_line_in_chinese(browser: Any, live_server: str) -> None:
    """Short headings and badges stay whole: a long column wraps, or the table scrolls sideways
    in its own region. Chinese comes from the browser's language, not the language buttons
    (which would save it to the shared demo accounts)."""
    pages: dict[tuple[str, str], Any] = {}
    with fresh_pages(browser, live_server, VIEWPORTS["tablet-portrait"], touch=False) as make:
        for role, url, size in ONE_LINE_HEADINGS:
            if (role, size) not in pages:
                pages[role, size] = make(locale="zh-CN", viewport=VIEWPORTS[size])
                login(pages[role, size], role)
            page = pages[role, size]
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == "zh-CN"
            lines = page.locator(".table-scroll th, .table-scroll .badge").evaluate_all(
                """els => els.filter(el => el.offsetParent !== null).map(el => {
                    const range = document.createRange();
                    range.selectNodeContents(el);
                    const tops = [...range.getClientRects()].map(r => Math.round(r.top));
                    return [el.textContent.trim(), new Set(tops).size];
                })"""
            )
            squeezed = [(text, count) for text, count in lines if count > 1 and len(text) <= 8]
            assert lines and not squeezed, (url, size, squeezed)
