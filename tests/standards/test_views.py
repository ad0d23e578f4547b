"""The standards library through HTTP: authoring, publishing, immutability, retiring, diff,
search, printing, acknowledging and the coverage report, with each role's permissions."""

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from staff.models import Position, Role
from standards.models import Acknowledgment, Standard, StandardVersion, VersionStatus
from tests.factories import (
    PASSWORD,
    make_person,
    make_standard,
    make_team,
    publish_new_version,
    supervise,
)


def _as(db, client, role, **kwargs):
    person = make_person(db, role=role, **kwargs)
    client.login(person.employee_no, PASSWORD)
    return person


NEW_SCRIPT = {
    "kind": "script",
    "code": "grt-09",
    "title_zh": "电话迎客",
    "title_en": "Phone greeting",
    "category": "greeting",
    "severity": "major",
    "channels": ["phone"],
    "positions": ["call_agent"],
    "body_zh": "接通后**三秒内**问候。",
    "steps": "接通电话 | Answer the call\n报工号 | Give your staff number",
    "required_phrases": "您好,××号为您服务 | Hello, agent X speaking | 您好,很高兴为您服务",
    "forbidden_phrases": "喂? | Hello? (curt)",
}


def test_author_writes_a_script_and_publishes_it(db, client):
    author = _as(db, client, Role.author)
    response = client.submit("/standards/new", NEW_SCRIPT, token_page="/standards/new")
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/standards/GRT-09/v/1?saved=1"
    page = client.get("/standards/GRT-09/v/1?lang=zh").text
    assert "电话迎客" in page and "<strong>三秒内</strong>" in page
    assert "报工号" in page and "您好,很高兴为您服务" in page and "喂?" in page
    published = client.submit(
        "/standards/GRT-09/v/1/publish",
        {"effective_date": "2026-12-01", "change_note": "首次发布"},
        token_page="/standards/GRT-09/v/1",
    )
    assert published.headers["location"].startswith("/standards/GRT-09/v/1?done=")
    assert "Version 1 of GRT-09 published." in client.get(published.headers["location"]).text
    with db.session() as session:
        standard = session.exec(select(Standard).where(Standard.code == "GRT-09")).one()
        version = session.get(StandardVersion, standard.current_version_id)
        assert version.status == VersionStatus.published
        assert str(version.effective_date) == "2026-12-01"
        assert version.published_by_id == author.id
        actions = [e.action for e in session.exec(select(AuditTrailEvent))]
    assert "standard.create" in actions and "standard.publish" in actions


def test_bad_standard_form_keeps_everything_typed(db, client):
    _as(db, client, Role.author)
    bad = {
        **NEW_SCRIPT,
        "code": "not a code",
        "category": "attitude",
        "channels": [],
        "title_zh": "",
    }
    response = client.submit("/standards/new", bad, token_page="/standards/new")
    assert response.status_code == 400
    for message in (
        "such as GRT-01",
        "not one of this kind",
        "at least one channel",
        "This field is required",
    ):
        assert message in response.text, message
    assert "报工号 | Give your staff number" in response.text  # nothing typed is lost
    make_standard(db, code="DUP-01")
    dup = client.submit(
        "/standards/new", {**NEW_SCRIPT, "code": "DUP-01"}, token_page="/standards/new"
    )
    assert "already exists" in dup.text


def test_published_version_cannot_be_edited_by_any_route(db, client):
    _as(db, client, Role.author)
    _, version = make_standard(db, code="IMM-01", title_zh="原标题")
    assert client.get("/standards/IMM-01/v/1/edit").status_code == 409
    response = client.submit(
        "/standards/IMM-01/v/1/edit", {**NEW_SCRIPT, "title_zh": "偷改"}, token_page="/standards"
    )
    assert response.status_code == 409
    assert "can no longer be changed" in response.text
    again = client.submit(
        "/standards/IMM-01/v/1/publish",
        {"effective_date": "2027-01-01", "change_note": "x"},
        token_page="/standards",
    )
    assert again.status_code == 409
    with db.session() as session:
        assert session.get(StandardVersion, version.id).title_zh == "原标题"


def test_database_refuses_to_change_a_published_version(db):
    _, version = make_standard(db, code="IMM-02")
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(
            text("UPDATE standard_version SET title_zh = 'x' WHERE id = :id"), {"id": version.id}
        )
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(text("DELETE FROM standard_version WHERE id = :id"), {"id": version.id})


