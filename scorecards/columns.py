"""The columns of the HR exports and the fields of the API, read from one Scorecard each.

CSV, XLSX and JSON are three spellings of the same figures: every value here comes from
`figures.compute`, so an export and the page never disagree. README lists these columns.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from frontline.i18n import N_
from scorecards.families import AVAILABLE
from scorecards.figures import COMPONENTS, Scorecard, first_attempt_pass_rate
from scorecards.periods import Period
from staff.models import POSITION_LABELS

Kind = Literal["text", "int", "score", "date"]


@dataclass(frozen=True)
class Column:
    key: str  # the CSV/XLSX column's machine name, also the API field where flat
    header: str  # msgid: the header in the reader's language
    kind: Kind
    value: Callable[[Scorecard, Period, Callable[[str], str]], Any]


def _count(family: str, attribute: str) -> Callable[[Scorecard, Period, Callable[[str], str]], int]:
    """A count of a family's figures; no records of the family counts 0."""

    def read(card: Scorecard, _period: Period, _gettext: Callable[[str], str]) -> int:
        figures = getattr(card, family)
        return int(getattr(figures, attribute)) if figures else 0

    return read


def _ack(attribute: str) -> Callable[[Scorecard, Period, Callable[[str], str]], int]:
    return _count("acknowledgments", attribute)


def _component(name: str) -> Callable[[Scorecard, Period, Callable[[str], str]], float | None]:
    return lambda card, _period, _gettext: card.components.get(name)


def _position(card: Scorecard, _period: Period, gettext: Callable[[str], str]) -> str:
    position = card.person.position
    return gettext(POSITION_LABELS[position]) if position else ""


ALL_COLUMNS: tuple[Column, ...] = (
    Column("employee_no", N_("Employee number"), "text", lambda c, p, g: c.person.employee_no),
    Column("name", N_("Name"), "text", lambda c, p, g: c.person.name),
    Column("branch_code", N_("Branch code"), "text", lambda c, p, g: c.person.branch_code),
    Column("branch", N_("Branch"), "text", lambda c, p, g: c.person.branch_name),
    Column("region", N_("Region"), "text", lambda c, p, g: c.person.region),
    Column("team", N_("Team"), "text", lambda c, p, g: c.person.team_name),
    Column("position", N_("Position"), "text", _position),
    Column("period_start", N_("Period start"), "date", lambda c, p, g: p.start),
    Column("period_end", N_("Period end"), "date", lambda c, p, g: p.end),
    Column("composite_index", N_("Composite index"), "score", lambda c, p, g: c.composite),
    Column("audit_score", N_("Audit score"), "score", _component("audits")),
    Column("training_score", N_("Training on time"), "score", _component("training")),
    Column("quiz_score", N_("Quiz average"), "score", _component("quizzes")),
    Column(
        "acknowledgment_score",
        N_("Acknowledgments given"),
        "score",
        _component("acknowledgments"),
    ),
    Column("training_assigned", N_("Training assigned"), "int", _count("training", "assigned")),
    Column(
        "training_on_time",
        N_("Completed on time"),
        "int",
        _count("training", "completed_on_time"),
    ),
    Column("training_late", N_("Completed late"), "int", _count("training", "completed_late")),
    Column("training_overdue", N_("Overdue"), "int", _count("training", "overdue")),
    Column("training_expired", N_("Expired"), "int", _count("training", "expired")),
    Column(
        "training_refresher_due", N_("Refresher due"), "int", _count("training", "refresher_due")
    ),
    Column("training_in_progress", N_("In progress"), "int", _count("training", "in_progress")),
    Column("quiz_attempts", N_("Quiz attempts"), "int", _count("quizzes", "attempts")),
    Column("quiz_first_attempts", N_("First attempts"), "int", _count("quizzes", "first_attempts")),
    Column(
        "quiz_first_attempt_pass_rate",
        N_("First-attempt pass rate"),
        "score",
        lambda c, p, g: first_attempt_pass_rate(c.quizzes),
    ),
    Column("audits", N_("Audits"), "int", _count("audits", "audits")),
    Column("audit_veto_breaches", N_("Veto breaches"), "int", _count("audits", "veto_breaches")),
    Column("open_actions", N_("Open correction actions"), "int", _count("audits", "open_actions")),
    Column("acknowledgments_due", N_("Acknowledgments due"), "int", _ack("due")),
    Column("acknowledgments_given", N_("Acknowledged"), "int", _ack("acknowledged")),
    Column(
        "acknowledgments_outstanding",
        N_("Acknowledgments outstanding"),
        "int",
        _ack("outstanding"),
    ),
)


def family_of(key: str) -> str:
    """The figure family a column belongs to (by its name)."""
    if key.startswith("training"):
        return "training"
    if key.startswith("quiz"):
        return "quizzes"
    if key.startswith("audit") or key == "open_actions":
        return "audits"
    return "acknowledgments"  # and the person and period columns, always there


# A family whose domain does not report yet has no columns (rather than columns of zeros).
COLUMNS = tuple(column for column in ALL_COLUMNS if family_of(column.key) in AVAILABLE)

TRAINING = (
    "assigned",
    "completed_on_time",
    "completed_late",
    "overdue",
    "expired",
    "refresher_due",
    "in_progress",
)
QUIZZES = ("attempts", "first_attempts", "first_attempt_passes")
AUDITS = ("audits", "veto_breaches", "open_actions")


def row_values(card: Scorecard, period: Period, gettext: Callable[[str], str]) -> list[Any]:
    return [column.value(card, period, gettext) for column in COLUMNS]


def as_json(card: Scorecard, period: Period) -> dict[str, Any]:
    """One person's scorecard for the API (figures nested by family, dates as ISO text)."""
    person = card.person
    ack = card.acknowledgments
    return {
        "employee_no": person.employee_no,
        "name": person.name,
        "position": person.position.value if person.position else None,
        "team": {"id": person.team_id, "name": person.team_name},
        "branch": {"id": person.branch_id, "code": person.branch_code, "name": person.branch_name},
        "region": person.region,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "composite_index": card.composite,
        "components": {name: card.components.get(name) for name in COMPONENTS},
        **_activity_json(card, period),
        "acknowledgments": {
            "due": ack.due if ack else 0,
            "acknowledged": ack.acknowledged if ack else 0,
            "outstanding": ack.outstanding if ack else 0,
        },
    }


def _activity_json(card: Scorecard, period: Period) -> dict[str, Any]:
    """Training, quiz and audit figures, each family present only where its domain reports."""
    found: dict[str, Any] = {}
    if "training" in AVAILABLE:
        found["training"] = {name: _count("training", name)(card, period, str) for name in TRAINING}
    if "quizzes" in AVAILABLE:
        found["quizzes"] = {
            **{name: _count("quizzes", name)(card, period, str) for name in QUIZZES},
            "first_attempt_pass_rate": first_attempt_pass_rate(card.quizzes),
            "average_score": card.quizzes.average_score if card.quizzes else None,
        }
    if "audits" in AVAILABLE:
        found["audits"] = {
            **{name: _count("audits", name)(card, period, str) for name in AUDITS},
            "average_score": card.components.get("audits"),
        }
    return found


def csv_text(value: Any) -> str:
    """How a value reads in the CSV: dates ISO, N/A empty, scores with one decimal."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
