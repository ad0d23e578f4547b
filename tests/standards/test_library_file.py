"""The standards library as YAML: exact round trips, line-precise errors, safe imports."""

import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func
from sqlmodel import select

from frontline import audit_trail, cli
from frontline import settings as settings_module
from frontline.audit_trail import AuditTrailEvent
from frontline.db import Database
from standards import demo, service
from standards.library_file import (
    Action,
    ImportPlan,
    ImportRefused,
    apply_import,
    export_library,
    parse_library,
    plan_import,
)
from standards.models import Kind, Standard, StandardVersion, VersionStatus
from standards.schemas import VersionContent
from tests.concurrency import at_once
from tests.databases import PG_URL, create_database, drop_database

DEMO_FILE = Path(demo.__file__).with_name("demo_library.yaml")


# ---- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def other_db(migrated_template: str, tmp_path: Path) -> Iterator[Database]:
    """A second, empty migrated database (made like conftest's database_url)."""
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


def import_text(db: Database, yaml_text: str):  # type: ignore[no-untyped-def]
    """Parse, plan and apply as the CLI does; returns the applied plan or raises ImportRefused."""
    specs, errors = parse_library(yaml_text)
    with db.session() as session:
        plan = plan_import(session, specs=specs, errors=errors)
        return apply_import(session, plan=plan, actor_id=None)


def export(db: Database) -> str:
    with db.session(write=False) as session:
        return export_library(session)


def row_counts(db: Database) -> tuple[int, int, int]:
    with db.session(write=False) as session:
        return (
            session.exec(select(func.count()).select_from(Standard)).one(),
            session.exec(select(func.count()).select_from(StandardVersion)).one(),
            audit_trail.count(session),
        )


def version_rows(db: Database, code: str) -> list[StandardVersion]:
    with db.session(write=False) as session:
        standard = service.get_by_code(session, code=code)
        assert standard is not None
        return service.versions(session, standard=standard)


def standard_yaml(
    code: str = "GRT-90",
    kind: str = "script",
    versions: list[dict[str, str]] | None = None,
) -> str:
    """One standard in the file format; each version dict overrides the default fields."""
    lines = [f"  - code: {code}", f"    kind: {kind}", "    versions:"]
    for number, overrides in enumerate(versions or [{}], start=1):
        fields = {
            "version": str(number),
            "status": "published",
            "effective_date": "2025-03-01",
            "change_note": "首次发布 / First issue",
            "category": "greeting" if kind == "script" else "attitude",
            "channels": "[counter]",
            "positions": "[teller]",
            "severity": "major",
            "title_zh": "柜面迎客",
            "title_en": "Greeting at the counter",
        } | overrides
        first = True
        for key, value in fields.items():
            if value is None:
                continue
            lines.append(f"      {'- ' if first else '  '}{key}: {value}")
            first = False
    return "\n".join(lines) + "\n"


def library(*standards: str) -> str:
    return "format: frontline-standards/1\nstandards:\n" + "".join(standards)


