"""Template authoring pages: build a checklist from published standards, versions like
standards (publishing freezes a version; edits make a new draft), the file pages, and who
may do it."""

import pytest
from sqlmodel import select

from audits import templates as service
from audits.models import AuditTemplate, Scoring, Subject, TemplateStatus, TemplateVersion
from frontline.audit_trail import AuditTrailEvent
from staff.models import Role
from tests.audits.file_helpers import TEMPLATE_YAML, VETO_CHECK, make_issue_standards
from tests.audits.taking_helpers import make_checklist
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_person


@pytest.fixture
def author(db, client):
    make_issue_standards(db)
    person = make_person(db, role=Role.author)
    client.login(person.employee_no, PASSWORD)
    return person


FORM = {
    "code": "CTR-09",
    "subject": "employee",
    "scoring": "deduction",
    "title_zh": "柜面服务检查",
    "title_en": "Counter service check",
    "s0_title_zh": "服务礼仪",
    "s0_title_en": "Etiquette",
    "i0_section": "0",
    "i0_code": "CTR-09-01",
    "i0_text_zh": "举手招迎",
    "i0_text_en": "Raise a hand",
    "i0_standard": "grt-01",
    "i0_points": "3",
    "i1_section": "0",
    "i1_code": "CTR-09-02",
    "i1_text_zh": "无服务禁语",
    "i1_standard": "LNG-02",
    "i1_points": "10",
    "i1_per_occurrence": "2",
    "i2_section": "0",
    "i2_code": "CTR-09-03",
    "i2_text_zh": "核验有效身份证件",
    "i2_standard": "IDV-01",
    "i2_veto": "1",
    "i2_veto_check": VETO_CHECK["zh"],
    "i3_section": "0",  # a blank row is no item
}


def test_an_author_builds_and_publishes_a_template(db, client, author):
    assert client.get("/audits/templates/new").status_code == 200
    response = client.submit("/audits/templates/new", {**FORM, "action": "save"})
    assert response.status_code == 303, response.text[:3000]
    assert response.headers["location"].startswith("/audits/templates/CTR-09")
    page = client.get("/audits/templates/CTR-09")
    assert page.status_code == 200
    assert "CTR-09-02" in page.text and "Draft" in page.text
    published = client.submit("/audits/templates/CTR-09/publish", {"change_note": "首版"})
    assert published.status_code == 303
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-09")
        version = service.current_version(session, template=template)
        assert version.status == TemplateStatus.published
        items = service.items_of(session, version_id=version.id)
        assert [(i.code, i.points, i.per_occurrence, i.veto) for i in items] == [
            ("CTR-09-01", 3, None, False),
            ("CTR-09-02", 10, 2, False),
            ("CTR-09-03", 0, None, True),
        ]
        assert items[0].standard_code == "GRT-01"
        assert (items[2].veto_check_zh, items[2].veto_check_en) == (
            VETO_CHECK["zh"],
            VETO_CHECK["en"],
        )
        actions = {e.action for e in session.exec(select(AuditTrailEvent))}
        assert {"audit_template.create", "audit_template.publish"} <= actions


def test_editing_a_published_template_makes_a_new_draft_and_keeps_the_old_version(
    db, client, author
):
    client.submit("/audits/templates/new", {**FORM, "action": "save"})
    client.submit("/audits/templates/CTR-09/publish", {"change_note": "首版"})
    form = {k: v for k, v in FORM.items() if k not in ("code", "subject")}
    saved = client.submit(
        "/audits/templates/CTR-09/edit", {**form, "i0_points": "5", "action": "save"}
    )
    assert saved.status_code == 303
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-09")
        first, second = service.versions(session, template=template)
        assert (first.status, second.status) == (TemplateStatus.published, TemplateStatus.draft)
        assert service.items_of(session, version_id=first.id)[0].points == 3
        assert service.items_of(session, version_id=second.id)[0].points == 5
    assert "Version 1" in client.get("/audits/templates/CTR-09/versions/1").text
    client.submit("/audits/templates/CTR-09/publish", {"change_note": "加分"})
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-09")
        statuses = [v.status for v in service.versions(session, template=template)]
    assert statuses == [TemplateStatus.superseded, TemplateStatus.published]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"i0_standard": "NOPE-1"}, "NOPE-1 is not a published standard"),
        ({"i1_per_occurrence": "20"}, "per_occurrence cannot be more than"),
        ({"i0_points": "lots"}, "points must be a number"),
        ({"code": "ctr 9"}, "The code is 2–32 capital letters"),
        ({"i2_veto_check": "别的"}, "IDV-01 has no such veto check"),
        ({"title_zh": ""}, "title needs the Chinese text"),
    ],
)
def test_bad_fields_are_refused_with_a_message_and_nothing_is_saved(
    db, client, author, change, words
):
    response = client.submit("/audits/templates/new", {**FORM, **change, "action": "save"})
    assert response.status_code == 400
    assert words in response.text
    # what was typed is still there
    assert "CTR-09-02" in response.text
    with db.session() as session:
        assert session.exec(select(AuditTemplate)).first() is None


