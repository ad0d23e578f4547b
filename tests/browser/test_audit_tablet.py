"""A supervisor fills the demo's 30-item counter checklist on a tablet, by touch, while the
network drops some saves, answers some with 503 and delays others so they arrive out of
order. When the network is back the server holds the last tap of every item, and nothing was
applied twice. Also: the all-pass path in few taps, and a reload resuming unsent taps."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    LOGINS,
    PASSWORD,
    VIEWPORTS,
    check_accessibility,
    fresh_pages,
)

pytestmark = pytest.mark.browser

SAVE_URL = re.compile(r"/audits/\d+/items/\d+$")
TABLETS = ["tablet-portrait", "tablet-landscape"]


@pytest.fixture(params=TABLETS)
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def tablet(browser: Any, viewport: str, live_server: str) -> Iterator[Any]:
    """A touch-screen tablet at this size, under the app's real Content-Security-Policy."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=live_server, locale="en-GB", has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not errors, f"JavaScript errors or CSP violations on the page: {errors}"


def _check_accessibility(page: Any) -> None:
    """axe-core is injected as an inline script, which the app's CSP rightly blocks: check
    the same page, signed in as the same person, in a context that bypasses the CSP."""
    context = page.context.browser.new_context(
        viewport=page.viewport_size,
        base_url=page.url.split("/audits")[0],
        storage_state=page.context.storage_state(),
        bypass_csp=True,
        has_touch=True,
    )
    try:
        other = context.new_page()
        other.goto(page.url)
        check_accessibility(other)
    finally:
        context.close()


