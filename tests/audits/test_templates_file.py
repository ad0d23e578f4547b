"""Checklist templates as files: the issue's example, versioning, line-precise errors, the
exact round trip, and the `frontline audits templates` commands."""

import pytest
from click.testing import CliRunner
from sqlmodel import select

from audits import templates as service
from audits.models import AuditTemplate, Scoring, TemplateItem, TemplateStatus
from audits.templates_file import apply_import, export_templates, parse_templates, plan_import
from frontline import cli
from frontline import settings as settings_module
from frontline.db import Database
from frontline.migrate import upgrade
from tests.audits.file_helpers import TEMPLATE_YAML, make_issue_standards


def _import(db, text, *, expect_ok=True):
    with db.session() as session:
        specs, errors = parse_templates(session, text)
        plan = plan_import(session, specs=specs, errors=errors)
        if plan.ok:
            apply_import(session, plan=plan, actor_id=None)
        assert plan.ok == expect_ok, [str(e) for e in plan.errors]
        return plan


def _export(db):
    with db.session() as session:
        return export_templates(session)


def test_the_issues_example_imports_and_publishes(db):
    make_issue_standards(db)
    plan = _import(db, TEMPLATE_YAML)
    assert plan.lines() == ["CTR-01: new template, published (version 1)"]
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-01")
        version = service.current_version(session, template=template)
        assert version.status == TemplateStatus.published
        assert version.scoring == Scoring.deduction
        items = service.items_of(session, version_id=version.id)
        assert [i.code for i in items] == ["CTR-01-03", "CTR-01-09", "CTR-01-11", "CTR-01-12"]
        assert items[0].text_en == "Raise a hand, greet, eye contact"
        assert (items[1].points, items[1].per_occurrence) == (10, 2)
        assert items[2].na_allowed and not items[2].veto
        assert items[3].veto and items[3].points == 0
        # publishing records the standard version in force and its category, for reports
        assert items[0].standard_version_id is not None
        assert items[0].standard_category == "greeting"


def test_export_import_export_is_exact(db, tmp_path, database_url):
    make_issue_standards(db)
    _import(db, TEMPLATE_YAML)
    first = _export(db)
    assert "Raise a hand, greet, eye contact" in first
    # again into the same database: nothing to do
    plan = _import(db, first)
    assert plan.lines() == ["CTR-01: unchanged (version 1)"]
    assert _export(db) == first


def test_round_trip_into_an_empty_database_keeps_version_numbers(db, migrated_template, tmp_path):
    make_issue_standards(db)
    _import(db, TEMPLATE_YAML)
    changed = _export(db).replace("points: 3", "points: 4")
    _import(db, changed)
    text = _export(db)
    assert "version: 2" in text
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other_url)
    other = Database(other_url)
    try:
        make_issue_standards(other)
        _import(other, text)
        assert _export(other) == text
    finally:
        other.dispose()


def test_a_changed_published_template_becomes_a_new_version(db):
    make_issue_standards(db)
    _import(db, TEMPLATE_YAML)
    plan = _import(
        db,
        TEMPLATE_YAML.replace("points: 3", "points: 4").replace(
            "status: published", "status: draft"
        ),
    )
    assert plan.lines() == ["CTR-01: new version (version 2)"]
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-01")
        versions = service.versions(session, template=template)
        assert [(v.number, v.status) for v in versions] == [
            (1, TemplateStatus.published),
            (2, TemplateStatus.draft),
        ]
        # version 1 is untouched: its item still has 3 points
        first_items = service.items_of(session, version_id=versions[0].id)
        assert first_items[0].points == 3
        assert template.current_version_id == versions[0].id
    # importing again rewrites the draft, then publishing supersedes version 1
    plan = _import(db, TEMPLATE_YAML.replace("points: 3", "points: 6"))
    assert plan.lines() == ["CTR-01: draft updated, published (version 2)"]
    with db.session() as session:
        template = service.get_by_code(session, code="CTR-01")
        statuses = [v.status for v in service.versions(session, template=template)]
        assert statuses == [TemplateStatus.superseded, TemplateStatus.published]


