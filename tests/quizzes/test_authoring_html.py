"""The authoring, analysis and results pages are valid HTML in both languages (Nu checker)."""

import re
from pathlib import Path

from sqlmodel import select

from quizzes import demo as quizzes_demo
from quizzes.models import Question, Quiz
from staff import demo as staff_demo
from standards import demo as standards_demo
from tests.client import FrontlineClient
from tests.test_html_validity import _checker, vnu_problems


def _pages(db) -> dict[str, list[str]]:
    with db.session() as session:
        question = session.exec(select(Question).where(Question.code == "Q-DEMO-14")).one()
        quiz = session.exec(select(Quiz).where(Quiz.code == "QZ-LNG")).one()
    q, z = f"/quizzes/bank/{question.id}", f"/quizzes/manage/{quiz.id}"
    return {
        "Q0001": [
            "/quizzes/bank",
            "/quizzes/bank?type=ordering&tag=%E7%A6%81%E8%AF%AD",
            q,
            q + "/edit",
            "/quizzes/bank/new?type=true_false",
            "/quizzes/bank/new?type=ordering",
            "/quizzes/bank/new?type=script_response",
            "/quizzes/bank/import",
            "/quizzes/manage",
            "/quizzes/manage/new",
            z,
            z + "/edit",
            "/standards/GRT-01/v/3",
        ],
        "H0001": [z, z + "/results", z + "/results?by=team", z + "/results?by=branch"],
        "S1001": [z, z + "/results"],
    }


def test_authoring_pages_are_valid_html(app, tmp_path):
    _checker()  # skips (fails in CI) before any page is made
    db = app.state.database
    with db.session() as session:
        staff_demo.load(session)
        standards_demo.load(session)
        quizzes_demo.load(session)
    files: list[Path] = []
    for index, (who, paths) in enumerate(_pages(db).items()):
        locale = ("zh-CN", "en")[index % 2]
        with FrontlineClient(app, headers={"Accept-Language": locale}) as c:
            c.login(who, staff_demo.DEMO_PASSWORD)
            for path in paths:
                response = c.get(path)
                assert response.status_code == 200, (who, path)
                name = re.sub(r"[^A-Za-z0-9]+", "_", f"{who}{path}")[:80] + f"_{len(files)}.html"
                files.append(tmp_path / name)
                files[-1].write_text(response.text, encoding="utf-8")
    problems = vnu_problems(files)
    assert problems == [], "\n".join(problems)
