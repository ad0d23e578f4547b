"""Admins in the browser: an irreversible action asks first, the temporary password copies,
and the people and audit-trail pages fit a phone, a tablet and a desktop."""

import re
from typing import Any

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    check_accessibility,
    full_page_screenshot,
    login,
    tap,
)

pytestmark = pytest.mark.browser

# A demo person no other browser test logs in as: their password is reset here.
RESET_LOGIN = "E2002"
SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "desktop": {"width": 1366, "height": 768},
}


def _open_person(page: Any, employee_no: str) -> None:
    page.goto(f"/people?q={employee_no}")
    with page.expect_navigation():
        page.click(f"#people-table a:text-is('{employee_no}')")


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_reset_asks_first_then_the_password_copies(
    page: Any, live_server: str, screenshot: Any
) -> None:
    login(page, "admin")
    _open_person(page, RESET_LOGIN)
    person_url = page.url
    reset = page.locator("form[action$='/password'] button[type=submit]")

    questions: list[str] = []

    def decline(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    tap(page, reset)
    page.wait_for_timeout(300)  # a declined confirm must leave us where we were
    assert page.url == person_url
    assert questions and "temporary password" in questions[0]

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        tap(page, reset)
    code = page.locator("#temp-password-value")
    groups = code.locator("span").all_inner_texts()
    password = "".join(groups)
    assert len(groups) == 3 and re.fullmatch(r"[A-Za-z2-9]{12}", password)
    font_size = code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font_size >= 28

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    tap(page, page.locator("button[data-copy]"))
    page.wait_for_function("document.getElementById('copy-status').textContent.includes('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == password
    screenshot(page, "copied")

    # Without the clipboard API (plain http on an intranet) the password is selected instead.
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    tap(page, page.locator("button[data-copy]"))
    assert page.evaluate("window.getSelection().toString()") == password
    assert "Selected" in page.inner_text("#copy-status")
    check_accessibility(page)


def test_admin_pages_fit_phone_tablet_and_desktop(browser: Any, live_server: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, base_url=live_server, bypass_csp=True, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            login(page, "admin")
            page.goto("/audit-trail")
            assert page.locator(".audit-trail tbody tr").count() > 1
            assert "logged in" in page.inner_text(".audit-trail tbody")
            if size != "phone":
                # The table fits: no sideways scrolling of the table at tablet or desktop.
                overflow = page.evaluate(
                    "(() => { const s = document.querySelector('.audit-trail');"
                    " return s.scrollWidth - s.clientWidth; })()"
                )
                assert overflow <= 1, f"audit trail scrolls sideways by {overflow}px at {size}"
            # The first screenful: the trail of the demo bank is many screens long.
            page.screenshot(path=str(SCREENSHOTS / f"admin-audit-trail-{size}.png"))
            check_accessibility(page)

            page.goto("/org")
            with page.expect_navigation():
                page.locator("table a[href^='/org/teams/']").first.click()
            assert page.locator("#members-heading").count() == 1
            assert page.locator("section a[href^='/people/']").count() >= 1
            full_page_screenshot(page, SCREENSHOTS / f"admin-team-{size}.png")

            _open_person(page, "E2001")
            page.locator(".person-access summary").click()
            assert page.locator("#reason").is_visible()
            full_page_screenshot(page, SCREENSHOTS / f"admin-person-{size}.png")
            check_accessibility(page)
        finally:
            context.close()
