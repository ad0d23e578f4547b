"""The roster import page: preview then apply, reference lists, template, Chinese values,
hostile files (huge, NUL, over-long fields) and a server that keeps answering while it parses."""

import http.client
import re
import select
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select as sql_select

from staff.models import Person, Position, Role, Team
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_branch, make_person, make_team
from tests.live_server import environment, serving
from tests.staff.test_roster import FINGERPRINT_RE, _preview, _upload

HEADER = "employee_no,name,role,position,branch_code,team,email,active\n"


@pytest.fixture
def hr_client(db, client):
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    return client


def _person(db, employee_no: str) -> Person | None:
    with db.session() as session:
        return session.exec(sql_select(Person).where(Person.employee_no == employee_no)).first()


def _apply(client, csv_text: str, fingerprint: str):
    return client.post(
        "/people-import/apply",
        data={
            "csrf_token": client.csrf_token("/people-import"),
            "csv_text": csv_text,
            "fingerprint": fingerprint,
        },
    )


# ---- preview, then apply --------------------------------------------------------------------


def test_the_preview_writes_nothing_and_apply_writes_what_it_showed(db, hr_client):
    make_branch(db, code="BJ-01")
    make_person(db, employee_no="R002", name="旧名字")
    text = HEADER + "R001,赵一,employee,teller,BJ-01,柜面一组,,yes\nR002,钱二,,,,,,\n"
    preview = _preview(hr_client, text.encode())
    assert preview.status_code == 200, preview.text
    assert "Nothing has been written yet" in preview.text
    assert "1 new, 1 changed, 0 unchanged" in preview.text
    assert "旧名字 → 钱二" in preview.text
    assert "temporary password" in preview.text
    assert _person(db, "R001") is None
    fingerprint = FINGERPRINT_RE.search(preview.text).group(1)  # type: ignore[union-attr]
    applied = _apply(hr_client, text, fingerprint)
    assert applied.status_code == 200, applied.text
    assert "1 created, 1 updated, 0 unchanged" in applied.text
    assert "New teams: BJ-01 柜面一组" in applied.text
    assert "an administrator issues each of them a temporary password" in applied.text
    assert _person(db, "R001").position == Position.teller  # type: ignore[union-attr]
    assert _person(db, "R002").name == "钱二"  # type: ignore[union-attr]


def test_apply_refuses_when_the_outcome_changed_since_the_preview(db, hr_client):
    text = HEADER + "R001,赵一,,,,,,\n"
    preview = _preview(hr_client, text.encode())
    fingerprint = FINGERPRINT_RE.search(preview.text).group(1)  # type: ignore[union-attr]
    make_person(db, employee_no="R001", name="别人")  # someone else added R001 meanwhile
    response = _apply(hr_client, text, fingerprint)
    assert response.status_code == 409
    assert "has changed since your preview" in response.text
    assert _person(db, "R001").name == "别人"  # type: ignore[union-attr]


@pytest.mark.parametrize("taken", ["person", "team"])
def test_a_file_applied_twice_at_once_is_imported_once(db, database_url, hr_client, taken):
    """Apply pressed twice, or by two HR officers: the second's plan was made before the
    first committed, so on PostgreSQL its insert of a person (or a new team) the first made
    waits, then is refused. It shows the new preview, not a 500, and writes none of its rows."""
    branch = make_branch(db, code="BJ-01")
    text = HEADER + "R001,赵一,,,,,,\nR002,钱二,,,BJ-01,柜面一组,,\n"
    preview = _preview(hr_client, text.encode())
    fingerprint = FINGERPRINT_RE.search(preview.text).group(1)  # type: ignore[union-attr]
    token = hr_client.csrf_token("/people-import")

    def hold(session):  # the first apply's rows, not yet committed
        if taken == "person":
            session.add(Person(employee_no="R002", name="钱二"))
        else:
            session.add(Team(branch_id=branch.id, name="柜面一组"))
        session.flush()

    def apply(_session):
        data = {"csrf_token": token, "csv_text": text, "fingerprint": fingerprint}
        return hr_client.post("/people-import/apply", data=data)

    _, _, response = at_once(db, database_url, hold=hold, second=apply)
    assert response.status_code == 409, response.text
    assert "has changed since your preview" in response.text
    assert _person(db, "R001") is None  # nothing half-imported


