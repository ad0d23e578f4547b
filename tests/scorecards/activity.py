"""Training, quiz and audit records for the hand-computed bank of dataset.py (November 2026).

Training (due dates and completions are the bank's dates):
  甲: M1 due 11-20 done 11-15 (on time), M2 due 11-10 done 11-12 (late), a refresher open on
      M1 → assigned 2, on time 1, late 1, refresher due 1 → training score 50.
  乙: M1 due 11-20, open → overdue 1 → training score 0.
  丙: M1 due 12-15, started 11-05, open → in progress 1 → training N/A.
  丁: M1 due 2025-10-31, done 2025-10-01, expired 2026-11-10 → expired 1 → training N/A.
Quizzes (graded attempts submitted in November, local time):
  甲: #1 60 failed (11-05), #2 90 passed (11-06) → 2 attempts, first-attempt pass rate 0,
      average 75.
  乙: #1 80 passed at 11-30 23:50 (in), #2 100 at 12-01 00:10 (out) → 1 attempt, 100 %, 80.
Audits (template CTR-01 of the audits tests: points GRT 3, LNG 10 per occurrence 2, PHN 5
N/A allowed, IDV veto):
  甲: 10-31 23:30 all pass (October: out); 11-01 00:30 GRT failed → 15/18 = 83.3; 11-02 IDV
      failed → veto → 0 → 2 audits, average 41.7, 1 veto breach; one open correction action.
  乙: 11-03 LNG failed twice, PHN N/A → 9/13 = 69.2 → 1 audit, 69.2.
  一支行 (branch subject, template ENV-01): 11-10 one of two 5-point items failed → 50.0.
Composite in November (weights 50/20/20/10):
  甲 (50·41.7 + 20·50 + 20·75 + 10·100) / 100 = 55.85; 乙 (50·69.2 + 20·0 + 20·80 + 10·0) /
  100 = 50.6; 丙 acknowledgments only → 100; 丁 acknowledgments only (0 of 2) → 0;
  移 acknowledgments only → 50.
"""

from datetime import UTC, date, datetime
from typing import Any

from audits import recorded
from audits.models import ActionStatus, CorrectionAction
from audits.recorded_files import entries_from_yaml
from audits.templates_file import apply_import, parse_templates, plan_import
from frontline.db import Database
from frontline.models import id_of
from quizzes.models import Attempt, ScoringRule
from standards.models import Standard, StandardVersion
from tests.audits.file_helpers import TEMPLATE_YAML, make_issue_standards
from tests.quizzes.take_helpers import make_quiz
from tests.scorecards.dataset import Bank, local
from tests.training.duties import make_module
from training.models import Enrollment, RefresherFlag

BRANCH_TEMPLATE = """\
templates:
  - code: ENV-01
    title: {zh: 网点环境检查, en: Branch environment check}
    subject: branch
    scoring: deduction
    status: published
    sections:
      - title: {zh: 环境, en: Environment}
        items:
          - {code: ENV-01-01, text: {zh: 大堂整洁, en: Tidy lobby}, standard: GRT-01, points: 5}
          - {code: ENV-01-02, text: {zh: 标识清楚, en: Clear signs}, standard: LNG-02, points: 5}
"""
ALL_PASS = {"CTR-01-03": "pass", "CTR-01-09": "pass", "CTR-01-11": "pass", "CTR-01-12": "pass"}


def _entry(subject: str, when: str, results: dict[str, str], template: str = "CTR-01") -> str:
    lines = "\n".join(f"      {code}: {value}" for code, value in results.items())
    return (
        f"  - template: {template}\n    {subject}\n    method: on_site\n"
        f"    observed_at: {when}\n    auditor: S0001\n    results:\n{lines}\n"
    )


