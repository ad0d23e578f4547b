"""What authors found: translated errors, a preview that leads with changes, links to the new
drafts, one standard exported on its own, `\\r\\n` normalised, and the full-width ；."""

import re

import pytest
from click.testing import CliRunner
from sqlmodel import select

from frontline import cli
from frontline import settings as settings_module
from staff.models import Role
from standards import service
from standards.models import Standard, StandardVersion
from tests.factories import PASSWORD, make_person, make_standard
from tests.standards.test_library_file import library, line_of, standard_yaml


def _login(db, client, role: Role = Role.author) -> None:  # type: ignore[no-untyped-def]
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)


def _upload(client, text: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/standards/import",
        data={"csrf_token": client.csrf_token("/standards/import")},
        files={"file": ("library.yaml", text.encode(), "application/yaml")},
    )


def _table_codes(page: str) -> list[str]:
    return re.findall(r'<td class="code">([A-Z]+-\d+)</td>', page)


def test_errors_are_shown_in_the_readers_language(db, client):
    _login(db, client)
    client.submit("/language", {"locale": "zh_CN", "next": "/standards/import"})
    body = library(standard_yaml(versions=[{"steps": "\n          - zh: ''\n            en: x"}]))
    response = _upload(client, body)
    assert response.status_code == 400
    line = line_of(body, "- zh: ''")
    assert f"第 {line} 行" in response.text
    assert "此项为必填项。" in response.text  # translated at render time, nested in the message
    assert "This field is required." not in response.text

    empty = client.post(
        "/standards/import",
        data={"csrf_token": client.csrf_token("/standards/import")},
        files={"file": ("empty.yaml", b"  \n", "application/yaml")},
    )
    assert empty.status_code == 400 and "文件为空。" in empty.text


def test_a_version_metadata_problem_reads_in_chinese(db, client):
    _login(db, client)
    client.submit("/language", {"locale": "zh_CN", "next": "/standards/import"})
    body = library(standard_yaml(versions=[{"change_note": None}]))
    response = _upload(client, body)
    assert response.status_code == 400
    assert f"第 {line_of(body, '- version: 1')} 行" in response.text
    assert "GRT-90 第 1 版：缺少字段 change_note；published 版本须填写该字段。" in response.text


def test_the_preview_leads_with_what_changes(db, client):
    _login(db, client)
    for n in range(1, 5):
        make_standard(db, code=f"GRT-0{n}", title_zh=f"迎客{n}")
    whole = client.get("/standards/export.yaml").text
    changed = whole.replace("迎客2", "迎客2(修订)")
    preview = _upload(client, changed)
    assert preview.status_code == 200
    assert _table_codes(preview.text) == ["GRT-02"]  # only the change is a row
    assert "New draft" in preview.text
    assert "3 standards in the file match the library and stay as they are." in preview.text
    assert "Not in the file" not in preview.text

    one = client.get("/standards/GRT-03/export.yaml").text
    nothing = _upload(client, one)
    assert _table_codes(nothing.text) == []
    assert "This file changes nothing in the library." in nothing.text
    assert "Apply this import" not in nothing.text
    assert "3 standards in the library are not in the file and stay as they are." in nothing.text


def test_after_applying_each_new_draft_is_linked(db, client):
    _login(db, client)
    make_standard(db, code="GRT-01", title_zh="柜面迎客")
    text = client.get("/standards/export.yaml").text.replace("柜面迎客", "柜面迎客(修订)")
    text += standard_yaml("GRT-90", versions=[{"title_zh": "新的迎客"}])
    applied = client.submit(
        "/standards/import/apply", {"yaml_text": text}, token_page="/standards/import"
    )
    assert applied.status_code == 200 and "Import applied" in applied.text
    assert '<a href="/standards/GRT-01/v/2">' in applied.text
    assert '<a href="/standards/GRT-90">' in applied.text and "新的迎客" in applied.text
    assert client.get("/standards/GRT-01/v/2").status_code == 200


def test_one_standard_exports_on_its_own(db, client, make_client):
    make_standard(db, code="GRT-01")
    make_standard(db, code="GRT-02", title_zh="第二个")
    _login(db, client)
    response = client.get("/standards/GRT-02/export.yaml")
    assert response.status_code == 200
    assert 'filename="GRT-02.yaml"' in response.headers["content-disposition"]
    assert "code: GRT-02" in response.text and "GRT-01" not in response.text
    assert client.get("/standards/XYZ-99/export.yaml").status_code == 404
    assert 'href="/standards/GRT-02/export.yaml"' in client.get("/standards/GRT-02/v/1").text

    employee = make_client()
    _login(db, employee, Role.employee)
    assert employee.get("/standards/GRT-02/export.yaml").status_code in (403, 404)
    assert "/export.yaml" not in employee.get("/standards/GRT-02/v/1").text


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


def test_cli_exports_only_the_codes_asked_for(cli_env, db):
    for code in ("GRT-01", "GRT-02", "GRT-03"):
        make_standard(db, code=code)
    out = cli_env / "two.yaml"
    runner = CliRunner()
    result = runner.invoke(
        cli.main, ["standards", "export", str(out), "--code", "GRT-03", "--code", "grt-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Exported 2 standards (2 versions)" in result.output
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"code: (\S+)", text) == ["GRT-01", "GRT-03"]

    missing = runner.invoke(cli.main, ["standards", "export", str(out), "--code", "ABC-99"])
    assert missing.exit_code == 1
    assert "No standard has the code(s) ABC-99" in missing.stderr
    assert "Traceback" not in missing.output
    assert out.read_text(encoding="utf-8") == text  # nothing written over


def test_line_ends_are_normalised_on_import_and_export(db, client):
    _login(db, client)
    body = library(
        standard_yaml(
            versions=[{"body_zh": '"第一行\\r\\n第二行\\r第三行"', "change_note": '"a\\r\\nb"'}]
        )
    )
    applied = client.submit(
        "/standards/import/apply", {"yaml_text": body}, token_page="/standards/import"
    )
    assert applied.status_code == 200, applied.text
    with db.session(write=False) as session:
        standard = service.get_by_code(session, code="GRT-90")
        assert standard is not None
        (version,) = service.versions(session, standard=standard)
        assert version.body_zh == "第一行\n第二行\n第三行" and version.change_note == "a\nb"

    make_standard(db, code="GRT-91", body_zh="pasted\r\nfrom Windows\r\n")
    exported = client.get("/standards/GRT-91/export.yaml").text
    assert "\r" not in exported and "\\r" not in exported
    assert "body_zh: |\n          pasted\n          from Windows\n" in exported


def test_a_full_width_semicolon_separates_variants(db, client):
    _login(db, client)
    form = {
        "kind": "script",
        "code": "GRT-09",
        "title_zh": "迎客",
        "category": "greeting",
        "severity": "major",
        "channels": ["counter"],
        "positions": ["teller"],
        "required_phrases": "您好 | Hello | 您好；欢迎您; 请坐",
    }
    response = client.submit("/standards/new", form, token_page="/standards/new")
    assert response.status_code == 303, response.text[:2000]
    with db.session(write=False) as session:
        standard = session.exec(select(Standard).where(Standard.code == "GRT-09")).one()
        version = session.exec(
            select(StandardVersion).where(StandardVersion.standard_id == standard.id)
        ).one()
        assert version.required_phrases[0]["variants"] == ["您好", "欢迎您", "请坐"]