def test_more_rows_and_sections_keep_what_was_typed(client, author):
    more = client.submit("/audits/templates/new", {**FORM, "action": "add_section"})
    assert more.status_code == 200
    assert 'name="s1_title_zh"' in more.text and "CTR-09-02" in more.text


def test_the_file_pages_import_with_a_dry_run_and_export(db, client, author):
    page = client.get("/audits/templates/import")
    token = client.csrf_token("/audits/templates/import")
    files = {"file": ("t.yaml", TEMPLATE_YAML.encode())}
    dry = client.post(
        "/audits/templates/import", data={"csrf_token": token, "dry_run": "1"}, files=files
    )
    assert page.status_code == dry.status_code == 200
    assert "CTR-01: new template, published (version 1)" in dry.text
    with db.session() as session:
        assert session.exec(select(AuditTemplate)).first() is None
    done = client.post("/audits/templates/import", data={"csrf_token": token}, files=files)
    assert "Import applied." in done.text
    exported = client.get("/audits/templates.yaml")
    assert exported.status_code == 200 and "code: CTR-01" in exported.text
    bad = client.post(
        "/audits/templates/import",
        data={"csrf_token": token},
        files={"file": ("t.yaml", TEMPLATE_YAML.replace("GRT-01", "GRT-99").encode())},
    )
    assert bad.status_code == 400 and "Line 10" in bad.text


@pytest.mark.parametrize("role", [Role.employee, Role.supervisor, Role.hr])
def test_only_authors_reach_the_template_pages(db, client, role):
    make_issue_standards(db)
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)
    for url in (
        "/audits/templates",
        "/audits/templates/new",
        "/audits/templates/import",
        "/audits/templates.yaml",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.submit(
            "/audits/templates/new", {**FORM, "action": "save"}, token_page="/"
        ).status_code
        == 403
    )
    with db.session() as session:
        assert session.exec(select(AuditTemplate)).first() is None


def test_unknown_and_garbage_codes_are_not_found(client, author):
    assert client.get("/audits/templates/NOPE-01").status_code == 404
    assert client.get("/audits/templates/CTR-09/versions/0").status_code in (404, 422)
    assert client.submit("/audits/templates/NOPE-01/publish", {}).status_code == 404


# ---- two authors at once ---------------------------------------------------------------------

CONTENT = {
    "title": {"zh": "同时保存", "en": "Saved at once"},
    "scoring": "deduction",
    "sections": [
        {
            "title": {"zh": "服务礼仪", "en": "Etiquette"},
            "items": [{"code": "TWC-01", "text": {"zh": "举手招迎", "en": ""}, "points": 3}],
        }
    ],
}


def test_a_template_code_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two authors creating the same code at once both find it free; on PostgreSQL the
    second's insert waits for the first, then is refused as a taken code, not a 500."""

    def hold(session):  # another author's template, not yet committed
        session.add(AuditTemplate(code="TWC-01", subject=Subject.employee))
        session.flush()

    def create(session):
        return service.create_template(
            session, code="TWC-01", subject=Subject.employee, content=CONTENT, actor_id=None
        )

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, service.CodeTaken)
    assert str(second) == "A template with the code TWC-01 already exists."


def test_a_template_saved_twice_at_once_gets_one_new_draft(db, database_url):
    """Two authors saving a published template at once: the second waits for the first
    (PostgreSQL: the template is locked) and writes into the draft the first made, rather
    than making the same version number again."""
    template, _, _ = make_checklist(db, code="TWC-02")

    def hold(session):  # another author's new draft, not yet committed
        session.exec(select(AuditTemplate).where(AuditTemplate.id == template.id).with_for_update())
        draft = TemplateVersion(
            template_id=template.id,
            number=2,
            title_zh="另一位作者的草稿",
            scoring=Scoring.deduction,
        )
        session.add(draft)

    def save(session):
        template_now = session.get(AuditTemplate, template.id)
        return service.save_draft(session, template=template_now, content=CONTENT, actor_id=None)

    _, _, saved = at_once(db, database_url, hold=hold, second=save)
    assert saved.number == 2 and saved.title_zh == "同时保存"
