"""Import and export from the UI: preview first, apply second, bad files change nothing."""

from sqlmodel import func, select

from staff.models import Role
from standards.models import Standard, StandardVersion
from tests.factories import PASSWORD, make_person, make_standard


def _author(db, client):
    author = make_person(db, role=Role.author)
    client.login(author.employee_no, PASSWORD)


def _upload(client, text: str):
    return client.post(
        "/standards/import",
        data={"csrf_token": client.csrf_token("/standards/import")},
        files={"file": ("library.yaml", text.encode(), "application/yaml")},
    )


def _counts(db):
    with db.session() as session:
        return (
            session.exec(select(func.count()).select_from(Standard)).one(),
            session.exec(select(func.count()).select_from(StandardVersion)).one(),
        )


def test_export_preview_and_apply(db, client):
    _author(db, client)
    make_standard(db, code="GRT-01", title_zh="柜面迎客")
    exported = client.get("/standards/export.yaml")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    text = exported.text
    assert "code: GRT-01" in text and "柜面迎客" in text
    changed = text.replace("柜面迎客", "柜面迎客(修订)")
    preview = _upload(client, changed)
    assert preview.status_code == 200
    assert "What this file would change" in preview.text and "New draft" in preview.text
    assert _counts(db) == (1, 1)  # nothing written by the preview
    applied = client.submit(
        "/standards/import/apply", {"yaml_text": changed}, token_page="/standards/import"
    )
    assert applied.status_code == 200 and "Import applied" in applied.text
    assert _counts(db) == (1, 2)
    assert "柜面迎客(修订)" in client.get("/standards/GRT-01/v/2?lang=zh").text
    assert "柜面迎客(修订)" not in client.get("/standards/GRT-01/v/1?lang=zh").text


def test_bad_file_is_refused_with_line_numbers(db, client):
    _author(db, client)
    bad = (
        "format: frontline-standards/1\nstandards:\n"
        "  - code: GRT-01\n    kind: poem\n    versions: []\n"
    )
    response = _upload(client, bad)
    assert response.status_code == 400
    assert "Line 4" in response.text and "nothing changed" in response.text
    assert _counts(db) == (0, 0)
    not_yaml = _upload(client, "format: [unclosed\n")
    assert not_yaml.status_code == 400 and "not valid YAML" in not_yaml.text
    binary = client.post(
        "/standards/import",
        data={"csrf_token": client.csrf_token("/standards/import")},
        files={"file": ("x.yaml", b"\xff\xfe\x00bad", "application/yaml")},
    )
    assert binary.status_code == 400 and "not text in UTF-8 or GB18030" in binary.text


def test_kind_mismatch_on_apply_is_refused_not_a_500(db, client):
    _author(db, client)
    make_standard(db, code="ATT-01", kind="rule")
    text = (
        client.get("/standards/export.yaml")
        .text.replace("kind: rule", "kind: script")
        .replace("category: attitude", "category: greeting")
    )
    response = client.submit(
        "/standards/import/apply", {"yaml_text": text}, token_page="/standards/import"
    )
    assert response.status_code == 400
    assert _counts(db) == (1, 1)