def test_a_file_from_an_older_version_is_refused(db):
    make_issue_standards(db)
    _import(db, TEMPLATE_YAML)
    _import(db, TEMPLATE_YAML.replace("points: 3", "points: 4"))  # version 2
    text = TEMPLATE_YAML.replace(
        "    status: published\n", "    status: published\n    version: 1\n"
    )
    plan = _import(db, text.replace("points: 3", "points: 6"), expect_ok=False)
    assert "changes version 1, but the template is already at version 2" in plan.errors[0].text


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        ("standard: GRT-01", 10, "GRT-99 is not a published standard"),
        ("points: 10, per_occurrence: 2", 11, "per_occurrence cannot be more than"),
        ("scoring: deduction", 5, "scoring must be one of"),
        ("subject: employee", 4, "subject must be one of"),
        ("na_allowed: true", 12, "na_allowed must be true or false"),
        ("veto: true", 13, "a veto item carries no points"),
        ("code: CTR-01-09", 11, "the item code is used twice"),
    ],
)
def test_errors_name_their_line_and_nothing_is_imported(db, change, line, words):
    make_issue_standards(db)
    broken = {
        "standard: GRT-01": "standard: GRT-99",
        "points: 10, per_occurrence: 2": "points: 10, per_occurrence: 12",
        "scoring: deduction": "scoring: points",
        "subject: employee": "subject: team",
        "na_allowed: true": "na_allowed: maybe",
        "veto: true": "veto: true, points: 5",
        "code: CTR-01-09": "code: CTR-01-03",
    }[change]
    plan = _import(db, TEMPLATE_YAML.replace(change, broken, 1), expect_ok=False)
    assert any(e.line == line and words in e.text for e in plan.errors), [
        str(e) for e in plan.errors
    ]
    with db.session() as session:
        assert session.exec(select(AuditTemplate)).first() is None


def test_weighted_templates_take_weight_not_points(db):
    make_issue_standards(db)
    weighted = TEMPLATE_YAML.replace("scoring: deduction", "scoring: weighted")
    plan = _import(db, weighted, expect_ok=False)
    assert any("items take weight, not points" in e.text for e in plan.errors)
    fixed = weighted.replace("points: 10, per_occurrence: 2", "weight: 10").replace(
        "points:", "weight:"
    )
    _import(db, fixed)
    with db.session() as session:
        items = session.exec(select(TemplateItem).order_by(TemplateItem.position)).all()
        assert [i.points for i in items] == [3, 10, 5, 0]
    assert "weight: 3" in _export(db)


def test_a_veto_check_must_be_one_of_the_standards(db):
    make_issue_standards(db)
    good = TEMPLATE_YAML.replace(
        "standard: IDV-01, veto: true",
        "standard: IDV-01, veto_check: {zh: 未查验身份证件原件即办理业务, en: x}, veto: true",
    )
    _import(db, good)
    bad = TEMPLATE_YAML.replace(
        "standard: IDV-01, veto: true",
        "standard: IDV-01, veto_check: {zh: 别的, en: x}, veto: true",
    ).replace("CTR-01", "CTR-02")
    plan = _import(db, bad, expect_ok=False)
    assert any("IDV-01 has no such veto check" in e.text for e in plan.errors)


def test_bad_yaml_is_refused_with_its_line(db):
    with db.session() as session:
        specs, errors = parse_templates(session, "templates:\n  - code: [unclosed\n")
    assert not specs
    assert errors[0].line in (2, 3)


@pytest.fixture
def cli_url(database_url, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    yield database_url
    settings_module.get_settings.cache_clear()


def test_the_commands_import_dry_run_and_export(db, cli_url, tmp_path):
    make_issue_standards(db)
    source = tmp_path / "templates.yaml"
    source.write_text(TEMPLATE_YAML, encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(cli.main, ["audits", "templates", "import", str(source), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was imported." in dry.output
    with db.session() as session:
        assert session.exec(select(AuditTemplate)).first() is None
    done = runner.invoke(cli.main, ["audits", "templates", "import", str(source)])
    assert done.exit_code == 0 and "CTR-01: new template, published" in done.output
    out = tmp_path / "out.yaml"
    exported = runner.invoke(cli.main, ["audits", "templates", "export", str(out)])
    assert exported.exit_code == 0 and "Exported 1 templates" in exported.output
    assert out.read_text(encoding="utf-8").startswith("format: frontline-audit-templates/1\n")
    source.write_text(TEMPLATE_YAML.replace("GRT-01", "GRT-99"), encoding="utf-8")
    failed = runner.invoke(cli.main, ["audits", "templates", "import", str(source)])
    assert failed.exit_code == 1
    assert (
        f"{source}:10: CTR-01, section 1, CTR-01-03: GRT-99 is not a published standard."
        in failed.output
    )


@pytest.mark.parametrize("change", ["item", "section", "version", "delete item"])
def test_the_database_refuses_to_change_a_published_version(db, change):
    from sqlalchemy.exc import DatabaseError

    from audits.models import TemplateSection, TemplateVersion

    make_issue_standards(db)
    _import(db, TEMPLATE_YAML)
    refused = pytest.raises(DatabaseError, match="published template version cannot")
    with refused, db.session() as session:
        version = session.exec(select(TemplateVersion)).one()
        if change == "item":
            item = session.exec(select(TemplateItem)).first()
            item.points = 99
            session.add(item)
        elif change == "section":
            section = session.exec(select(TemplateSection)).first()
            section.title_zh = "改"
            session.add(section)
        elif change == "version":
            version.title_zh = "改"
            session.add(version)
        else:
            session.delete(session.exec(select(TemplateItem)).first())
        session.flush()
    # its status may still move on
    with db.session() as session:
        version = session.exec(select(TemplateVersion)).one()
        version.status = TemplateStatus.retired
        session.add(version)
