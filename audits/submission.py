"""Submitting a draft (once, complete, nothing pending) and amending a submitted audit.

A submitted audit is immutable: its score fields are written from the item results here,
and any later correction is an Amendment with a reason, before/after per item and the score
before and after, kept in the audit's history and the audit trail.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from audits import scoring
from audits.models import Amendment, Audit, AuditStatus, Dispute, ItemResult, Outcome
from audits.saves import ItemState, SaveRefused, normalized, running_score, stored_results
from audits.taking import Checklist, ChecklistItem, checklist_of
from frontline import audit_trail
from frontline.db import lock_fresh
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff.models import Person


@dataclass
class SubmitRefused(Exception):
    """Why the draft cannot be submitted yet: a msgid and what is missing."""

    message: str
    unanswered: list[ChecklistItem] = field(default_factory=list)
    behind: int = 0  # taps the tablet made that have not reached the server


def parse_seqs(text: str) -> dict[int, int]:
    """The tablet's `item:seq,item:seq` list of the newest tap per item; bad parts ignored."""
    seqs: dict[int, int] = {}
    for part in text.split(",")[:2000]:
        item, _, seq = part.partition(":")
        if item.isdigit() and seq.isdigit() and len(item) < 10 and len(seq) < 10:
            seqs[int(item)] = int(seq)
    return seqs


def check_complete(
    checklist: Checklist, results: dict[int, ItemResult], client_seqs: dict[int, int]
) -> None:
    behind = sum(
        1
        for item_id, seq in client_seqs.items()
        if item_id in results and results[item_id].seq < seq
    )
    if behind:
        raise SubmitRefused(
            N_("Some taps have not reached the server yet. Wait until every item shows saved."),
            behind=behind,
        )
    unanswered = [
        item
        for item in checklist.items
        if item.id not in results or results[item.id].outcome is None
    ]
    if unanswered:
        raise SubmitRefused(N_("Answer every item before submitting."), unanswered=unanswered)


def _write_scores(session: Session, audit: Audit, checklist: Checklist) -> scoring.Score:
    results = stored_results(session, audit_id=id_of(audit))
    score = running_score(checklist, results)
    for item_score in score.items:
        row = results[item_score.item_id]
        row.points_possible = item_score.points_possible
        row.points_earned = item_score.points_earned
        session.add(row)
    audit.points_possible = score.points_possible
    audit.points_earned = score.points_earned
    audit.score = score.score
    audit.score_before_veto = score.score_before_veto
    audit.veto_breached = score.veto_breached
    audit.updated_at = utcnow()
    session.add(audit)
    return score


def submit_audit(
    session: Session,
    *,
    audit: Audit,
    actor: Person,
    client_seqs: dict[int, int],
    ip: str = "",
) -> bool:
    """Submit the draft; False if it was submitted already (a double tap, a retry), which
    changes nothing. SubmitRefused while anything is unanswered or a tap is still on its way."""
    if audit.status != AuditStatus.draft:
        return False
    checklist = checklist_of(session, version_id=audit.template_version_id)
    check_complete(checklist, stored_results(session, audit_id=id_of(audit)), client_seqs)
    now = utcnow()
    # Conditional, so of two submits racing on PostgreSQL only one proceeds.
    claimed = session.execute(
        update(Audit)
        .where(col(Audit.id) == audit.id, col(Audit.status) == AuditStatus.draft)
        .values(status=AuditStatus.submitted, submitted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        return False
    audit.status, audit.submitted_at = AuditStatus.submitted, now
    score = _write_scores(session, audit, checklist)
    session.flush()
    audit_trail.record(
        session,
        action="audit.submit",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        detail={
            "score": score.score,
            "veto_breached": score.veto_breached,
            "points_possible": score.points_possible,
            "points_earned": score.points_earned,
        },
        ip=ip,
    )
    return True


# ---- amendments --------------------------------------------------------------------------------


def _plain(row: ItemResult) -> dict[str, Any]:
    return {
        "outcome": row.outcome.value if row.outcome else None,
        "occurrences": row.occurrences,
        "note": row.note,
    }


def _apply_changes(
    session: Session, audit: Audit, checklist: Checklist, changes: dict[int, ItemState]
) -> list[dict[str, Any]]:
    """Write the changed item states; returns what changed, item by item, before and after."""
    by_id = {item.id: item for item in checklist.items}
    results = stored_results(session, audit_id=id_of(audit))
    recorded: list[dict[str, Any]] = []
    for item_id, state in changes.items():
        item = by_id.get(item_id)
        if item is None:
            raise SaveRefused(N_("This item is not on the audit's checklist."))
        new = normalized(item, state)
        if new.outcome is None:
            raise SaveRefused(N_("Every item needs an answer."))
        row = results[item_id]
        before = _plain(row)
        row.outcome, row.occurrences, row.note = new.outcome, new.occurrences, new.note
        after = _plain(row)
        if before != after:
            recorded.append(
                {"item": item.code, "item_id": item_id, "before": before, "after": after}
            )
            session.add(row)
    return recorded


def amend_audit(
    session: Session,
    *,
    audit: Audit,
    changes: dict[int, ItemState],
    reason: str,
    actor: Person,
    dispute: Dispute | None = None,
    ip: str = "",
) -> Amendment | None:
    """Correct item results of a submitted audit; None if nothing actually changes.
    SaveRefused for a state an item cannot have."""
    lock_fresh(session, audit)
    if audit.status != AuditStatus.submitted:
        raise SaveRefused(N_("Only a submitted audit can be amended."))
    checklist = checklist_of(session, version_id=audit.template_version_id)
    recorded = _apply_changes(session, audit, checklist, changes)
    if not recorded:
        return None
    score_before, veto_before = audit.score, audit.veto_breached
    session.flush()
    score = _write_scores(session, audit, checklist)
    audit.revision += 1
    amendment = Amendment(
        audit_id=id_of(audit),
        number=audit.revision,
        amended_by_id=id_of(actor),
        reason=reason,
        dispute_id=dispute.id if dispute else None,
        changes=recorded,
        score_before=score_before,
        score_after=score.score,
        veto_before=veto_before,
        veto_after=score.veto_breached,
    )
    session.add(amendment)
    session.flush()
    audit_trail.record(
        session,
        action="audit.amend",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        detail={
            "reason": reason,
            "items": [change["item"] for change in recorded],
            "score": [score_before, score.score],
            "veto_breached": [veto_before, score.veto_breached],
        },
        ip=ip,
    )
    return amendment


# Built once: every audit's page asks it.
_AMENDMENTS = (
    select(Amendment)
    .where(col(Amendment.audit_id) == bindparam("audit_id"))
    .order_by(col(Amendment.id))
)


def amendments_of(session: Session, *, audit_id: int) -> list[Amendment]:
    return list(session.scalars(_AMENDMENTS, {"audit_id": audit_id}))


OUTCOME_VALUES = {outcome.value: outcome for outcome in Outcome}
