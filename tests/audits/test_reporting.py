"""Figures for scorecards, computed in SQL, against audits scored by hand."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from audits import recorded, reporting
from audits.models import ActionStatus, CorrectionAction
from audits.recorded_files import entries_from_yaml
from audits.templates_file import apply_import, parse_templates, plan_import
from staff.models import Person, Role
from tests.audits.file_helpers import TEMPLATE_YAML, make_issue_standards
from tests.factories import make_branch, make_person, make_team

# Open actions are counted as of a period's end: made within it, whenever the tests run.
IN_PERIOD = datetime(2026, 11, 2, 2, tzinfo=UTC)


def _entry(employee, when, results):
    lines = "\n".join(f"      {code}: {value}" for code, value in results.items())
    return f"""\
  - template: CTR-01
    employee: {employee}
    method: on_site
    observed_at: {when}
    auditor: S1001
    results:
{lines}
"""


ALL_PASS = {"CTR-01-03": "pass", "CTR-01-09": "pass", "CTR-01-11": "pass", "CTR-01-12": "pass"}


@pytest.fixture
def figures_bank(db):
    make_issue_standards(db)
    with db.session() as session:
        specs, errors = parse_templates(session, TEMPLATE_YAML)
        apply_import(session, plan=plan_import(session, specs=specs, errors=errors), actor_id=None)
    team = make_team(db, branch=make_branch(db))
    a = make_person(db, employee_no="E1001", team=team)
    b = make_person(db, employee_no="E1002", team=team)
    auditor = make_person(db, employee_no="S1001", role=Role.supervisor, team=team)
    text = "audits:\n" + "".join(
        [
            # A, October (Shanghai time): 100
            _entry("E1001", "2026-10-31T23:30:00+08:00", ALL_PASS),
            # A, November: 3 lost of 18 → 83.3; then a veto breach → 0 (would be 100)
            _entry("E1001", "2026-11-01T00:30:00+08:00", {**ALL_PASS, "CTR-01-03": "fail"}),
            _entry("E1001", "2026-11-02T09:00:00+08:00", {**ALL_PASS, "CTR-01-12": "fail"}),
            # B, November: N/A on the 5-point item, 2 occurrences → 3 + 6 of 13 → 69.2
            _entry(
                "E1002",
                "2026-11-03T09:00:00+08:00",
                {**ALL_PASS, "CTR-01-09": "{fail: 2}", "CTR-01-11": "na"},
            ),
            # outside the period
            _entry("E1002", "2026-09-30T23:00:00+08:00", ALL_PASS),
        ]
    )
    entries, problems = entries_from_yaml(text)
    with db.session() as session:
        checked = recorded.check_entries(session, entries)
        assert not problems and not checked.problems, checked.problems
        stored = recorded.store(session, checked=checked, actor_id=None)
        session.add(
            CorrectionAction(
                audit_id=stored[1].id,
                person_id=a.id,
                deadline_date=date(2026, 11, 30),
                created_by_id=auditor.id,
                created_at=IN_PERIOD,
            )
        )
        session.add(
            CorrectionAction(
                audit_id=stored[1].id,
                person_id=a.id,
                deadline_date=date(2026, 11, 30),
                created_by_id=auditor.id,
                created_at=IN_PERIOD,
                status=ActionStatus.done,
            )
        )
    return {"a": a, "b": b, "auditor": auditor}


def _people(ids):
    return select(Person.id).where(Person.id.in_(ids))


def test_audit_figures_per_person(db, figures_bank):
    a, b = figures_bank["a"], figures_bank["b"]
    with db.session() as session:
        figures = reporting.audit_figures(
            session, people=_people([a.id, b.id]), start=date(2026, 10, 1), end=date(2026, 11, 30)
        )
    # A: (100 + 83.3 + 0) / 3 = 61.1
    assert figures[a.id] == reporting.AuditFigures(3, 61.1, 1, 1)
    assert figures[b.id] == reporting.AuditFigures(1, 69.2, 0, 0)


def test_the_period_is_in_the_banks_time_zone(db, figures_bank):
    a = figures_bank["a"]
    with db.session() as session:
        october = reporting.audit_figures(
            session, people=_people([a.id]), start=date(2026, 10, 1), end=date(2026, 10, 31)
        )
        months = reporting.monthly_scores(
            session, people=_people([a.id]), start=date(2026, 10, 1), end=date(2026, 11, 30)
        )
    # 23:30 on 31 October in Shanghai is 15:30 UTC: October; 00:30 on 1 November is November
    assert october[a.id].audits == 1
    assert months == [
        reporting.MonthlyScore(a.id, "2026-10", 1, 100.0),
        reporting.MonthlyScore(a.id, "2026-11", 2, 41.7),
    ]


def test_failures_by_standard_category_and_item(db, figures_bank):
    people = _people([figures_bank["a"].id, figures_bank["b"].id])
    period = {"start": date(2026, 10, 1), "end": date(2026, 11, 30)}
    with db.session() as session:
        breakdown = reporting.result_breakdown(session, people=people, **period)
        by_item = reporting.results_by_item(session, people=people, **period)
    by_standard, by_category = breakdown.standards, breakdown.categories
    as_tuples = {(s.standard_code, s.checked, s.failed) for s in by_standard}
    assert as_tuples == {
        ("GRT-01", 4, 1),
        ("LNG-02", 4, 1),
        ("PHN-01", 3, 0),
        ("IDV-01", 4, 1),
    }
    assert by_standard[0].failed == 1
    item = {r.item_code: r for r in by_item}
    assert (item["CTR-01-11"].checked, item["CTR-01-11"].na) == (3, 1)
    assert item["CTR-01-09"].standard_code == "LNG-02"
    # every factory standard is a greeting script: one category, points summed from results
    [greeting] = by_category
    assert greeting.category == "greeting"
    assert (greeting.checked, greeting.failed) == (15, 3)
    # points: A 18+18+18 possible, 18+15+18 earned; B 13 possible, 9 earned (veto items none)
    assert (greeting.points_possible, greeting.points_earned) == (67, 60)


def test_people_outside_the_selection_are_not_counted(db, figures_bank):
    with db.session() as session:
        figures = reporting.audit_figures(
            session,
            people=_people([figures_bank["b"].id]),
            start=date(2026, 10, 1),
            end=date(2026, 11, 30),
        )
    assert set(figures) == {figures_bank["b"].id}


def test_branch_figures_count_branch_subject_audits_only(db, figures_bank):
    with db.session() as session:
        figures = reporting.branch_figures(
            session, branch_ids=[1, 2, 3], start=date(2026, 10, 1), end=date(2026, 11, 30)
        )
    assert figures == {}