def test_apply_checks_the_file_again(db, hr_client):
    preview = _preview(hr_client, (HEADER + "R001,赵一,,,,,,\n").encode())
    fingerprint = FINGERPRINT_RE.search(preview.text).group(1)  # type: ignore[union-attr]
    tampered = HEADER + "R001,赵一,admin,,,,,\n"
    response = _apply(hr_client, tampered, fingerprint)
    assert response.status_code == 400
    assert "Only an administrator can give the role admin" in response.text
    assert _person(db, "R001") is None


def test_empty_cells_and_missing_columns_keep_existing_values(db, hr_client):
    team = make_team(db)
    make_person(db, employee_no="S0001", name="主管甲", role=Role.supervisor, team=team)
    response = _upload(hr_client, "工号,姓名\nS0001,主管甲改名\n".encode())
    assert response.status_code == 200, response.text
    person = _person(db, "S0001")
    assert person is not None and person.name == "主管甲改名"
    assert person.role == Role.supervisor and person.team_id == team.id and person.active


# ---- what the page tells HR -----------------------------------------------------------------


def test_the_page_lists_branches_teams_positions_and_the_roles_hr_may_give(db, hr_client):
    branch = make_branch(db, code="SH-09", name="上海测试支行")
    make_team(db, branch=branch, name="理财二组")
    page = hr_client.get("/people-import")
    assert page.status_code == 200
    for text in ("SH-09", "上海测试支行", "理财二组", "lobby_manager", "大堂经理", "主管"):
        assert text in page.text, text
    roles = page.text.split("Roles you may give")[1].split("</table>")[0]
    assert "supervisor" in roles and "admin" not in roles and "人力资源" not in roles
    assert 'href="/people-import/template.csv?language=zh_CN"' in page.text


def test_the_template_has_headers_in_either_language(db, hr_client, client):
    chinese = hr_client.get("/people-import/template.csv?language=zh_CN")
    assert chinese.status_code == 200
    assert chinese.headers["content-type"].startswith("text/csv")
    assert "attachment" in chinese.headers["content-disposition"]
    assert (
        chinese.content.decode("utf-8") == "\ufeff工号,姓名,角色,岗位,网点代码,团队,邮箱,在职\r\n"
    )
    english = hr_client.get("/people-import/template.csv?language=en").text
    assert english == "\ufeffemployee_no,name,role,position,branch_code,team,email,active\r\n"


def test_only_hr_and_admins_get_the_template(db, make_client):
    employee = make_person(db)
    other = make_client()
    other.login(employee.employee_no, PASSWORD)
    assert other.get("/people-import/template.csv").status_code == 403


# ---- reading the file -----------------------------------------------------------------------


def test_chinese_values_are_accepted(db, hr_client):
    text = (
        "工号,姓名,角色,岗位,在职\n"
        "C001,周八,主管,大堂经理,否\n"
        "C002,吴九,员工,Relationship manager,是\n"
    )
    response = _upload(hr_client, text.encode("gb18030"))
    assert response.status_code == 200, response.text
    first, second = _person(db, "C001"), _person(db, "C002")
    assert first is not None and second is not None
    assert (first.role, first.position, first.active) == (
        Role.supervisor,
        Position.lobby_manager,
        False,
    )
    assert (second.role, second.position, second.active) == (
        Role.employee,
        Position.relationship_manager,
        True,
    )


def test_every_problem_of_a_row_is_reported_at_once(db, hr_client):
    text = HEADER + "R001,赵一,wizard,astronaut,,一组,not-an-email,maybe\n"
    response = _preview(hr_client, text.encode())
    assert response.status_code == 400
    for reason in (
        "Unknown role wizard",
        "Unknown position astronaut",
        "Active must be yes or no, not maybe",
        "A team needs a branch code",
        "Email not-an-email is not valid",
    ):
        assert f"Line 2: {reason}" in response.text, reason
    assert "Apply this import" not in response.text


def test_a_new_team_that_looks_like_an_existing_one_is_flagged(db, hr_client):
    branch = make_branch(db, code="BJ-01")
    make_team(db, branch=branch, name="柜面一组 Counter team 1")
    response = _preview(hr_client, (HEADER + "R001,赵一,,,BJ-01,柜面一组,,\n").encode())
    assert response.status_code == 200
    assert "Line 2: The new team 柜面一组 looks like the existing team 柜面一组 Counter team 1" in (
        response.text
    )
    assert "Apply this import" in response.text


def test_a_flood_of_bad_rows_gives_a_short_page_naming_the_total(db, hr_client):
    rows = "".join(f"B{i},,\n" for i in range(100_500))
    response = _preview(hr_client, ("employee_no,name,role\n" + rows).encode())
    assert response.status_code == 400
    assert len(response.content) < 100_000
    assert "Line 101: The name is missing." in response.text
    assert "Line 102: " not in response.text
    assert "more problems (100001 in all)" in response.text
    assert "more than 100000 people" not in response.text  # beyond the first 100


