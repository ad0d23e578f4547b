"""Starting an audit and tapping through it: scope, idempotent and order-proof saves, resume,
the running score, submitting once and only when complete."""

import re

import pytest
from sqlmodel import select

from audits import taking
from audits.models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    ItemResult,
    Method,
    Scoring,
    Subject,
    TemplateVersion,
)
from frontline.audit_trail import AuditTrailEvent
from frontline.models import utcnow
from staff.models import Person, Role
from tests.audits.taking_helpers import make_branch_staff, make_checklist, signed_in, start, tap
from tests.concurrency import at_once
from tests.factories import make_person


def _results(db, audit_id):
    with db.session(write=False) as session:
        rows = session.exec(select(ItemResult).where(ItemResult.audit_id == audit_id))
        return {r.item_id: r for r in rows}


def _saved(response):
    match = re.search(
        r'data-saved-item[^>]*data-seq="(\d+)" data-op="([^"]*)" data-outcome="(\w*)"',
        response.text,
    )
    assert match, response.text[:600]
    return int(match.group(1)), match.group(2), match.group(3)


def test_start_makes_a_draft_with_a_row_per_item_and_a_double_start_makes_one(db, make_client):
    staff = make_branch_staff(db)
    template, _version, items = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    first = start(
        client, template, person_id=staff.employee.id, start_key="same-key-0123456789abcd"
    )
    again = start(
        client, template, person_id=staff.employee.id, start_key="same-key-0123456789abcd"
    )
    assert first == again
    with db.session(write=False) as session:
        assert len(session.exec(select(Audit)).all()) == 1
    assert set(_results(db, first)) == {i.id for i in items}
    page = client.get(f"/audits/{first}")
    assert page.status_code == 200
    assert 'id="audit-checklist"' in page.text and "/static/js/audit.js" in page.text
    assert page.text.count('class="audit-item') == len(items)


def test_a_start_tapped_twice_at_once_makes_one_draft(db, database_url, make_client):
    """On PostgreSQL the second start's insert waits for the first, then meets its start
    key: it is given the first's draft rather than an error."""
    staff = make_branch_staff(db)
    template, version, _items = make_checklist(db)

    def begin(session):
        header = taking.AuditHeader(method=Method.on_site, observed_at=utcnow())
        return taking.start_audit(
            session,
            auditor=session.get(Person, staff.supervisor.id),
            template=session.get(AuditTemplate, template.id),
            version=session.get(TemplateVersion, version.id),
            person_id=staff.employee.id,
            branch_id=None,
            header=header,
            start_key="double-tap-0123456789abcd",
        ).id

    first, _, second = at_once(db, database_url, hold=begin, second=begin)
    assert first == second
    with db.session(write=False) as session:
        assert len(session.exec(select(Audit)).all()) == 1


