"""What an attempt shows: never the key before grading; after, what the review policy allows.
Who may see it: the owner, the supervisor of their team, HR; no one else."""

import re
from datetime import timedelta

import pytest

from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_team, supervise
from tests.quizzes.take_helpers import (
    START,
    Clock,
    make_question,
    make_quiz,
    pick,
    save,
    single,
    start,
    submit,
)


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrf[-_]token" (content|value)="[^"]+"', "", html)
    html = re.sub(r"/quizzes/attempts/\d+", "/quizzes/attempts/N", html)
    html = re.sub(r"QZ-[AB]|Q-000[12]", "X", html)
    return html


def test_the_page_is_the_same_whatever_the_right_answer(app, db, client):
    """Two quizzes whose only difference is which option is right render identically."""
    Clock(app)
    make_question(db, "Q-0001", single("X", correct="A"))
    make_question(db, "Q-0002", single("X", correct="D"))
    a = make_quiz(db, "QZ-A", questions=[{"code": "Q-0001"}])
    b = make_quiz(db, "QZ-B", questions=[{"code": "Q-0002"}])
    teller = make_person(db, position=Position.teller)
    client.login(teller.employee_no, PASSWORD)
    pages = [client.get(f"/quizzes/attempts/{start(client, quiz)}").text for quiz in (a, b)]
    assert _normalised(pages[0]) == _normalised(pages[1])
    for page in pages:
        assert "FEEDBACK-X" not in page and "EXPLAIN-X" not in page


def _taken(app, db, client, **quiz):
    clock = Clock(app)
    make_question(db, "Q-0001", single("Q-0001", standard_code=None))
    make_question(db, "Q-0002", single("Q-0002"))
    quiz_id = make_quiz(db, questions=[{"code": "Q-0001"}, {"code": "Q-0002"}], **quiz)
    teller = make_person(db, position=Position.teller)
    client.login(teller.employee_no, PASSWORD)
    attempt_id = start(client, quiz_id)
    before = [client.get(f"/quizzes/attempts/{attempt_id}?q={n}").text for n in (1, 2)]
    before.append(client.get("/quizzes/practice").text)
    for page in before:
        assert "FEEDBACK-" not in page and "EXPLAIN-" not in page and "right answer" not in page
    save(client, attempt_id, 1, pick(db, attempt_id, 1, "B"))
    save(client, attempt_id, 2, pick(db, attempt_id, 2, "C"))
    submit(client, attempt_id)
    return clock, teller, attempt_id


def test_score_only(app, db, client):
    _, _, attempt_id = _taken(app, db, client, review_policy="score_only")
    page = client.get(f"/quizzes/attempts/{attempt_id}").text
    assert "50%" in page
    assert "Your answers" not in page and "right answer" not in page


def test_own_answers_without_the_key(app, db, client):
    _, _, attempt_id = _taken(app, db, client, review_policy="own_answers")
    page = client.get(f"/quizzes/attempts/{attempt_id}").text
    assert "Your answers" in page and "your answer" in page
    assert "right answer" not in page and "EXPLAIN-" not in page and "FEEDBACK-" not in page


def test_full_review_shows_key_feedback_and_explanation(app, db, client):
    _, _, attempt_id = _taken(app, db, client, review_policy="full")
    page = client.get(f"/quizzes/attempts/{attempt_id}").text
    assert "right answer" in page
    assert "FEEDBACK-Q-0002-C" in page  # the feedback of the option picked
    assert "EXPLAIN-Q-0002" in page


def test_review_waits_for_its_time(app, db, client):
    review_from = (START + timedelta(days=1)).isoformat()
    clock, _, attempt_id = _taken(app, db, client, review_policy="full", review_from=review_from)
    page = client.get(f"/quizzes/attempts/{attempt_id}").text
    assert "can be reviewed from" in page and "right answer" not in page
    clock.advance(days=1)
    assert "right answer" in client.get(f"/quizzes/attempts/{attempt_id}").text


def test_missed_questions_link_to_their_standard(app, db, client):
    from tests.factories import make_standard

    make_standard(db, code="GRT-01")
    Clock(app)
    make_question(db, "Q-0001", single("Q-0001", standard_code="GRT-01"))
    quiz_id = make_quiz(db, questions=[{"code": "Q-0001"}], review_policy="score_only")
    teller = make_person(db, position=Position.teller)
    client.login(teller.employee_no, PASSWORD)
    attempt_id = start(client, quiz_id)
    submit(client, attempt_id)
    page = client.get(f"/quizzes/attempts/{attempt_id}").text
    assert 'href="/standards/GRT-01"' in page


def test_others_cannot_see_or_touch_an_attempt(app, db, client, make_client):
    _, _, attempt_id = _taken(app, db, client, review_policy="full")
    colleague = make_client()
    colleague.login(make_person(db, position=Position.teller).employee_no, PASSWORD)
    assert colleague.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    url = f"/quizzes/attempts/{attempt_id}"
    for path in (f"{url}/submit", f"{url}/items/1"):
        assert (
            colleague.submit(path, {"q1-pick": "0"}, token_page="/quizzes/practice").status_code
            == 404
        )
    for garbage in ("0", "-1", "abc", "99999999999", "2147483648"):
        assert colleague.get(f"/quizzes/attempts/{garbage}").status_code in (404, 422)


@pytest.mark.parametrize("in_scope", [True, False])
def test_a_supervisor_sees_graded_attempts_of_their_team_only(app, db, make_client, in_scope):
    Clock(app)
    make_question(db, "Q-0001", single("Q-0001"))
    quiz_id = make_quiz(db, questions=[{"code": "Q-0001"}], review_policy="score_only")
    team = make_team(db)
    teller = make_person(db, position=Position.teller, team=team)
    boss = make_person(db, role=Role.supervisor)
    if in_scope:
        supervise(db, supervisor=boss, team=team)
    learner, viewer = make_client(), make_client()
    learner.login(teller.employee_no, PASSWORD)
    viewer.login(boss.employee_no, PASSWORD)
    attempt_id = start(learner, quiz_id)
    assert viewer.get(f"/quizzes/attempts/{attempt_id}").status_code == 404  # still open
    submit(learner, attempt_id)
    page = viewer.get(f"/quizzes/attempts/{attempt_id}")
    assert page.status_code == (200 if in_scope else 404)
    if in_scope:
        assert "right answer" in page.text  # reviewers see it all
