"""The template authoring and recorded-audit pages are valid HTML (Nu HTML checker)."""

from staff.models import Role
from tests.audits.file_helpers import TEMPLATE_YAML, make_issue_standards
from tests.factories import PASSWORD, make_person
from tests.test_html_validity import _checker, vnu_problems


def test_template_and_recorded_pages_are_valid_html(db, client, tmp_path):
    _checker()  # skips (fails in CI) before any page is made
    make_issue_standards(db)
    author = make_person(db, role=Role.author)
    client.login(author.employee_no, PASSWORD)
    token = client.csrf_token("/audits/templates/import")
    files = {"file": ("t.yaml", TEMPLATE_YAML.encode())}
    pages = {
        "import_dry": client.post(
            "/audits/templates/import", data={"csrf_token": token, "dry_run": "1"}, files=files
        ).text,
        "import_bad": client.post(
            "/audits/templates/import",
            data={"csrf_token": token},
            files={"file": ("t.yaml", TEMPLATE_YAML.replace("GRT-01", "X").encode())},
        ).text,
    }
    client.post("/audits/templates/import", data={"csrf_token": token}, files=files)
    refused = client.submit(
        "/audits/templates/new",
        {"code": "x", "action": "save", "s0_title_zh": "甲", "i0_code": "A", "i0_section": "0"},
        token_page="/audits/templates/new",
    )
    pages |= {
        "list": client.get("/audits/templates").text,
        "new": client.get("/audits/templates/new").text,
        "refused": refused.text,
        "template": client.get("/audits/templates/CTR-01").text,
        "template_en": client.get("/audits/templates/CTR-01?lang=en").text,
        "version": client.get("/audits/templates/CTR-01/versions/1").text,
        "edit": client.get("/audits/templates/CTR-01/edit").text,
    }
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    pages["recorded"] = client.get("/audits/recorded").text
    token = client.csrf_token("/audits/recorded")
    pages["recorded_bad"] = client.post(
        "/audits/recorded",
        data={"csrf_token": token},
        files={"file": ("a.yaml", b"audits:\n  - template: NOPE\n")},
    ).text
    paths = []
    for name, html in pages.items():
        assert "<!doctype html>" in html, name
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_text(html, encoding="utf-8")
    problems = vnu_problems(paths)
    assert problems == [], "\n".join(problems)
    assert "There is no template NOPE." in pages["recorded_bad"]
