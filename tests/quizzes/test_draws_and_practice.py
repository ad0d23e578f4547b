"""Random draws and shuffles, the wrong-answer book, daily practice, and the service API
training uses."""

from datetime import timedelta

import pytest
from sqlmodel import select

from quizzes import daily, service, wrong_book
from quizzes.models import DailyPractice, DailyPracticeItem, QuestionVersion, WrongAnswer
from staff.models import Person, Position
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_person, make_standard
from tests.quizzes.take_helpers import (
    START,
    Clock,
    items,
    make_question,
    make_quiz,
    ordering,
    pick,
    save,
    single,
    start,
    submit,
)


@pytest.fixture
def teller(db):
    return make_person(db, position=Position.teller)


@pytest.fixture
def signed_in(client, teller):
    client.login(teller.employee_no, PASSWORD)
    return client


def _versions(db, attempt_id):
    with db.session() as session:
        return [session.get(QuestionVersion, i.question_version_id) for i in items(db, attempt_id)]


def test_random_draws_have_the_right_count_pool_and_no_duplicates(app, db, signed_in):
    Clock(app)
    for n in range(1, 9):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", tags=["迎客" if n <= 6 else "其他"]))
    quiz_id = make_quiz(
        db,
        questions=[{"code": "Q-0001"}],
        draws=[{"pool": "tag", "value": "迎客", "count": 3}],
        attempts_allowed=None,
    )
    seen = set()
    for _ in range(6):
        attempt_id = start(signed_in, quiz_id)
        versions = _versions(db, attempt_id)
        ids = [v.question_id for v in versions]
        assert len(ids) == 4 and len(set(ids)) == 4  # the fixed one is never drawn again
        assert all("迎客" in v.tags for v in versions)
        seen.update(ids)
        submit(signed_in, attempt_id)
    assert len(seen) > 4  # draws differ between attempts


def test_shuffles_are_stored_and_ordering_never_shows_the_answer(app, db, signed_in):
    Clock(app)
    for n in range(1, 6):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}"))
    make_question(db, "Q-0006", ordering("Q-0006"))
    codes = [{"code": f"Q-{n:04d}"} for n in range(1, 7)]
    quiz_id = make_quiz(db, questions=codes, shuffle_questions=True, shuffle_options=True)
    attempt_id = start(signed_in, quiz_id)
    stored = items(db, attempt_id)
    assert any(i.option_order != list("ABCD") for i in stored)
    by_version = {v.id: v for v in _versions(db, attempt_id)}
    for item in stored:
        assert sorted(item.option_order) == list("ABCD")
        if by_version[item.question_version_id].type == "ordering":
            assert item.option_order != list("ABCD")
    first = next(i for i in stored if by_version[i.question_version_id].type == "single")
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}?q={first.position}").text
    label = "Option" if "Option A" in page else "选项"
    shown = [page.index(f"{label} {k}".replace("选项 ", "选项")) for k in first.option_order]
    assert shown == sorted(shown)  # the page shows the stored order
    assert items(db, start(signed_in, quiz_id)) == stored  # resuming does not reshuffle


def test_the_wrong_answer_book(app, db, signed_in, teller):
    clock = Clock(app)
    make_question(db, "Q-0001", single("Q-0001"))
    quiz_id = make_quiz(db, questions=[{"code": "Q-0001"}])

    def take(key):
        attempt_id = start(signed_in, quiz_id)
        save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, key))
        submit(signed_in, attempt_id)
        clock.advance(minutes=1)
        with db.session() as session:
            return wrong_book.book_size(session, person_id=teller.id)

    assert take("A") == 1
    assert "EXPLAIN-Q-0001" in signed_in.get("/quizzes/wrong-answers").text
    assert take("B") == 1  # right once: still in
    assert take("A") == 1  # wrong again: the streak starts over
    assert take("B") == 1
    assert take("B") == 0  # right twice in a row: out
    assert "empty" in signed_in.get("/quizzes/wrong-answers").text


