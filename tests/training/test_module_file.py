"""The module file: an exact round trip, line-precise errors, nothing half-imported, published
versions never overwritten; and the command line."""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontline import cli
from frontline import settings as settings_module
from frontline.db import Database
from tests.databases import PG_URL, create_database, drop_database
from tests.factories import make_standard
from tests.training.learner_helpers import FakeQuizzes, install_fake_quizzes
from training import service
from training.demo_content import DEMO_FILE
from training.models import VersionStatus
from training.module_file import export_modules, parse_modules
from training.module_import import Action, apply_import, plan_import

DEMO_STANDARDS = [
    "GRT-01",
    "TXN-01",
    "TXN-02",
    "TXN-03",
    "FWL-01",
    "LNG-01",
    "LNG-02",
    "CPL-01",
    "CPL-02",
    "IDV-01",
    "IDV-02",
    "CMP-01",
    "RFS-01",
    "DSC-01",
    "DSC-02",
    "SPC-01",
    "SPC-02",
]
QUIZ_CODES = ("QZ-AML", "QZ-CMP", "QZ-CTR", "QZ-LNG", "QZ-SPC", "QZ-TLR-2026Q4", "QZ-WLT")


@pytest.fixture
def quizzes(monkeypatch: pytest.MonkeyPatch) -> FakeQuizzes:
    fake = install_fake_quizzes(monkeypatch)
    for n, code in enumerate(QUIZ_CODES, start=1):
        fake.add(n).code = code
    return fake


