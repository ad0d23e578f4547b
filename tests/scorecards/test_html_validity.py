"""Every scorecards page is valid HTML (the Nu HTML checker, as tests/test_html_validity.py),
in both languages, for the roles that see it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from frontline.models import utcnow
from scorecards import tokens
from tests.client import FrontlineClient
from tests.factories import PASSWORD
from tests.scorecards import dataset
from tests.test_html_validity import _checker, vnu_problems


def test_scorecards_pages_are_valid_html(app, db, tmp_path):
    _checker()  # skips (fails in CI) before any page is made
    bank = dataset.build(db)
    with db.session() as session:
        tokens.create_token(session, name="listed", actor_id=None)
        tokens.create_token(session, name="expiring", actor_id=None, valid_days=30)
        # an expired one, as the list shows it
        tokens.create_token(session, name="old", actor_id=None, valid_days=1).token.expires_at = (
            utcnow() - timedelta(days=1)
        )
    pages = {
        bank.jia.employee_no: ["/scorecards/me", "/scorecards/me?start=2026-11-02&end=2026-11-20"],
        bank.supervisor.employee_no: [
            "/scorecards",
            f"/scorecards/teams/{bank.t1.id}",
            f"/scorecards/people/{bank.mover.id}/print",
        ],
        bank.hr.employee_no: [
            "/scorecards?position=teller",
            "/scorecards/regions/华北",
            f"/scorecards/branches/{bank.branch1_id}",
            "/scorecards/weights",
            "/scorecards/me",
        ],
        bank.admin.employee_no: ["/admin/api-tokens"],
    }
    files: list[Path] = []
    for index, (employee_no, paths) in enumerate(pages.items()):
        locale = ("zh-CN", "en")[index % 2]
        with FrontlineClient(app, headers={"Accept-Language": locale}) as c:
            c.login(employee_no, PASSWORD)
            for path in paths:
                response = c.get(path, params=dataset.PERIOD if "?" not in path else None)
                assert response.status_code == 200, path
                name = re.sub(r"[^A-Za-z0-9]+", "_", path)[:60] + f"_{len(files)}.html"
                files.append(tmp_path / name)
                files[-1].write_text(response.text, encoding="utf-8")
            if employee_no == bank.admin.employee_no:
                created = c.submit(
                    "/admin/api-tokens",
                    {"name": "new", "days": "30"},
                    token_page="/admin/api-tokens",
                )
                files.append(tmp_path / "token_created.html")
                files[-1].write_text(created.text, encoding="utf-8")
    problems = vnu_problems(files)
    if problems:
        pytest.fail("\n".join(problems))
