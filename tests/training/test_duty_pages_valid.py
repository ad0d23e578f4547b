"""The assignment, dashboard, exam and refresher pages are valid HTML (the Nu checker), in both
languages, with the demo bank's training loaded."""

import re
from pathlib import Path

import pytest
from sqlmodel import select

from frontline.domains import installed
from staff import demo as staff_demo
from staff.models import Person, Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person
from tests.test_html_validity import _checker, vnu_problems
from training.models import Assignment, RefresherFlag, StandardChange


def _demo(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        for domain in installed():
            if domain.name in ("staff", "standards", "quizzes", "training") and domain.demo:
                domain.demo(session)
        people = {p.employee_no: p.id for p in session.exec(select(Person)).all()}
        return {
            "teller": people["E1004"],
            "assignment": session.exec(select(Assignment.id)).first(),
            "flag": session.exec(select(RefresherFlag.id)).first(),
            "change": session.exec(select(StandardChange.id)).first(),
        }  # type: ignore[return-value]


def _pages(ids: dict[str, int]) -> dict[str, list[str]]:
    return {
        "H0001": [
            "/training/dashboard",
            "/training/dashboard?group=team",
            "/training/dashboard/people?status=overdue",
            "/training/assignments",
            "/training/assignments/new",
            f"/training/assignments/{ids['assignment']}",
            "/training/exams",
            "/training/refreshers",
            f"/training/refreshers/changes/{ids['change']}",
        ],
        "S1001": ["/", "/training/dashboard?group=position", f"/people/{ids['teller']}/overview"],
        "E1001": ["/", f"/training/refreshers/{ids['flag']}"],
    }


def test_duty_pages_are_valid_html(app, db, tmp_path: Path):
    _checker()  # skips (fails in CI) before any page is made
    ids = _demo(db)
    files: list[Path] = []
    for index, (employee_no, paths) in enumerate(_pages(ids).items()):
        for locale in ("zh-CN", "en") if index == 0 else (("en", "zh-CN")[index % 2],):
            with FrontlineClient(app, headers={"Accept-Language": locale}) as c:
                c.login(employee_no, staff_demo.DEMO_PASSWORD)
                for path in paths:
                    response = c.get(path)
                    assert response.status_code == 200, (employee_no, path)
                    name = re.sub(r"[^A-Za-z0-9]+", "_", f"{employee_no}{locale}{path}")
                    files.append(tmp_path / f"{name}_{len(files)}.html")
                    files[-1].write_text(response.text, encoding="utf-8")
    problems = vnu_problems(files)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", ["/training/dashboard", "/training/dashboard/people"])
def test_filters_survive_garbage(client, db, path):
    make_person(db, role=Role.hr, employee_no="H7001")
    client.login("H7001", PASSWORD)
    for query in ("group=x", "team=0", "branch=-1", "position=cook", "page=0", "refresher=maybe"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (query, response.status_code)
