"""What people do with their fingers: switch language, filter the staff list, log out."""

from typing import Any

import pytest

from tests.browser.conftest import (
    PASSWORD,
    check_accessibility,
    login,
    open_nav,
    tap,
    wait_for_address,
)

pytestmark = pytest.mark.browser

# Used only by the language test, whose choice is saved to the account (and undone after).
LANGUAGE_LOGIN = "Q0002"


def _language_button(page: Any, name: str) -> Any:
    return page.locator(f".language-switch button[name='locale']:text-is('{name}')")


def _choose_language(page: Any, name: str) -> None:
    with page.expect_navigation():
        tap(page, _language_button(page, name))


def _assert_language(page: Any, lang: str) -> None:
    assert page.get_attribute("html", "lang") == lang
    chinese, english = _language_button(page, "中文"), _language_button(page, "English")
    assert chinese.get_attribute("aria-pressed") == ("true" if lang == "zh-CN" else "false")
    assert english.get_attribute("aria-pressed") == ("true" if lang == "en" else "false")


def test_language_switch_before_login(page: Any, screenshot: Any) -> None:
    page.goto("/login")
    _assert_language(page, "en")
    _choose_language(page, "中文")
    assert page.url.endswith("/login")
    _assert_language(page, "zh-CN")
    screenshot(page, "zh")
    check_accessibility(page)
    # The choice sticks (a cookie) on the next page too.
    page.goto("/no-such-page")
    _assert_language(page, "zh-CN")
    page.goto("/login")
    _choose_language(page, "English")
    _assert_language(page, "en")
    screenshot(page, "en")


def _login_as(page: Any, employee_no: str) -> None:
    page.goto("/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert page.locator("form[action='/logout']").count() == 1


def test_language_switch_when_signed_in_is_saved(
    browser: Any, live_server: str, page: Any, screenshot: Any
) -> None:
    _login_as(page, LANGUAGE_LOGIN)
    try:
        if page.get_attribute("html", "lang") != "en":  # left over from an interrupted run
            _choose_language(page, "English")
        _assert_language(page, "en")
        open_nav(page)  # tablets and phones: the links sit in the "Menu" panel
        home_link = page.locator(".nav-links a[href='/']")
        assert home_link.inner_text().strip() == "Home"

        page.goto("/account")
        _choose_language(page, "中文")
        assert page.url.endswith("/account")  # back on the same page
        _assert_language(page, "zh-CN")
        screenshot(page, "account-zh")
        check_accessibility(page)

        # Saved to the account: a new browser (no language cookie) also gets Chinese.
        other = browser.new_context(viewport=page.viewport_size, base_url=live_server)
        try:
            other_page = other.new_page()
            _login_as(other_page, LANGUAGE_LOGIN)
            _assert_language(other_page, "zh-CN")
        finally:
            other.close()

        _choose_language(page, "English")
        _assert_language(page, "en")
        open_nav(page)
        assert home_link.inner_text().strip() == "Home"
    finally:
        # Leave the demo account in English for the other tests.
        if page.get_attribute("html", "lang") != "en":
            _choose_language(page, "English")


def _people_rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#people-table tbody tr td:first-child a", "links => links.map(a => a.textContent.trim())"
    )


def _wait_for_table(page: Any, condition: str, htmx_calls: list[str]) -> None:
    """Wait until the JS condition on #people-table's text holds; say what htmx got if not."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"() => {{ const text = document.querySelector('#people-table').textContent;"
            f" return {condition}; }}"
        )
    except PlaywrightTimeout:
        pytest.fail(
            f"#people-table never satisfied `{condition}`; htmx requests: {htmx_calls}",
            pytrace=False,
        )


def test_people_filter_updates_the_table_without_reloading(csp_page: Any, screenshot: Any) -> None:
    """Runs under the app's real Content-Security-Policy, so htmx must work with it."""
    page = csp_page
    login(page, "admin")
    page.goto("/people")
    before = _people_rows(page)
    assert "E1001" in before and "E2004" in before
    htmx_calls: list[str] = []
    page.on(
        "response",
        lambda r: (
            htmx_calls.append(f"{r.request.method} {r.url} -> {r.status}")
            if r.request.headers.get("hx-request") == "true"
            else None
        ),
    )
    # A marker that a full page load would wipe out.
    page.evaluate("window.__stillTheSamePage = true")

    search = page.locator("#q")
    search.click()
    search.press_sequentially("E2004", delay=30)
    _wait_for_table(page, "!text.includes('E1001')", htmx_calls)
    assert _people_rows(page) == ["E2004"]
    assert page.evaluate("window.__stillTheSamePage === true"), "the whole page was reloaded"
    wait_for_address(page, "q=E2004")  # hx-push-url keeps the filter in the address
    screenshot(page, "filtered")

    search.fill("")
    _wait_for_table(page, "text.includes('E1001')", htmx_calls)
    assert _people_rows(page) == before
    assert page.evaluate("window.__stillTheSamePage === true")

    # The role select filters too, on change.
    page.select_option("#role", "supervisor")
    _wait_for_table(page, "!text.includes('E1001')", htmx_calls)
    rows = _people_rows(page)
    assert rows and all(no.startswith("S") for no in rows), rows
    assert page.evaluate("window.__stillTheSamePage === true")
    assert not page.csp_violations, page.csp_violations


def test_logout_is_one_tap_and_lands_on_the_login_page(page: Any) -> None:
    login(page, "supervisor")
    with page.expect_navigation():
        tap(page, page.locator(".nav-user form[action='/logout'] button"))
    assert page.url.endswith("/login")
    assert page.locator("#employee_no").is_visible()
    assert page.locator("form[action='/logout']").count() == 0
    # The session really ended: a signed-in page now asks for a login.
    page.goto("/people")
    assert "/login" in page.url
