"""Roster import from CSV: all rows valid or nothing imported, each bad row reported by line."""

import re

from sqlmodel import col, select

from frontline.uploads import decode_text
from staff import roster_plan
from staff.models import Person, Role
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_branch, make_person

GOOD = """employee_no,name,role,position,branch_code,team,email,active
R001,赵一,employee,teller,BJ-01,柜面一组,r1@bank.cn,yes
R002,钱二,supervisor,team_leader,BJ-01,柜面一组,,yes
R003,孙三,,call_agent,,,,no
"""


FINGERPRINT_RE = re.compile(r'name="fingerprint" value="([0-9a-f]+)"')


def _preview(client, content: bytes, name: str = "roster.csv"):
    return client.post(
        "/people-import",
        data={"csrf_token": client.csrf_token("/people-import")},
        files={"file": (name, content, "text/csv")},
    )


def _upload(client, content: bytes, name: str = "roster.csv"):
    """Upload, then apply what the preview shows, as a person would; the final response."""
    preview = _preview(client, content, name)
    match = FINGERPRINT_RE.search(preview.text)
    if preview.status_code != 200 or match is None:
        return preview
    text = decode_text(content)
    return client.post(
        "/people-import/apply",
        data={
            "csrf_token": client.csrf_token("/people-import"),
            "csv_text": text,
            "fingerprint": match.group(1),
        },
    )


def _hr_client(db, client):
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    return client


def test_upload_creates_and_updates_people(db, client):
    make_branch(db, code="BJ-01")
    make_person(db, employee_no="R002", name="旧名字", role=Role.employee)
    _hr_client(db, client)
    response = _upload(client, GOOD.encode())
    assert response.status_code == 200, response.text
    assert "2 created, 1 updated, 0 unchanged" in response.text
    assert "BJ-01 柜面一组" in response.text
    with db.session() as session:
        people = {p.employee_no: p for p in session.exec(select(Person))}
    assert people["R002"].name == "钱二" and people["R002"].role == Role.supervisor
    assert people["R003"].active is False
    assert people["R001"].team_id == people["R002"].team_id is not None
    again = _upload(client, GOOD.encode())
    assert "0 created, 0 updated, 3 unchanged" in again.text


def test_bad_rows_are_all_reported_and_nothing_is_imported(db, client):
    make_branch(db, code="BJ-01")
    _hr_client(db, client)
    bad = (
        "employee_no,name,role,position,branch_code,team,email,active\n"
        "R101,好的,employee,teller,BJ-01,一组,,yes\n"
        ",没有工号,employee,,,,,\n"
        "R103,角色错,wizard,,,,,\n"
        "R104,岗位错,employee,astronaut,,,,\n"
        "R105,网点错,employee,,NOPE,一组,,\n"
        "R101,重复,employee,,,,,\n"
        "R107,在职错,employee,,,,,maybe\n"
    )
    response = _upload(client, bad.encode())
    assert response.status_code == 400
    for line, reason in [
        (3, "employee number is missing"),
        (4, "Unknown role wizard"),
        (5, "Unknown position astronaut"),
        (6, "Unknown branch code NOPE"),
        (7, "already appears on line 2"),
        (8, "Active must be yes or no"),
    ]:
        assert f"Line {line}: " in response.text and reason in response.text, (line, reason)
    assert "Nothing was imported" in response.text
    with db.session() as session:
        assert session.exec(select(Person).where(Person.employee_no == "R101")).first() is None


def test_chinese_headers_and_gb18030_excel_files(db, client):
    _hr_client(db, client)
    content = "工号,姓名,岗位,在职\nC001,周八,teller,是\nC002,吴九,,否\n".encode("gb18030")
    response = _upload(client, content)
    assert "2 created" in response.text
    with db.session() as session:
        assert (
            session.exec(select(Person).where(Person.employee_no == "C002")).one().active is False
        )


def test_missing_columns_and_empty_files(db, client):
    _hr_client(db, client)
    assert "Missing column(s): name" in _upload(client, b"employee_no\nX1\n").text
    assert "The file is empty" in _upload(client, b"").text
    assert "The file is empty" in _upload(client, b"\n\n").text