def test_new_version_diff_and_history(db, client):
    _as(db, client, Role.author)
    make_standard(db, code="GRT-01", title_zh="柜面迎客", body_zh="起身迎接客户。")
    start = client.submit("/standards/GRT-01/drafts", token_page="/standards")
    assert start.headers["location"].startswith("/standards/GRT-01/v/2/edit?done=")
    form = client.get("/standards/GRT-01/v/2/edit").text
    assert "柜面迎客" in form  # the draft starts as a copy
    changed = {
        **NEW_SCRIPT,
        "title_zh": "柜面迎客",
        "category": "greeting",
        "channels": ["counter"],
        "positions": ["teller"],
        "body_zh": "举手招迎,起身迎接客户。",
    }
    changed.pop("code"), changed.pop("kind")
    assert (
        client.submit("/standards/GRT-01/v/2/edit", changed, token_page="/standards").status_code
        == 303
    )
    client.submit(
        "/standards/GRT-01/v/2/publish",
        {"effective_date": "2026-06-01", "change_note": "增加举手招迎"},
        token_page="/standards",
    )
    v1 = client.get("/standards/GRT-01/v/1").text
    assert "no longer in force" in v1
    diff = client.get("/standards/GRT-01/diff?a=1&b=2").text
    assert "<ins>" in diff and "举手招迎," in diff
    assert "增加举手招迎" in diff
    assert "Body (Chinese)" in diff
    same = client.get("/standards/GRT-01/diff?a=2&b=2").text
    assert "same content" in same


def test_retire_takes_a_standard_out_of_the_library(db, client):
    _as(db, client, Role.author)
    make_standard(db, code="OLD-01", title_zh="纸质凭条")
    missing_note = client.submit(
        "/standards/OLD-01/retire", {"change_note": ""}, token_page="/standards"
    )
    assert missing_note.status_code == 400
    retired = client.submit(
        "/standards/OLD-01/retire", {"change_note": "无纸化"}, token_page="/standards"
    )
    assert retired.status_code == 303
    assert "OLD-01" not in client.get("/standards").text
    assert "OLD-01" in client.get("/standards?status=retired").text
    assert "retired and is no longer in force" in client.get("/standards/OLD-01/v/1").text


def test_discard_a_first_draft(db, client):
    _as(db, client, Role.author)
    make_standard(db, code="DRF-01", publish=False)
    response = client.submit("/standards/DRF-01/v/1/discard", token_page="/standards")
    assert response.status_code == 303
    assert client.get("/standards/DRF-01").status_code == 404