def test_a_supervisor_cannot_audit_or_read_another_team(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    response = client.post(
        "/audits/new",
        data={
            "csrf_token": client.token,
            "template": template.code,
            "start_key": "stranger-key-0123456789",
            "method": "on_site",
            "observed_at": "2026-11-20T10:30",
            "person_id": str(staff.stranger.id),
        },
    )
    assert response.status_code == 400
    assert "Choose someone from your teams." in response.text
    # Another supervisor's draft and submitted audit are invisible and untouchable.
    other = make_person(db, role=Role.supervisor)
    from tests.factories import supervise

    supervise(db, supervisor=other, team=staff.team)
    audit_id = start(client, template, person_id=staff.employee.id)
    intruder = signed_in(make_client, other)
    assert intruder.get(f"/audits/{audit_id}").status_code == 404
    assert tap(intruder, audit_id, items[0].id, seq=1).status_code == 404
    outsider = signed_in(make_client, make_person(db, role=Role.supervisor))
    assert outsider.get(f"/audits/{audit_id}").status_code == 404
    # The employee cannot start one at all.
    employee = signed_in(make_client, staff.employee)
    assert employee.get("/audits/new").status_code == 403
    assert tap(employee, audit_id, items[0].id, seq=5).status_code == 403
    assert _results(db, audit_id)[items[0].id].seq == 0


def test_saves_are_idempotent_and_an_older_sequence_never_undoes_a_later_tap(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    audit_id = start(client, template, person_id=staff.employee.id)
    item = items[0]
    first = tap(client, audit_id, item.id, seq=1, outcome="pass", op="a1")
    assert first.status_code == 200 and _saved(first) == (1, "a1", "pass")
    later = tap(client, audit_id, item.id, seq=3, outcome="fail", note="没有问候", op="a3")
    assert _saved(later) == (3, "a3", "fail")
    # Late and replayed requests: answered with what is stored, nothing changes.
    late = tap(client, audit_id, item.id, seq=2, outcome="pass", op="a2")
    assert late.status_code == 200 and _saved(late) == (3, "a3", "fail")
    replay = tap(client, audit_id, item.id, seq=3, outcome="fail", note="没有问候", op="a3")
    assert _saved(replay) == (3, "a3", "fail")
    stale_replay = tap(client, audit_id, item.id, seq=1, outcome="pass", op="a1")
    assert _saved(stale_replay) == (3, "a3", "fail")
    row = _results(db, audit_id)[item.id]
    assert (row.outcome.value, row.note, row.seq, row.last_op_id) == ("fail", "没有问候", 3, "a3")
    assert row.saved_by_id == staff.supervisor.id
    # A save writes no trail event per tap (the row keeps who and when).
    with db.session(write=False) as session:
        taps = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action.like("audit.%"))  # type: ignore[attr-defined]
        ).all()
    assert [e.action for e in taps] == ["audit.start"]


def test_per_occurrence_na_rules_and_the_running_score(db, make_client):
    staff = make_branch_staff(db)
    template, _v, (greet, phrases, phone, veto) = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    audit_id = start(client, template, person_id=staff.employee.id)
    # 3 heard at 2 each: 6 of 10 deducted; greet passed 3/3 → 7/13 = 53.8
    tap(client, audit_id, greet.id, seq=1)
    response = tap(client, audit_id, phrases.id, seq=1, outcome="fail", occurrences=3)
    assert "53.8" in response.text
    assert "2 of 4 answered" in response.text
    # N/A where allowed leaves both sides; where not allowed, refused with 400.
    assert tap(client, audit_id, phone.id, seq=1, outcome="na").status_code == 200
    refused = tap(client, audit_id, greet.id, seq=2, outcome="na")
    assert refused.status_code == 400
    assert _results(db, audit_id)[greet.id].outcome.value == "pass"
    # Six occurrences cap at the item's 10 points: 3/13 = 23.1; a veto fail shows 0 and why.
    tap(client, audit_id, phrases.id, seq=2, outcome="fail", occurrences=6)
    vetoed = tap(client, audit_id, veto.id, seq=1, outcome="fail")
    assert "Veto breached" in vetoed.text and "would otherwise be 23.1" in vetoed.text
    # Garbage is a clear 400, never a 500.
    for bad in ({"seq": "0"}, {"seq": "abc"}, {"op": "<script>"}, {"outcome": "maybe"}):
        data = {"outcome": "pass", "seq": "9", "op": "x1", **bad}
        answer = client.post(
            f"/audits/{audit_id}/items/{greet.id}",
            data=data,
            headers={"X-CSRF-Token": client.token, "X-Audit-Client": "1"},
        )
        assert answer.status_code == 400, (bad, answer.status_code)
    assert tap(client, audit_id, 2**31 - 1, seq=1).status_code == 404