def test_an_over_long_field_is_a_row_error_not_a_500(db, hr_client):
    text = HEADER + "R001,赵一,,,,,,\n" + "R002," + "长" * 200_000 + ",,,,,,\n"
    response = _preview(hr_client, text.encode())
    assert response.status_code == 400
    assert "Line 3: This line cannot be read: a value is too long" in response.text
    assert len(response.content) < 100_000
    long_name = HEADER + "R003," + "名" * 150 + ",,,,,,\n"
    response = _preview(hr_client, long_name.encode())
    assert response.status_code == 400
    assert "Line 2: The name is longer than 100 characters." in response.text


def test_nul_bytes_and_control_characters_are_refused(db, hr_client):
    response = _preview(hr_client, (HEADER + "R001,赵\x00一,,,,,,\n").encode())
    assert response.status_code == 400
    assert "Line 2: The file contains NUL characters" in response.text
    response = _preview(hr_client, (HEADER + "R001,赵\x07一,,,,,,\n").encode())
    assert response.status_code == 400
    assert "Line 2: The name contains control characters" in response.text
    assert _person(db, "R001") is None


def test_a_value_quoted_in_an_error_is_cut_short(db, hr_client):
    response = _preview(hr_client, (HEADER + "R001,赵一," + "x" * 5000 + ",,,,,\n").encode())
    assert response.status_code == 400
    assert "Unknown role " + "x" * 40 + "…" in response.text
    assert "x" * 41 not in response.text


def test_an_oversized_upload_is_refused_with_a_message(db, hr_client, app):
    app.state.settings.max_upload_bytes = 100
    response = _preview(hr_client, (HEADER + "R001,赵一,,,,,,\n" * 10).encode())
    assert response.status_code == 400
    assert "The file is larger than 100 B." in response.text


# ---- a real server keeps answering while it parses a large roster ---------------------------


@pytest.fixture
def roster_server(db, database_url: str, tmp_path: Path) -> Iterator[str]:
    """`frontline serve` on this test's database, with one HR login (H0001); its base URL."""
    make_person(db, role=Role.hr, employee_no="H0001", name="人力")
    env = environment(database_url=database_url, secret_key="roster-server-test-key")
    with serving(env=env, cwd=tmp_path) as url:
        yield url


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def _signed_in(port: int) -> tuple[str, str]:
    """(session cookie header, CSRF token) for H0001 on the live server."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    cookie = "; ".join(
        value.split(";")[0] for name, value in response.getheaders() if name == "set-cookie"
    )
    token = CSRF_RE.search(response.read().decode()).group(1)  # type: ignore[union-attr]
    body = f"employee_no=H0001&password={PASSWORD}&csrf_token={token}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    headers["Origin"] = f"http://127.0.0.1:{port}"
    conn.request("POST", "/login", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    assert response.status == 303, response.status
    cookie = "; ".join(
        value.split(";")[0] for name, value in response.getheaders() if name == "set-cookie"
    )
    conn.request("GET", "/people-import", headers={"Cookie": cookie})
    page = conn.getresponse().read().decode()
    conn.close()
    return cookie, CSRF_RE.search(page).group(1)  # type: ignore[union-attr]


def test_healthz_answers_while_a_large_roster_is_parsed(roster_server):
    port = int(roster_server.rsplit(":", 1)[1])
    cookie, token = _signed_in(port)
    rows = "".join(f"E{i:06d},员工{i},employee,teller,,,,yes\n" for i in range(30_000))
    boundary = "roster-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{HEADER}{rows}\r\n--{boundary}--\r\n"
    ).encode()
    upload = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    upload.request(
        "POST",
        "/people-import",
        body=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": cookie,
            "Origin": roster_server,
        },
    )
    # The whole upload is sent; the server is now reading and parsing it.
    health = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    health.request("GET", "/healthz")
    answer = health.getresponse()
    assert answer.status == 200
    answer.read()
    health.close()
    # No byte of the upload's answer has arrived yet: /healthz was served during the parse.
    readable, _, _ = select.select([upload.sock], [], [], 0)
    assert readable == [], "the upload finished before /healthz answered"
    response = upload.getresponse()
    assert response.status == 200, response.read()[:2000]
    assert b"30000 new, 0 changed, 0 unchanged" in response.read()
    upload.close()
