"""Recorded audits from files: scored exactly like tapped ones, every bad entry reported with
its place, nothing half-imported, no audit recorded twice; the CSV export."""

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlmodel import select

from audits.models import Audit, AuditStatus, ItemResult, Source
from audits.templates_file import apply_import, parse_templates, plan_import
from frontline import cli
from frontline import settings as settings_module
from frontline.audit_trail import AuditTrailEvent
from staff.models import Role
from tests.audits.file_helpers import TEMPLATE_YAML, make_issue_standards
from tests.factories import PASSWORD, make_branch, make_person, make_team

RECORDED = """\
audits:
  - template: CTR-01               # the version in force unless `template_version:` is given
    employee: E1001                # or `branch: <branch code>` for a branch-subject template
    method: mystery_shopper        # on_site | cctv | mystery_shopper | call_recording
    observed_at: 2026-11-20T10:30:00+08:00
    auditor: S1001
    results:
      CTR-01-03: pass
      CTR-01-09: {fail: 3, note: 三次说"不知道"}
      CTR-01-11: na
      CTR-01-12: pass
"""


@pytest.fixture
def bank(db):
    make_issue_standards(db)
    with db.session() as session:
        specs, errors = parse_templates(session, TEMPLATE_YAML)
        plan = plan_import(session, specs=specs, errors=errors)
        apply_import(session, plan=plan, actor_id=None)
    branch = make_branch(db, code="BJ-01")
    team = make_team(db, branch=branch)
    return {
        "employee": make_person(db, employee_no="E1001", team=team),
        "auditor": make_person(db, employee_no="S1001", role=Role.supervisor, team=team),
        "hr": make_person(db, employee_no="H0001", role=Role.hr),
        "team": team,
    }


def _audits(db):
    with db.session() as session:
        return session.exec(select(Audit).order_by(Audit.id)).all()


def _upload(client, name, data):
    token = client.csrf_token("/audits/recorded")
    return client.post("/audits/recorded", data={"csrf_token": token}, files={"file": (name, data)})


def test_the_issues_example_is_stored_as_a_scored_submitted_audit(db, client, bank):
    client.login("H0001", PASSWORD)
    response = _upload(client, "shopper.yaml", RECORDED.encode())
    assert response.status_code == 200, response.text[:2000]
    assert "1 audits recorded" in response.text
    [audit] = _audits(db)
    # N/A leaves 5 points out: 3 + 10 possible; 3 + (10 - 3 × 2) earned = 7 of 13 → 53.8
    assert (audit.points_possible, audit.points_earned, audit.score) == (13, 7, 53.8)
    assert not audit.veto_breached
    assert audit.status == AuditStatus.submitted and audit.source == Source.imported
    assert audit.subject_person_id == bank["employee"].id
    assert audit.team_id == bank["team"].id
    assert audit.observed_at.isoformat() == "2026-11-20T02:30:00+00:00"
    with db.session() as session:
        results = session.exec(select(ItemResult).where(ItemResult.audit_id == audit.id)).all()
        by_points = sorted((r.outcome, r.occurrences, r.note) for r in results)
        assert ("fail", 3, '三次说"不知道"') in by_points
        assert len(results) == 4
        events = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "audit.import")
        ).all()
        assert len(events) == 1 and events[0].actor_id == bank["hr"].id
    # the same file again records nothing
    again = _upload(client, "shopper.yaml", RECORDED.encode())
    assert again.status_code == 400
    assert "already recorded" in again.text
    assert len(_audits(db)) == 1


def test_a_failed_veto_scores_zero_and_keeps_the_would_be_score(db, bank):
    from audits import recorded
    from audits.recorded_files import entries_from_yaml

    entries, problems = entries_from_yaml(RECORDED.replace("CTR-01-12: pass", "CTR-01-12: fail"))
    with db.session() as session:
        checked = recorded.check_entries(session, entries)
        assert not problems and not checked.problems
        [audit] = recorded.store(session, checked=checked, actor_id=None)
        assert (audit.score, audit.score_before_veto, audit.veto_breached) == (0.0, 53.8, True)


def test_every_bad_entry_is_reported_with_its_line_and_nothing_is_stored(db, client, bank):
    bad = (
        RECORDED
        + """\
  - template: CTR-01
    employee: E9999
    method: spy
    observed_at: 2026-13-45
    auditor: S1001
    results:
      CTR-01-03: maybe
      CTR-01-11: {fail: 2}
      CTR-01-99: pass
"""
    )
    client.login("H0001", PASSWORD)
    response = _upload(client, "shopper.yaml", bad.encode())
    assert response.status_code == 400
    text = response.text
    for expected in (
        "Line 13: There is no employee with the number E9999.",
        "Line 14: method must be one of",
        "Line 15: observed_at must be a date and time",
        "Line 18: CTR-01-03: maybe is not pass, fail or na.",
        "Line 19: CTR-01-11 is not counted per occurrence.",
        "Line 20: CTR-01-99 is not an item of this template version.",
        "Results are missing for CTR-01-09, CTR-01-12.",
    ):
        assert expected in text, expected
    assert _audits(db) == []


