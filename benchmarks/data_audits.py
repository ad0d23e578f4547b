"""Six months of audits for the benchmark region (about 60,000, called by benchmarks.generate).

The demo checklists are imported through the templates file; audits and their item results
are bulk Core inserts with ids assigned here (result rows need them), scored by
audits.scoring exactly as the app scores them. Each team's supervisor audits their people:
call agents on the phone check, everyone else on the counter sheet; branches get their
lobby morning check twice a month.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from audits import templates as template_service
from audits.models import Audit, ItemResult, Outcome, TemplateItem
from audits.scoring import ItemAnswer, rule_of, score_audit
from audits.templates_file import apply_import, parse_templates, plan_import
from staff.models import Branch, Person, Position, TeamSupervisor

TEMPLATES_FILE = Path(__file__).parent.parent / "audits" / "demo_templates.yaml"
AUDITS_PER_BRANCH = 1_500  # 60,000 in the 5,000-staff region (40 branches): grows with the bank
DAYS = 182
BATCH = 5_000
METHODS = ("on_site", "on_site", "cctv", "mystery_shopper")


def _checklists(session: Session) -> dict[str, tuple[int, int, str, list[TemplateItem]]]:
    if template_service.get_by_code(session, code="CTR-01") is None:
        specs, errors = parse_templates(session, TEMPLATES_FILE.read_text(encoding="utf-8"))
        apply_import(session, plan=plan_import(session, specs=specs, errors=errors), actor_id=None)
    found = {}
    for template, version in template_service.published_templates(session):
        items = template_service.items_of(session, version_id=version.id or 0)
        found[template.code] = (template.id or 0, version.id or 0, version.scoring.value, items)
    return found


def _answers(rng: random.Random, items: list[TemplateItem], fail: float) -> dict[int, ItemAnswer]:
    answers = {}
    for item in items:
        if item.veto:
            outcome = Outcome.failed if rng.random() < 0.004 else Outcome.passed
        elif item.na_allowed and rng.random() < 0.3:
            outcome = Outcome.na
        else:
            outcome = Outcome.failed if rng.random() < fail else Outcome.passed
        occurrences = (
            rng.choice((1, 2, 3)) if outcome == Outcome.failed and item.per_occurrence else 0
        )
        answers[item.id or 0] = ItemAnswer(outcome, occurrences)
    return answers


def _audit_rows(
    rng: random.Random, session: Session, checklists: dict[str, Any], now: datetime
) -> list[tuple[dict[str, Any], list[TemplateItem], dict[int, ItemAnswer], dict[int, Any]]]:
    supervisors: dict[int, int] = dict(
        session.exec(select(TeamSupervisor.team_id, TeamSupervisor.person_id)).all()
    )
    teams: dict[Any, Any] = dict(session.execute(text("SELECT id, branch_id FROM team")).all())
    people = [
        (person_id, team_id, position)
        for person_id, team_id, position in session.exec(
            select(Person.id, Person.team_id, Person.position)
        )
        if position != Position.team_leader and team_id in supervisors
    ]
    branches = [b for b in session.exec(select(Branch.id)) if b is not None]
    plans: list[tuple[str, int | None, int | None, int | None]] = []
    audits = AUDITS_PER_BRANCH * len(branches)
    per_person = max(1, (audits - len(branches) * 12) // max(1, len(people)))
    for pid, tid, position in people:
        code = "PHN-QA" if position == Position.call_agent else "CTR-01"
        plans += [(code, pid, tid, supervisors[tid or 0])] * per_person
    auditor_of_branch = {teams[t]: p for t, p in supervisors.items()}
    for branch in branches:
        plans += [("LBY-01", None, -branch, auditor_of_branch.get(branch, 0))] * 12
    rows = []
    for code, person_id, team_id, auditor in plans[:audits]:
        template_id, version_id, scoring, items = checklists[code]
        when = now - timedelta(days=rng.uniform(1, DAYS))
        answers = _answers(rng, items, rng.uniform(0.02, 0.25))
        score = score_audit([rule_of(i) for i in items], answers, deduction=scoring == "deduction")
        branch_id: Any = -team_id if team_id is not None and team_id < 0 else teams.get(team_id)
        rows.append(
            (
                {
                    "template_id": template_id,
                    "template_version_id": version_id,
                    "subject_person_id": person_id,
                    "team_id": team_id if person_id else None,
                    "branch_id": branch_id,
                    "auditor_id": auditor,
                    "method": "call_recording" if code == "PHN-QA" else rng.choice(METHODS),
                    "channel": {"PHN-QA": "phone", "LBY-01": "lobby"}.get(code, "counter"),
                    "business_type": None,
                    "observed_at": when,
                    "wait_minutes": None,
                    "satisfaction": None,
                    "notes": "",
                    "status": "submitted",
                    "source": "tapped",
                    "start_key": None,
                    "created_at": when,
                    "updated_at": when,
                    "submitted_at": when,
                    "points_possible": score.points_possible,
                    "points_earned": score.points_earned,
                    "score": score.score,
                    "score_before_veto": score.score_before_veto,
                    "veto_breached": score.veto_breached,
                    "revision": 0,
                    "acknowledged_at": when + timedelta(days=1) if rng.random() < 0.8 else None,
                },
                items,
                answers,
                {i.item_id: i for i in score.items},
            )
        )
    return rows


def generate(session: Session, rng: random.Random) -> dict[str, int]:
    checklists = _checklists(session)
    now = datetime.now(UTC)
    rows = _audit_rows(rng, session, checklists, now)
    next_id = (session.exec(select(func.max(col(Audit.id)))).one() or 0) + 1
    results = 0
    for start in range(0, len(rows), BATCH):
        audits, item_rows = [], []
        for offset, (audit, items, answers, scored) in enumerate(rows[start : start + BATCH]):
            audit_id = next_id + start + offset
            audits.append({"id": audit_id, **audit})
            item_rows += [
                {
                    "audit_id": audit_id,
                    "item_id": item.id,
                    "outcome": str(answers[item.id or 0].outcome),
                    "occurrences": answers[item.id or 0].occurrences,
                    "note": "",
                    "last_op_id": None,
                    "seq": 1,
                    "saved_at": audit["observed_at"],
                    "saved_by_id": None,
                    "points_possible": scored[item.id or 0].points_possible,
                    "points_earned": scored[item.id or 0].points_earned,
                }
                for item in items
            ]
        session.execute(insert(Audit.__table__), audits)
        session.execute(insert(ItemResult.__table__), item_rows)
        results += len(item_rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('audit', 'id'), max(id)) FROM audit")
        )
    return {"audits": len(rows), "audit_item_results": results}
