"""Correction actions on failed items, the training they propose, coverage, and the panels."""

import re
import types
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import select

from audits import actions
from audits.models import ActionStatus, CorrectionAction
from staff.models import Role
from tests.audits.taking_helpers import make_branch_staff, make_checklist, signed_in, start, tap
from tests.factories import make_person

SOON = (date.today() + timedelta(days=14)).isoformat()


def _post(client, url, data=None):
    return client.post(url, data={"csrf_token": client.token, **(data or {})})


def _submitted(db, make_client, staff):
    template, _v, items = make_checklist(
        db, sections=[("礼仪", [{"points": 3, "standard_code": "GRT-01"}, {"points": 2}])]
    )
    auditor = signed_in(make_client, staff.supervisor)
    audit_id = start(auditor, template, person_id=staff.employee.id)
    tap(auditor, audit_id, items[0].id, seq=1, outcome="fail", note="未问候")
    tap(auditor, audit_id, items[1].id, seq=1, outcome="pass")
    assert _post(auditor, f"/audits/{audit_id}/submit").status_code == 303
    return audit_id, items, auditor


@dataclass
class Module:
    id: int
    code: str
    title_zh: str
    title_en: str


@pytest.fixture
def fake_training(monkeypatch):
    """training.service as contracts.md describes it, until the training branch lands."""
    assigned: list[dict] = []
    module = types.ModuleType("training.service")
    module.modules_covering_each = lambda session, *, standard_codes: {  # type: ignore[attr-defined]
        code: [Module(7, "TRN-GRT", "迎客礼仪", "Greeting")] if code == "GRT-01" else []
        for code in standard_codes
    }
    module.assign_module_to_person = lambda session, **kwargs: assigned.append(kwargs)  # type: ignore[attr-defined]
    from training import service as training_service

    monkeypatch.setattr(training_service, "modules_covering_each", module.modules_covering_each)  # type: ignore[attr-defined]
    monkeypatch.setattr(
        training_service,
        "assign_module_to_person",
        module.assign_module_to_person,  # type: ignore[attr-defined]
    )
    return assigned


def test_a_failed_item_gets_an_action_and_the_training_in_one_tap(db, make_client, fake_training):
    staff = make_branch_staff(db)
    audit_id, items, auditor = _submitted(db, make_client, staff)
    page = auditor.get(f"/audits/{audit_id}").text
    assert "TRN-GRT" in page and "Greeting" in page  # proposed on the failed item
    response = _post(
        auditor,
        f"/audits/{audit_id}/actions",
        {"item_id": items[0].id, "deadline": SOON, "description": "重学迎客流程", "module_id": "7"},
    )
    assert response.status_code == 303
    assert fake_training[0]["module_id"] == 7 and fake_training[0]["person_id"] == staff.employee.id
    assert fake_training[0]["due_on"].isoformat() == SOON
    with db.session(write=False) as session:
        action = session.exec(select(CorrectionAction)).one()
    assert action.module_id == 7 and action.person_id == staff.employee.id
    # A passed item gets no action; a module that does not cover the standard is refused.
    passed = _post(
        auditor, f"/audits/{audit_id}/actions", {"item_id": items[1].id, "deadline": SOON}
    )
    assert passed.status_code == 409
    wrong = _post(
        auditor,
        f"/audits/{audit_id}/actions",
        {"item_id": items[0].id, "deadline": SOON, "module_id": "99"},
    )
    assert wrong.status_code == 409
    past = _post(
        auditor, f"/audits/{audit_id}/actions", {"item_id": items[0].id, "deadline": "2020-01-01"}
    )
    assert past.status_code == 400