def _sheet_rows(fail_cell="fail 3"):
    return [
        [
            "template",
            "employee",
            "method",
            "observed_at",
            "auditor",
            "CTR-01-03",
            "CTR-01-09",
            "CTR-01-09 note",
            "CTR-01-11",
            "CTR-01-12",
        ],
        [
            "CTR-01",
            "E1001",
            "mystery_shopper",
            "2026-11-20T10:30:00+08:00",
            "S1001",
            "合格",
            fail_cell,
            "三次",
            "不适用",
            "pass",
        ],
    ]


def test_csv_upload_in_the_same_shape(db, client, bank):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_sheet_rows())
    client.login("H0001", PASSWORD)
    response = _upload(client, "shopper.csv", buffer.getvalue().encode("utf-8-sig"))
    assert response.status_code == 200, response.text[:3000]
    [audit] = _audits(db)
    assert (audit.points_earned, audit.score) == (7, 53.8)


def test_xlsx_upload_reports_row_and_column(db, client, bank):
    workbook = Workbook()
    sheet = workbook.active
    for row in _sheet_rows(fail_cell="fail 300"):
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    client.login("H0001", PASSWORD)
    response = _upload(client, "shopper.xlsx", data.getvalue())
    assert response.status_code == 400
    assert (
        "Line 2 (CTR-01-09): CTR-01-09: the number of occurrences must be from 1 to 100."
        in response.text
    )
    assert _audits(db) == []
    workbook = Workbook()
    for row in _sheet_rows():
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    assert _upload(client, "shopper.xlsx", data.getvalue()).status_code == 200
    assert len(_audits(db)) == 1


def test_a_file_that_is_no_workbook_is_a_clear_400(client, bank):
    client.login("H0001", PASSWORD)
    response = _upload(client, "shopper.xlsx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 400
    assert "not an Excel workbook" in response.text


@pytest.mark.parametrize("role", [Role.supervisor, Role.employee, Role.author])
def test_only_hr_and_admins_record_or_export(db, client, bank, role):
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)
    assert client.get("/audits/recorded").status_code == 403
    assert client.get("/audits/export.csv").status_code == 403
    token = client.csrf_token("/")
    response = client.post(
        "/audits/recorded",
        data={"csrf_token": token},
        files={"file": ("a.yaml", RECORDED.encode())},
    )
    assert response.status_code == 403
    assert _audits(db) == []


def test_csv_export_over_http_and_by_command(db, client, bank, database_url, monkeypatch, tmp_path):
    client.login("H0001", PASSWORD)
    _upload(client, "shopper.yaml", RECORDED.encode())
    _upload(
        client,
        "v.yaml",
        RECORDED.replace("10:30", "11:30").replace("CTR-01-12: pass", "CTR-01-12: fail").encode(),
    )
    response = client.get("/audits/export.csv?from=2026-11-20&to=2026-11-20")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [(r["subject"], r["score"], r["veto_breached"], r["points_earned"]) for r in rows] == [
        ("E1001", "53.8", "no", "7.0"),
        ("E1001", "0.0", "yes", "7.0"),
    ]
    assert rows[0]["template"] == "CTR-01" and rows[0]["template_version"] == "1"
    assert rows[0]["observed_at"] == "2026-11-20T10:30:00+08:00"
    assert client.get("/audits/export.csv?from=2026-11-21").text.count("\n") == 1
    assert client.get("/audits/export.csv?from=nonsense").status_code == 400
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    try:
        out = tmp_path / "audits.csv"
        result = CliRunner().invoke(
            cli.main, ["audits", "export", str(out), "--from", "2026-11-01", "--to", "2026-11-30"]
        )
        assert result.exit_code == 0, result.output
        assert "Exported 2 audits" in result.output
        header = out.read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.startswith(
            "audit_id,template,template_version,subject,method,observed_at,auditor,"
            "points_possible,points_earned,score,veto_breached,status"
        )
        source = tmp_path / "in.yaml"
        source.write_text(RECORDED.replace("10:30", "09:00"), encoding="utf-8")
        imported = CliRunner().invoke(cli.main, ["audits", "import", str(source)])
        assert imported.exit_code == 0 and "Recorded 1 audits" in imported.output
        source.write_text(RECORDED.replace("E1001", "E0000"), encoding="utf-8")
        refused = CliRunner().invoke(cli.main, ["audits", "import", str(source)])
        assert refused.exit_code == 1
        assert f"{source}:3: There is no employee with the number E0000." in refused.output
    finally:
        settings_module.get_settings.cache_clear()