def test_reload_and_another_tablet_resume_the_draft(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    tablet = signed_in(make_client, staff.supervisor)
    audit_id = start(tablet, template, person_id=staff.employee.id)
    tap(tablet, audit_id, items[1].id, seq=4, outcome="fail", occurrences=2, note="说了不知道")
    other_tablet = signed_in(make_client, staff.supervisor)
    page = other_tablet.get(f"/audits/{audit_id}").text
    row = re.search(
        rf'<form class="audit-item[^"]*" id="item-{items[1].id}"[^>]*>', page, re.S
    ).group(0)
    assert 'data-seq="4"' in row and 'data-outcome="fail"' in row and 'data-occurrences="2"' in row
    assert "说了不知道" in page
    assert "/audits?shelf=drafts" in page
    drafts = other_tablet.get("/audits?shelf=drafts").text
    assert f'href="/audits/{audit_id}"' in drafts


def test_the_tablet_page_shows_each_tap_on_its_item(db, make_client):
    """An item's controls are kept rendered by their values; each tap's state still shows."""
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    tablet = signed_in(make_client, staff.supervisor)
    audit_id = start(tablet, template, person_id=staff.employee.id)
    per_occurrence = items[1]

    def row() -> str:
        page = tablet.get(f"/audits/{audit_id}").text
        found = re.search(
            rf'<form class="audit-item[^"]*" id="item-{per_occurrence.id}".*?</form>', page, re.S
        )
        assert found, page
        return found.group(0)

    def pressed(html: str) -> list[str]:
        return re.findall(r'value="(\w+)" class="outcome[^"]*" aria-pressed="true"', html)

    fresh = row()
    assert pressed(fresh) == [] and "<output data-occurrences" in fresh and ">0</output>" in fresh
    assert 'value="-1" class="step" aria-label="One occurrence fewer" disabled' in fresh
    tap(tablet, audit_id, per_occurrence.id, seq=1, outcome="fail", occurrences=2, note="两次")
    failed = row()
    assert pressed(failed) == ["fail"] and ">2</output>" in failed and "disabled" not in failed
    assert 'data-state="saved"' in failed
    tap(tablet, audit_id, per_occurrence.id, seq=2, outcome="pass")
    assert pressed(row()) == ["pass"]


def test_submit_says_what_is_missing_then_submits_once_and_is_immutable(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    audit_id = start(client, template, person_id=staff.employee.id)
    for item in items[:-1]:
        tap(client, audit_id, item.id, seq=1)
    submit = {"csrf_token": client.token, "seqs": ""}
    missing = client.post(f"/audits/{audit_id}/submit", data=submit)
    assert missing.status_code == 409
    assert "1 item is not answered yet" in missing.text and items[-1].code in missing.text
    tap(client, audit_id, items[-1].id, seq=1)
    # The tablet says it tapped item 0 a second time: that tap has not arrived → refused.
    behind = client.post(f"/audits/{audit_id}/submit", data={**submit, "seqs": f"{items[0].id}:2"})
    assert behind.status_code == 409 and "1 tap is still on its way" in behind.text
    done = client.post(f"/audits/{audit_id}/submit", data={**submit, "seqs": f"{items[0].id}:1"})
    assert done.status_code == 303
    again = client.post(f"/audits/{audit_id}/submit", data=submit)
    assert again.status_code == 303 and again.headers["location"].startswith(f"/audits/{audit_id}")
    with db.session(write=False) as session:
        audit = session.get(Audit, audit_id)
        assert audit.status == AuditStatus.submitted and audit.score == 100.0
        submits = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "audit.submit")
        ).all()
    assert len(submits) == 1
    # Immutable: a tap after submission is refused with an explanation.
    late = tap(client, audit_id, items[0].id, seq=9, outcome="fail")
    assert late.status_code == 409 and "amendment" in late.text
    assert _results(db, audit_id)[items[0].id].outcome.value == "pass"
    page = client.get(f"/audits/{audit_id}")
    assert page.status_code == 200 and "100.0" in page.text