def test_the_last_answer_of_the_day_says_it_is_done(app, db, signed_in):
    """Answered with htmx one by one, the page says "done" when the last one is in, without
    a reload; the page itself says so afterwards."""
    Clock(app)
    make_standard(db, code="GRT-01", positions=["teller"])
    for n in range(1, 3):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", standard_code="GRT-01"))
    signed_in.submit("/quizzes/daily", token_page="/quizzes/daily")
    page = signed_in.get("/quizzes/daily").text
    assert '<div id="daily-done" aria-live="polite"></div>' in page
    htmx = {"HX-Request": "true"}
    first = signed_in.submit(
        "/quizzes/daily/items/1", {"q1-pick": "0"}, token_page="/quizzes/daily", headers=htmx
    )
    assert "daily-done" not in first.text  # one still to answer
    last = signed_in.submit(
        "/quizzes/daily/items/2", {"q2-pick": "0"}, token_page="/quizzes/daily", headers=htmx
    )
    assert '<div id="daily-done" aria-live="polite" hx-swap-oob="innerHTML"><p' in last.text
    assert "Done for today. Well done!" in last.text
    assert "Done for today. Well done!" in signed_in.get("/quizzes/daily").text


def test_daily_practice_draws_from_the_position_and_the_book(app, db, signed_in, teller):
    clock = Clock(app)
    make_standard(db, code="GRT-01", positions=["teller"], effective="2026-11-20")
    make_standard(db, code="GRT-02", positions=["teller"])
    make_standard(db, code="CLM-01", positions=["lobby_manager"])
    for n in range(1, 5):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", standard_code="GRT-01"))
    for n in range(5, 9):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", standard_code="GRT-02"))
    make_question(db, "Q-0009", single("Q-0009", standard_code="CLM-01"))
    assert "Start today" in signed_in.get("/quizzes/daily").text
    assert signed_in.submit("/quizzes/daily", token_page="/quizzes/daily").status_code == 303
    page = signed_in.get("/quizzes/daily").text
    assert page.count('class="daily-item"') == 5
    assert "EXPLAIN-" not in page and "题目 Q-0009" not in page
    with db.session() as session:
        shown = session.exec(select(DailyPracticeItem)).all()
        codes = {session.get(QuestionVersion, i.question_version_id).standard_code for i in shown}
    assert codes <= {"GRT-01", "GRT-02"}
    first = shown[0]
    wrong = {"q1-pick": str(first.option_order.index("A"))}
    answered = signed_in.submit(
        "/quizzes/daily/items/1", wrong, token_page="/quizzes/daily", headers={"HX-Request": "true"}
    )
    assert answered.status_code == 200 and "EXPLAIN-" in answered.text and "Wrong" in answered.text
    again = signed_in.submit("/quizzes/daily/items/1", wrong, token_page="/quizzes/daily")
    assert again.status_code == 303  # answered once only
    assert (
        signed_in.submit("/quizzes/daily/items/2", {}, token_page="/quizzes/daily").status_code
        == 400
    )
    with db.session() as session:
        assert wrong_book.book_size(session, person_id=teller.id) == 1
        assert service.best_result(session, quiz_id=1, person_id=teller.id) is None
    # the next day, the missed question comes back from the book
    clock.advance(days=1)
    signed_in.submit("/quizzes/daily", token_page="/quizzes/daily")
    with db.session() as session:
        booked = session.exec(
            select(DailyPracticeItem).where(DailyPracticeItem.from_wrong_book)
        ).all()
    assert [b.question_version_id for b in booked] == [first.question_version_id]


def test_two_attempts_graded_at_once_both_count_in_the_book(db, database_url, teller):
    """Two attempts of one person graded at the same moment (two devices) that both miss a
    question new to the book: on PostgreSQL the second's insert fails on the first's entry,
    and the miss is counted again on top of it, not lost and not a 500."""
    question_id = make_question(db, "Q-0001", single("Q-0001"))
    with db.session() as session:
        version_id = session.exec(
            select(QuestionVersion.id).where(QuestionVersion.question_id == question_id)
        ).one()
    missed = [wrong_book.Answer(question_id, version_id, correct=False)]

    def miss(session):
        wrong_book.record_answers(session, person_id=teller.id, answers=missed, now=START)

    _, _, second = at_once(db, database_url, hold=miss, second=miss)
    assert second is None  # no error
    with db.session() as session:
        entry = session.exec(select(WrongAnswer).where(WrongAnswer.person_id == teller.id)).one()
    assert entry.times_wrong == 2


