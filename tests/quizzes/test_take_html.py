"""The pages of taking a quiz are valid HTML (the Nu checker, as tests/test_html_validity.py)."""

from staff.models import Position
from tests.factories import PASSWORD, make_person, make_standard
from tests.quizzes.take_helpers import (
    Clock,
    make_question,
    make_quiz,
    multiple,
    ordering,
    pick,
    save,
    single,
    start,
    submit,
)
from tests.test_html_validity import _checker, vnu_problems


def _pages(app, db, client) -> dict[str, str]:
    Clock(app)
    make_standard(db, code="GRT-01", positions=["teller"])
    make_question(db, "Q-0001", single("Q-0001", standard_code="GRT-01"))
    make_question(db, "Q-0002", multiple("Q-0002"))
    make_question(db, "Q-0003", ordering("Q-0003"))
    codes = [{"code": c} for c in ("Q-0001", "Q-0002", "Q-0003")]
    one = make_quiz(db, questions=codes, time_limit_minutes=10, review_policy="full")
    every = make_quiz(db, "QZ-ALL", questions=codes, layout="all_on_one_page")
    client.login(make_person(db, position=Position.teller).employee_no, PASSWORD)
    attempt = start(client, one)
    save(client, attempt, 1, pick(db, attempt, 1, "A"))
    pages = {
        "question": client.get(f"/quizzes/attempts/{attempt}?q=1").text,
        "ordering": client.get(f"/quizzes/attempts/{attempt}?q=3").text,
        "all": client.get(f"/quizzes/attempts/{start(client, every)}").text,
        "practice": client.get("/quizzes/practice").text,
    }
    submit(client, attempt)
    client.submit("/quizzes/daily", token_page="/quizzes/daily")
    client.submit("/quizzes/daily/items/1", {"q1-pick": "0"}, token_page="/quizzes/daily")
    pages.update(
        result=client.get(f"/quizzes/attempts/{attempt}").text,
        daily=client.get("/quizzes/daily").text,
        book=client.get("/quizzes/wrong-answers").text,
        home=client.get("/").text,
    )
    return pages


def test_taking_pages_are_valid_html(app, db, client, tmp_path):
    _checker()  # skips (fails in CI) before any page is made
    files = []
    for name, html in _pages(app, db, client).items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    problems = vnu_problems(files)
    assert problems == [], "\n".join(problems)
