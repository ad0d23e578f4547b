"""Authoring through HTTP: the bank, drafts from a standard, the builder, files, item analysis
and results, with each role's permissions (and the attacker's attempts)."""

import io

import pytest
from sqlmodel import select

from quizzes.models import Question, QuestionVersion, Quiz, Status
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_standard, supervise
from tests.quizzes.test_analysis import data  # noqa: F401 - the hand-computed data set
from tests.quizzes.test_bank import _answer
from tests.quizzes.test_files import GOOD, SHEET, csv_bytes


def _as(db, client, role, **kwargs):
    person = make_person(db, role=role, **kwargs)
    client.login(person.employee_no, PASSWORD)
    return person


SINGLE = {
    "type": "single",
    "stem_zh": "客户走近柜台时应先说**什么**?",
    "stem_en": "What do you say first?",
    "option_A_zh": "您好!",
    "option_A_en": "Hello!",
    "option_A_feedback_zh": "对,先问候。",
    "option_A_correct": "on",
    "option_B_zh": "喂,到你了。",
    "tags": "迎客, 柜面",
    "difficulty": "easy",
}


def test_author_writes_edits_and_publishes_a_question(db, client):
    _as(db, client, Role.author)
    made = client.submit("/quizzes/bank/new", SINGLE, token_page="/quizzes/bank/new")
    assert made.status_code == 303, made.text[:1500]
    page = client.get(made.headers["location"]).text
    assert "Question Q-0001 saved (version 1)." in page
    assert "<strong>什么</strong>" in page and "对,先问候。" in page
    with db.session() as session:
        question = session.exec(select(Question)).one()
    url = f"/quizzes/bank/{question.id}"
    _answer(db, question.current_version_id)
    edited = client.submit(url + "/edit", {**SINGLE, "stem_zh": "新题干"}, token_page=url + "/edit")
    assert "Question Q-0001 saved (version 2)." in client.get(edited.headers["location"]).text
    published = client.submit(url + "/status", {"to": "published"}, token_page=url)
    assert "published" in client.get(published.headers["location"]).text
    with db.session() as session:
        assert len(session.exec(select(QuestionVersion)).all()) == 2
        assert session.get(Question, question.id).status == Status.published
    listing = client.get("/quizzes/bank", params={"tag": "迎客", "status": "published"}).text
    assert "Q-0001" in listing and "Version 2" in listing
    fragment = client.get(
        "/quizzes/bank?type=ordering", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in fragment.text and "No question matches" in fragment.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"option_A_correct": ""}, "Mark exactly one right option."),
        ({"stem_zh": ""}, "This field is required."),
        ({"standard_code": "NON-99"}, "There is no standard in force with this code."),
        ({"type": "script_response"}, "choose the standard"),
        ({"type": "essay"}, "Choose one of the options."),
    ],
)
def test_bad_questions_are_shown_again_with_the_reason(db, client, change, message):
    _as(db, client, Role.author)
    response = client.submit(
        "/quizzes/bank/new", {**SINGLE, **change}, token_page="/quizzes/bank/new"
    )
    assert response.status_code == 400
    assert message in response.text
    if change.get("type") != "script_response":  # which shows no options
        assert "喂,到你了。" in response.text  # nothing typed is lost


def test_generating_questions_from_a_standards_page(db, client):
    steps = [{"zh": f"第{i}步", "en": f"Step {i}"} for i in range(1, 5)]
    make_standard(db, code="GRT-01", steps=steps)
    _as(db, client, Role.author)
    page = client.get("/standards/GRT-01/v/1").text
    assert 'action="/quizzes/bank/generate/GRT-01"' in page
    made = client.submit("/quizzes/bank/generate/GRT-01", {}, token_page="/standards/GRT-01/v/1")
    assert made.status_code == 303
    listing = client.get(made.headers["location"]).text
    assert "4 draft questions made from GRT-01 (0 already in the bank)" in listing
    assert "Q-GRT-01-04" in listing
    again = client.submit("/quizzes/bank/generate/GRT-01", {}, token_page="/standards/GRT-01/v/1")
    assert (
        "0 draft questions made from GRT-01 (4 already"
        in client.get(again.headers["location"]).text
    )
    missing = client.submit("/quizzes/bank/generate/NON-01", {}, token_page="/quizzes/bank")
    assert missing.status_code == 409


