"""The demo bank's disputes and correction actions, on the demo's submitted audits: disputes
upheld and amended (and one still open, within its window), and correction actions open,
overdue, done and cancelled. Made through the services, so the audit trail has them too."""

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from audits import actions, disputes
from audits.models import (
    ActionStatus,
    Audit,
    AuditStatus,
    CorrectionAction,
    Dispute,
    DisputeOutcome,
    ItemResult,
    Outcome,
)
from audits.saves import ItemState
from frontline.models import id_of, utcnow
from frontline.settings import get_settings
from staff import service as staff_service
from staff.models import Person

# (employee, which of their failed audits counting from the newest, outcome, reason, finding)
DISPUTES = (
    (
        "E1003",
        1,
        DisputeOutcome.upheld,
        "客户插话打断,我已经做了二次征询。",
        "复看录像:未做二次征询,维持原检查结果。",
    ),
    (
        "E1004",
        0,
        DisputeOutcome.upheld,
        "当时系统故障,无法联网核查。",
        "系统日志显示当日联网核查正常,维持原结果。",
    ),
    (
        "E1001",
        2,
        DisputeOutcome.amended,
        "我双手递接了,监控角度看不到。",
        "调取柜台上方监控,确认双手递接,更正该项为合格。",
    ),
    (
        "E2002",
        0,
        DisputeOutcome.amended,
        "客户要求不录音转接,已按流程说明。",
        "录音后段确有说明,更正为合格。",
    ),
)
OPEN_DISPUTE = ("E1002", "说“不知道”是在回答同事,不是对客户。")
# (employee, deadline in days from today (negative: overdue), status, what, closing note)
ACTIONS = (
    ("E1003", 10, ActionStatus.open, "重学柜面服务流程,两周内复查。", ""),
    ("E1003", -5, ActionStatus.open, "服务用语专项练习,主管抽查三次。", ""),
    ("E1004", 7, ActionStatus.open, "身份核验流程演练。", ""),
    ("E1001", -40, ActionStatus.done, "练习举手招迎与问候。", "已复查三次,均合格。"),
    ("E2002", -20, ActionStatus.done, "通话开场报工号练习。", "抽听五通录音均已报工号。"),
    ("E1002", -15, ActionStatus.cancelled, "仪容仪表整改。", "复核后属于误判,取消。"),
)


def is_loaded(session: Session) -> bool:
    return session.exec(select(Dispute.id).limit(1)).first() is not None


def _failed_audits(session: Session, person: Person) -> list[tuple[Audit, ItemResult]]:
    """The person's submitted audits with a failed item, newest first, with that item."""
    rows = session.exec(
        select(Audit, ItemResult)
        .join(ItemResult, col(ItemResult.audit_id) == Audit.id)
        .where(
            Audit.subject_person_id == person.id,
            Audit.status == AuditStatus.submitted,
            ItemResult.outcome == Outcome.failed,
        )
        .order_by(col(Audit.observed_at).desc(), col(ItemResult.item_id))
    ).all()
    seen: set[int] = set()
    found = []
    for audit, result in rows:
        if audit.id not in seen:
            seen.add(id_of(audit))
            found.append((audit, result))
    return found


def _person(session: Session, employee_no: str) -> Person:
    person = staff_service.get_by_employee_no(session, employee_no=employee_no)
    assert person is not None, employee_no
    return person


def _dispute(session: Session, audit: Audit, person: Person, reason: str) -> Dispute:
    audit.acknowledged_at = None
    assert audit.submitted_at is not None
    opened = audit.submitted_at + timedelta(days=1)
    dispute = disputes.open_dispute(
        session,
        audit=audit,
        person=person,
        reason=reason,
        days=get_settings().audit_dispute_days,
        now=opened,
    )
    dispute.opened_at = opened
    return dispute


def _resolve(
    session: Session, audit: Audit, dispute: Dispute, result: ItemResult, plan: tuple
) -> None:
    _, _, outcome, _, finding = plan
    hr = _person(session, "H0001")
    changes = (
        {result.item_id: ItemState(Outcome.passed, 0, "")}
        if outcome == DisputeOutcome.amended
        else None
    )
    disputes.resolve_dispute(
        session,
        audit=audit,
        dispute=dispute,
        resolver=hr,
        outcome=outcome,
        note=finding,
        changes=changes,
    )
    dispute.resolved_at = dispute.opened_at + timedelta(days=3)
    session.add(dispute)


def load_disputes(session: Session) -> int:
    count = 0
    for plan in DISPUTES:
        employee_no, index, _outcome, reason, _finding = plan
        person = _person(session, employee_no)
        failed = _failed_audits(session, person)
        if len(failed) <= index:
            continue
        audit, result = failed[index]
        dispute = _dispute(session, audit, person, reason)
        _resolve(session, audit, dispute, result, plan)
        count += 1
    employee_no, reason = OPEN_DISPUTE
    person = _person(session, employee_no)
    failed = _failed_audits(session, person)
    if failed:
        audit, _result = failed[0]
        # Recent enough to be disputed today: the window is still open.
        audit.submitted_at = utcnow() - timedelta(days=1)
        audit.observed_at = min(audit.observed_at, audit.submitted_at)
        _dispute(session, audit, person, reason)
        count += 1
    return count


def load_actions(session: Session, *, today: date) -> int:
    count = 0
    taken: set[int] = set()
    for employee_no, days, status, description, closing in ACTIONS:
        person = _person(session, employee_no)
        candidates = [(a, r) for a, r in _failed_audits(session, person) if a.id not in taken]
        if not candidates:
            continue
        audit, result = candidates[0]
        taken.add(id_of(audit))
        auditor = _person_by_id(session, audit.auditor_id)
        action = actions.create_action(
            session,
            audit=audit,
            item_id=result.item_id,
            description=description,
            deadline=today + timedelta(days=days),
            actor=auditor,
        )
        assert audit.submitted_at is not None
        action.created_at = audit.submitted_at + timedelta(hours=2)
        if status != ActionStatus.open:
            actions.close_action(
                session, action=action, audit=audit, status=status, note=closing, actor=auditor
            )
            action.closed_at = _day_before(today + timedelta(days=days))
        session.add(action)
        count += 1
    return count


def _person_by_id(session: Session, person_id: int) -> Person:
    person = staff_service.get_person(session, person_id=person_id)
    assert person is not None
    return person


def _day_before(deadline: date) -> datetime:
    return datetime.combine(deadline - timedelta(days=1), datetime.min.time()).replace(
        tzinfo=utcnow().tzinfo
    )


def load(session: Session) -> list[str]:
    """Disputes and actions on the demo audits, unless there are some already."""
    if is_loaded(session) or session.exec(select(CorrectionAction.id).limit(1)).first():
        return []
    today = get_settings().today()
    disputed = load_disputes(session)
    opened = load_actions(session, today=today)
    session.flush()
    return [
        f"Audits: {disputed} disputes (upheld, amended, one open) and {opened} correction actions."
    ]
