"""The figures of the audits panels on the home page, each one prebuilt query.

Every employee opens the home page each day: building, cache-keying and loading entities for
these few numbers cost far more than running them, so each statement is built once here with
parameters for the person, today and the teams (an expanding IN list).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Date, and_, bindparam, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from audits import taking
from audits.models import (
    ActionStatus,
    Audit,
    AuditStatus,
    CorrectionAction,
    Dispute,
    DisputeStatus,
)
from frontline.db import read_columns
from frontline.models import id_of
from staff import service as staff_service
from staff.models import Person, Role

RECENT = 5
TO_ANSWER = 20

_PERSON: BindParameter[int] = bindparam("person_id")
_TEAMS: BindParameter[list[int]] = bindparam("team_ids", expanding=True)

_TO_ANSWER = (
    sa_select(col(Audit.id), col(Audit.observed_at), col(Audit.score), col(Audit.veto_breached))
    .where(
        col(Audit.subject_person_id) == _PERSON,
        col(Audit.status) == AuditStatus.submitted,
        col(Audit.acknowledged_at).is_(None),
        col(Audit.id).not_in(
            sa_select(col(Dispute.audit_id)).where(col(Dispute.opened_by_id) == _PERSON)
        ),
    )
    .order_by(col(Audit.submitted_at).desc())
    .limit(TO_ANSWER)
)

_RECENT_OUTCOMES = (
    sa_select(
        col(Dispute.audit_id),
        col(Audit.observed_at),
        col(Dispute.status),
        col(Dispute.outcome),
    )
    .join(Audit, col(Audit.id) == Dispute.audit_id)
    .where(col(Dispute.opened_by_id) == _PERSON)
    .order_by(col(Dispute.opened_at).desc())
    .limit(RECENT)
)


def to_answer(session: Session, *, person_id: int) -> list[Row[Any]]:
    """Submitted audits of this employee they have neither acknowledged nor disputed, newest
    first: rows of id, observed_at, score, veto_breached."""
    return list(read_columns(session, _TO_ANSWER, {"person_id": person_id}).all())


def recent_outcomes(session: Session, *, person_id: int) -> list[Row[Any]]:
    """The employee's disputes, newest first (open ones, and how resolved ones ended): rows
    of audit_id, observed_at, status, outcome."""
    return list(read_columns(session, _RECENT_OUTCOMES, {"person_id": person_id}).all())


@dataclass(frozen=True)
class SupervisorFigures:
    drafts: int
    to_resolve: int
    open_actions: int
    overdue_actions: int


_DRAFTS = (
    sa_select(func.count())
    .select_from(Audit)
    .where(col(Audit.auditor_id) == _PERSON, col(Audit.status) == AuditStatus.draft)
)


def _count_of(query: Any) -> Any:
    return sa_select(func.count()).select_from(query.subquery())


_OPEN_DISPUTES = sa_select(col(Dispute.id)).where(col(Dispute.status) == DisputeStatus.open)
_TO_RESOLVE_ALL = _count_of(_OPEN_DISPUTES)
# A supervisor resolves the disputes of their teams' audits they did not do themselves.
_TO_RESOLVE_TEAMS = _count_of(
    _OPEN_DISPUTES.join(Audit, col(Audit.id) == Dispute.audit_id).where(
        col(Audit.team_id).in_(_TEAMS), col(Audit.auditor_id) != _PERSON
    )
)


def _open_actions(*scope: Any) -> Any:
    """How many open actions, and how many of those overdue."""
    deadline = col(CorrectionAction.deadline_date)
    overdue = case((deadline < bindparam("today", type_=Date), 1), else_=0)
    return sa_select(func.count(), func.coalesce(func.sum(overdue), 0)).where(
        col(CorrectionAction.status) == ActionStatus.open, *scope
    )


_OPEN_ACTIONS_ALL = _open_actions()
_OPEN_ACTIONS_TEAMS = _open_actions(
    or_(
        col(CorrectionAction.team_id).in_(_TEAMS),
        and_(
            col(CorrectionAction.person_id).is_(None),
            col(CorrectionAction.branch_id).in_(bindparam("branch_ids", expanding=True)),
        ),
    )
)


def supervisor_figures(session: Session, *, viewer: Person, today: date) -> SupervisorFigures:
    """The counts on a supervisor's (HR's, an admin's) audits panel: their drafts, the
    disputes they may resolve (disputes.open_disputes_for), the open correction actions in
    their scope and how many are overdue (actions.actions_in_scope)."""
    params: dict[str, Any] = {"person_id": id_of(viewer), "today": today}
    drafts = read_columns(session, _DRAFTS, params).scalar_one()
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    if team_ids is None:
        to_resolve = read_columns(session, _TO_RESOLVE_ALL).scalar_one()
        actions = read_columns(session, _OPEN_ACTIONS_ALL, params).one()
    else:
        params["team_ids"] = team_ids
        params["branch_ids"] = list(taking.branch_ids_of_teams(session, team_ids=team_ids))
        to_resolve = (
            read_columns(session, _TO_RESOLVE_TEAMS, params).scalar_one()
            if viewer.role == Role.supervisor
            else 0
        )
        actions = read_columns(session, _OPEN_ACTIONS_TEAMS, params).one()
    return SupervisorFigures(drafts, to_resolve, actions[0], int(actions[1]))