def line_of(yaml_text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing needle."""
    found = [i for i, line in enumerate(yaml_text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


# ---- the demo library --------------------------------------------------------------------------


def test_demo_library_has_no_errors():
    specs, errors = parse_library(DEMO_FILE.read_text(encoding="utf-8"))
    assert errors == []
    assert len(specs) >= 25
    assert {spec.kind for spec in specs} == {Kind.script, Kind.rule}


def test_demo_loads_once_with_both_kinds(db):
    with db.session() as session:
        assert demo.load(session) >= 25
    with db.session() as session:
        assert demo.load(session) == 0  # a second run changes nothing
        standards = session.exec(select(Standard)).all()
        assert len(standards) >= 25
        assert {s.kind for s in standards} == {Kind.script, Kind.rule}
        for standard in standards:
            current = service.current_version(session, standard=standard)
            history = service.versions(session, standard=standard)
            issued = [v for v in history if v.status != VersionStatus.draft]
            if issued:
                assert current is not None and current.id == issued[-1].id
                assert current.status in (VersionStatus.published, VersionStatus.retired)
            else:
                assert current is None


def test_export_writes_the_demo_file_format(db):
    """Importing the demo file and exporting it gives the same text, standards in code order."""

    def blocks(library_text: str) -> tuple[str, list[str]]:
        head, body = library_text.split("standards:\n", 1)
        return head, sorted(re.split(r"(?m)^(?=  - code: )", body)[1:])

    with db.session() as session:
        demo.load(session)
    assert blocks(export(db)) == blocks(DEMO_FILE.read_text(encoding="utf-8"))


# ---- round trips -------------------------------------------------------------------------------


def test_round_trip_is_exact(db, other_db):
    with db.session() as session:
        demo.load(session)
    first = export(db)
    assert first.startswith("format: frontline-standards/1\nstandards:\n  - code: ")

    plan = import_text(other_db, first)
    assert plan.totals["created"] >= 25
    assert export(other_db) == first

    before = row_counts(db)
    again = import_text(db, first)  # a no-op import
    assert {item.action for item in again.standards} == {Action.unchanged}
    assert export(db) == first
    standards, versions, events = row_counts(db)
    assert (standards, versions) == before[:2]
    assert events == before[2] + 1  # only the standards.import record

    # statuses and the version in force are reproduced, not just the text
    with db.session(write=False) as a, other_db.session(write=False) as b:
        for standard in a.exec(select(Standard)):
            twin = service.get_by_code(b, code=standard.code)
            assert twin is not None
            ours = service.current_version(a, standard=standard)
            theirs = service.current_version(b, standard=twin)
            assert (ours and ours.number) == (theirs and theirs.number)


@pytest.mark.parametrize(
    "body",
    [
        "第一行\n第二行\n",  # trailing newline: |
        "第一行\n第二行",  # none: |-
        "one\n\n\nlast\n\n\n",  # several trailing newlines: |+
        "  indented first line\nsecond\n",  # needs an indentation indicator
        "trailing spaces  \nand\ta tab\r\nand CRLF",  # cannot be a block: double-quoted
        "\nstarts with a blank line",
        "line\u2028separator and next\x85line",
        "- a list\n- in markdown\n# not a comment\nkey: not a key\n",
    ],
)
def test_multi_line_text_round_trips(db, other_db, body):
    content = VersionContent.model_validate(
        {
            "category": "greeting",
            "channels": ["counter"],
            "positions": ["teller"],
            "severity": "major",
            "title_zh": "多行",
            "body_zh": body,
            "good_practice_en": body,
            "steps": [{"zh": "步骤", "en": "step"}],
        }
    )
    with db.session() as session:
        standard, version = service.create_standard(
            session, code="GRT-77", kind=Kind.script, content=content, actor_id=None
        )
        service.publish(
            session,
            standard=standard,
            version=version,
            effective_date=date(2025, 6, 1),
            change_note="line one\nline two",
            actor_id=None,
        )
    exported = export(db)
    if "\n" in body and "\t" not in body and "\u2028" not in body:
        assert "body_zh: |" in exported
    import_text(other_db, exported)
    assert export(other_db) == exported
    (copy,) = version_rows(other_db, "GRT-77")
    stored = body.replace("\r\n", "\n")  # exported and imported with \n line ends
    assert copy.body_zh == stored and copy.good_practice_en == stored
    assert "\r" not in exported
    assert copy.change_note == "line one\nline two"


def test_literal_block_chomping(db):
    with db.session() as session:
        for code, body in (("GRT-71", "a\nb\n"), ("GRT-72", "a\nb")):
            content = VersionContent.model_validate(
                {
                    "category": "greeting",
                    "channels": ["counter"],
                    "positions": ["teller"],
                    "severity": "minor",
                    "title_zh": code,
                    "body_en": body,
                }
            )
            service.create_standard(
                session, code=code, kind=Kind.script, content=content, actor_id=None
            )
    exported = export(db)
    assert "body_en: |\n          a\n          b\n" in exported
    assert "body_en: |-\n          a\n          b\n" in exported
    assert "effective_date: null\n        change_note: null\n" in exported
    assert "required_phrases: []\n" in exported


def test_a_retired_standard_brought_back_round_trips(db, other_db):
    """v1 retired, then v2 published, then a v3 draft: a history the service allows."""
    yaml_text = library(
        standard_yaml(
            versions=[
                {"status": "retired", "change_note": "废止 / Retired"},
                {"effective_date": "2026-01-01", "change_note": "恢复 / Back", "title_en": "B"},
                {"status": "draft", "effective_date": "null", "change_note": "null"},
            ]
        )
    )
    import_text(db, yaml_text)
    statuses = [v.status for v in version_rows(db, "GRT-90")]
    assert statuses == [VersionStatus.retired, VersionStatus.published, VersionStatus.draft]
    exported = export(db)
    import_text(other_db, exported)
    assert export(other_db) == exported


# ---- what an import changes --------------------------------------------------------------------


def test_import_never_overwrites_a_published_version(db):
    original = library(standard_yaml())
    import_text(db, original)
    (v1,) = version_rows(db, "GRT-90")
    assert v1.status == VersionStatus.published

    edited = original.replace("Greeting at the counter", "Greeting at the desk")
    with db.session(write=False) as session:
        plan = plan_import(session, specs=parse_library(edited)[0])
    (item,) = plan.standards
    assert item.action == Action.new_draft
    description = item.description.render()
    assert "new draft version 2" in description and "title_en" in description

    import_text(db, edited)
    v1_after, v2 = version_rows(db, "GRT-90")
    assert v1_after.id == v1.id and v1_after.title_en == "Greeting at the counter"
    assert v1_after.status == VersionStatus.published
    assert v2.status == VersionStatus.draft and v2.title_en == "Greeting at the desk"

    # importing the same edit again updates nothing: the draft already says it
    again = import_text(db, edited)
    assert again.standards[0].action == Action.unchanged
    assert len(version_rows(db, "GRT-90")) == 2


def test_a_draft_is_updated_in_place(db):
    draft = {"status": "draft", "effective_date": "null", "change_note": "null"}
    original = library(standard_yaml(versions=[{}, draft]))
    import_text(db, original)
    _, draft_row = version_rows(db, "GRT-90")

    edited = library(standard_yaml(versions=[{}, draft | {"title_en": "Welcome"}]))
    plan = import_text(db, edited)
    assert plan.standards[0].action == Action.update_draft
    assert "title_en" in plan.standards[0].description.render()
    v1, v2 = version_rows(db, "GRT-90")
    assert v2.id == draft_row.id and v2.title_en == "Welcome"
    assert v1.title_en == "Greeting at the counter"
    with db.session(write=False) as session:
        events = audit_trail.page(session, action="standard.draft_update")
        assert events[0].detail == {"version": 2, "fields": ["title_en"]}


def test_only_one_draft_from_several_new_versions(db):
    import_text(db, library(standard_yaml()))
    edited = library(
        standard_yaml(
            versions=[
                {},
                {"title_en": "Second", "effective_date": "2026-01-01", "change_note": "x"},
                {
                    "title_en": "Third",
                    "status": "draft",
                    "effective_date": "null",
                    "change_note": "null",
                },
            ]
        )
    )
    edited = edited.replace("        status: published\n", "        status: superseded\n", 1)
    plan = import_text(db, edited)
    (item,) = plan.standards
    assert item.action == Action.new_draft
    notes = [note.render() for note in item.notes]
    assert any("at most one draft" in note and "version 3" in note for note in notes)
    assert [(v.status, v.title_en) for v in version_rows(db, "GRT-90")] == [
        (VersionStatus.published, "Greeting at the counter"),
        (VersionStatus.draft, "Third"),
    ]


def test_standards_missing_from_the_file_are_untouched(db):
    import_text(db, library(standard_yaml("GRT-90"), standard_yaml("GRT-91")))
    plan = import_text(db, library(standard_yaml("GRT-91")))
    assert {(item.code, item.action) for item in plan.standards} == {
        ("GRT-90", Action.untouched),
        ("GRT-91", Action.unchanged),
    }
    assert plan.totals["untouched"] == 1 and plan.totals["unchanged"] == 1
    assert len(version_rows(db, "GRT-90")) == 1


def test_one_audit_record_with_the_totals(db):
    import_text(db, library(standard_yaml("GRT-90"), standard_yaml("GRT-91")))
    with db.session(write=False) as session:
        (event,) = audit_trail.page(session, action="standards.import")
        assert event.detail["created"] == 2 and event.detail["errors"] == 0
        actions = session.exec(select(AuditTrailEvent.action)).all()
        assert actions.count("standard.create") == 2 and actions.count("standard.publish") == 2


def test_kind_mismatch_with_the_database_is_an_error(db):
    import_text(db, library(standard_yaml("GRT-90")))
    before = row_counts(db)
    bad = library(
        standard_yaml("GRT-01"),  # new and valid, but nothing may be applied
        standard_yaml("GRT-90", kind="rule"),
    )
    with pytest.raises(ImportRefused) as refused:
        import_text(db, bad)
    (error,) = refused.value.plan.errors
    assert error.line == line_of(bad, "kind: rule")
    assert "GRT-90" in error.message and "script" in error.message
    assert row_counts(db) == before
    with db.session() as session, pytest.raises(ImportRefused):
        # A plan made without the database: applying works it out again and refuses.
        stale = ImportPlan(specs=parse_library(bad)[0])
        apply_import(session, plan=stale, actor_id=None)


# ---- bad files ---------------------------------------------------------------------------------

GOOD = standard_yaml("GRT-01")  # a valid standard in every bad file: it must not be created


def _bad_files() -> list[tuple[str, str, str, str]]:
    """(test id, file text, text of the line the error is on, expected message part)."""
    cases = []

    def case(name: str, body: str, needle: str, message: str, occurrence: int = 1) -> None:
        cases.append((name, body, (needle, occurrence), message))

    case(
        "channels-not-a-list",
        library(GOOD, standard_yaml(versions=[{"channels": "counter"}])),
        "channels: counter",
        "GRT-90 version 1: channels: must be a list, not text.",
    )
    case(
        "severity-a-number",
        library(GOOD, standard_yaml(versions=[{"severity": "3"}])),
        "severity: 3",
        "GRT-90 version 1: severity: 3 is not one of: critical, major, minor.",
    )
    case(
        "unknown-channel",
        library(GOOD, standard_yaml(versions=[{"channels": "[counter, fax]"}])),
        "channels: [counter, fax]",
        "channels, item 2: fax is not one of: counter, lobby, phone, online.",
    )
    case(
        "category-of-the-other-kind",
        library(GOOD, standard_yaml(kind="rule", versions=[{"category": "greeting"}])),
        "category: greeting",
        "GRT-90 version 1: category: greeting is not a category of a rule",
        occurrence=2,
    )
    case(
        "unknown-top-level-key",
        library(GOOD).replace("standards:\n", "author: me\nstandards:\n"),
        "author: me",
        "top level: author: unknown field",
    )
    case(
        "unknown-version-key",
        library(GOOD, standard_yaml(versions=[{"title_fr": "Accueil"}])),
        "title_fr: Accueil",
        "GRT-90 version 1: title_fr: unknown field",
    )
    case(
        "unknown-standard-key",
        library(GOOD, standard_yaml().replace("    kind:", "    owner: x\n    kind:")),
        "owner: x",
        "GRT-90: owner: unknown field",
    )
    dup = library(GOOD, standard_yaml("GRT-01"))
    case(
        "duplicate-code",
        dup,
        "code: GRT-01",
        f"GRT-01: this code is already used by the standard on line {line_of(dup, 'GRT-01')}",
        occurrence=2,
    )
    case(
        "missing-title",
        library(GOOD, standard_yaml(versions=[{"title_zh": None}])),
        "- version: 1",
        "GRT-90 version 1: the field title_zh is missing",
        occurrence=2,
    )
    case(
        "empty-step",
        library(
            GOOD, standard_yaml(versions=[{"steps": "\n          - zh: ''\n            en: x"}])
        ),
        "- zh: ''",
        "GRT-90 version 1: steps, item 1, zh: This field is required.",
    )
    case(
        "malformed-yaml",
        library(GOOD, standard_yaml(versions=[{"title_en": "Greeting: at: the counter"}])),
        "title_en: Greeting: at",
        "This is not valid YAML: mapping values are not allowed",
    )
    case(
        "unclosed-list",
        library(GOOD, standard_yaml(versions=[{"channels": "[counter"}])),
        "positions: [teller]",
        "This is not valid YAML",
        occurrence=2,
    )
    case(
        "published-without-effective-date",
        library(GOOD, standard_yaml(versions=[{"effective_date": "null"}])),
        "effective_date: null",
        "GRT-90 version 1: effective_date: a published version needs the date it took effect",
    )
    case(
        "published-without-effective-date-key",
        library(GOOD, standard_yaml(versions=[{"effective_date": None}])),
        "- version: 1",
        "GRT-90 version 1: the field effective_date is missing",
        occurrence=2,
    )
    case(
        "not-a-date",
        library(GOOD, standard_yaml(versions=[{"effective_date": "2025-3-1"}])),
        "effective_date: 2025-3-1",
        "effective_date: 2025-3-1 is not a date; write it as YYYY-MM-DD",
    )
    case(
        "published-without-change-note",
        library(GOOD, standard_yaml(versions=[{"change_note": "''"}])),
        "change_note: ''",
        "change_note: a published version needs a change note",
    )
    case(
        "versions-out-of-order",
        library(GOOD, standard_yaml(versions=[{}, {"version": "3"}])),
        "- version: 3",
        "versions must be numbered 1, 2, 3... in order; this one should be 2, not 3",
    )
    case(
        "draft-not-last",
        library(
            GOOD,
            standard_yaml(
                versions=[{"status": "draft", "effective_date": "null", "change_note": "null"}, {}]
            ),
        ),
        "status: draft",
        "GRT-90 version 1: status: only the last version can be a draft",
    )
    case(
        "two-published",
        library(GOOD, standard_yaml(versions=[{}, {}])),
        "status: published",
        "GRT-90 version 1: status: published, but version 2 is published",
        occurrence=2,
    )
    case(
        "bad-status",
        library(GOOD, standard_yaml(versions=[{"status": "live"}])),
        "status: live",
        "GRT-90 version 1: status: live is not a status",
    )
    case(
        "bad-code",
        library(GOOD, standard_yaml("grt-1")),
        "code: grt-1",
        "code: grt-1 is not a standard code",
    )
    case(
        "duplicate-key",
        library(GOOD, standard_yaml(versions=[{"severity": "major\n        severity: minor"}])),
        "severity: minor",
        "severity: this key appears twice; it is already on line",
    )
    case(
        "wrong-format",
        library(GOOD).replace("frontline-standards/1", "frontline-standards/9"),
        "format:",
        "format: frontline-standards/9 is not a format",
    )
    return cases


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [pytest.param(*c[1:], id=c[0]) for c in _bad_files()],
)
def test_a_bad_file_names_the_line_and_writes_nothing(db, body, where, message):
    import_text(db, library(standard_yaml("GRT-50")))  # data that must stay as it is
    before = row_counts(db)
    needle, occurrence = where
    expected_line = line_of(body, needle, occurrence)

    _, errors = parse_library(body)
    assert [(e.line, message in e.message) for e in errors] == [(expected_line, True)], errors
    assert str(errors[0]).startswith(f"line {expected_line}: ")

    with pytest.raises(ImportRefused):
        import_text(db, body)
    assert row_counts(db) == before


def test_every_error_is_reported_not_just_the_first():
    body = library(
        standard_yaml("GRT-90", versions=[{"channels": "counter", "severity": "3"}]),
        standard_yaml("BAD", kind="policy"),
        standard_yaml("GRT-91", versions=[{"effective_date": "null"}]),
    )
    _, errors = parse_library(body)
    assert [e.line for e in errors] == [
        line_of(body, "channels: counter"),
        line_of(body, "severity: 3"),
        line_of(body, "code: BAD"),
        line_of(body, "kind: policy"),
        line_of(body, "effective_date: null"),
    ]


def test_empty_and_non_mapping_files():
    assert [str(e) for e in parse_library("")[1]] == ["line 1: The file is empty."]
    assert parse_library("- a\n- b\n")[1][0].line == 1
    assert parse_library("format: frontline-standards/1\nstandards: []\n") == ([], [])


def test_every_metadata_problem_of_a_version_is_reported_at_its_line():
    body = library(
        standard_yaml(
            versions=[{"version": "'1'", "effective_date": "2025-13-01", "change_note": "[a]"}]
        ),
        standard_yaml("GRT-91", versions=[{"status": "draft", "change_note": None}]),
        standard_yaml("GRT-92", versions=[{"effective_date": None, "change_note": None}]),
    )
    _, errors = parse_library(body)
    item, draft, published = "GRT-90 versions, item 1", "GRT-91 version 1", "GRT-92 version 1"
    assert [(e.line, e.message) for e in errors] == [
        (line_of(body, "version: '1'"), f"{item}: version: must be a whole number, not text."),
        (
            line_of(body, "2025-13-01"),
            f"{item}: effective_date: 2025-13-01 is not a date; write it as YYYY-MM-DD.",
        ),
        (line_of(body, "change_note: [a]"), f"{item}: change_note: must be text, not a list."),
        (
            line_of(body, "2025-03-01"),
            f"{draft}: effective_date: a draft has no effective date yet (write null); "
            "it is set when the draft is published.",
        ),
        (
            line_of(body, "- version: 1", 2),
            f"{published}: the field effective_date is missing; a published version needs it.",
        ),
        (
            line_of(body, "- version: 1", 2),
            f"{published}: the field change_note is missing; a published version needs it.",
        ),
    ]


# ---- the command line --------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


def test_cli_import_dry_run_and_export(cli_env, db):
    runner = CliRunner()
    dry = runner.invoke(cli.main, ["standards", "import", "--dry-run", str(DEMO_FILE)])
    assert dry.exit_code == 0, dry.output
    assert "GRT-01: create" in dry.output and "nothing was imported" in dry.output
    assert row_counts(db)[0] == 0

    imported = runner.invoke(cli.main, ["standards", "import", str(DEMO_FILE)])
    assert imported.exit_code == 0, imported.output
    count = row_counts(db)[0]
    assert count >= 25 and f"{count} created" in imported.output

    out = cli_env / "library.yaml"
    exported = runner.invoke(cli.main, ["standards", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    assert f"Exported {count} standards" in exported.output
    assert out.read_text(encoding="utf-8") == export(db)

    again = runner.invoke(cli.main, ["standards", "import", str(out)])
    assert again.exit_code == 0, again.output
    assert f"{count} unchanged" in again.output


def test_cli_import_of_a_bad_file_prints_file_and_line(cli_env, db):
    body = library(GOOD, standard_yaml(versions=[{"channels": "counter"}]))
    bad = cli_env / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    before = row_counts(db)
    result = CliRunner().invoke(cli.main, ["standards", "import", str(bad)])
    assert result.exit_code == 1
    line = line_of(body, "channels: counter")
    assert f"{bad}:{line}: GRT-90 version 1: channels: must be a list, not text." in (result.stderr)
    assert "Traceback" not in result.output
    assert "nothing was imported" in result.stderr
    assert row_counts(db) == before


def test_cli_reads_gb18030_and_refuses_a_file_that_is_not_text(cli_env, db):
    """Notepad on Chinese Windows saves GB18030: read it like the upload page does."""
    gbk = cli_env / "gbk.yaml"
    gbk.write_bytes(library(GOOD).encode("gb18030"))
    result = CliRunner().invoke(cli.main, ["standards", "import", str(gbk)])
    assert result.exit_code == 0, result.output
    assert [v.title_zh for v in version_rows(db, "GRT-01")] == ["柜面迎客"]

    binary = cli_env / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = CliRunner().invoke(cli.main, ["standards", "import", str(binary)])
    assert result.exit_code == 1
    assert f"{binary}:1: The file is not text in UTF-8 or GB18030." in result.stderr
    assert row_counts(db)[0] == 1


def test_one_file_applied_twice_at_once_creates_its_standards_once(db, database_url):
    """A double tap on Apply: on PostgreSQL the second's new standard waits for the first's,
    then meets its code; it plans again from what is there now and finds nothing to do."""
    text = library(standard_yaml("GRT-92"))
    (spec,), _ = parse_library(text)
    first = spec.versions[0]

    def hold(session):  # the first request creating the file's standard, not yet committed
        standard, version = service.create_standard(
            session,
            code=spec.code,
            kind=spec.kind,
            content=VersionContent.model_validate(first.content),
            actor_id=None,
        )
        assert first.effective_date and first.change_note
        service.publish(
            session,
            standard=standard,
            version=version,
            effective_date=first.effective_date,
            change_note=first.change_note,
            actor_id=None,
        )

    def apply(session):
        return apply_import(session, plan=plan_import(session, specs=[spec]), actor_id=None)

    _, _, second = at_once(db, database_url, hold=hold, second=apply)
    assert [item.action for item in second.standards] == [Action.unchanged]
    assert len(version_rows(db, "GRT-92")) == 1
