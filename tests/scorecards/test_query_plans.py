"""A scorecard's cost follows the people on the page, not the bank's size or history: on SQLite
every query of a person's scorecard, a team and a branch rollup reaches the tables that grow
(people, audits and their items, attempts, enrollments, acknowledgments …) through an index
whose first column says whose rows they are (a person, team, branch, audit or row id), never
by reading a table whole (SCAN) nor by an index on status or time alone (which reads a whole
region's month). SQLite plans from the schema alone (no statistics are gathered), so the plans
seen on this small data set are those of a region's database."""

import re

import pytest
from sqlalchemy import event

from scorecards import families
from staff import service as staff_service
from standards import reporting as standards_reporting
from tests.client import FrontlineClient
from tests.factories import PASSWORD
from tests.scorecards import dataset

GROWING = (
    "person",
    "acknowledgment",
    "audit",
    "audit_item_result",
    "audit_correction_action",
    "audit_dispute",
    "attempt",
    "attempt_item",
    "training_enrollment",
    "training_refresher",
    "training_lesson_progress",
    "login_session",
)


FAMILY_MODULES = [
    module
    for module in (
        families.quizzes_reporting,
        families.training_reporting,
        families.audits_reporting,
    )
    if module is not None
]

# The first column of an index search that limits the rows to someone's.
WHOSE = {"rowid", "person_id", "subject_person_id", "team_id", "branch_id", "audit_id"}
WHOSE |= {"attempt_id", "enrollment_id", "token_hash", "opened_by_id", "auditor_id"}
CONSTRAINT = re.compile(r"[(\s](\w+)([=<>])")


def _scoped(row: str) -> bool:
    """A search whose first constraint says whose rows they are, or that pins such a column
    with `=` after an equality prefix (`(position=? AND rowid=?)`: one person's row)."""
    constraints = CONSTRAINT.findall(row[row.find("(") :]) if "(" in row else []
    if not constraints:
        return False
    (first, _), rest = constraints[0], constraints[1:]
    return first in WHOSE or any(column in WHOSE and op == "=" for column, op in rest)


def _unscoped(plan_rows: list[str]) -> list[str]:
    found = []
    for row in plan_rows:
        words = row.split()
        if len(words) < 2 or words[1] not in GROWING:
            continue
        if words[0] == "SCAN" or (words[0] == "SEARCH" and not _scoped(row)):
            found.append(row)
    return found


def _full_reads(app, db, pages: list[tuple[str, str]], at_least: int) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The SELECTs these pages ran that read a growing table whole or not by whose rows."""
    seen: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    for employee_no, url in pages:
        with FrontlineClient(app) as client:
            client.login(employee_no, PASSWORD)
            event.listen(db.engine, "before_cursor_execute", remember)
            try:
                assert client.get(url, params=dataset.PERIOD).status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", remember)
    assert len(seen) >= at_least  # the pages' queries were seen
    full_reads = {}
    with db.engine.connect() as connection:
        for statement, parameters in dict(seen).items():
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            unscoped = _unscoped([row[3] for row in plan])
            if unscoped:
                full_reads[" ".join(statement.split())[:200]] = unscoped
    return full_reads


def test_scorecard_queries_search_the_growing_tables_through_indexes(app, db):
    if not db.is_sqlite:
        pytest.skip("the plans checked are SQLite's (PostgreSQL plans by its statistics)")
    bank = dataset.build(db)
    pages = [
        (bank.jia.employee_no, "/scorecards/me"),
        (bank.supervisor.employee_no, f"/scorecards/teams/{bank.t1.id}"),
        (bank.hr.employee_no, f"/scorecards/branches/{bank.branch1_id}"),
        (bank.hr.employee_no, f"/scorecards/people/{bank.jia.id}"),
    ]
    assert _full_reads(app, db, pages, at_least=20) == {}


def test_an_employees_home_page_reads_their_own_rows_only(app, db):
    """Everyone opens the home page each day: its panels read the employee's own rows (their
    audits, their disputes, their duties …) through indexes. The bank-wide markers some
    panels' cached figures read are index ends, checked by the test below."""
    if not db.is_sqlite:
        pytest.skip("the plans checked are SQLite's (PostgreSQL plans by its statistics)")
    bank = dataset.build(db)
    found = _full_reads(app, db, [(bank.jia.employee_no, "/")], at_least=10)
    assert {
        sql: rows for sql, rows in found.items() if not sql.startswith("SELECT (SELECT max(")
    } == {}


def test_bank_wide_cache_markers_read_an_index_end_not_a_table(db):
    """The fingerprint that bank-wide reports (coverage, training dashboards) read on each
    request: each marker on a growing table is the end of an index (a latest time, a highest
    id) or a count of an index range, never a walk through the table. (A rollup's markers are
    about its people, and the test above checks them with the pages' queries.)"""
    if not db.is_sqlite:
        pytest.skip("the plans checked are SQLite's (PostgreSQL plans by its statistics)")
    markers = [
        marker
        for module in (staff_service, standards_reporting, *FAMILY_MODULES)
        for marker in module.change_markers()
    ]
    walks = {}
    with db.engine.connect() as connection:
        for marker in markers:
            sql = str(marker.compile(db.engine, compile_kwargs={"literal_binds": True}))
            sql = sql.strip().removeprefix("(").removesuffix(")")
            plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
            for row in plan:
                table = row.split()[1]
                rowid_end = row == f"SEARCH {table}" and f"max({table}.id)" in sql
                if table in GROWING and not rowid_end and "USING COVERING INDEX" not in row:
                    walks[sql] = plan
    assert walks == {}