def _login_supervisor(page: Any) -> None:
    page.goto("/login")
    page.fill("#employee_no", LOGINS["supervisor"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").tap()


def _start(page: Any, template: str = "CTR-01") -> int:
    page.goto(f"/audits/new?template={template}")
    option = page.locator("#person_id option", has_text="E1001")
    page.select_option("#person_id", value=option.get_attribute("value"))
    with page.expect_navigation():
        page.locator("form.start-form button[type=submit]").tap()
    match = re.search(r"/audits/(\d+)$", page.url)
    assert match, page.url
    page.wait_for_selector("#audit-checklist.is-live")
    return int(match.group(1))


def _items(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "form.audit-item",
        """forms => forms.map(f => ({
            id: f.dataset.item, seq: +f.dataset.seq, outcome: f.dataset.outcome,
            occurrences: +f.dataset.occurrences, perOccurrence: f.dataset.perOccurrence === '1',
            na: !!f.querySelector('button[value=na]')}))""",
    )


def _wait_all_saved(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('#audit-checklist').dataset.pending === '0'",
        timeout=60_000,
    )


class FlakyNetwork:
    """Route handler: drops, fails with 503 or holds back saves, by a fixed pattern."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0
        self.held: list[Any] = []
        self.hold_next = False
        self.offline = False
        self.dropped = self.failed = 0

    def __call__(self, route: Any) -> None:
        self.count += 1
        if self.offline:
            self.dropped += 1
            route.abort("internetdisconnected")
        elif self.hold_next:
            self.hold_next = False
            self.held.append(route)
        elif self.count % 7 == 0:
            self.dropped += 1
            route.abort("connectionreset")
        elif self.count % 7 == 3:
            self.failed += 1
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    def release_held(self) -> None:
        held, self.held = self.held, []
        for route in held:
            route.continue_()


def _settled(page: Any, item_id: str) -> None:
    """Wait until the item's newest request has been answered (saved or failed)."""
    page.wait_for_selector(
        f"#item-{item_id} .item-state:is([data-state=saved], [data-state=failed])"
    )


def _retry_now(page: Any) -> None:
    """Tap "Retry now" if it is still shown (a save getting through may hide it first)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if page.locator("#audit-retry").is_visible():
        try:
            page.locator("#audit-retry").tap(timeout=2000)
        except PlaywrightTimeout:
            assert page.locator("#audit-retry").is_hidden()


def _tap(page: Any, item_id: str, selector: str) -> None:
    page.locator(f"#item-{item_id} {selector}").tap()


def test_every_last_tap_reaches_the_server_through_a_bad_network(
    tablet: Any, live_server: str, screenshot: Any
) -> None:
    page = tablet
    _login_supervisor(page)
    audit_id = _start(page)
    items = _items(page)
    assert len(items) >= 30, f"the demo's CTR-01 has {len(items)} items"
    network = FlakyNetwork(page)
    page.route(SAVE_URL, network)
    expected: dict[str, tuple[str, int]] = {}
    taps: dict[str, int] = {}
    middle = len(items) // 2
    for n, item in enumerate(items):
        item_id = item["id"]
        # A few items in the middle are tapped with no connection at all.
        network.offline = middle <= n < middle + 3
        changed_mind = n % 4 == 1 and not network.offline
        if changed_mind:
            # A change of mind: the first tap is held back and arrives after the second.
            network.hold_next = True
            _tap(page, item_id, "button[value=fail]")
            taps[item_id] = 1
        if item["perOccurrence"]:
            for _ in range(3):
                _tap(page, item_id, "button[name=step][value='1']")
            _tap(page, item_id, "button[name=step][value='-1']")
            taps[item_id] = taps.get(item_id, 0) + 4
            expected[item_id] = ("fail", 2)
        elif item["na"] and n % 2 == 0:
            _tap(page, item_id, "button[value=na]")
            taps[item_id] = taps.get(item_id, 0) + 1
            expected[item_id] = ("na", 0)
        else:
            _tap(page, item_id, "button[value=pass]")
            taps[item_id] = taps.get(item_id, 0) + 1
            expected[item_id] = ("pass", 0)
        if changed_mind:
            _settled(page, item_id)
            network.release_held()
        if n == middle + 2:
            # The lost connection is shown plainly, with what is waiting.
            page.wait_for_selector("#audit-connection:not([hidden])")
            assert "Connection lost" in page.inner_text("#audit-connection")
            assert "not saved yet" in page.inner_text("#audit-pending")
            screenshot(page, "connection-lost")
    assert network.dropped and network.failed and network.count > len(items)
    # The network comes back: what failed is retried (at once, with "Retry now").
    page.unroute(SAVE_URL)
    _retry_now(page)
    _wait_all_saved(page)
    assert page.locator("#audit-connection").is_hidden()
    screenshot(page, "all-saved")
    _check_accessibility(page)
    # A fresh load shows what the server holds: the last tap of every item, each once.
    page.reload()
    page.wait_for_selector("#audit-checklist.is-live")
    stored = {item["id"]: item for item in _items(page)}
    for item_id, (outcome, occurrences) in expected.items():
        assert (stored[item_id]["outcome"], stored[item_id]["occurrences"]) == (
            outcome,
            occurrences,
        ), item_id
        # One sequence number per tap: the last one applied, none lost or added.
        assert stored[item_id]["seq"] == taps[item_id], item_id
    with page.expect_navigation():
        page.locator("#audit-submit-button").tap()
    assert page.url.split("?")[0].endswith(f"/audits/{audit_id}")
    assert page.locator(".audit-result").is_visible()
    screenshot(page, "submitted")


def test_a_practised_supervisor_passes_thirty_items_in_a_few_taps(tablet: Any) -> None:
    page = tablet
    _login_supervisor(page)
    _start(page)
    taps = 0
    for button in page.locator("[data-all-pass]").all():
        button.tap()
        taps += 1
    _wait_all_saved(page)
    items = _items(page)
    assert all(item["outcome"] == "pass" for item in items)
    with page.expect_navigation():
        page.locator("#audit-submit-button").tap()
    taps += 1
    assert len(items) >= 30 and taps <= 35, (len(items), taps)
    assert "100.0" in page.locator(".audit-result").inner_text()


def test_taps_made_offline_survive_a_reload(tablet: Any, screenshot: Any) -> None:
    page = tablet
    _login_supervisor(page)
    audit_id = _start(page)
    first, second = _items(page)[:2]
    page.route(SAVE_URL, lambda route: route.abort("internetdisconnected"))
    _tap(page, first["id"], "button[value=pass]")
    _tap(page, second["id"], "button[value=fail]")
    page.locator(f"#item-{second['id']} input[name=note]").fill("未双手递接")
    page.locator(f"#item-{second['id']} input[name=note]").blur()
    page.wait_for_selector(f"#item-{first['id']} .item-state[data-state=failed]")
    screenshot(page, "offline")
    page.reload()  # still offline: the taps come back from the tablet's storage
    page.wait_for_selector("#audit-checklist.is-live")
    assert page.get_attribute(f"#item-{first['id']}", "data-outcome") == "pass"
    assert page.input_value(f"#item-{second['id']} input[name=note]") == "未双手递接"
    page.unroute(SAVE_URL)
    _retry_now(page)
    _wait_all_saved(page)
    page.goto(f"/audits/{audit_id}")  # another look from the server's side
    assert page.get_attribute(f"#item-{second['id']}", "data-outcome") == "fail"
    assert page.input_value(f"#item-{second['id']} input[name=note]") == "未双手递接"


__all__ = ["CHROMIUM"]


def test_the_audit_list_fits_a_tablet_with_each_state_on_one_line(
    tablet: Any, live_server: str
) -> None:
    # At 768 px in Chinese the state column was squeezed to a character a line; below a
    # landscape tablet the method goes under the checklist's title instead. Chinese comes from
    # the browser's language: the language buttons would save it to the shared supervisor.
    browser = tablet.context.browser
    with fresh_pages(browser, live_server, tablet.viewport_size, touch=True) as make:
        for page, language in ((tablet, "en"), (make(locale="zh-CN"), "zh-CN")):
            _login_supervisor(page)
            page.goto("/audits?shelf=submitted")
            assert page.locator("html").get_attribute("lang") == language
            scroller = page.locator(".table-scroll")
            assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), language
            shapes = page.locator("table.audit-list td:last-child .badge").evaluate_all(
                "els => els.map(el => [el.offsetHeight, parseFloat(getComputedStyle(el).fontSize)])"
            )
            assert shapes and all(height < 3 * size for height, size in shapes), (language, shapes)
