"""Taking a quiz through HTTP: answers saved as they go, grading, the clock, resume, limits."""

import re
from datetime import timedelta
from functools import partial

import pytest
from sqlmodel import col, func, select

from frontline.audit_trail import AuditTrailEvent
from quizzes import attempts, closing, service
from quizzes.models import Attempt, Layout, WrongAnswer
from staff.models import Position
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_person
from tests.quizzes.take_helpers import (
    START,
    Clock,
    items,
    make_question,
    make_quiz,
    multiple,
    ordering,
    pick,
    rank,
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


def _three_questions(db, **quiz):
    make_question(db, "Q-0001", single("Q-0001"))
    make_question(db, "Q-0002", multiple("Q-0002"))
    make_question(db, "Q-0003", ordering("Q-0003"))
    codes = [{"code": c} for c in ("Q-0001", "Q-0002", "Q-0003")]
    return make_quiz(db, questions=codes, **quiz)


def _attempt(db, attempt_id):
    with db.session() as session:
        return session.get(Attempt, attempt_id)


def test_answers_saved_as_they_go_and_graded_on_submit(app, db, signed_in):
    Clock(app)
    quiz_id = _three_questions(db)
    attempt_id = start(signed_in, quiz_id)
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}")
    assert page.status_code == 200
    assert "Question 1 of 3" in page.text
    assert save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B")).status_code == 200
    assert save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A")).status_code == 200
    assert save(signed_in, attempt_id, 3, rank(db, attempt_id, 3, "ABCD")).status_code == 200
    assert submit(signed_in, attempt_id).status_code == 303
    attempt = _attempt(db, attempt_id)
    assert attempt.closed_reason == "submitted"
    assert attempt.score == pytest.approx(66.67)  # all or nothing: the multiple earns 0
    assert attempt.passed is True
    assert [i.correct for i in items(db, attempt_id)] == [True, False, True]


def test_partial_credit_rule_applies_to_multiple_and_ordering(app, db, signed_in):
    Clock(app)
    quiz_id = _three_questions(db, scoring_rule="partial_with_penalty", pass_mark=90)
    attempt_id = start(signed_in, quiz_id)
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A", "B"))  # 1/2 − 1/2
    save(signed_in, attempt_id, 3, rank(db, attempt_id, 3, "BCDA"))  # 2 of 3 pairs
    submit(signed_in, attempt_id)
    attempt = _attempt(db, attempt_id)
    assert [i.credit for i in items(db, attempt_id)] == [1.0, 0.0, pytest.approx(0.6667)]
    assert attempt.score == pytest.approx(55.56)
    assert attempt.passed is False


def test_plain_form_goes_to_the_next_question(app, db, signed_in):
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    response = save(
        signed_in, attempt_id, 1, {**pick(db, attempt_id, 1, "B"), "go": "next"}, htmx=False
    )
    assert response.headers["location"] == f"/quizzes/attempts/{attempt_id}?q=2"
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}")
    assert "Question 2 of 3" in page.text  # resumes at the first unanswered question


def test_a_saved_answer_updates_the_steps_and_what_is_still_open(app, db, signed_in):
    """htmx swaps the step and the count of open questions in: the page never says a saved
    question is still unanswered."""
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}").text
    assert "3 questions are not answered yet." in page
    saved = save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A")).text
    assert re.search(r'<a id="step-2" [^>]*class="answered" hx-swap-oob="true">2</a>', saved)
    open_now = r'<div id="open-questions" [^>]*hx-swap-oob="innerHTML"><p class="notice">'
    assert re.search(open_now + r"2 questions are", saved)
    cleared = save(signed_in, attempt_id, 2, {}).text  # every option unticked
    assert re.search(r'<a id="step-2" [^>]*class="open" hx-swap-oob="true">', cleared)
    assert "3 questions are not answered yet." in cleared
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A"))
    done = save(signed_in, attempt_id, 3, rank(db, attempt_id, 3, "ABCD")).text
    assert re.search(r'<div id="open-questions" [^>]*hx-swap-oob="innerHTML"></div>', done)
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}").text
    assert re.search(r'<div id="open-questions" aria-live="polite"></div>', page)


def test_all_on_one_page_saves_without_steps(app, db, signed_in):
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db, layout=Layout.all_on_one_page))
    saved = save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    assert saved.status_code == 200
    assert "Saved" in saved.text and "hx-swap-oob" not in saved.text  # no steps on that page


def test_all_on_one_page_submits_every_answer_at_once(app, db, signed_in):
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db, layout=Layout.all_on_one_page))
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}").text
    assert "Question 3 of 3" in page and "Question 1 of 3" in page
    form = {**pick(db, attempt_id, 1, "B"), **pick(db, attempt_id, 2, "A", "C")}
    form.update(rank(db, attempt_id, 3, "ABCD"))
    submit(signed_in, attempt_id, form)
    assert _attempt(db, attempt_id).score == 100.0