def test_a_daily_question_answered_twice_at_once_is_answered_once(db, database_url, teller):
    """A double tap, or the same question of the day answered on two devices: the second
    waits for the first (PostgreSQL: the practice is locked and read again), then finds it
    answered; the miss is in the wrong-answer book once, not twice."""
    make_standard(db, code="GRT-01", positions=["teller"])
    for n in range(1, 4):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", standard_code="GRT-01"))
    with db.session() as session:
        practice = daily.start(
            session, person=session.get(Person, teller.id), today=START.date(), now=START
        )
        first_item = daily.items_of(session, practice=practice)[0].item
    wrong = {"q1-pick": [str(first_item.option_order.index("A"))]}

    def hold(session):  # the first answer's lock, taken as it would take it
        session.exec(select(DailyPractice).where(DailyPractice.id == practice.id).with_for_update())

    def answer(session):
        today = session.get(DailyPractice, practice.id)
        return daily.answer(session, practice=today, position=1, form=wrong, now=START)

    _, _, second = at_once(db, database_url, hold=hold, first=answer, second=answer)
    assert isinstance(second, daily.PracticeClosed)
    with db.session() as session:
        entry = session.exec(select(WrongAnswer).where(WrongAnswer.person_id == teller.id)).one()
    assert entry.times_wrong == 1


def test_the_service_api_training_uses(app, db, teller):
    make_question(db, "Q-0001", single("Q-0001"))
    exam = make_quiz(db, "QZ-EXAM", questions=[{"code": "Q-0001"}], practice=False, positions=[])
    with db.session() as session:
        assert [q.code for q in service.published_quizzes(session)] == ["QZ-EXAM"]
        with pytest.raises(service.QuizRefused):
            service.start_attempt(session, quiz_id=exam, person=teller, now=START)
        attempt = service.start_attempt(
            session, quiz_id=exam, person=teller, exam=True, return_to="/training/m/1", now=START
        )
        assert attempt.exam and attempt.return_to == "/training/m/1"
        evil = service.start_attempt(
            session, quiz_id=exam, person=teller, exam=True, return_to="//evil.example", now=START
        )
        assert evil.id == attempt.id  # resumed, not a second open attempt
        assert service.has_passed(session, quiz_id=exam, person_id=teller.id) is False
        from quizzes.closing import submit as submit_attempt
        from quizzes.models import AttemptItem

        item = session.exec(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)).one()
        item.answer, item.saved_at = {"keys": ["B"]}, START
        session.add(item)
        submit_attempt(session, attempt=attempt, now=START + timedelta(minutes=1))
        best = service.best_result(session, quiz_id=exam, person_id=teller.id)
        assert best is not None and (best.score, best.passed) == (100.0, True)
        assert service.has_passed(session, quiz_id=exam, person_id=teller.id)
        assert not service.has_passed(
            session, quiz_id=exam, person_id=teller.id, since=START + timedelta(hours=1)
        )
        assert service.attempts_left(session, quiz_id=exam, person_id=teller.id) is None
        fresh = service.start_attempt(
            session, quiz_id=exam, person=teller, exam=True, return_to="//evil.example", now=START
        )
        assert fresh.number == 2 and fresh.return_to is None


def test_a_given_seed_draws_the_same_attempt(app, db):
    """The demo passes its own seeds, so the demo bank comes out the same every time."""
    for n in range(1, 9):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", tags=["迎客"]))
    quiz_id = make_quiz(
        db,
        questions=[],
        draws=[{"pool": "tag", "value": "迎客", "count": 5}],
        attempts_allowed=None,
        shuffle_questions=True,
    )
    tellers = [make_person(db, position=Position.teller) for _ in range(2)]
    with db.session() as session:
        drawn = [
            service.start_attempt(
                session, quiz_id=quiz_id, person=person, exam=True, now=START, seed=20261129
            )
            for person in tellers
        ]
        assert drawn[0].seed == drawn[1].seed == 20261129
        attempt_ids = [attempt.id for attempt in drawn]
    first, second = (_versions(db, attempt_id) for attempt_id in attempt_ids)
    assert [v.question_id for v in first] == [v.question_id for v in second]
    assert len(first) == 5


def test_daily_practice_opens_in_chinese_with_questions_to_answer(app, db, client):
    """A daily question has no points of its own: the page once asked for its plural form,
    which Chinese's catalog refuses for a value that is not a number (a 500 for every
    Chinese-speaking learner with practice left to do)."""
    Clock(app)
    make_standard(db, code="GRT-01", positions=["teller"])
    for n in range(1, 3):
        make_question(db, f"Q-{n:04d}", single(f"Q-{n:04d}", standard_code="GRT-01"))
    learner = make_person(db, position=Position.teller, locale="zh_CN")
    client.login(learner.employee_no, PASSWORD)
    client.submit("/quizzes/daily", token_page="/quizzes/daily")
    page = client.get("/quizzes/daily")
    assert page.status_code == 200
    assert "第 1 题，共 2 题" in page.text and "分" not in page.text.split("第 1 题")[1][:40]
