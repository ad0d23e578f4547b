"""A module ending with a real quiz (quizzes' service, no stand-in): the learner goes to the
attempt from the module, comes back to it after grading, and completes only with a pass within
the attempts allowed; an exam starts a quiz that is not open for practice."""

from datetime import timedelta

from frontline.models import id_of
from staff.models import Position
from tests.factories import PASSWORD, make_person
from tests.quizzes.take_helpers import make_question, make_quiz, pick, save, single, submit
from tests.training.learner_helpers import enroll, make_learning_module
from training.enrollment import bank_today, enrollment_of

BASE = "/training/learn/TRN-COUNTER-01"


def _learner_with_quiz(db, client, **quiz):
    make_question(db, "Q-0001", single("Q-0001", correct="B"))
    quiz_id = make_quiz(db, questions=[{"code": "Q-0001"}], pass_mark=60, **quiz)
    learner = make_person(db, position=Position.teller)
    module = make_learning_module(db, lessons=1, quiz_id=quiz_id)
    enroll(db, person=learner, module=module, due_on=bank_today() + timedelta(days=10))
    client.login(learner.employee_no, PASSWORD)
    client.submit(BASE + "/start", token_page=BASE)
    client.submit(BASE + "/lessons/1/read", token_page=BASE)
    return learner, module


def _take(client, db, answer):
    go = client.submit(BASE + "/quiz", token_page=BASE)
    assert go.status_code == 303, go.text[:300]
    attempt_id = int(go.headers["location"].rsplit("/", 1)[1])
    save(client, attempt_id, 1, pick(db, attempt_id, 1, answer))
    return submit(client, attempt_id), attempt_id


def test_a_failed_quiz_does_not_complete_and_a_pass_does(db, client):
    learner, module = _learner_with_quiz(db, client, attempts_allowed=2)
    _take(client, db, "A")
    page = client.get(BASE)
    assert "Complete the module" not in page.text
    assert "1 attempt left" in page.text
    _, attempt_id = _take(client, db, "B")
    assert BASE in client.get(f"/quizzes/attempts/{attempt_id}", follow_redirects=True).text
    assert "Quiz passed" in client.get(BASE).text
    done = client.submit(BASE + "/complete", token_page=BASE)
    assert done.status_code == 303
    with db.session() as session:
        enrollment = enrollment_of(session, person_id=id_of(learner), module_id=id_of(module))
        assert enrollment.quiz_passed is True and enrollment.quiz_score == 100
        assert enrollment.quiz_attempt_id == attempt_id


def test_no_attempts_left_means_no_completion(db, client):
    _learner_with_quiz(db, client, attempts_allowed=1)
    _take(client, db, "A")
    page = client.get(BASE)
    assert "No quiz attempts are left" in page.text
    refused = client.submit(BASE + "/quiz", token_page=BASE)
    assert refused.status_code == 409
    assert client.submit(BASE + "/complete", token_page=BASE).status_code == 409