def test_search_and_filters_in_both_languages(db, client):
    _as(db, client, Role.employee, position=Position.teller)
    make_standard(
        db,
        code="IDV-01",
        category="identity_verification",
        severity="critical",
        title_zh="身份核验",
        title_en="Identity verification",
        channels=["counter"],
    )
    make_standard(
        db,
        code="PHN-01",
        category="phone",
        title_zh="电话服务",
        title_en="Phone service",
        channels=["phone"],
        positions=["call_agent"],
    )
    make_standard(
        db,
        code="ATT-01",
        kind="rule",
        title_zh="服务态度",
        title_en="Attitude",
        channels=["counter", "lobby"],
        steps=[],
        required_phrases=[],
    )
    make_standard(db, code="DRF-02", publish=False, title_zh="草稿不可见")

    def codes(query):
        return set(
            re.findall(r'class="code">([A-Z]+-\d+)<', client.get(f"/standards?{query}").text)
        )

    assert codes("") == {"IDV-01", "PHN-01", "ATT-01"}
    assert codes("q=身份") == {"IDV-01"}
    assert codes("q=identity") == {"IDV-01"}
    assert codes("q=phn-01") == {"PHN-01"}
    assert codes("q=没看见我忙") == {"IDV-01", "PHN-01", "ATT-01"}  # forbidden phrases are searched
    assert codes("channel=phone") == {"PHN-01"}
    assert codes("position=call_agent") == {"PHN-01"}
    assert codes("severity=critical") == {"IDV-01"}
    assert codes("kind=rule") == {"ATT-01"}
    assert codes("category=phone&channel=counter") == set()
    chosen = client.get("/standards?channel=phone&position=call_agent&severity=critical").text
    for value in ("phone", "call_agent", "critical", "in_force"):  # the form keeps the filters
        assert re.search(rf'<option value="{value}"\s*selected', chosen), value
    assert codes("status=drafts") == {"IDV-01", "PHN-01", "ATT-01"}  # employees never see drafts
    assert client.get("/standards/DRF-02").status_code == 404
    assert client.get("/standards?q=%25").status_code == 200
    fragment = client.get(
        "/standards?q=身份", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in fragment.text and "IDV-01" in fragment.text
    chinese = client.get("/standards", headers={"Accept-Language": "zh-CN"}).text
    assert "身份核验" in chinese


def test_library_pages_count_what_matches(db, client, monkeypatch):
    """The count comes with the page's rows; past the last page, the last page is shown."""
    from standards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _as(db, client, Role.employee, position=Position.teller)
    for number in range(1, 6):
        make_standard(db, code=f"PGE-0{number}", title_zh=f"分页{number}", channels=["counter"])
    make_standard(db, code="OTH-01", title_zh="别的", channels=["phone"])

    def listed(query):
        page = client.get(f"/standards?{query}").text
        count = re.search(r'class="result-count">([^<]*)<', page)
        return count and count.group(1), re.findall(r'class="code">([A-Z]+-\d+)<', page)

    assert listed("") == ("6 standards", ["OTH-01", "PGE-01"])
    assert listed("q=分页&page=2") == ("5 standards", ["PGE-03", "PGE-04"])
    assert listed("q=分页&page=9") == ("5 standards", ["PGE-05"])
    assert listed("q=分页&channel=counter&page=3") == ("5 standards", ["PGE-05"])
    assert listed("q=分页&channel=phone") == ("0 standards", [])
    assert listed("q=分页&channel=phone&page=4") == ("0 standards", [])


def test_cards_kept_rendered_still_say_what_is_true(db, client):
    """Cards are rendered once per language and content (frontline.web.kept_fragment): each
    language, a new title and the reader's own acknowledgment still show at once."""
    make_standard(db, code="KPT-01", title_zh="旧标题", title_en="Old title", positions=["teller"])
    _as(db, client, Role.employee, position=Position.teller)
    english = {"Accept-Language": "en"}
    chinese = {"Accept-Language": "zh-CN"}
    for path in ("/standards", "/acknowledgments"):
        assert "Old title" in client.get(path, headers=english).text
        assert "旧标题" in client.get(path, headers=chinese).text
    assert "unread-mark" in client.get("/standards", headers=english).text
    client.acknowledge("/standards/KPT-01/v/1")
    assert "unread-mark" not in client.get("/standards", headers=english).text
    publish_new_version(
        db, "KPT-01", effective="2026-12-01", title_zh="新标题", title_en="New title"
    )
    for path in ("/standards", "/acknowledgments"):
        page = client.get(path, headers=english).text
        assert "New title" in page and "Old title" not in page
    assert "unread-mark" in client.get("/standards", headers=english).text
    assert "effective 2026-12-01" in client.get("/acknowledgments", headers=english).text


def test_a_version_kept_rendered_still_shows_each_language(db, client):
    """A version's content is rendered once per worker (standards/kept_bodies.py): the reading
    language and the interface language each still show."""
    make_standard(db, code="KPT-02", positions=["teller"])
    _as(db, client, Role.employee, position=Position.teller)
    page = "/standards/KPT-02/v/1"
    english, chinese = {"Accept-Language": "en"}, {"Accept-Language": "zh-CN"}
    chinese_text = client.get(page + "?lang=zh", headers=english).text
    assert "客户走近时主动问候" in chinese_text and "<dt>Kind</dt>" in chinese_text
    english_text = client.get(page + "?lang=en", headers=english).text
    assert "Greet the customer first" in english_text
    assert "客户走近时主动问候" not in english_text
    chinese_labels = client.get(page + "?lang=zh", headers=chinese).text
    assert "<dt>类型</dt>" in chinese_labels and "<dt>Kind</dt>" not in chinese_labels


def test_bad_filter_values_get_a_clear_answer_not_a_500(db, client):
    _as(db, client, Role.employee)
    assert client.get("/standards?channel=fax").status_code == 400
    assert client.get("/standards?status=everything").status_code == 400
    assert client.get("/standards/not-a-code").status_code in (400, 404)


def test_printable_view_has_no_navigation(db, client):
    _as(db, client, Role.employee)
    make_standard(db, code="PRT-01", title_zh="打印测试")
    page = client.get("/standards/PRT-01/v/1/print?lang=zh").text
    assert "打印测试" in page and "Log out" not in page and "print.css" in page


def test_acknowledge_only_applicable_positions(db, client, make_client):
    make_standard(db, code="ACK-01", positions=["teller"])
    make_standard(db, code="ACK-02", positions=["call_agent"])
    teller = _as(db, client, Role.employee, position=Position.teller)
    mine = client.get("/acknowledgments").text
    assert "ACK-01" in mine and "ACK-02" not in mine
    assert "ACK-01" in client.get("/").text  # on the home page too
    page = client.get("/standards/ACK-01/v/1").text
    assert "I have read and understood" in page
    refused = client.submit("/standards/ACK-02/v/1/acknowledge", token_page="/standards")
    assert refused.status_code == 409 and "does not apply to your position" in refused.text
    done = client.acknowledge("/standards/ACK-01/v/1", headers={"HX-Request": "true"})
    assert done.status_code == 200 and "You acknowledged this version" in done.text
    assert "<html" not in done.text
    token = client.csrf_token("/standards")
    opened = re.search(r'name="opened_at" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    again = client.post(
        "/standards/ACK-01/v/1/acknowledge",
        data={"opened_at": opened},
        headers={"X-CSRF-Token": token},
    )
    assert again.status_code == 303
    with db.session() as session:
        acks = session.exec(select(Acknowledgment)).all()
    assert len(acks) == 1 and acks[0].person_id == teller.id
    assert "ACK-01" not in client.get("/acknowledgments").text


def test_a_new_version_must_be_acknowledged_again(db, client):
    make_standard(db, code="ACK-03", positions=["teller"])
    _as(db, client, Role.employee, position=Position.teller)
    client.acknowledge("/standards/ACK-03/v/1")
    assert "ACK-03" not in client.get("/acknowledgments").text
    publish_new_version(db, "ACK-03", effective="2026-12-01", title_zh="新版")
    assert "ACK-03" in client.get("/acknowledgments").text
    assert "You acknowledged this version" in client.get("/standards/ACK-03/v/1").text


def test_coverage_report_scoped_to_supervisor_and_remind(db, client, make_client):
    _, version = make_standard(db, code="COV-01", positions=["teller"])
    supervisor = make_person(db, role=Role.supervisor)
    mine = make_team(db, name="我的柜组")
    other = make_team(db, name="别人的组")
    supervise(db, supervisor=supervisor, team=mine)
    done = make_person(db, position=Position.teller, team=mine, name="已确认")
    todo = make_person(db, position=Position.teller, team=mine, name="未确认")
    make_person(db, position=Position.teller, team=other, name="别组柜员")
    make_person(db, position=Position.call_agent, team=mine, name="坐席不适用")
    device = make_client()
    device.login(done.employee_no, PASSWORD)
    device.acknowledge("/standards/COV-01/v/1")

    client.login(supervisor.employee_no, PASSWORD)
    report = client.get("/acknowledgments/report").text
    assert "COV-01" in report and "1 of 2" in report
    by_team = report.split("By standard")[0]
    assert "我的柜组" in by_team and "别人的组" not in by_team and "1 of 2" in by_team
    detail = client.get(f"/acknowledgments/report/{version.id}").text
    assert "已确认" in detail and "未确认" in detail
    assert "别组柜员" not in detail and "坐席不适用" not in detail
    reminded = client.submit(f"/acknowledgments/report/{version.id}/remind", token_page="/")
    assert reminded.headers["location"].endswith("reminded=1")
    other_device = make_client()
    other_device.login(todo.employee_no, PASSWORD)
    assert "Reminder sent" in other_device.get("/acknowledgments").text


def test_hr_report_covers_everyone(db, client):
    make_standard(db, code="COV-02", positions=["teller"])
    make_person(db, position=Position.teller, team=make_team(db))
    make_person(db, position=Position.teller, team=make_team(db))
    _as(db, client, Role.hr)
    report = client.get("/acknowledgments/report").text
    assert "0 of 2" in report
    assert report.split("By standard")[0].count("0 of 1 done") == 2  # one teller in each team


PERMISSIONS = [
    ("get", "/standards/new", {Role.author, Role.admin}),
    ("get", "/standards/import", {Role.author, Role.admin}),
    ("get", "/standards/export.yaml", {Role.author, Role.admin}),
    ("get", "/acknowledgments/report", {Role.supervisor, Role.hr, Role.admin}),
    ("get", "/standards", set(Role)),
    ("get", "/acknowledgments", set(Role)),
    ("post", "/standards/PRM-01/drafts", {Role.author, Role.admin}),
    ("post", "/standards/PRM-01/retire", {Role.author, Role.admin}),
]


@pytest.mark.parametrize("role", list(Role))
def test_permissions_for_each_role(db, client, role):
    make_standard(db, code="PRM-01")
    _as(db, client, role)
    for method, url, allowed in PERMISSIONS:
        if method == "get":
            status = client.get(url).status_code
        else:
            status = client.submit(url, {"change_note": "x"}, token_page="/standards").status_code
        assert (status in (200, 303, 400)) == (role in allowed), (role, url, status)
        if role not in allowed:
            assert status == 403, (role, url, status)


def test_signed_out_visitors_see_nothing(client):
    for url in ("/standards", "/acknowledgments", "/standards/GRT-01/v/1"):
        assert client.get(url).status_code == 303
