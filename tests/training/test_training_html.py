"""Every training page T1 built is valid HTML (the Nu HTML checker, as tests/test_html_validity.py
runs it), in both languages: authoring, learning, certificates, verification."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from staff.models import Position, Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person, make_standard
from tests.test_html_validity import _checker, vnu_problems
from tests.training.learner_helpers import (
    FakeQuizzes,
    enroll,
    install_fake_quizzes,
    make_learning_module,
)
from training.enrollment import bank_today

BODY = "**先读**这条标准：\n\n{{standard GRT-01}}\n\n| 步骤 | 用语 |\n|---|---|\n| 1 | 您好 |\n"


@pytest.fixture
def quizzes(monkeypatch: pytest.MonkeyPatch) -> FakeQuizzes:
    return install_fake_quizzes(monkeypatch)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def _pages(app, db, quizzes, tmp_path: Path) -> list[Path]:
    quizzes.add(7)
    make_standard(db, code="GRT-01")
    make_learning_module(db, lessons=2, quiz_id=7, standard_codes=("GRT-01",), bodies=(BODY,))
    learner = make_person(db, position=Position.teller)
    author = make_person(db, role=Role.author)
    hr = make_person(db, role=Role.hr)
    with db.session() as session:
        from training import service

        module = service.get_by_code(session, code="TRN-COUNTER-01")
        session.expunge(module)
    enroll(db, person=learner, module=module, due_on=bank_today() + timedelta(days=3))
    files: list[Path] = []

    def save(c: FrontlineClient, path: str, expected: int = 200) -> str:
        response = c.get(path, follow_redirects=True)
        assert response.status_code == expected, (path, response.status_code)
        name = re.sub(r"[^A-Za-z0-9]+", "_", path)[:60] + f"_{len(files)}.html"
        files.append(tmp_path / name)
        files[-1].write_text(response.text, encoding="utf-8")
        return response.text

    base = "/training/learn/TRN-COUNTER-01"
    with FrontlineClient(app, headers={"Accept-Language": "zh-CN"}) as c:
        c.login(learner.employee_no, PASSWORD)
        save(c, "/training")
        save(c, base)
        c.submit(base + "/start", token_page=base)
        for path in ("/training", base, base + "/lessons/1", base + "/lessons/2?lang=en"):
            save(c, path)
        c.submit(base + "/lessons/1/read", token_page=base)
        c.submit(base + "/lessons/2/read", token_page=base)
        quizzes.pass_quiz(quiz_id=7, person_id=learner.id)
        save(c, base)
        done = c.submit(base + "/complete", token_page=base)
        certificate = done.headers["location"].split("?")[0]
        for path in (certificate, certificate + "/print", "/training"):
            save(c, path)
    with FrontlineClient(app, headers={"Accept-Language": "en"}) as c:
        c.login(author.employee_no, PASSWORD)
        c.post(
            "/training/modules/TRN-COUNTER-01/images",
            data={"csrf_token": c.csrf_token("/training/modules")},
            files={"file": ("steps.png", _png(), "image/png")},
        )
        c.submit("/training/modules/TRN-COUNTER-01/drafts", token_page="/training/modules")
        draft = "/training/modules/TRN-COUNTER-01/v/2"
        for path in (
            "/training/modules",
            "/training/modules?drafts=1",
            "/training/modules/new",
            "/training/modules/TRN-COUNTER-01/v/1",
            draft,
            draft + "/edit",
            draft + "/lessons/new",
            draft + "/lessons/1/edit",
            draft + "/lessons/1",
        ):
            save(c, path)
        bad = c.submit("/training/modules/new", {"code": "x", "title_zh": ""}, token_page="/")
        files.append(tmp_path / f"bad_new_{len(files)}.html")
        files[-1].write_text(bad.text, encoding="utf-8")
    with FrontlineClient(app, headers={"Accept-Language": "en"}) as c:
        c.login(hr.employee_no, PASSWORD)
        save(c, certificate)
    with FrontlineClient(app, headers={"Accept-Language": "zh-CN"}) as anonymous:
        number = certificate.rsplit("/", 1)[1]
        save(anonymous, f"/certificates/{number}")
        save(anonymous, "/certificates/TC-2026-NOPE", expected=404)
    return files


def test_training_pages_are_valid_html(app, db, quizzes, tmp_path):
    _checker()  # skips (fails in CI) before any page is made
    files = _pages(app, db, quizzes, tmp_path)
    problems = vnu_problems(files)
    assert problems == [], "\n".join(problems)