@pytest.mark.parametrize(
    "form",
    [
        {"q1-pick": "9"},
        {"q1-pick": "-1"},
        {"q1-pick": "x"},
        {"q1-pick": ["0", "1"]},  # two picks on a single choice
    ],
)
def test_answers_that_do_not_fit_are_refused(app, db, signed_in, form):
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    assert save(signed_in, attempt_id, 1, form).status_code == 400


def test_ordering_needs_each_place_once(app, db, signed_in):
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    bad = {f"q3-rank-{i}": "1" for i in range(4)}
    assert save(signed_in, attempt_id, 3, bad).status_code == 400
    assert save(signed_in, attempt_id, 9, {}).status_code == 404


def test_time_limit_is_kept_by_the_server(app, db, signed_in):
    clock = Clock(app)
    attempt_id = start(signed_in, _three_questions(db, time_limit_minutes=10))
    page = signed_in.get(f"/quizzes/attempts/{attempt_id}").text
    assert 'data-seconds-left="600"' in page
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    clock.advance(minutes=9, seconds=59)
    save(signed_in, attempt_id, 3, rank(db, attempt_id, 3, "ABCD"))
    clock.advance(seconds=1)  # the deadline itself: too late
    late = save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A", "C"))
    assert late.status_code == 409
    assert late.headers["HX-Redirect"] == f"/quizzes/attempts/{attempt_id}"
    attempt = _attempt(db, attempt_id)
    assert attempt.closed_reason == "expired"
    assert attempt.submitted_at == attempt.deadline
    assert [i.answer is not None for i in items(db, attempt_id)] == [True, False, True]
    assert attempt.score == pytest.approx(66.67)


def test_an_expired_attempt_is_closed_when_next_opened(app, db, signed_in):
    clock = Clock(app)
    attempt_id = start(signed_in, _three_questions(db, time_limit_minutes=5))
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    clock.advance(hours=2)
    response = signed_in.get(f"/quizzes/attempts/{attempt_id}")
    assert response.status_code == 303
    result = signed_in.get(f"/quizzes/attempts/{attempt_id}")
    assert "Time ran out" in result.text
    attempt = _attempt(db, attempt_id)
    assert attempt.closed_reason == "expired"
    assert attempt.score == pytest.approx(33.33)


def test_submit_after_the_deadline_counts_only_answers_saved_in_time(app, db, signed_in):
    clock = Clock(app)
    attempt_id = start(
        signed_in, _three_questions(db, time_limit_minutes=5, layout=Layout.all_on_one_page)
    )
    clock.advance(minutes=6)
    submit(signed_in, attempt_id, pick(db, attempt_id, 1, "B"))
    attempt = _attempt(db, attempt_id)
    assert (attempt.closed_reason, attempt.score) == ("expired", 0.0)


def test_submitting_twice_grades_once(app, db, signed_in):
    clock = Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    submit(signed_in, attempt_id)
    first = _attempt(db, attempt_id)
    clock.advance(minutes=1)
    assert submit(signed_in, attempt_id).status_code == 303
    assert save(signed_in, attempt_id, 2, pick(db, attempt_id, 2, "A", "C")).status_code == 409
    again = _attempt(db, attempt_id)
    assert (again.submitted_at, again.score) == (first.submitted_at, first.score)
    with db.session() as session:
        graded = session.exec(
            select(func.count()).where(AuditTrailEvent.action == "attempt.submitted")
        ).one()
    assert graded == 1


def _during_a_submit(db, database_url, attempt_id, act):
    """What `act(session)` from another device returns (or raises) while a submit holds the
    attempt locked."""

    def submit(session):
        attempt = session.get(Attempt, attempt_id)  # locked by `hold`
        return closing.submit(session, attempt=attempt, now=attempt.started_at)

    hold = partial(closing.locked, attempt_id=attempt_id)
    return at_once(db, database_url, hold=hold, first=submit, second=act)[2]


def _closings(db) -> int:
    closed = ("attempt.submitted", "attempt.expired")
    with db.session() as session:
        return session.exec(
            select(func.count()).where(col(AuditTrailEvent.action).in_(closed))
        ).one()


def _stale_copy(session, attempt_id):
    """The attempt read while the submit has it open, and held (the session's map keeps only
    what is referenced), as a page's checks would."""
    return session.get(Attempt, attempt_id)


def test_two_devices_submitting_at_once_grade_once(app, db, database_url, signed_in, teller):
    """The second waits for the first's lock and then sees the attempt closed, even having
    read it open before (PostgreSQL; SQLite's writers queue at their first statement)."""
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "A"))  # wrong: into the book

    def submit_again(session):
        seen = _stale_copy(session, attempt_id)
        attempt = closing.locked(session, attempt_id=attempt_id)
        assert attempt is seen
        return closing.submit(session, attempt=attempt, now=attempt.started_at).closed_reason

    assert _during_a_submit(db, database_url, attempt_id, submit_again) == "submitted"
    assert _closings(db) == 1
    with db.session() as session:
        book = session.exec(select(WrongAnswer).where(WrongAnswer.person_id == teller.id)).all()
    assert [entry.times_wrong for entry in book] == [1, 1, 1]