def _audits(db: Database, bank: Bank) -> None:
    made = make_issue_standards(db)
    with db.session() as session:
        # Published after November, so they are not due for acknowledgment in the period.
        for _standard, version in made.values():
            row = session.get(StandardVersion, version.id)
            assert row is not None
            row.published_at = datetime(2026, 12, 5, tzinfo=UTC)
            session.add(row)
    with db.session() as session:
        for text in (TEMPLATE_YAML, BRANCH_TEMPLATE):
            specs, errors = parse_templates(session, text)
            apply_import(
                session, plan=plan_import(session, specs=specs, errors=errors), actor_id=None
            )
    text = "audits:\n" + "".join(
        [
            _entry("employee: E0001", "2026-10-31T23:30:00+08:00", ALL_PASS),
            _entry(
                "employee: E0001", "2026-11-01T00:30:00+08:00", {**ALL_PASS, "CTR-01-03": "fail"}
            ),
            _entry(
                "employee: E0001", "2026-11-02T09:00:00+08:00", {**ALL_PASS, "CTR-01-12": "fail"}
            ),
            _entry(
                "employee: E0002",
                "2026-11-03T09:00:00+08:00",
                {**ALL_PASS, "CTR-01-09": "{fail: 2}", "CTR-01-11": "na"},
            ),
            _entry(
                "branch: HB01",
                "2026-11-10T09:00:00+08:00",
                {"ENV-01-01": "pass", "ENV-01-02": "fail"},
                template="ENV-01",
            ),
        ]
    )
    entries, problems = entries_from_yaml(text)
    with db.session() as session:
        checked = recorded.check_entries(session, entries)
        assert not problems and not checked.problems, (problems, checked.problems)
        stored = recorded.store(session, checked=checked, actor_id=None)
        for status in (ActionStatus.open, ActionStatus.done):
            session.add(
                CorrectionAction(
                    audit_id=stored[2].id,
                    person_id=bank.jia.id,
                    deadline_date=date(2026, 11, 30),
                    created_by_id=bank.supervisor.id,
                    status=status,
                    # Within the period, whenever the tests run: open actions are counted
                    # as of the period's end.
                    created_at=datetime(2026, 11, 10, 2, tzinfo=UTC),
                )
            )


def _enroll(session: Any, person_id: int, module_id: int, due: date, **fields: Any) -> Enrollment:
    row = Enrollment(
        person_id=person_id,
        module_id=module_id,
        due_on=due,
        enrolled_at=datetime(2026, 10, 1, tzinfo=UTC),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def _done(day: date) -> dict[str, Any]:
    return {
        "started_at": local(f"{day.isoformat()} 09:00"),
        "completed_at": local(f"{day.isoformat()} 10:00"),
        "completed_on": day,
    }


def _training(db: Database, bank: Bank) -> None:
    m1 = id_of(make_module(db, code="SC-M1", recert_months=12))
    m2 = id_of(make_module(db, code="SC-M2"))
    with db.session() as session:
        jia_m1 = _enroll(session, bank.jia.id, m1, date(2026, 11, 20), **_done(date(2026, 11, 15)))
        _enroll(session, bank.jia.id, m2, date(2026, 11, 10), **_done(date(2026, 11, 12)))
        _enroll(session, bank.yi.id, m1, date(2026, 11, 20))
        _enroll(session, bank.bing.id, m1, date(2026, 12, 15), started_at=local("2026-11-05 09:00"))
        _enroll(
            session,
            bank.ding.id,
            m1,
            date(2025, 10, 31),
            expires_on=date(2026, 11, 10),
            **_done(date(2025, 10, 1)),
        )
        standard = session.exec(Standard.__table__.select().where(Standard.code == "SCA-01")).one()
        session.add(
            RefresherFlag(
                person_id=bank.jia.id,
                module_id=m1,
                enrollment_id=id_of(jia_m1),
                standard_id=standard.id,
                standard_version_id=standard.current_version_id,
                standard_code="SCA-01",
                flagged_at=local("2026-11-25 09:00"),
            )
        )


def _attempt(
    session: Any, quiz_id: int, person_id: int, number: int, score: float, at: str
) -> None:
    session.add(
        Attempt(
            quiz_id=quiz_id,
            person_id=person_id,
            number=number,
            seed=number,
            started_at=local(at),
            submitted_at=local(at),
            score=score,
            passed=score >= 80,
            pass_mark=80,
            scoring_rule=ScoringRule.all_or_nothing,
        )
    )


def _quizzes(db: Database, bank: Bank) -> None:
    quiz = make_quiz(db, "SC-QZ", publish=False)
    with db.session() as session:
        _attempt(session, quiz, bank.jia.id, 1, 60, "2026-11-05 10:00")
        _attempt(session, quiz, bank.jia.id, 2, 90, "2026-11-06 10:00")
        _attempt(session, quiz, bank.yi.id, 1, 80, "2026-11-30 23:50")
        _attempt(session, quiz, bank.yi.id, 2, 100, "2026-12-01 00:10")


def build(db: Database, bank: Bank) -> None:
    _audits(db, bank)
    _training(db, bank)
    _quizzes(db, bank)
