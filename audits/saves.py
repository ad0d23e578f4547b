"""Saving one tap on a draft: idempotent, order-proof, one row written.

The tablet sends an item's whole state with an operation id and the item's next sequence
number. The save is one conditional UPDATE of the item's result row that applies only when
the number is newer than the stored one, so a replayed, retried or late request changes
nothing, and never undoes a later tap. Draft taps are kept in the result rows themselves (who,
when, which operation); the audit trail records the audit's start, submission and every
change after that, rather than thousands of taps.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from audits import scoring
from audits.models import Audit, ItemResult, Outcome
from audits.taking import Checklist, ChecklistItem, checklist_of
from frontline.i18n import N_
from frontline.models import id_of, utcnow

MAX_OCCURRENCES = 99
MAX_NOTE = 500


class SaveRefused(Exception):
    """This state cannot be saved for this item (a msgid for the auditor)."""


@dataclass(frozen=True)
class ItemState:
    outcome: Outcome | None
    occurrences: int = 0
    note: str = ""


def normalized(item: ChecklistItem, state: ItemState) -> ItemState:
    """The state as stored: N/A only where allowed; occurrences only on per-occurrence items
    (a fail there is at least one, a pass none)."""
    if state.outcome == Outcome.na and not item.na_allowed:
        raise SaveRefused(N_("N/A is not allowed for this item."))
    if not 0 <= state.occurrences <= MAX_OCCURRENCES:
        raise SaveRefused(N_("Occurrences must be between 0 and 99."))
    if len(state.note) > MAX_NOTE:
        raise SaveRefused(N_("The note is too long (at most 500 characters)."))
    occurrences = 0
    if item.per_occurrence and state.outcome == Outcome.failed:
        occurrences = max(1, state.occurrences)
    return ItemState(state.outcome, occurrences, state.note)


def find_item(checklist: Checklist, item_id: int) -> ChecklistItem | None:
    return next((item for item in checklist.items if item.id == item_id), None)


# The tap is the hot path of an audit: its statements are built once, with parameters
# (building and cache-keying a statement cost as much as running it), and run on the
# connection (the ORM adds nothing to a single-row UPDATE and a few plain rows).
_RESULTS = ItemResult.__table__  # type: ignore[attr-defined]
_SAVE = (
    update(_RESULTS)
    .where(
        _RESULTS.c.audit_id == bindparam("audit_id_"),
        _RESULTS.c.item_id == bindparam("item_id_"),
        _RESULTS.c.seq < bindparam("seq_"),
    )
    .values(
        outcome=bindparam("outcome_"),
        occurrences=bindparam("occurrences_"),
        note=bindparam("note_"),
        seq=bindparam("seq_"),
        last_op_id=bindparam("op_id_"),
        saved_at=bindparam("saved_at_"),
        saved_by_id=bindparam("actor_id_"),
    )
)
_LIGHT_RESULTS = sa_select(
    _RESULTS.c.item_id,
    _RESULTS.c.outcome,
    _RESULTS.c.occurrences,
    _RESULTS.c.note,
    _RESULTS.c.seq,
    _RESULTS.c.last_op_id,
).where(_RESULTS.c.audit_id == bindparam("audit_id_"))


def save_item(
    session: Session,
    *,
    audit: Audit,
    item: ChecklistItem,
    state: ItemState,
    seq: int,
    op_id: str,
    actor_id: int,
) -> bool:
    """Apply the tap if `seq` is newer than what is stored; True when it was applied."""
    state = normalized(item, state)
    applied = session.connection().execute(
        _SAVE,
        {
            "audit_id_": id_of(audit),
            "item_id_": item.id,
            "seq_": seq,
            "outcome_": state.outcome,
            "occurrences_": state.occurrences,
            "note_": state.note,
            "op_id_": op_id,
            "saved_at_": utcnow(),
            "actor_id_": actor_id,
        },
    )
    return bool(applied.rowcount)


def stored_results(session: Session, *, audit_id: int) -> dict[int, ItemResult]:
    """Every item's stored state, read fresh (after a save's UPDATE)."""
    query = (
        select(ItemResult)
        .where(ItemResult.audit_id == audit_id)
        .execution_options(populate_existing=True)
    )
    return {row.item_id: row for row in session.exec(query)}


def light_results(session: Session, *, audit_id: int) -> dict[int, Any]:
    """Every item's stored state as plain rows (no ORM objects): the save path's read, and
    the pages' (the tablet page and a submitted audit's)."""
    rows = session.connection().execute(_LIGHT_RESULTS, {"audit_id_": audit_id})
    return {row.item_id: row for row in rows}


def rules_of(checklist: Checklist) -> list[scoring.ItemRule]:
    return [
        scoring.ItemRule(
            item_id=item.id,
            points=item.points,
            veto=item.veto,
            per_occurrence=item.per_occurrence,
        )
        for item in checklist.items
    ]


def answers_of(results: Mapping[int, Any]) -> dict[int, scoring.ItemAnswer]:
    return {
        item_id: scoring.ItemAnswer(
            row.outcome.value if row.outcome is not None else None, row.occurrences
        )
        for item_id, row in results.items()
    }


def running_score(checklist: Checklist, results: Mapping[int, Any]) -> scoring.Score:
    return scoring.score_audit(
        rules_of(checklist), answers_of(results), deduction=checklist.scoring == "deduction"
    )


@dataclass(frozen=True)
class SaveOutcome:
    applied: bool
    result: Any  # the item's stored state (item_id, outcome, occurrences, note, seq, op)
    score: scoring.Score
    total: int


def save_tap(
    session: Session,
    *,
    audit: Audit,
    item_id: int,
    state: ItemState,
    seq: int,
    op_id: str,
    actor_id: int,
) -> SaveOutcome | None:
    """A tap from the tablet: saved if newer, then the item as stored and the running score.
    None if the item is not on this audit's checklist."""
    checklist = checklist_of(session, version_id=audit.template_version_id)
    item = find_item(checklist, item_id)
    if item is None:
        return None
    applied = save_item(
        session, audit=audit, item=item, state=state, seq=seq, op_id=op_id, actor_id=actor_id
    )
    results = light_results(session, audit_id=id_of(audit))
    return SaveOutcome(
        applied=applied,
        result=results[item_id],
        score=running_score(checklist, results),
        total=len(checklist.items),
    )
