"""The audit trail as an auditor reads it: names, sentences and changes, filters by person
and date, and a CSV export that a spreadsheet cannot be tricked by."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from frontline import audit_trail
from frontline.audit_trail import AuditTrailEvent, TrailFilter
from staff import audit_trail_views
from staff.models import Role
from tests.factories import PASSWORD, make_person, make_standard, make_team


@pytest.fixture
def admin_client(db, client):
    admin = make_person(db, role=Role.admin, name="审计管理员", employee_no="A9001")
    client.login(admin.employee_no, PASSWORD)
    client.admin = admin
    return client


def _rows(client, url: str) -> str:
    """The table body only (the action filter lists every action code)."""
    page = client.get(url).text
    return page[page.index("<tbody>") :]


def _event(db, *, at: datetime, action: str = "test.event", **fields: object) -> None:
    with db.session() as session:
        session.add(AuditTrailEvent(at=at, action=action, **fields))


def test_names_sentences_and_changes_instead_of_ids_and_json(db, admin_client):
    team = make_team(db, name="柜面一组")
    person = make_person(db, name="王五", employee_no="E7001")
    admin_client.submit(
        f"/people/{person.id}",
        {"name": "王五", "role": "supervisor", "team_id": str(team.id)},
        token_page="/",
    )
    page = admin_client.get("/audit-trail?action=person.update").text
    assert "审计管理员 (A9001)" in page
    assert "changed 王五 (E7001)" in page
    assert "Role: Employee → Supervisor" in page
    assert "Team: — → 测试支行 · 柜面一组" in page
    assert "person 2" not in page and f"person {person.id}<" not in page
    # The raw record stays available, folded away.
    assert "<summary>Raw record" in page and "&#34;role&#34;" in page


def test_standards_actions_read_as_sentences(db, admin_client):
    make_standard(db, code="GRT-01")
    page = admin_client.get("/audit-trail").text
    assert "published version 1 of GRT-01" in page
    assert "created GRT-01" in page


def test_filter_by_person_done_by_or_to(db, admin_client):
    actor = make_person(db, role=Role.admin, name="甲管理员", employee_no="A9101")
    subject = make_person(db, name="乙员工", employee_no="E9102")
    bystander = make_person(db, name="丙员工", employee_no="E9103")
    now = datetime.now(UTC)
    _event(db, at=now, action="x.by", actor_id=actor.id)
    _event(db, at=now, action="x.to", target_type="person", target_id=str(subject.id))
    _event(db, at=now, action="x.other", actor_id=bystander.id)
    by_actor = _rows(admin_client, "/audit-trail?person=A9101")
    assert "x.by" in by_actor and "x.to" not in by_actor and "x.other" not in by_actor
    to_subject = _rows(admin_client, "/audit-trail?person=乙员工")
    assert "x.to" in to_subject and "x.by" not in to_subject
    nobody = admin_client.get("/audit-trail?person=no-such-person").text
    assert "No events match these filters." in nobody


def test_filter_by_dates_inclusive(db, admin_client):
    for day in (1, 2, 3):
        _event(db, at=datetime(2026, 3, day, 6, 0, tzinfo=UTC), action=f"x.day{day}")
    page = _rows(admin_client, "/audit-trail?since=2026-03-02&until=2026-03-02")
    assert "x.day2" in page and "x.day1" not in page and "x.day3" not in page
    open_ended = _rows(admin_client, "/audit-trail?since=2026-03-02")
    assert "x.day2" in open_ended and "x.day3" in open_ended and "x.day1" not in open_ended


def test_dates_are_the_banks_local_days(db, admin_client, monkeypatch):
    monkeypatch.setattr(audit_trail_views, "bank_zone", lambda request: ZoneInfo("Asia/Shanghai"))
    # 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai.
    _event(db, at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC), action="x.late")
    page = _rows(admin_client, "/audit-trail?since=2026-03-02&until=2026-03-02")
    assert "x.late" in page
    assert "2026-03-02 <span>01:30:00</span>" in page
    assert 'datetime="2026-03-01T17:30:00Z"' in page
    assert "x.late" not in _rows(admin_client, "/audit-trail?until=2026-03-01")


def test_bad_filters_are_a_clear_400(admin_client):
    backwards = admin_client.get("/audit-trail?since=2026-03-05&until=2026-03-01")
    assert backwards.status_code == 400
    assert "The start date is after the end date." in backwards.text
    assert admin_client.get("/audit-trail?since=not-a-date").status_code == 400
    assert admin_client.get("/audit-trail?person=" + "x" * 101).status_code == 400


def test_older_events_link_keeps_the_filters(db, admin_client):
    for number in range(55):
        _event(db, at=datetime(2026, 3, 2, 6, number, tzinfo=UTC), action="x.many")
    page = admin_client.get("/audit-trail?action=x.many&since=2026-03-01").text
    assert "action=x.many" in page and "since=2026-03-01" in page
    assert "before=" in page.split("Older events")[0].rsplit("<a", 1)[1]


def test_csv_export_is_filtered_readable_and_formula_safe(db, admin_client):
    attacker = make_person(db, name='=HYPERLINK("http://evil.example","x")', employee_no="E6666")
    admin_client.submit(
        f"/people/{attacker.id}/deactivate", {"reason": "@SUM(1+1)"}, token_page="/"
    )
    response = admin_client.get("/audit-trail.csv?action=person.deactivate")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["When (local time)", "When (UTC)", "Who", "What"]
    assert len(rows) == 2  # the header and the one deactivation: the filter applies
    row = rows[1]
    assert row[2] == "审计管理员 (A9001)"
    assert row[3] == 'deactivated =HYPERLINK("http://evil.example","x") (E6666)'
    assert row[4] == "person.deactivate"
    assert row[5].startswith("'=HYPERLINK(")  # a cell starting with = is neutralised
    assert "Reason: @SUM(1+1)" in row[6]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_csv_export_is_for_admins_only(db, client):
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    assert client.get("/audit-trail.csv").status_code == 403


def test_every_event_walks_keyset_pages(db):
    for number in range(7):
        _event(db, at=datetime(2026, 4, 1, 8, number, tzinfo=UTC), action="x.page")
    with db.session() as session:
        pages = list(audit_trail.every_event(session, trail=TrailFilter(action="x.page"), batch=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    ids = [e.id for p in pages for e in p]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 7
