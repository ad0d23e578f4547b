"""The demo bank's stories, read off the pages where a user would look for them: an improving
and a declining teller (trend), a veto breach, overdue training and disputed audits (the
scorecard, the supervisor's rollup, HR's export). A change that hides a story fails here."""

import csv
import io
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest

from frontline.app import create_app
from frontline.domains import installed
from frontline.settings import Settings
from tests.client import FrontlineClient
from tests.databases import PG_URL
from training.enrollment import bank_today

DEMO_PASSWORD = "Frontline2026"
TREND_ROW = re.compile(
    r'<tr><th scope="row">(\d{4}-\d{2})</th><td class="num">([^<]*)(?:<[^>]*>[^<]*</span>)?'
    r'</td><td class="num">([^<]*)(?:<span[^>]*>[^<]*</span>)?</td></tr>'
)


@pytest.fixture(scope="module")
def demo_app(migrated_template, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One demo bank for the module, loaded as `frontline demo` loads it (a few seconds)."""
    if PG_URL:
        pytest.skip("built once on SQLite; the demo itself is backend-neutral")
    path = tmp_path_factory.mktemp("scorecards-demo") / "demo.db"
    shutil.copy(migrated_template, path)
    app = create_app(Settings(database_url=f"sqlite:///{path}", secret_key="test-secret-key"))
    with app.state.database.session() as session:
        for domain in installed():
            if domain.demo is not None:
                domain.demo(session)
    yield app
    app.state.database.dispose()


@pytest.fixture(scope="module")
def six_months() -> dict[str, str]:
    """The demo's audit history: the last six months, whatever today is."""
    today = bank_today()
    return {"start": (today - timedelta(days=182)).isoformat(), "end": today.isoformat()}


@contextmanager
def _signed_in(app, employee_no: str) -> Iterator[FrontlineClient]:  # type: ignore[no-untyped-def]
    with FrontlineClient(app) as c:
        c.login(employee_no, DEMO_PASSWORD)
        c.submit("/language", {"locale": "en", "next": "/"}, token_page="/")
        yield c


@pytest.fixture
def hr(demo_app):  # type: ignore[no-untyped-def]
    with _signed_in(demo_app, "H0001") as c:
        yield c


@pytest.fixture
def supervisor(demo_app):  # type: ignore[no-untyped-def]
    with _signed_in(demo_app, "S1001") as c:
        yield c


def _audit_trend(html: str) -> list[float]:
    """The monthly audit scores of a scorecard's trend table, months without audits left out."""
    table = html[html.index('id="trend-heading"') :]
    rows = TREND_ROW.findall(table)
    assert len(rows) == 12, rows
    return [float(audit) for _month, _composite, audit in rows if audit.strip()]


def _card(demo_app, employee_no: str, params: dict[str, str] | None = None) -> str:  # type: ignore[no-untyped-def]
    with _signed_in(demo_app, employee_no) as c:
        page = c.get("/scorecards/me", params=params or {})
    assert page.status_code == 200
    return page.text


def _figure(html: str, section: str, label: str) -> tuple[int, bool]:
    """A figure of a scorecard section: its value and whether it is marked as an alert."""
    part = html[html.index(f'id="{section}"') :]
    found = re.search(r'<div class="([^"]*)"><dt>' + re.escape(label) + r"</dt><dd>(\d+)", part)
    assert found, label
    return int(found.group(2)), "figure-alert" in found.group(1)


def _ranking_rows(html: str) -> dict[str, list[tuple[str, str]]]:
    """The rollup's ranking of people: employee number -> (attributes, text) of each cell."""
    table = html[html.index('id="people-heading"') :]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = [
            (attributes, re.sub(r"<[^>]+>", "", text).strip())
            for attributes, text in re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S)
        ]
        # The name cell ends with the employee number: "张伟 E1001".
        rows[cells[1][1].split()[-1]] = cells
    return rows


def test_the_improving_teller_s_audit_scores_rise(demo_app):
    scores = _audit_trend(_card(demo_app, "E1001"))
    assert len(scores) >= 5
    early, late = sum(scores[:2]) / 2, sum(scores[-2:]) / 2
    assert late - early >= 10, scores


def test_the_declining_teller_s_audit_scores_fall_and_a_veto_breach_shows(demo_app, six_months):
    html = _card(demo_app, "E1003", six_months)
    scores = _audit_trend(html)
    early, late = sum(scores[:2]) / 2, sum(scores[-2:]) / 2
    assert early - late >= 20, scores
    breaches, alert = _figure(html, "audit-heading", "Veto breaches")
    assert breaches >= 1 and alert
    assert "Veto breach</td>" in html  # and the audit behind it is listed


def test_the_supervisor_sees_who_breached_a_veto_and_whose_training_is_overdue(
    supervisor, six_months
):
    page = supervisor.get("/scorecards", params=six_months)
    assert page.status_code == 200
    rows = _ranking_rows(page.text)
    veto, overdue = -2, -1  # the last two columns
    for employee_no, column in (("E1003", veto), ("E1004", overdue), ("E1008", overdue)):
        attributes, value = rows[employee_no][column]
        assert int(value) >= 1 and "figure-alert" in attributes, employee_no
    for column in (veto, overdue):
        attributes, value = rows["E1001"][column]
        assert value == "0" and "figure-alert" not in attributes
    # the declining teller ranks below the improving one
    assert int(rows["E1003"][0][1]) > int(rows["E1001"][0][1])


def test_overdue_training_counts_on_the_scorecard_and_in_the_export(demo_app, hr):
    overdue, alert = _figure(_card(demo_app, "E1004"), "training-heading", "Overdue")
    assert overdue >= 1 and alert
    export = hr.get("/hr/scorecards.csv")
    assert export.status_code == 200
    rows = {
        r["Employee number"]: r for r in csv.DictReader(io.StringIO(export.text.lstrip("\ufeff")))
    }
    assert int(rows["E1004"]["Overdue"]) >= 1 and int(rows["E1008"]["Overdue"]) >= 1
    assert int(rows["E1001"]["Overdue"]) == 0


def test_disputed_audits_show_with_their_outcome(demo_app, six_months):
    open_dispute = _card(demo_app, "E1002", six_months)
    assert "Disputed, awaiting a decision" in open_dispute
    assert "Disputed: Upheld" in _card(demo_app, "E1003", six_months)
    assert "Disputed: Amended" in _card(demo_app, "E1001", six_months)
