"""Every role's main pages are valid HTML, checked by the Nu HTML checker (vnu.jar).

All pages go to one vnu run: the JVM takes seconds to start. `.ci/run` installs vnu.jar
(npm package `vnu-jar`) into ~/.cache/frontline/vnu and Java from Debian; in CI a missing
checker fails the test, elsewhere it skips. FRONTLINE_VNU_JAR points at another jar.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from staff import demo as staff_demo
from staff.models import Person, Team
from standards import demo as standards_demo
from standards.models import Standard
from tests.client import FrontlineClient

DEFAULT_JAR = Path.home() / ".cache/frontline/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = os.environ.get("CI") == "true"
# htmx's attributes are not in the HTML standard; browsers and htmx are fine with them.
IGNORED = re.compile(r"Attribute “hx-[a-z:-]+” not allowed")


# A page with the bug this check was added for: it must be the only page reported.
PLANTED_NAME = "planted_invalid.html"
PLANTED_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
    '<body><form hx-post="/x"><input name="a" requiredautocomplete="off"></form></body></html>'
)


def _checker() -> list[str]:
    jar = Path(os.environ.get("FRONTLINE_VNU_JAR") or DEFAULT_JAR)
    java = shutil.which("java")
    if java and jar.is_file():
        # Its schema needs a deep stack. A short run: the quick compiler only and the serial
        # collector start it in half the CPU time.
        return [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)]
    reason = f"the Nu HTML checker needs java and {jar} (bash .ci/run installs both)"
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_problems(files: list[Path]) -> list[str]:
    """The HTML errors in these files, one vnu run for all (its JVM takes seconds to start),
    as `file:line: message [extract]`; htmx's attributes pass."""
    run = subprocess.run(  # noqa: S603 - our own command line
        [*_checker(), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(run.stderr)  # vnu writes its JSON report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report (exit {run.returncode}): {run.stdout} {run.stderr}")
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '')}]"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error") and not IGNORED.search(m["message"])
    ]


def _ids(db) -> dict[str, object]:
    with db.session() as session:
        people = {p.employee_no: p.id for p in session.exec(select(Person)).all()}
        team = session.exec(select(Team)).first()
        standard = session.exec(
            select(Standard).where(Standard.current_version_id.is_not(None))  # type: ignore[union-attr]
        ).first()
        assert team and standard
        return {
            "people": people,
            "team": team.id,
            "branch": team.branch_id,
            "code": standard.code,
            "version": standard.current_version_id,
        }


def _pages(ids: dict) -> dict[str, list[str]]:
    """The main pages of each demo login, by employee number."""
    standard = f"/standards/{ids['code']}"
    teller = ids["people"]["E1001"]
    return {
        "E1001": ["/", "/account", "/standards", standard, f"{standard}/v/1", "/acknowledgments"],
        "S1001": [
            "/",
            "/people",
            f"/people/{teller}",
            f"/people/{teller}/overview",
            "/acknowledgments/report",
            f"/acknowledgments/report/{ids['version']}",
        ],
        "Q0001": [
            "/",
            "/standards?q=%E6%82%A8%E5%A5%BD",
            "/standards/new",
            "/standards/import",
            f"{standard}/diff",
            f"{standard}/v/1/print",
        ],
        "H0001": ["/", "/people-import", "/people?inactive=1"],
        "A0001": [
            "/",
            "/org",
            f"/org/branches/{ids['branch']}",
            f"/org/teams/{ids['team']}",
            "/org/branches/new",
            "/org/teams/new",
            "/people/new",
            f"/people/{teller}",
            "/audit-trail",
            "/does-not-exist",
        ],
    }


def _render_all(app, tmp_path: Path) -> list[Path]:
    db = app.state.database
    with db.session() as session:
        staff_demo.load(session)
        standards_demo.load(session)
    ids = _ids(db)
    files: list[Path] = []

    def save(c: FrontlineClient, who: str, path: str) -> None:
        response = c.get(path, follow_redirects=True)
        assert response.status_code in (200, 404), (who, path, response.status_code)
        name = re.sub(r"[^A-Za-z0-9]+", "_", f"{who}{path}")[:80] + f"_{len(files)}.html"
        files.append(tmp_path / name)
        files[-1].write_text(response.text, encoding="utf-8")

    # Each role in one language, alternating, so both languages are checked in one pass.
    locales = ["zh-CN", "en"]
    for locale in locales:
        with FrontlineClient(app, headers={"Accept-Language": locale}) as anonymous:
            save(anonymous, f"anonymous_{locale}", "/login")
    for index, (employee_no, paths) in enumerate(_pages(ids).items()):
        locale = locales[index % 2]
        with FrontlineClient(app, headers={"Accept-Language": locale}) as c:
            c.login(employee_no, staff_demo.DEMO_PASSWORD)
            for path in paths:
                save(c, f"{employee_no}_{locale}", path)
    return files


def test_main_pages_of_every_role_are_valid_html(app, tmp_path):
    _checker()
    files = _render_all(app, tmp_path)
    assert len(files) > 30
    files.append(tmp_path / PLANTED_NAME)
    files[-1].write_text(PLANTED_HTML, encoding="utf-8")
    problems = vnu_problems(files)
    # The planted page proves the check can fail (and that htmx attributes pass).
    planted = [p for p in problems if p.startswith(PLANTED_NAME)]
    assert len(planted) == 1 and "requiredautocomplete" in planted[0], problems
    assert [p for p in problems if p not in planted] == [], "\n".join(problems)