@pytest.fixture
def other_db(migrated_template: str, tmp_path: Path) -> Iterator[Database]:
    if PG_URL:
        name = f"frontline_test_{uuid.uuid4().hex[:12]}"
        database = Database(create_database(name, template=migrated_template))
        yield database
        database.dispose()
        drop_database(name)
        return
    path = tmp_path / "other.db"
    shutil.copy(migrated_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _standards(db):
    for code in DEMO_STANDARDS:
        make_standard(db, code=code)


def import_text(db, text):
    specs, errors = parse_modules(text)
    with db.session() as session:
        plan = plan_import(session, specs=specs, errors=errors)
        if plan.ok:
            apply_import(session, plan=plan, actor_id=None)
        return plan


def export(db):
    with db.session(write=False) as session:
        return export_modules(session)


def test_the_demo_file_imports_and_exports_to_the_same_bytes(db, other_db, quizzes):
    _standards(db)
    _standards(other_db)
    demo = DEMO_FILE.read_text(encoding="utf-8")
    plan = import_text(db, demo)
    assert plan.ok, [str(e) for e in plan.errors]
    first = export(db)
    assert first == demo
    assert import_text(other_db, first).ok
    assert export(other_db) == first
    again = import_text(db, first)
    assert {step.action for m in again.modules for step in m.steps} == {Action.unchanged}
    with db.session() as session:
        exam = service.get_by_code(session, code="EXAM-2026Q4")
        version = service.current_version(session, module=exam)
        assert version.status == VersionStatus.published
        assert service.is_exam(session, version=version)


def _one_module(**changes: str) -> str:
    fields = {
        "status": "published",
        "title_zh": "迎客",
        "estimated_minutes": "10",
        "standard_codes": "[GRT-01]",
        "quiz": "null",
        "lesson_title": "第一课",
    }
    fields.update(changes)
    return (
        "format: frontline-training/1\n"
        "modules:\n"
        "  - code: TRN-GREET-01\n"
        "    versions:\n"
        "      - version: 1\n"
        f"        status: {fields['status']}\n"
        "        change_note: 首次发布\n"
        f"        title_zh: {fields['title_zh']}\n"
        f"        estimated_minutes: {fields['estimated_minutes']}\n"
        f"        standard_codes: {fields['standard_codes']}\n"
        f"        quiz: {fields['quiz']}\n"
        "        lessons:\n"
        f"          - title_zh: {fields['lesson_title']}\n"
        "            body_zh: 正文\n"
    )


@pytest.mark.parametrize(
    ("changes", "line", "message"),
    [
        ({"status": "live"}, 6, "status must be one of"),
        ({"title_zh": "''"}, 8, "title_zh:"),
        ({"estimated_minutes": "lots"}, 9, "estimated_minutes:"),
        ({"standard_codes": "[GRT01]"}, 10, "A standard code looks like GRT-01"),
        ({"quiz": "QZ-NONE"}, 5, "No published quiz has the code QZ-NONE"),
        ({"standard_codes": "[ZZZ-99]"}, 5, "A covered standard is not in the library: ZZZ-99"),
        ({"lesson_title": "''"}, 13, "title_zh:"),
    ],
)
def test_a_bad_file_names_the_line_and_imports_nothing(db, quizzes, changes, line, message):
    make_standard(db, code="GRT-01")
    plan = import_text(db, _one_module(**changes))
    assert not plan.ok
    assert any(e.line == line and message in e.text for e in plan.errors), [
        str(e) for e in plan.errors
    ]
    with db.session() as session:
        assert service.get_by_code(session, code="TRN-GREET-01") is None


def test_syntax_errors_and_wrong_shapes_are_problems_not_crashes(db, quizzes):
    for text, message in (
        ("format: frontline-training/1\nmodules: [\n", "not valid YAML"),
        ("- a list\n", "must be a mapping"),
        ("format: other/1\nmodules: []\n", "format: frontline-training/1"),
        ("", "empty"),
    ):
        specs, errors = parse_modules(text)
        assert specs == [] or errors
        assert any(message in e.text for e in errors), (text, [str(e) for e in errors])


def test_a_published_version_is_never_overwritten(db, quizzes):
    make_standard(db, code="GRT-01")
    assert import_text(db, _one_module()).ok
    changed = import_text(db, _one_module(title_zh="迎客（改）"))
    assert not changed.ok
    assert "is published and never changes" in changed.errors[0].text
    with db.session() as session:
        module = service.get_by_code(session, code="TRN-GREET-01")
        assert service.current_version(session, module=module).title_zh == "迎客"


def test_a_draft_takes_the_files_content(db, quizzes):
    make_standard(db, code="GRT-01")
    assert import_text(db, _one_module(status="draft")).ok
    assert import_text(db, _one_module(status="draft", title_zh="迎客二稿", lesson_title="新课")).ok
    with db.session() as session:
        module = service.get_by_code(session, code="TRN-GREET-01")
        draft = service.draft_of(session, module=module)
        assert draft.title_zh == "迎客二稿"
        assert [lesson.title_zh for lesson in service.lessons_of(session, version_id=draft.id)] == [
            "新课"
        ]


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


def test_cli_dry_run_import_and_export(cli_env, db, quizzes):
    _standards(db)
    runner = CliRunner()
    dry = runner.invoke(cli.main, ["training", "import", "--dry-run", str(DEMO_FILE)])
    assert dry.exit_code == 0, dry.output
    assert "TRN-CTR-01 v1: create" in dry.output and "nothing was imported" in dry.output
    with db.session() as session:
        assert service.get_by_code(session, code="TRN-CTR-01") is None
    assert runner.invoke(cli.main, ["training", "import", str(DEMO_FILE)]).exit_code == 0
    out = cli_env / "modules.yaml"
    exported = runner.invoke(cli.main, ["training", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "Exported 7 modules" in exported.output
    assert out.read_text(encoding="utf-8") == DEMO_FILE.read_text(encoding="utf-8")


def test_cli_bad_file_prints_file_and_line(cli_env, db, quizzes):
    bad = cli_env / "bad.yaml"
    bad.write_text(_one_module(status="live"), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["training", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6: status must be one of" in result.output
    assert "nothing was imported" in result.output


def test_cli_a_code_taken_while_the_file_is_written_imports_nothing(
    cli_env, db, quizzes, monkeypatch
):
    """PostgreSQL: another author creates the module after the file was planned, before it
    is written (its row not yet seen). The command says so; it used to end in a traceback."""
    from sqlmodel import select

    from training import authoring, module_import
    from training.models import Module
    from training.schemas import ModuleContent

    _standards(db)
    source = cli_env / "one.yaml"
    source.write_text(_one_module(status="draft"), encoding="utf-8")
    real_plan = module_import.plan_import

    def planned_then_overtaken(session, **kwargs):
        planned = real_plan(session, **kwargs)
        content = ModuleContent(title_zh="别人的", estimated_minutes=5)
        authoring.create_module(session, code="TRN-GREET-01", content=content, actor_id=None)
        monkeypatch.setattr(service, "get_by_code", lambda session, code: None)
        return planned

    monkeypatch.setattr(module_import, "plan_import", planned_then_overtaken)
    result = CliRunner().invoke(cli.main, ["training", "import", str(source)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "A module with this code already exists." in result.output
    assert "nothing was imported" in result.output
    with db.session() as session:  # the other author's module went with it: one transaction
        assert session.exec(select(Module).where(Module.code == "TRN-GREET-01")).first() is None
