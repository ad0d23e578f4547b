"""Acknowledging in a real browser at phone, tablet and desktop size: open a standard, scroll
to its end (the attestation notes when it came into view), confirm, see what is next and the
count in the navigation drop."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    PASSWORD,
    SCREENSHOTS,
    check_accessibility,
    full_page_screenshot,
    tap,
)

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "desktop": {"width": 1366, "height": 768},
}
# One person per size, none used by other browser tests, so each run starts from the demo's state.
READER_BY_SIZE = {"phone": "E2003", "tablet": "E2005", "desktop": "E1008"}


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sized_page(browser: Any, live_server: str, size: str) -> Iterator[Any]:
    # bypass_csp only so axe-core can be injected; the app's own script is served from /static.
    context = browser.new_context(
        viewport=SIZES[size],
        base_url=live_server,
        bypass_csp=True,
        locale="en-GB",
        has_touch=size == "phone",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _shot(page: Any, label: str, size: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"acknowledging-{label}-{size}.png")


def _badge(page: Any) -> int:
    """The count as the header shows it: beside "To acknowledge", or on the Menu button where
    the header is folded (tablets and phones), whose panel hides the link."""
    for selector in ("#nav-outstanding", ".app-header .nav-toggle .nav-count"):
        badge = page.locator(selector)
        if badge.count() and badge.is_visible():
            return int(badge.inner_text())
    return 0


def test_scroll_to_the_end_acknowledge_and_go_on(sized_page: Any, size: str) -> None:
    page = sized_page
    page.goto("/login")
    page.fill("#employee_no", READER_BY_SIZE[size])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    page.goto("/acknowledgments")
    cards = page.locator(".standard-card")
    before = cards.count()
    assert before >= 1 and _badge(page) == before
    _shot(page, "list", size)
    tap(page, cards.first.locator("a"))
    page.wait_for_url(re.compile(r"/standards/[A-Z]+-\d+/v/\d+$"))

    # The attestation is at the end: not in view on opening, and not yet "reached".
    button = page.locator("#acknowledge button[type=submit]")
    reached = page.locator("#acknowledge input[name=reached_after_ms]")
    assert not button.is_visible() or button.bounding_box()["y"] > SIZES[size]["height"]
    assert reached.input_value() == ""
    _shot(page, "standard", size)
    button.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('#acknowledge input[name=reached_after_ms]').value !== ''"
    )
    assert int(reached.input_value()) > 0
    box = button.bounding_box()
    assert box and box["height"] >= 44
    check_accessibility(page)
    with page.expect_response(lambda r: r.url.endswith("/acknowledge") and r.status == 200):
        tap(page, button)
    page.wait_for_selector("#acknowledge .notice[role=status]")
    assert _badge(page) == before - 1
    if before > 1:
        next_link = page.locator("#acknowledge a.ack-next")
        assert next_link.inner_text().startswith(("Next:", "下一项"))
        assert page.locator("#acknowledge progress").count() == 1
        _shot(page, "acknowledged", size)
        href = next_link.get_attribute("href")
        with page.expect_navigation():
            tap(page, next_link)
        assert page.url.endswith(href)
        assert page.locator("#acknowledge button[type=submit]").count() == 1
    else:
        assert page.locator("#acknowledge a.ack-next").count() == 0
        _shot(page, "acknowledged", size)
    page.goto("/acknowledgments")
    assert page.locator(".standard-card").count() == before - 1
    assert _badge(page) == before - 1


def test_read_in_the_other_language_and_print_it(sized_page: Any, size: str) -> None:
    page = sized_page
    page.goto("/login")
    page.fill("#employee_no", READER_BY_SIZE[size])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    page.goto("/standards/GRT-01")
    first_title = page.inner_text("h1")
    switch = page.locator("a.reading-switch")
    other = (switch.get_attribute("href") or "").removeprefix("?lang=")
    assert other in ("zh", "en")
    with page.expect_navigation():
        tap(page, switch)
    assert page.url.endswith(f"?lang={other}")
    other_title = page.inner_text("h1")
    assert other_title != first_title
    has_chinese = re.search(r"[\u4e00-\u9fff]", other_title) is not None
    assert has_chinese == (other == "zh")
    _shot(page, f"read-{other}", size)
    with page.expect_navigation():
        page.click(f"a[href*='/print?lang={other}']")
    assert page.inner_text("h1") == other_title
