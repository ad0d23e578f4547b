"""The roster import as HR uses it on a phone, a tablet and a desktop: the reference lists,
a preview with a warning, a refused file, and an applied one."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    check_accessibility,
    login,
)

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "desktop": {"width": 1366, "height": 768},
}
HEADER = "工号,姓名,角色,岗位,网点代码,团队,在职\n"


@pytest.fixture(params=list(SIZES))
def roster_page(request: pytest.FixtureRequest, browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport=SIZES[request.param],
        base_url=live_server,
        bypass_csp=True,
        locale="en-GB",
        has_touch=request.param == "phone",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def _shot(page: Any, label: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"roster-import-{label}-{page.size_name}.png"), full_page=True
    )


def _upload(page: Any, text: str) -> None:
    page.goto("/people-import")
    page.set_input_files(
        "#file", files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    with page.expect_navigation():
        page.click("form[action='/people-import'] button[type=submit]")


def _no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def test_hr_previews_fixes_and_applies_a_roster(roster_page: Any) -> None:
    page = roster_page
    login(page, "hr")
    page.goto("/people-import")
    page.click("summary:has-text('Branch codes and teams')")
    assert page.locator("td:has-text('BJ-CY01')").count() == 1
    _no_sideways_scroll(page)
    _shot(page, "page")

    suffix = page.size_name[0].upper()
    preview = HEADER + f"E1001,新名字,,,,,\nZ{suffix}001,新员工,员工,大堂经理,BJ-CY01,柜面一组,是\n"
    _upload(page, preview)
    assert "What this file would do" in page.content()
    assert page.locator(".notice-warn li:has-text('looks like the existing team')").count() == 1
    assert page.locator("button:has-text('Apply this import')").is_visible()
    _no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, "preview")

    _upload(page, HEADER + "Z9,没角色,wizard,astronaut,,一组,maybe\n")
    errors = page.locator(".notice-error li")
    assert errors.count() == 4
    assert page.locator("button:has-text('Apply this import')").count() == 0
    _no_sideways_scroll(page)
    _shot(page, "errors")

    _upload(page, HEADER + f"Z{suffix}002,新同事,员工,柜员,,,是\n")
    with page.expect_navigation():
        page.click("button:has-text('Apply this import')")
    assert "1 created, 0 updated, 0 unchanged" in page.content()
    assert "temporary password" in page.content()
    _shot(page, "applied")
