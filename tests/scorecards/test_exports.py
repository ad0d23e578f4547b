"""The HR exports: typed XLSX read back with openpyxl, formula-safe cells, Chinese headers in
a Chinese session, and the page, rollup, CSV, XLSX and API all agreeing on the same data."""

import csv
import io
import re
from datetime import datetime

import openpyxl
import pytest

from scorecards import export_views, tokens
from staff.models import Position, Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person
from tests.scorecards import dataset


@pytest.fixture
def bank(db):
    return dataset.build(db)


@pytest.fixture
def hr(app, bank):
    with FrontlineClient(app) as c:
        c.login(bank.hr.employee_no, PASSWORD)
        yield c


def _workbook(client, **params):
    response = client.get("/hr/scorecards.xlsx", params={**dataset.PERIOD, **params})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response.headers["cache-control"] == "no-store"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _csv(client, **params):
    response = client.get("/hr/scorecards.csv", params={**dataset.PERIOD, **params})
    assert response.status_code == 200
    assert (
        'attachment; filename="scorecards-20261101-20261130-'
        in response.headers["content-disposition"]
    )
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_the_xlsx_has_a_frozen_header_typed_numbers_and_dates(hr):
    sheet = _workbook(hr).active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Employee number", "Name", "Branch code"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    jia = dict(zip(header, rows["E0001"], strict=True))
    assert jia["Period start"] == datetime(2026, 11, 1)
    assert jia["Period end"] == datetime(2026, 11, 30)
    assert jia["Acknowledgments due"] == 2 and isinstance(jia["Acknowledgments due"], int)
    assert jia["Composite index"] == 100
    supervisor = dict(zip(header, rows["S0001"], strict=True))
    assert supervisor["Composite index"] is None  # N/A: an empty cell, not 0


def test_exports_neutralise_formulas_in_names(app, db, bank, hr):
    make_person(db, team=bank.t1, position=Position.teller, name='=HYPERLINK("x")')
    make_person(db, team=bank.t1, position=Position.teller, name="@SUM(1)")
    names = [row[1] for row in _csv(hr)[1:]]
    assert '\'=HYPERLINK("x")' in names and "'@SUM(1)" in names
    cells = [row[1] for row in _workbook(hr).active.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in cells and "'@SUM(1)" in cells


def test_a_chinese_session_gets_chinese_headers(app, bank):
    person = make_person(app.state.database, role=Role.hr, locale="zh_CN")
    with FrontlineClient(app) as c:
        c.login(person.employee_no, PASSWORD)
        header = _csv(c)[0]
        xlsx_header = [cell.value for cell in _workbook(c).active[1]]
    assert header[0] == "工号"
    assert xlsx_header == header


def test_filters_by_branch_and_team(hr, bank):
    assert {row[0] for row in _csv(hr, branch=bank.branch2_id)[1:]} == {"E0004"}
    assert {row[0] for row in _csv(hr, team=bank.t2.id)[1:]} == {"E0003"}


def test_page_rollup_csv_xlsx_and_api_agree(app, db, bank, hr):
    rows = _csv(hr)
    header = rows[0]
    by_csv = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    sheet = _workbook(hr).active
    by_xlsx = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    with db.session() as session:
        secret = tokens.create_token(session, name="agree", actor_id=None).secret
    api = hr.get(
        "/api/v1/scorecards",
        params={**dataset.PERIOD, "per_page": 2, "page": 1},
        headers={"Authorization": f"Bearer {secret}"},
    ).json()
    items = list(api["items"])
    for page in range(2, api["pages"] + 1):
        items += hr.get(
            "/api/v1/scorecards",
            params={**dataset.PERIOD, "per_page": 2, "page": page},
            headers={"Authorization": f"Bearer {secret}"},
        ).json()["items"]
    by_api = {item["employee_no"]: item for item in items}
    assert set(by_api) == set(by_csv) == set(by_xlsx)
    branch = hr.get(f"/scorecards/branches/{bank.branch1_id}", params=dataset.PERIOD).text
    for number, row in by_csv.items():
        item = by_api[number]
        composite = item["composite_index"]
        assert row["Composite index"] == ("" if composite is None else f"{composite:.1f}")
        assert by_xlsx[number]["Composite index"] == composite
        assert int(row["Acknowledgments due"]) == item["acknowledgments"]["due"]
        assert by_xlsx[number]["Acknowledged"] == item["acknowledgments"]["acknowledged"]
        person_page = hr.get(
            f"/api/v1/scorecards/{number}",
            params=dataset.PERIOD,
            headers={"Authorization": f"Bearer {secret}"},
        ).json()
        assert person_page == item
        if item["branch"]["id"] == bank.branch1_id and composite is not None:
            name = re.escape(item["name"])
            assert re.search(
                rf">{name}</a> <small[^>]*>{number}</small></td>"
                rf".*?<td class=\"num\">{composite:.1f}</td>",
                branch,
                re.S,
            )
    page = hr.get(f"/scorecards/people/{bank.mover.id}", params=dataset.PERIOD).text
    assert '<p class="composite-value">50.0</p>' in page
    assert by_api["E0005"]["composite_index"] == 50.0


def test_chunks_read_at_once_come_out_whole_and_in_order(hr, monkeypatch):
    """Exports read several chunks at once (`export_views.READERS`): with chunks of two people
    the files hold the same rows, in the same order, as with one chunk for everyone."""
    whole_csv = _csv(hr)
    whole_xlsx = [row for row in _workbook(hr).active.iter_rows(values_only=True)]
    monkeypatch.setattr(export_views, "CSV_CHUNK", 2)
    monkeypatch.setattr(export_views, "XLSX_CHUNK", 2)
    assert len(whole_csv) > 5  # several chunks of two
    assert _csv(hr) == whole_csv
    assert [row for row in _workbook(hr).active.iter_rows(values_only=True)] == whole_xlsx