def test_cli_import_reports_line_numbers(db, settings, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from frontline import cli
    from frontline import settings as settings_module

    monkeypatch.setenv("FRONTLINE_DATABASE_URL", settings.database_url)
    settings_module.get_settings.cache_clear()
    good = tmp_path / "good.csv"
    good.write_text("employee_no,name\nK001,李雷\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["import-staff", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_no,name,role\nK002,韩梅梅,boss\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["import-staff", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: Unknown role boss." in result.output
    settings_module.get_settings.cache_clear()


# ---- the import obeys the people pages' role rules --------------------------------------------

HEADER = "employee_no,name,role,position,branch_code,team,email,active\n"


def _import(client, csv_text: str):
    """Upload a roster the way the page does; returns the final response."""
    return _upload(client, csv_text.encode())


def _role_and_active(db, employee_no: str) -> tuple[Role, bool]:
    with db.session() as session:
        person = session.exec(select(Person).where(Person.employee_no == employee_no)).one()
        return person.role, person.active


def test_hr_cannot_make_themselves_admin(db, client):
    hr = make_person(db, role=Role.hr, employee_no="H0001", name="人力")
    client.login(hr.employee_no, PASSWORD)
    response = _import(client, HEADER + "H0001,人力,admin,,,,,yes\n")
    assert response.status_code == 400
    assert "Line 2: " in response.text
    assert "Only an administrator can change the account of H0001" in response.text
    assert _role_and_active(db, "H0001") == (Role.hr, True)


def test_hr_cannot_create_an_admin_or_raise_an_employee(db, client):
    make_person(db, employee_no="E0100", name="柜员")
    _hr_client(db, client)
    response = _import(
        client,
        HEADER + "E0100,柜员,admin,,,,,yes\nN0001,新人,admin,,,,,yes\nN0002,新人二,hr,,,,,yes\n",
    )
    assert response.status_code == 400
    for line in (2, 3, 4):
        assert f"Line {line}: Only an administrator can give the role" in response.text
    assert _role_and_active(db, "E0100") == (Role.employee, True)
    with db.session() as session:
        assert session.exec(select(Person).where(Person.employee_no == "N0001")).first() is None


def test_hr_cannot_demote_deactivate_or_rename_an_admin(db, client):
    make_person(db, role=Role.admin, employee_no="A0009", name="管理员")
    _hr_client(db, client)
    for row in (
        "A0009,管理员,employee,,,,,yes",
        "A0009,管理员,admin,,,,,no",
        "A0009,改名,admin,,,,,yes",
    ):
        response = _import(client, HEADER + row + "\n")
        assert response.status_code == 400, row
        assert "Only an administrator can change the account of A0009" in response.text
    assert _role_and_active(db, "A0009") == (Role.admin, True)


def test_hr_may_list_an_admin_unchanged_and_manage_staff_below_hr(db, client):
    make_person(db, role=Role.admin, employee_no="A0009", name="管理员")
    _hr_client(db, client)
    rows = (
        "A0009,管理员,admin,,,,,yes\nE0200,新主管,supervisor,,,,,yes\nE0201,新作者,author,,,,,yes\n"
    )
    response = _import(client, HEADER + rows)
    assert response.status_code == 200, response.text
    assert _role_and_active(db, "E0200") == (Role.supervisor, True)


def test_admin_can_demote_and_deactivate_an_admin_but_not_themselves(db, client):
    make_person(db, role=Role.admin, employee_no="A0009", name="管理员")
    me = make_person(db, role=Role.admin, employee_no="A0010", name="我")
    client.login(me.employee_no, PASSWORD)
    response = _import(client, HEADER + "A0009,管理员,employee,,,,,no\n")
    assert response.status_code == 200, response.text
    assert _role_and_active(db, "A0009") == (Role.employee, False)
    response = _import(client, HEADER + "A0010,我,admin,,,,,no\n")
    assert response.status_code == 400
    assert "cannot remove your own administrator role" in response.text
    assert _role_and_active(db, "A0010") == (Role.admin, True)


def test_cli_import_runs_with_administrator_rights(db, settings, tmp_path, monkeypatch):
    """The operator at the server's shell is trusted as an administrator (see its --help)."""
    from click.testing import CliRunner

    from frontline import cli
    from frontline import settings as settings_module

    monkeypatch.setenv("FRONTLINE_DATABASE_URL", settings.database_url)
    settings_module.get_settings.cache_clear()
    roster_file = tmp_path / "admins.csv"
    roster_file.write_text("工号,姓名,角色\nA0100,新管理员,系统管理员\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["import-staff", str(roster_file)])
    settings_module.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert _role_and_active(db, "A0100") == (Role.admin, True)
    assert "administrator rights" in CliRunner().invoke(cli.main, ["import-staff", "--help"]).output


def test_apply_without_its_fields_is_a_400(db, client):
    _hr_client(db, client)
    response = client.post(
        "/people-import/apply", data={"csrf_token": client.csrf_token("/people-import")}
    )
    assert response.status_code == 400


def test_the_command_line_plans_again_when_another_import_overtakes_it(db, database_url):
    """The same file imported twice at once from the shell: on PostgreSQL the second's plan
    is overtaken while it is written; it is undone and planned again from what is there."""
    text = "employee_no,name\nR001,赵一\nR002,钱二\n"

    def hold(session):  # the other import's person, not yet committed
        session.add(Person(employee_no="R002", name="钱二"))
        session.flush()

    def run(session):
        plan = roster_plan.import_roster(session, text=text, actor_role=Role.admin, actor_id=None)
        return plan.count(roster_plan.Action.create)

    _, _, created = at_once(db, database_url, hold=hold, second=run)
    assert created == 1
    with db.session() as session:
        named = session.exec(
            select(Person.name).where(col(Person.employee_no).in_(["R001", "R002"]))
        )
        assert sorted(named) == ["赵一", "钱二"]
