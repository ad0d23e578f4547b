"""The demo bank's checklists and audit history, as a service-quality manager would check it."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from audits import demo, reporting
from audits.models import Audit, AuditTemplate, Scoring, Subject, TemplateItem
from audits.templates_file import export_templates, parse_templates, plan_import
from frontline.models import utcnow
from staff import demo as staff_demo
from staff import service as staff_service
from staff.models import Person
from standards import demo as standards_demo


@pytest.fixture(scope="module")
def demo_db(migrated_template, tmp_path_factory):
    """One demo bank for the module: loading it takes a few seconds."""
    import shutil

    from frontline.db import Database
    from tests.databases import PG_URL

    if PG_URL:
        pytest.skip("built once on SQLite; the demo itself is backend-neutral")
    path = tmp_path_factory.mktemp("audits-demo") / "demo.db"
    shutil.copy(migrated_template, path)
    database = Database(f"sqlite:///{path}")
    with database.session() as session:
        staff_demo.load(session)
        standards_demo.load(session)
        lines = demo.load(session)
        assert lines and "submitted audits" in lines[0]
        assert demo.load(session) == []  # twice is safe
    yield database
    database.dispose()


def test_three_templates_in_both_styles_and_both_subjects(demo_db):
    with demo_db.session(write=False) as session:
        templates = {t.code: t for t in session.exec(select(AuditTemplate))}
        assert set(templates) == {"CTR-01", "LBY-01", "PHN-QA"}
        assert templates["LBY-01"].subject == Subject.branch
        from audits import templates as service

        counter = service.current_version(session, template=templates["CTR-01"])
        phone = service.current_version(session, template=templates["PHN-QA"])
        assert counter.scoring == Scoring.deduction and phone.scoring == Scoring.weighted
        items = session.exec(
            select(TemplateItem).where(TemplateItem.version_id == counter.id)
        ).all()
        assert any(i.per_occurrence for i in items) and any(i.veto for i in items)
        assert all(i.standard_category for i in items)


def test_a_few_hundred_audits_over_six_months_with_a_few_veto_breaches(demo_db):
    with demo_db.session(write=False) as session:
        total = session.exec(select(func.count(Audit.id))).one()
        breaches = session.exec(select(func.count(Audit.id)).where(Audit.veto_breached)).one()
        oldest = session.exec(select(func.min(Audit.observed_at))).one()
        branch_checks = session.exec(
            select(func.count(Audit.id)).where(Audit.subject_person_id.is_(None))
        ).one()
    assert 200 <= total <= 500
    assert 2 <= breaches <= 15
    assert branch_checks > 20
    assert utcnow() - timedelta(days=190) < oldest < utcnow() - timedelta(days=150)


def _average(session, number, start, end):
    person = staff_service.get_by_employee_no(session, employee_no=number)
    figures = reporting.audit_figures(
        session, people=select(Person.id).where(Person.id == person.id), start=start, end=end
    )
    return figures[person.id].average_score


def test_some_people_improve_and_some_decline(demo_db):
    today = utcnow().date()
    first = (today - timedelta(days=182), today - timedelta(days=91))
    last = (today - timedelta(days=90), today)
    with demo_db.session(write=False) as session:
        assert _average(session, "E1001", *last) > _average(session, "E1001", *first) + 5
        assert _average(session, "E2003", *last) < _average(session, "E2003", *first) - 5


def test_the_demo_templates_round_trip(demo_db):
    with demo_db.session(write=False) as session:
        text = export_templates(session)
        specs, errors = parse_templates(session, text)
        plan = plan_import(session, specs=specs, errors=errors)
    assert plan.ok and all(line.endswith("unchanged (version 1)") for line in plan.lines())


def test_branch_checks_are_reported_by_branch(demo_db):
    from staff.models import Branch

    today = utcnow().date()
    with demo_db.session(write=False) as session:
        branch_ids = select(Branch.id)
        figures = reporting.branch_figures(
            session, branch_ids=branch_ids, start=today - timedelta(days=190), end=today
        )
        codes = {b.id: b.code for b in session.exec(select(Branch))}
        people_figures = reporting.audit_figures(
            session, people=select(Person.id), start=today - timedelta(days=190), end=today
        )
    assert {codes[i] for i in figures} == {"BJ-CY01", "SH-PD02"}
    assert all(f.audits > 10 and 0 < f.average_score <= 100 for f in figures.values())
    # branch checks are not any person's
    assert (
        sum(f.audits for f in people_figures.values()) + sum(f.audits for f in figures.values())
        == 288
    )