def test_employees_see_no_generate_button_and_cannot_author(db, client):
    make_standard(db, code="GRT-01")
    _as(db, client, Role.employee, position=Position.teller)
    assert "generate" not in client.get("/standards/GRT-01/v/1").text
    for url in (
        "/quizzes/bank",
        "/quizzes/bank/new",
        "/quizzes/bank/import",
        "/quizzes/manage/new",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/quizzes/manage").status_code == 403
    refused = client.submit("/quizzes/bank/generate/GRT-01", {}, token_page="/")
    assert refused.status_code == 403
    refused = client.submit("/quizzes/bank/new", SINGLE, token_page="/")
    assert refused.status_code == 403
    with db.session() as session:
        assert session.exec(select(Question)).all() == []


def test_garbage_ids_are_404_or_400_never_500(db, client):
    _as(db, client, Role.author)
    for url in ("/quizzes/bank/99999", "/quizzes/manage/99999", "/quizzes/bank/99999/edit"):
        assert client.get(url).status_code == 404
    for url in ("/quizzes/bank/abc", "/quizzes/bank/-1", "/quizzes/manage/99999999999"):
        assert client.get(url).status_code in (400, 404, 422)


QUIZ = {
    "code": "qz-grt",
    "title_zh": "柜面迎客测验",
    "pass_mark": "80",
    "attempts_allowed": "2",
    "time_limit_minutes": "10",
    "scoring_rule": "partial_with_penalty",
    "layout": "one_per_screen",
    "review_policy": "full",
    "review_from": "2026-12-01T09:00",
    "questions": "Q-GRT-01-01 | 2",
    "draws": "",
    "practice": "on",
    "positions": ["teller"],
}


def test_author_builds_publishes_and_archives_a_quiz(db, client):
    make_standard(db, code="GRT-01")
    _as(db, client, Role.author)
    upload = {"file": ("bank.yaml", GOOD.replace("  - code: QZ-GRT", "  - code: QZ-OLD").encode())}
    imported = client.post(
        "/quizzes/bank/import",
        data={"csrf_token": client.csrf_token("/quizzes/bank/import"), "action": "import"},
        files=upload,
    )
    assert imported.status_code == 200, imported.text[:2000]
    made = client.submit("/quizzes/manage/new", QUIZ, token_page="/quizzes/manage/new")
    assert made.status_code == 303, made.text[:2000]
    page = client.get(made.headers["location"]).text
    assert "Quiz QZ-GRT saved." in page and "2026-12-01 09:00" in page
    with db.session() as session:
        quiz = session.exec(select(Quiz).where(Quiz.code == "QZ-GRT")).one()
        assert quiz.review_from.isoformat() == "2026-12-01T01:00:00+00:00"  # Shanghai → UTC
    url = f"/quizzes/manage/{quiz.id}"
    assert client.submit(url + "/status", {"to": "published"}, token_page=url).status_code == 303
    bad = client.submit(url + "/edit", {**QUIZ, "draws": "tag | 迎客"}, token_page=url + "/edit")
    assert bad.status_code == 400 and "pool | value | count" in bad.text
    bad = client.submit(url + "/edit", {**QUIZ, "questions": "Q-404"}, token_page=url + "/edit")
    assert bad.status_code == 400 and "Q-404" in bad.text
    assert client.submit(url + "/status", {"to": "archived"}, token_page=url).status_code == 303


def test_publishing_an_empty_quiz_is_refused(db, client):
    _as(db, client, Role.author)
    made = client.submit(
        "/quizzes/manage/new",
        {**QUIZ, "questions": "", "practice": ""},
        token_page="/quizzes/manage/new",
    )
    url = made.headers["location"].split("?")[0]
    assert "Add at least one question" in client.get(url).text
    assert client.submit(url + "/status", {"to": "published"}, token_page=url).status_code == 409


def test_import_check_changes_nothing_and_bad_rows_are_listed(db, client):
    make_standard(db, code="GRT-01")
    _as(db, client, Role.author)
    token = client.csrf_token("/quizzes/bank/import")
    checked = client.post(
        "/quizzes/bank/import",
        data={"csrf_token": token, "action": "check"},
        files={"file": ("bank.yaml", GOOD.encode())},
    )
    assert checked.status_code == 200 and "Importing it would do this" in checked.text
    with db.session() as session:
        assert session.exec(select(Question)).all() == []
    rows = [SHEET[0], ["", "问答", "x", "a", "b", "", "A"], SHEET[1]]
    bad = client.post(
        "/quizzes/bank/import",
        data={"csrf_token": token, "action": "import"},
        files={"file": ("bank.csv", csv_bytes(rows))},
    )
    assert bad.status_code == 400 and "Line 2" in bad.text and "Nothing was imported" in bad.text
    too_big = client.post(
        "/quizzes/bank/import",
        data={"csrf_token": token},
        files={"file": ("bank.xlsx", io.BytesIO(b"x" * 6_000_000))},
    )
    assert too_big.status_code == 400 and "larger than" in too_big.text
    with db.session() as session:
        assert session.exec(select(Question)).all() == []
    assert client.get("/quizzes/bank/template.xlsx").content[:2] == b"PK"
    assert client.get("/quizzes/bank/template.csv").text.startswith("\ufeff编号")
    assert client.get("/quizzes/bank/export.yaml").text.startswith("format: frontline-quizzes/1")


def test_item_analysis_for_authors_and_hr_results_for_hr_and_supervisors(db, client, data):  # noqa: F811
    quiz_url = f"/quizzes/manage/{data['quiz_id']}"
    _as(db, client, Role.author)
    page = client.get(quiz_url).text
    assert "Item analysis" in page and "80%" in page and "-0.13" in page
    assert client.get(quiz_url + "/results").status_code == 403
    client.get("/logout")
    _as(db, client, Role.hr)
    assert "Item analysis" in client.get(quiz_url).text
    results_page = client.get(quiz_url + "/results").text
    assert "P1" in results_page and "P5" in results_page
    assert "东城支行 · 柜面一组" in client.get(quiz_url + "/results?by=team").text
    csv_text = client.get(quiz_url + "/results.csv").text
    assert csv_text.count("\n") == 6
    assert client.get(quiz_url + "/results?by=nonsense").status_code in (400, 422)


def test_a_supervisor_sees_only_their_own_teams_results(db, client, data):  # noqa: F811
    _team_a, team_b = data["teams"]
    boss = _as(db, client, Role.supervisor)
    supervise(db, supervisor=boss, team=team_b)
    quiz_url = f"/quizzes/manage/{data['quiz_id']}"
    page = client.get(quiz_url + "/results").text
    assert "P4" in page and "P5" in page and "P1" not in page
    assert "Item analysis" not in client.get(quiz_url).text
    csv_text = client.get(quiz_url + "/results.csv").text
    assert "P1" not in csv_text and "P4" in csv_text
    assert "东城支行" not in client.get(quiz_url + "/results?by=branch").text
    refused = client.submit(quiz_url + "/status", {"to": "archived"}, token_page=quiz_url)
    assert refused.status_code == 403
