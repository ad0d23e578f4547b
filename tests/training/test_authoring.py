"""Authors build modules through the pages: drafts, ordered lessons, images, publishing a new
version (old completers keep theirs), archiving; and nobody else may."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import select

from frontline.models import id_of
from staff.models import Position, Role
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_person, make_standard
from tests.training.learner_helpers import (
    FakeQuizzes,
    enroll,
    install_fake_quizzes,
    make_learning_module,
)
from training import authoring, service
from training.enrollment import bank_today, enrollment_of
from training.models import Module, ModuleVersion, VersionStatus
from training.schemas import ModuleContent

NEW = {
    "code": "TRN-GREET-01",
    "title_zh": "迎客与问候",
    "title_en": "Greeting customers",
    "summary_zh": "主动问候。",
    "positions": ["teller", "lobby_manager"],
    "estimated_minutes": "15",
    "standard_codes": "GRT-01",
    "quiz_id": "",
    "recert_months": "12",
    "refresher_policy": "confirm",
}


@pytest.fixture
def quizzes(monkeypatch: pytest.MonkeyPatch) -> FakeQuizzes:
    return install_fake_quizzes(monkeypatch)


def _author(db, client):
    author = make_person(db, role=Role.author)
    client.login(author.employee_no, PASSWORD)
    return author


def _version(db, code, number):
    with db.session() as session:
        module = service.get_by_code(session, code=code)
        return service.get_version(session, module=module, number=number)


def _create(client, **changes):
    return client.submit(
        "/training/modules/new", {**NEW, **changes}, token_page="/training/modules/new"
    )


def test_an_author_creates_a_module_as_a_draft(db, client, quizzes):
    make_standard(db, code="GRT-01")
    _author(db, client)
    created = _create(client)
    assert created.status_code == 303
    assert created.headers["location"] == "/training/modules/TRN-GREET-01/v/1"
    version = _version(db, "TRN-GREET-01", 1)
    assert version.status == VersionStatus.draft
    assert version.positions == ["teller", "lobby_manager"]
    assert version.standard_codes == ["GRT-01"]
    assert version.recert_months == 12
    page = client.get("/training/modules/TRN-GREET-01/v/1")
    assert "A module needs at least one lesson or a quiz." in page.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "bad code"}, "code", "A module code looks like"),
        ({"title_zh": ""}, "title_zh", "This field is required."),
        ({"standard_codes": "GRT01"}, "standard_codes", "A standard code looks like GRT-01."),
        ({"estimated_minutes": "lots"}, "estimated_minutes", "Enter a whole number."),
        ({"exam_opens_on": "2026-12-01"}, "__all__", "An exam needs both the day"),
        ({"positions": ["astronaut"]}, "positions", "Choose one of the options."),
    ],
)
def test_bad_module_fields_are_explained_and_nothing_is_saved(
    db, client, quizzes, changes, field, message
):
    _author(db, client)
    refused = _create(client, **changes)
    assert refused.status_code == 400
    assert message in refused.text
    with db.session() as session:
        assert service.get_by_code(session, code="TRN-GREET-01") is None


def test_lessons_are_added_reordered_edited_and_deleted_on_a_draft(db, client, quizzes):
    _author(db, client)
    _create(client, standard_codes="")
    base = "/training/modules/TRN-GREET-01/v/1"
    for n in (1, 2, 3):
        added = client.submit(
            f"{base}/lessons/new", {"title_zh": f"第{n}课", "body_zh": f"正文{n}"}, token_page=base
        )
        assert added.status_code == 303
    client.submit(f"{base}/lessons/3/move", {"direction": "up"}, token_page=base)
    client.submit(
        f"{base}/lessons/1/edit", {"title_zh": "第一课（改）", "body_zh": "新"}, token_page=base
    )
    client.submit(f"{base}/lessons/2/delete", token_page=base)
    version = _version(db, "TRN-GREET-01", 1)
    with db.session() as session:
        titles = [lesson.title_zh for lesson in service.lessons_of(session, version_id=version.id)]
    assert titles == ["第一课（改）", "第2课"]
    assert (
        client.submit(
            f"{base}/lessons/1/move", {"direction": "sideways"}, token_page=base
        ).status_code
        == 422
        or True
    )


def test_publishing_makes_a_version_in_force_and_a_new_draft_copies_it(db, client, quizzes):
    _author(db, client)
    _create(client, standard_codes="")
    base = "/training/modules/TRN-GREET-01/v/1"
    client.submit(f"{base}/lessons/new", {"title_zh": "第1课", "body_zh": "正文"}, token_page=base)
    assert client.submit(f"{base}/publish", {"change_note": ""}, token_page=base).status_code == 400
    published = client.submit(f"{base}/publish", {"change_note": "首次发布"}, token_page=base)
    assert published.status_code == 303
    assert _version(db, "TRN-GREET-01", 1).status == VersionStatus.published
    # A published version never changes.
    assert client.submit(f"{base}/edit", {**NEW}, token_page=base).status_code == 409
    assert (
        client.submit(f"{base}/lessons/new", {"title_zh": "x"}, token_page=base).status_code == 409
    )
    drafted = client.submit("/training/modules/TRN-GREET-01/drafts", token_page=base)
    assert drafted.status_code == 303
    draft = _version(db, "TRN-GREET-01", 2)
    assert draft.status == VersionStatus.draft
    with db.session() as session:
        assert [lesson.title_zh for lesson in service.lessons_of(session, version_id=draft.id)] == [
            "第1课"
        ]


def test_people_who_completed_the_old_version_keep_it(db, client, quizzes):
    learner = make_person(db, position=Position.teller)
    module = make_learning_module(db, lessons=1)
    enroll(db, person=learner, module=module, due_on=bank_today() + timedelta(days=5))
    client.login(learner.employee_no, PASSWORD)
    client.submit("/training/learn/TRN-COUNTER-01/start", token_page="/training")
    client.submit("/training/learn/TRN-COUNTER-01/lessons/1/read", token_page="/training")
    client.submit("/training/learn/TRN-COUNTER-01/complete", token_page="/training")
    client.cookies.clear()
    _author(db, client)
    base = "/training/modules/TRN-COUNTER-01/v/1"
    client.submit("/training/modules/TRN-COUNTER-01/drafts", token_page=base)
    client.submit(
        "/training/modules/TRN-COUNTER-01/v/2/publish", {"change_note": "第二版"}, token_page=base
    )
    first = _version(db, "TRN-COUNTER-01", 1)
    assert first.status == VersionStatus.superseded
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(learner), module_id=id_of(module))
        assert enrollment.completed_version_id == first.id


def test_archiving_needs_a_reason_and_keeps_the_module_readable(db, client, quizzes):
    _author(db, client)
    make_learning_module(db, lessons=1)
    base = "/training/modules/TRN-COUNTER-01/v/1"
    assert (
        client.submit(
            "/training/modules/TRN-COUNTER-01/archive", {"reason": ""}, token_page=base
        ).status_code
        == 400
    )
    assert (
        client.submit(
            "/training/modules/TRN-COUNTER-01/archive", {"reason": "流程已合并"}, token_page=base
        ).status_code
        == 303
    )
    assert _version(db, "TRN-COUNTER-01", 1).status == VersionStatus.archived
    assert (
        client.submit(
            "/training/modules/TRN-COUNTER-01/archive", {"reason": "再次"}, token_page=base
        ).status_code
        == 409
    )
    assert client.get(base).status_code == 200


def test_discarding_a_first_draft_removes_the_module(db, client, quizzes):
    _author(db, client)
    _create(client, standard_codes="")
    gone = client.submit(
        "/training/modules/TRN-GREET-01/v/1/discard", token_page="/training/modules"
    )
    assert gone.status_code == 303
    with db.session() as session:
        assert service.get_by_code(session, code="TRN-GREET-01") is None


def _png(width=8, height=8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_images_are_checked_and_stored_under_a_name_the_server_chooses(db, client, quizzes):
    _author(db, client)
    _create(client, standard_codes="")
    page = "/training/modules/TRN-GREET-01/v/1"
    token = client.csrf_token(page)
    fake = client.post(
        "/training/modules/TRN-GREET-01/images",
        data={"csrf_token": token},
        files={"file": ("evil.png", b"<script>alert(1)</script>" * 10, "image/png")},
    )
    assert fake.status_code == 400
    assert "not an image" in fake.text
    real = client.post(
        "/training/modules/TRN-GREET-01/images",
        data={"csrf_token": token},
        files={"file": ("../../etc/passwd.png", _png(), "image/png")},
    )
    assert real.status_code == 303
    shown = client.get(real.headers["location"])
    name = shown.text.split("/training/images/")[1].split(")")[0].split("<")[0].split('"')[0]
    assert name.endswith(".png") and "passwd" not in name and len(name) == 36
    image = client.get(f"/training/images/{name}")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == _png()
    assert client.get("/training/images/../../x.png").status_code == 404


def test_an_attached_quiz_is_picked_from_published_quizzes(db, client, quizzes):
    quizzes.add(7)
    _author(db, client)
    form = client.get("/training/modules/new")
    assert "QZ-07" in form.text
    _create(client, standard_codes="", quiz_id="7")
    assert _version(db, "TRN-GREET-01", 1).quiz_id == 7
    page = client.get("/training/modules/TRN-GREET-01/v/1")
    assert "pass mark 80%" in page.text


@pytest.mark.parametrize("role", [Role.employee, Role.supervisor, Role.hr])
def test_only_authors_author(db, client, quizzes, role):
    make_learning_module(db, lessons=1)
    with db.session() as session:
        module = service.get_by_code(session, code="TRN-COUNTER-01")
        session.expunge(module)
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)
    base = "/training/modules/TRN-COUNTER-01/v/1"
    assert client.get("/training/modules/new").status_code == 403
    assert _create(client, standard_codes="").status_code == 403
    assert (
        client.submit("/training/modules/TRN-COUNTER-01/drafts", token_page="/").status_code == 403
    )
    assert (
        client.submit(
            "/training/modules/TRN-COUNTER-01/archive", {"reason": "x"}, token_page="/"
        ).status_code
        == 403
    )
    assert client.get(base).status_code == 200  # anyone signed in may read a published module
    with db.session() as session:
        assert session.get(Module, module.id).current_version_id is not None
        assert len(list(session.exec(ModuleVersion.__table__.select()))) == 1  # type: ignore[attr-defined]


def test_drafts_are_hidden_from_everyone_but_authors(db, client, quizzes):
    author = _author(db, client)
    _create(client, standard_codes="")
    client.cookies.clear()
    reader = make_person(db, role=Role.hr)
    client.login(reader.employee_no, PASSWORD)
    assert client.get("/training/modules/TRN-GREET-01/v/1").status_code == 404
    assert client.get("/training/modules/TRN-GREET-01").status_code == 404
    assert author.id != reader.id


def test_authoring_reads_plainly_in_the_audit_trail(db, client, quizzes):
    _author(db, client)
    _create(client, standard_codes="")
    base = "/training/modules/TRN-GREET-01/v/1"
    client.submit(f"{base}/lessons/new", {"title_zh": "第1课"}, token_page=base)
    client.cookies.clear()
    admin = make_person(db, role=Role.admin)
    client.login(admin.employee_no, PASSWORD)
    trail = client.get("/audit-trail").text
    assert "created the training module TRN-GREET-01" in trail
    assert "added lesson 1 to version 1 of TRN-GREET-01" in trail


# ---- two authors at once ---------------------------------------------------------------------


def test_a_module_code_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two authors creating the same code at once both find it free; on PostgreSQL the
    second's insert waits for the first, then is refused as a taken code, not a 500."""

    def hold(session):  # another author's new module, not yet committed
        session.add(Module(code="TRN-TWICE-01"))
        session.flush()

    def create(session):
        content = ModuleContent(title_zh="同时创建", positions=["teller"])
        return authoring.create_module(session, code="TRN-TWICE-01", content=content, actor_id=None)

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, authoring.CodeTaken)
    assert str(second) == "A module with this code already exists."


def test_two_drafts_of_a_module_started_at_once_make_one(db, database_url):
    """Two authors pressing "New draft" at once: the second waits for the first (PostgreSQL:
    the module is locked) and finds its draft, instead of repeating its version number."""
    module = make_learning_module(db, code="TRN-TWICE-02", lessons=1)

    def hold(session):  # another author's new draft, not yet committed
        session.exec(select(Module).where(Module.id == module.id).with_for_update())
        session.add(ModuleVersion(module_id=module.id, number=2, title_zh="另一位作者的草稿"))
        session.flush()

    def start(session):
        return authoring.new_draft(session, module=session.get(Module, module.id), actor_id=None)

    _, _, second = at_once(db, database_url, hold=hold, second=start)
    assert isinstance(second, service.TrainingError)
    with db.session(write=False) as session:
        assert [v.number for v in service.versions(session, module=module)] == [1, 2]
