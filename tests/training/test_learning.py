"""An employee takes a module: My training, start, lesson by lesson with progress saved as
they go (and picked up on another device), the quiz through quizzes' service, completion."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from frontline.models import id_of
from staff.models import Position, Role
from tests.client import FrontlineClient
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_person
from tests.training.learner_helpers import (
    FakeQuizzes,
    enroll,
    install_fake_quizzes,
    make_learning_module,
)
from training import learning
from training.enrollment import bank_today, enrollment_of
from training.models import Certificate, Enrollment


@pytest.fixture
def quizzes(monkeypatch: pytest.MonkeyPatch) -> FakeQuizzes:
    return install_fake_quizzes(monkeypatch)


def _employee(db, client, **kwargs):
    person = make_person(db, position=Position.teller, **kwargs)
    client.login(person.employee_no, PASSWORD)
    return person


def _enrolled(db, client, *, due_in=20, **module_kwargs):
    person = _employee(db, client)
    module = make_learning_module(db, **module_kwargs)
    enroll(db, person=person, module=module, due_on=bank_today() + timedelta(days=due_in))
    return person, module


def _start(client, code="TRN-COUNTER-01"):
    return client.submit(f"/training/learn/{code}/start", token_page=f"/training/learn/{code}")


def _read(client, position, code="TRN-COUNTER-01"):
    page = f"/training/learn/{code}/lessons/{position}"
    return client.submit(page + "/read", token_page=page)


def test_my_training_lists_what_is_due_in_buckets(db, client):
    person = _employee(db, client)
    soon = make_learning_module(db, code="TRN-SOON")
    later = make_learning_module(db, code="TRN-LATER")
    enroll(db, person=person, module=soon, due_on=bank_today() + timedelta(days=3))
    enroll(db, person=person, module=later, due_on=bank_today() + timedelta(days=60))
    page = client.get("/training")
    assert page.status_code == 200
    text = page.text
    assert text.index("Due soon") < text.index("TRN-SOON") < text.index("To do")
    assert text.index("To do") < text.index("TRN-LATER")


def test_nothing_assigned_says_so(db, client):
    _employee(db, client)
    assert "No training is assigned to you" in client.get("/training").text


def test_a_module_not_assigned_to_me_is_not_there(db, client):
    _employee(db, client)
    make_learning_module(db)
    assert client.get("/training/learn/TRN-COUNTER-01").status_code == 404
    assert _start(client).status_code in (403, 404)


def test_lessons_open_only_after_starting(db, client):
    _enrolled(db, client)
    assert client.get("/training/learn/TRN-COUNTER-01/lessons/1").status_code == 404
    started = _start(client)
    assert started.status_code == 303
    assert started.headers["location"] == "/training/learn/TRN-COUNTER-01/lessons/1"
    lesson = client.get("/training/learn/TRN-COUNTER-01/lessons/1")
    assert lesson.status_code == 200
    assert "Lesson 1 of 3" in lesson.text


def test_progress_is_saved_and_picked_up_on_another_device(db, app, client):
    person, _ = _enrolled(db, client)
    _start(client)
    assert "0 of 3 lessons read" in client.get("/training").text
    assert _read(client, 1).headers["location"].endswith("/lessons/2")
    with FrontlineClient(app) as tablet:
        tablet.login(person.employee_no, PASSWORD)
        page = tablet.get("/training/learn/TRN-COUNTER-01")
        assert "Continue with lesson 2" in page.text
        assert "1 of 3 lessons read" in page.text
        assert "1 of 3 lessons read" in tablet.get("/training").text
    # My training's cards are kept rendered by their values: the next lesson read shows.
    _read(client, 2)
    mine = client.get("/training").text
    assert "2 of 3 lessons read" in mine and 'value="2" max="3"' in mine and ">67%<" in mine


def test_a_module_without_quiz_completes_when_every_lesson_is_read(db, client):
    person, module = _enrolled(db, client, lessons=2)
    _start(client)
    _read(client, 1)
    assert (
        client.submit(
            "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
        ).status_code
        == 409
    )
    assert _read(client, 2).headers["location"].endswith("#finish")
    page = client.get("/training/learn/TRN-COUNTER-01")
    assert "Complete the module" in page.text
    done = client.submit(
        "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith("/training/certificates/TC-")
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(person), module_id=id_of(module))
        assert enrollment.completed_on == bank_today()
        assert enrollment.completed_version_id == enrollment.version_id
        assert enrollment.expires_on is None
    assert "Completed" in client.get("/training").text


def _complete_in(session, person, module):
    from training.models import ModuleVersion

    enrollment = enrollment_of(session, person_id=id_of(person), module_id=id_of(module))
    version = session.get(ModuleVersion, enrollment.version_id)
    return learning.complete(
        session,
        module=session.merge(module),
        enrollment=enrollment,
        version=version,
        person=session.merge(person),
    ).number


def test_completing_twice_at_once_gives_one_certificate(db, database_url, client):
    """A double tap, or a second device: the second waits for the first (PostgreSQL: the
    enrollment is locked), then gets the same certificate instead of a second one."""
    person, module = _enrolled(db, client, lessons=1)
    _start(client)
    _read(client, 1)

    def hold(session):
        enrollment = enrollment_of(session, person_id=person.id, module_id=module.id)
        session.exec(select(Enrollment).where(Enrollment.id == enrollment.id).with_for_update())

    def complete(session):
        return _complete_in(session, person, module)

    _, *numbers = at_once(db, database_url, hold=hold, first=complete, second=complete)
    with db.session() as session:
        issued = session.exec(select(Certificate.number)).all()
    assert len(issued) == 1
    assert numbers == [issued[0], issued[0]]
    again = client.submit(
        "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert again.headers["location"].startswith(f"/training/certificates/{issued[0]}")


def test_the_quiz_comes_after_the_lessons_and_completion_needs_a_pass(db, client, quizzes):
    quizzes.add(7)
    person, _ = _enrolled(db, client, lessons=1, quiz_id=7)
    _start(client)
    early = client.submit(
        "/training/learn/TRN-COUNTER-01/quiz", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert early.status_code == 409
    _read(client, 1)
    go = client.submit(
        "/training/learn/TRN-COUNTER-01/quiz", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert go.status_code == 303
    assert go.headers["location"].startswith("/quizzes/attempts/")
    assert quizzes.started == [(7, person.id, "/training/learn/TRN-COUNTER-01", False)]
    not_yet = client.submit(
        "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert not_yet.status_code == 409
    quizzes.pass_quiz(quiz_id=7, person_id=person.id, score=90)
    assert "Quiz passed" in client.get("/training/learn/TRN-COUNTER-01").text
    done = client.submit(
        "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert done.status_code == 303
    with db.session() as session:
        certificate = session.exec(
            Certificate.__table__.select().where(Certificate.person_id == person.id)  # type: ignore[attr-defined]
        ).first()
        assert certificate is not None


def test_quizzes_refusing_an_attempt_is_said_plainly(db, client, quizzes):
    quizzes.add(7)
    quizzes.refuse = "No attempts are left for this quiz."
    _enrolled(db, client, lessons=1, quiz_id=7)
    _start(client)
    _read(client, 1)
    refused = client.submit(
        "/training/learn/TRN-COUNTER-01/quiz", token_page="/training/learn/TRN-COUNTER-01"
    )
    assert refused.status_code == 409
    assert "No attempts are left" in refused.text


def test_an_exam_opens_its_quiz_only_inside_its_window(db, client, quizzes):
    quizzes.add(9)
    today = bank_today()
    _enrolled(
        db,
        client,
        code="EXAM-2026Q4",
        lessons=0,
        quiz_id=9,
        exam=(today + timedelta(days=1), today + timedelta(days=10)),
    )
    _start(client, "EXAM-2026Q4")
    page = client.get("/training/learn/EXAM-2026Q4")
    assert "The exam opens on" in page.text
    early = client.submit(
        "/training/learn/EXAM-2026Q4/quiz", token_page="/training/learn/EXAM-2026Q4"
    )
    assert early.status_code == 409
    assert quizzes.started == []


def test_an_open_exam_starts_the_quiz_as_an_exam(db, client, quizzes):
    quizzes.add(9)
    today = bank_today()
    person, _ = _enrolled(
        db,
        client,
        code="EXAM-2026Q4",
        lessons=0,
        quiz_id=9,
        exam=(today, today + timedelta(days=10)),
    )
    _start(client, "EXAM-2026Q4")
    go = client.submit("/training/learn/EXAM-2026Q4/quiz", token_page="/training/learn/EXAM-2026Q4")
    assert go.status_code == 303
    assert quizzes.started == [(9, person.id, "/training/learn/EXAM-2026Q4", True)]


def test_a_recertification_starts_a_new_cycle_due_on_the_expiry(db, client):
    person, module = _enrolled(db, client, lessons=1, recert_months=12)
    _start(client)
    _read(client, 1)
    client.submit(
        "/training/learn/TRN-COUNTER-01/complete", token_page="/training/learn/TRN-COUNTER-01"
    )
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(person), module_id=id_of(module))
        assert (
            enrollment.expires_on
            == date(bank_today().year + 1, bank_today().month, bank_today().day)
            or enrollment.expires_on.month == bank_today().month
        )
        # A year on: the completion has expired.
        enrollment.expires_on = bank_today() - timedelta(days=1)
        enrollment.started_at = enrollment.started_at - timedelta(days=400)
        enrollment.completed_at = enrollment.completed_at - timedelta(days=366)
        session.add(enrollment)
    mine = client.get("/training").text
    assert "Expired: due again" in mine
    # Due again from the day it expired; last cycle's reading is not shown as progress.
    assert f"Due again since {bank_today() - timedelta(days=1)}" in mine
    assert "lessons read" not in mine and "<progress" not in mine
    page = client.get("/training/learn/TRN-COUNTER-01")
    assert "Start again" in page.text
    assert _start(client).status_code == 303
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(person), module_id=id_of(module))
        assert enrollment.due_on == bank_today() - timedelta(days=1)
    # The lesson read last year does not count for the new cycle.
    assert "0 of 1 lessons read" in client.get("/training/learn/TRN-COUNTER-01").text


def test_nobody_reads_anothers_progress(db, client):
    owner = make_person(db, position=Position.teller)
    module = make_learning_module(db)
    enroll(db, person=owner, module=module, due_on=bank_today() + timedelta(days=10))
    for role in (Role.employee, Role.supervisor, Role.hr, Role.admin):
        make_person(db, role=role, employee_no=f"X{role.value}")
        client.cookies.clear()
        client.login(f"X{role.value}", PASSWORD)
        assert client.get("/training/learn/TRN-COUNTER-01").status_code == 404
        assert _start(client).status_code == 404


def test_a_learners_write_checks_who_is_asking_in_its_own_transaction(db, client, quizzes):
    """Start, lesson read, quiz and completion check the sign-in inside their one transaction:
    signed out they are sent to sign in, a password to change comes first, and nothing is kept."""
    person, module = _enrolled(db, client, quiz_id=quizzes.add().id)
    _start(client)
    client.submit("/logout", {}, token_page="/account")
    code = "TRN-COUNTER-01"
    writes = [f"/training/learn/{code}/{step}" for step in ("start", "quiz", "complete")]
    writes.append(f"/training/learn/{code}/lessons/1/read")
    for url in writes:
        refused = client.submit(url, {}, token_page="/login")
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    client.login(person.employee_no, PASSWORD)
    with db.session() as session:
        session.get(type(person), person.id).must_change_password = True
    for url in writes:
        sent = client.submit(url, {}, token_page="/account")
        assert sent.headers["location"] == "/account?must_change=1", url
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(person), module_id=id_of(module))
        assert enrollment is not None and enrollment.completed_at is None
        assert learning.read_lesson_ids(session, enrollment=enrollment) == set()
    assert quizzes.started == []