def test_an_attempt_found_expired_during_a_submit_is_not_closed_again(
    app, db, database_url, signed_in
):
    """Another device finding it past its deadline (starting again, opening the page) waits
    for the submit, then sees it closed, rather than grading it a second time."""
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db, time_limit_minutes=5))

    def close_on_expiry(session):
        seen = _stale_copy(session, attempt_id)
        return closing.close_if_expired(session, attempt=seen, now=START + timedelta(hours=1))

    # (SQLite: the second device's transaction starts after the submit, so the copy it
    # holds is already closed; PostgreSQL: it holds an open copy, refreshed by the lock.)
    assert _during_a_submit(db, database_url, attempt_id, close_on_expiry) in (True, False)
    assert _closings(db) == 1
    assert _attempt(db, attempt_id).closed_reason == "submitted"


def test_an_answer_sent_while_the_attempt_is_submitted_is_not_kept(
    app, db, database_url, signed_in, teller
):
    """An answer arriving during a submit waits for it and is refused, rather than changing
    an item after it was graded (PostgreSQL: the answer locks the attempt)."""
    Clock(app)
    attempt_id = start(signed_in, _three_questions(db))
    form = pick(db, attempt_id, 1, "B")

    def answer(session):
        return attempts.keep_answer(
            session, attempt_id=attempt_id, person_id=teller.id, position=1, form=form, now=START
        )

    refused = _during_a_submit(db, database_url, attempt_id, answer)
    assert isinstance(refused, attempts.AttemptClosed)
    assert items(db, attempt_id)[0].answer is None


def test_another_device_resumes_the_same_attempt(app, db, make_client, teller):
    Clock(app)
    quiz_id = _three_questions(db)
    phone, tablet = make_client(), make_client()
    phone.login(teller.employee_no, PASSWORD)
    tablet.login(teller.employee_no, PASSWORD)
    attempt_id = start(phone, quiz_id)
    save(phone, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    assert start(tablet, quiz_id) == attempt_id
    page = tablet.get(f"/quizzes/attempts/{attempt_id}?q=1").text
    assert "checked" in page
    practice = tablet.get("/quizzes/practice").text
    assert f"/quizzes/attempts/{attempt_id}" in practice  # Resume


def test_attempt_limit(app, db, signed_in, teller):
    Clock(app)
    quiz_id = _three_questions(db, attempts_allowed=2)
    for _ in range(2):
        submit(signed_in, start(signed_in, quiz_id))
    refused = signed_in.submit(f"/quizzes/practice/{quiz_id}/start", token_page="/quizzes/practice")
    assert refused.status_code == 409
    assert "all 2 attempts" in refused.text
    with db.session() as session:
        assert service.attempts_left(session, quiz_id=quiz_id, person_id=teller.id) == 0
        assert [a.number for a in session.exec(select(Attempt))] == [1, 2]


def test_practice_needs_a_published_practice_quiz_for_the_position(app, db, make_client):
    Clock(app)
    quiz_id = _three_questions(db)
    lobby = make_person(db, position=Position.lobby_manager)
    other = make_client()
    other.login(lobby.employee_no, PASSWORD)
    refused = other.submit(f"/quizzes/practice/{quiz_id}/start", token_page="/quizzes/practice")
    assert refused.status_code == 409
    assert "Counter quiz" not in other.get("/quizzes/practice").text
    draft = make_quiz(db, "QZ-DRAFT", publish=False, questions=[{"code": "Q-0001"}])
    assert (
        other.submit(f"/quizzes/practice/{draft}/start", token_page="/quizzes/practice").status_code
        == 409
    )


def test_a_save_checks_who_is_asking_in_its_own_transaction(app, db, signed_in, teller):
    """Starting, saving and submitting check who is asking inside their one transaction:
    signed out they are refused, and someone who must change their password is sent to do
    so; nothing is kept."""
    quiz_id = _three_questions(db)
    attempt_id = start(signed_in, quiz_id)
    signed_in.submit("/logout", {}, token_page="/account")
    began = f"/quizzes/practice/{quiz_id}/start"
    assert (
        signed_in.submit(began, {}, token_page="/login")
        .headers["location"]
        .startswith("/login?next=")
    )
    signed_out = save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    assert signed_out.status_code == 204  # htmx is sent to sign in again
    assert signed_out.headers["HX-Redirect"].startswith("/login?next=")
    signed_in.login(teller.employee_no, PASSWORD)
    with db.session() as session:
        session.get(type(teller), teller.id).must_change_password = True
    must_change = save(signed_in, attempt_id, 1, pick(db, attempt_id, 1, "B"), htmx=False)
    assert must_change.status_code == 303
    assert must_change.headers["location"] == "/account?must_change=1"
    refused = submit(signed_in, attempt_id, pick(db, attempt_id, 1, "B"))
    assert refused.headers["location"] == "/account?must_change=1"
    again = signed_in.submit(began, {}, token_page="/account")
    assert again.headers["location"] == "/account?must_change=1"
    with db.session() as session:
        assert len(session.exec(select(Attempt).where(Attempt.quiz_id == quiz_id)).all()) == 1
    assert [i.answer for i in items(db, attempt_id)] == [None, None, None]
    assert _attempt(db, attempt_id).submitted_at is None