def test_the_employee_sees_and_closes_their_action_but_cannot_open_or_cancel(db, make_client):
    staff = make_branch_staff(db)
    audit_id, items, auditor = _submitted(db, make_client, staff)
    assert (
        _post(
            auditor,
            f"/audits/{audit_id}/actions",
            {"item_id": items[0].id, "deadline": SOON, "description": "练习问候"},
        ).status_code
        == 303
    )
    with db.session(write=False) as session:
        action_id = session.exec(select(CorrectionAction.id)).one()
    employee = signed_in(make_client, staff.employee)
    home = employee.get("/").text
    assert "练习问候" in home and f'action="/audit-actions/{action_id}/close"' in home
    assert (
        _post(
            employee, f"/audits/{audit_id}/actions", {"item_id": items[0].id, "deadline": SOON}
        ).status_code
        == 409
    )
    assert (
        _post(employee, f"/audit-actions/{action_id}/close", {"status": "cancelled"}).status_code
        == 409
    )
    stranger = signed_in(make_client, make_person(db, team=staff.team))
    assert (
        _post(stranger, f"/audit-actions/{action_id}/close", {"status": "done"}).status_code == 404
    )
    done = _post(
        employee,
        f"/audit-actions/{action_id}/close",
        {"status": "done", "note": "已练习", "back": "home"},
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/?")
    with db.session(write=False) as session:
        action = session.get(CorrectionAction, action_id)
    assert action.status == ActionStatus.done and action.closing_note == "已练习"
    # The supervisor's list shows it under "done".
    assert "练习问候" in auditor.get("/audits/actions?show=done").text
    assert "练习问候" not in auditor.get("/audits/actions").text
    assert employee.get("/audits/actions").status_code == 403


def test_actions_list_shows_overdue_and_only_my_teams(db, make_client):
    staff = make_branch_staff(db)
    audit_id, items, auditor = _submitted(db, make_client, staff)
    _post(
        auditor,
        f"/audits/{audit_id}/actions",
        {"item_id": items[0].id, "deadline": SOON, "description": "本组整改"},
    )
    with db.session() as session:
        action = session.exec(select(CorrectionAction)).one()
        action.deadline_date = date.today() - timedelta(days=2)
        session.add(action)
    listing = auditor.get("/audits/actions").text
    assert "本组整改" in listing and "Overdue" in listing
    other = signed_in(make_client, make_person(db, role=Role.supervisor))
    assert "本组整改" not in other.get("/audits/actions").text
    hr = signed_in(make_client, make_person(db, role=Role.hr))
    assert "本组整改" in hr.get("/audits/actions").text


def test_a_long_actions_list_pages_through_every_action(db, make_client, monkeypatch):
    """Nearest deadline first, a page at a time, the filter kept: none is out of reach."""
    monkeypatch.setattr(actions, "ACTIONS_PAGE", 2)
    staff = make_branch_staff(db)
    audit_id, items, auditor = _submitted(db, make_client, staff)
    data = {"item_id": items[0].id, "deadline": SOON, "description": "整改-0"}
    assert _post(auditor, f"/audits/{audit_id}/actions", data).status_code == 303
    with db.session() as session:
        first = session.exec(select(CorrectionAction)).one()
        for n in range(1, 5):
            copy = CorrectionAction(
                **first.model_dump(exclude={"id", "description", "deadline_date"}),
                description=f"整改-{n}",
                deadline_date=date.today() + timedelta(days=n),
            )
            session.add(copy)
    shown = []
    for page in (1, 2, 3):
        listing = auditor.get(f"/audits/actions?show=open&page={page}").text
        shown += re.findall(r"整改-\d", listing)
        assert f"{page * 2 - 1}–{min(page * 2, 5)} of 5" in listing
    assert shown == ["整改-1", "整改-2", "整改-3", "整改-4", "整改-0"]  # by deadline
    middle = auditor.get("/audits/actions?show=open&page=2").text
    assert 'href="/audits/actions?show=open&amp;page=1" rel="prev"' in middle
    assert 'href="/audits/actions?show=open&amp;page=3" rel="next"' in middle
    beyond = auditor.get("/audits/actions?show=open&page=99").text
    assert "5–5 of 5" in beyond  # past the end: the last page
    assert auditor.get("/audits/actions?page=0").status_code == 400
    assert "5 open correction actions" in auditor.get("/").text  # the home page counts all
    # Closed from page 2, back to page 2 of the same tab (the list shifts up by one).
    closing = re.search(r'action="/audit-actions/(\d+)/close"', middle)
    assert closing and 'name="page" value="2"' in middle
    done = _post(
        auditor,
        f"/audit-actions/{closing.group(1)}/close",
        {"status": "done", "back": "actions", "show": "open", "page": "2"},
    )
    assert done.headers["location"].startswith("/audits/actions?show=open&page=2&")


def test_coverage_lists_who_has_not_been_audited_by_method(db, make_client):
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    staff = make_branch_staff(db)
    quiet = make_person(db, team=staff.team, name="还没查过")
    template, _v, items = make_checklist(db, sections=[("礼仪", [{"points": 3}])])
    client = signed_in(make_client, staff.supervisor)
    now = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")
    audit_id = start(client, template, person_id=staff.employee.id, method="cctv", observed_at=now)
    tap(client, audit_id, items[0].id, seq=1)
    assert _post(client, f"/audits/{audit_id}/submit").status_code == 303
    text = client.get("/audits/coverage").text
    assert "1 of 2 people in your teams audited this month." in text
    assert "别组员工" not in text
    rows = re.findall(r"<tr[^>]*>.*?</tr>", text, re.S)
    quiet_row = next(r for r in rows if "还没查过" in r)
    audited_row = next(r for r in rows if "张伟" in r)
    assert "Not audited yet" in quiet_row and "Not audited yet" not in audited_row
    assert text.index("还没查过") < text.index("张伟")  # not yet audited first
    # Columns: on-site, CCTV, mystery shopper, call recording.
    assert re.findall(r'<td class="num">([^<]*)</td>', audited_row) == ["·", "1", "·", "·"]
    assert f"/audits/new?person_id={quiet.id}" in text
    employee = signed_in(make_client, staff.employee)
    assert employee.get("/audits/coverage").status_code == 403


def test_coverage_counts_this_month_in_the_bank_time_zone(db):
    from zoneinfo import ZoneInfo

    from audits.coverage import month_bounds

    start, end = month_bounds(date(2026, 11, 20), ZoneInfo("Asia/Shanghai"))
    assert start.isoformat() == "2026-10-31T16:00:00+00:00"
    assert end.isoformat() == "2026-11-30T16:00:00+00:00"


def test_person_overview_and_lists_show_the_audit(db, make_client):
    staff = make_branch_staff(db)
    audit_id, _items, auditor = _submitted(db, make_client, staff)
    overview = auditor.get(f"/people/{staff.employee.id}/overview")
    assert overview.status_code == 200 and f'href="/audits/{audit_id}"' in overview.text
    assert f'href="/audits/{audit_id}"' in auditor.get("/audits?shelf=submitted").text
    employee = signed_in(make_client, staff.employee)
    assert f'href="/audits/{audit_id}"' in employee.get("/audits").text
    stranger = signed_in(make_client, make_person(db, team=staff.team))
    assert f'href="/audits/{audit_id}"' not in stranger.get("/audits").text
