"""The audit pages of every role are valid HTML (Nu HTML checker, as tests/test_html_validity)."""

import re
import types
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from staff.models import Role
from tests.audits.taking_helpers import make_branch_staff, make_checklist, signed_in, start, tap
from tests.factories import make_person, supervise
from tests.test_html_validity import _checker, vnu_problems


@dataclass
class Module:
    id: int
    code: str
    title_zh: str
    title_en: str


@pytest.fixture
def fake_training(monkeypatch):
    module = types.ModuleType("training.service")
    module.modules_covering_each = lambda session, *, standard_codes: {  # type: ignore[attr-defined]
        code: [Module(3, "TRN-1", "迎客", "Greet")] for code in standard_codes
    }
    module.assign_module_to_person = lambda session, **kwargs: None  # type: ignore[attr-defined]
    from training import service as training_service

    monkeypatch.setattr(training_service, "modules_covering_each", module.modules_covering_each)  # type: ignore[attr-defined]
    monkeypatch.setattr(
        training_service,
        "assign_module_to_person",
        module.assign_module_to_person,  # type: ignore[attr-defined]
    )


def _post(client, url, data=None):
    return client.post(url, data={"csrf_token": client.token, **(data or {})})


def test_audit_pages_are_valid_html(db, make_client, tmp_path, fake_training):
    _checker()  # skips (fails in CI) before any page is made
    staff = make_branch_staff(db)
    sections = [
        ("礼仪", [{"points": 3, "standard_code": "GRT-01"}, {"points": 10, "per_occurrence": 2}]),
        ("合规", [{"points": 5, "na_allowed": True}, {"veto": True}]),
    ]
    template, _v, items = make_checklist(db, sections=sections)
    auditor = signed_in(make_client, staff.supervisor)
    draft = start(auditor, template, person_id=staff.employee.id)
    tap(auditor, draft, items[0].id, seq=1, outcome="fail", note="未问候")
    done = start(auditor, template, person_id=staff.employee.id)
    for item in items:
        tap(auditor, done, item.id, seq=1, outcome="fail" if item == items[0] else "pass")
    refused = _post(auditor, f"/audits/{draft}/submit")
    assert _post(auditor, f"/audits/{done}/submit").status_code == 303
    soon = (date.today() + timedelta(days=7)).isoformat()
    _post(
        auditor,
        f"/audits/{done}/actions",
        {"item_id": items[0].id, "deadline": soon, "description": "整改"},
    )
    employee = signed_in(make_client, staff.employee)
    _post(employee, f"/audits/{done}/dispute", {"reason": "我举手了"})
    hr = signed_in(make_client, make_person(db, role=Role.hr))
    second = make_person(db, role=Role.supervisor)
    supervise(db, supervisor=second, team=staff.team)
    pages = {
        "refused": refused.text,
        "draft": auditor.get(f"/audits/{draft}").text,
        "draft_zh": auditor.get(f"/audits/{draft}?lang=zh").text,
        "list": auditor.get("/audits").text,
        "submitted": auditor.get("/audits?shelf=submitted").text,
        "new": auditor.get("/audits/new").text,
        "new_form": auditor.get(f"/audits/new?template={template.code}").text,
        "coverage": auditor.get("/audits/coverage").text,
        "actions": auditor.get("/audits/actions").text,
        "audit_auditor": auditor.get(f"/audits/{done}").text,
        "amend": auditor.get(f"/audits/{done}/amend").text,
        "home_supervisor": auditor.get("/").text,
        "overview": auditor.get(f"/people/{staff.employee.id}/overview").text,
        "audit_employee": employee.get(f"/audits/{done}").text,
        "home_employee": employee.get("/").text,
        "mine": employee.get("/audits").text,
        "audit_hr": hr.get(f"/audits/{done}").text,
        "disputes": hr.get("/audits/disputes").text,
        "amend_dispute": signed_in(make_client, second).get(f"/audits/{done}/amend?dispute=1").text,
        "home_hr": hr.get("/").text,
    }
    files = []
    for name, html in pages.items():
        assert "<!doctype html>" in html, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    problems = vnu_problems(files)
    assert problems == [], "\n".join(problems)
    assert re.search(r"Uphold the audit", pages["audit_hr"])