def test_branch_subject_audit_needs_one_of_my_branches(db, make_client):
    staff = make_branch_staff(db)
    template, _v, _items = make_checklist(db, subject=Subject.branch)
    client = signed_in(make_client, staff.supervisor)
    form = client.get(f"/audits/new?template={template.code}").text
    assert 'name="branch_id"' in form and 'name="person_id"' not in form
    audit_id = start(client, template, branch_id=staff.team.branch_id)
    with db.session(write=False) as session:
        audit = session.get(Audit, audit_id)
        assert audit.subject_person_id is None and audit.branch_id == staff.team.branch_id
    from tests.factories import make_branch

    elsewhere = make_branch(db)
    response = client.post(
        "/audits/new",
        data={
            "csrf_token": client.token,
            "template": template.code,
            "start_key": "branch-key-0123456789ab",
            "method": "on_site",
            "observed_at": "2026-11-20T10:30",
            "branch_id": str(elsewhere.id),
        },
    )
    assert response.status_code == 400 and "Choose one of your branches." in response.text


def test_a_draft_can_be_thrown_away_but_a_submitted_audit_never(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    client = signed_in(make_client, staff.supervisor)
    draft_id = start(client, template, person_id=staff.employee.id)
    tap(client, draft_id, items[0].id, seq=1)
    thrown = client.post(f"/audits/{draft_id}/discard", data={"csrf_token": client.token})
    assert thrown.status_code == 303
    with db.session(write=False) as session:
        assert session.get(Audit, draft_id) is None
    assert _results(db, draft_id) == {}
    submitted_id = start(client, template, person_id=staff.employee.id)
    for item in items:
        tap(client, submitted_id, item.id, seq=1)
    done = client.post(
        f"/audits/{submitted_id}/submit", data={"csrf_token": client.token, "seqs": ""}
    )
    assert done.status_code == 303
    refused = client.post(f"/audits/{submitted_id}/discard", data={"csrf_token": client.token})
    assert refused.status_code == 409
    with db.session() as session:
        submitted = session.get(Audit, submitted_id)
        # The service itself refuses too (a CLI or an import goes through it, not the route).
        with pytest.raises(taking.DiscardRefused):
            taking.discard_draft(session, audit=submitted, actor=session.merge(staff.supervisor))
    with db.session(write=False) as session:
        assert session.get(Audit, submitted_id).status == AuditStatus.submitted


def _row(page: str, item_id: int) -> str:
    start_at = page.index(f'id="item-{item_id}"')
    return page[start_at : page.index("</form>", start_at)]


def test_each_row_says_what_the_item_is_worth_in_the_readers_language(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db)
    weighted, _w, weighted_items = make_checklist(
        db, scoring=Scoring.weighted, sections=[("礼仪", [{"points": 4}])]
    )
    tablet = signed_in(make_client, staff.supervisor)
    draft = f"/audits/{start(tablet, template, person_id=staff.employee.id)}"
    page = tablet.get(draft).text
    assert '<span lang="en">Check 1</span>' in _row(page, items[0].id)
    assert '<span class="item-points">3 points</span>' in _row(page, items[0].id)
    assert "2 per occurrence, at most 10" in _row(page, items[1].id)
    assert '<span class="badge badge-critical">Veto item</span>' in _row(page, items[3].id)
    weighted_page = tablet.get(
        f"/audits/{start(tablet, weighted, person_id=staff.employee.id)}"
    ).text
    assert '<span class="item-points">weight 4</span>' in _row(weighted_page, weighted_items[0].id)
    tablet.submit("/language", {"locale": "zh_CN", "next": "/"}, token_page="/")
    chinese = tablet.get(draft).text
    assert '<span lang="zh-CN">检查项 1</span>' in _row(chinese, items[0].id)
    assert '<span class="item-points">3 分</span>' in _row(chinese, items[0].id)
    assert "每次扣 2 分，最多扣 10 分" in _row(chinese, items[1].id)
    assert "一票否决项" in _row(chinese, items[3].id)
