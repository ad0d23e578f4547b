"""The standards import in a browser at phone, tablet and desktop size: the preview leads with
what changes, errors are short and readable, and after applying each new draft is a link."""

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, check_accessibility, full_page_screenshot, login

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "desktop": {"width": 1366, "height": 768},
}
# A draft-only standard no other test knows: applying it changes nothing they look at.
NEW_DRAFT = """  - code: IMP-90
    kind: script
    versions:
      - version: 1
        status: draft
        effective_date: null
        change_note: null
        category: greeting
        channels: [counter]
        positions: [teller]
        severity: minor
        title_zh: 导入测试迎客
        title_en: Imported greeting
"""


def _upload(page: Any, path: Path) -> None:
    page.goto("/standards/import")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("form[action='/standards/import'] button[type=submit]")


def test_import_preview_errors_and_links_at_three_sizes(
    browser: Any, live_server: str, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, base_url=live_server, bypass_csp=True, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            login(page, "author")
            library = page.request.get("/standards/export.yaml").text()
            changed = tmp_path / f"changed-{size}.yaml"
            changed.write_text(
                library.replace("title_zh: ", "title_zh: 修订 ", 1) + NEW_DRAFT, encoding="utf-8"
            )
            _upload(page, changed)
            rows = page.locator("article table tbody tr")
            assert rows.count() == 2  # one new draft, one new standard; the rest counted
            assert page.locator("details.import-rest summary").count() == 1
            if size != "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 1, f"the page scrolls sideways by {overflow}px at {size}"
            check_accessibility(page)
            full_page_screenshot(page, SCREENSHOTS / f"import-preview-{size}.png")

            bad = tmp_path / f"bad-{size}.yaml"
            bad.write_text(
                "format: frontline-standards/1\nstandards:\n"
                + NEW_DRAFT.replace("severity: minor", "severity: " + "x" * 500),
                encoding="utf-8",
            )
            _upload(page, bad)
            errors = page.locator(".row-errors li")
            assert errors.count() == 1
            assert len(errors.inner_text()) < 200
            full_page_screenshot(page, SCREENSHOTS / f"import-errors-{size}.png")

            if size == "desktop":
                only_new = tmp_path / "new.yaml"
                only_new.write_text(
                    "format: frontline-standards/1\nstandards:\n" + NEW_DRAFT, encoding="utf-8"
                )
                _upload(page, only_new)
                with page.expect_navigation():
                    page.click("form[action='/standards/import/apply'] button[type=submit]")
                link = page.locator(".import-links a[href='/standards/IMP-90/v/1']")
                assert link.count() == 1
                page.screenshot(
                    path=str(SCREENSHOTS / f"import-applied-{size}.png"), full_page=True
                )
                check_accessibility(page)
                with page.expect_navigation():
                    link.click()
                assert page.locator("a[href='/standards/IMP-90/export.yaml']").count() == 1
        finally:
            context.close()
