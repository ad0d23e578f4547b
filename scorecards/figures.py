"""Every scorecard figure, defined once: the page, rollups, CSV, XLSX and API all read these.

How each figure counts (copied into README, "Scorecards and HR reporting"):

- **Training** (training): the person's assigned modules (enrollments not withdrawn, enrolled
  by the period's end). *On time*: completed within the period on or before the due date;
  *late*: completed within the period after it; *overdue*: still open at the period's end and
  past due; *in progress*: open and not yet due; *expired*: completed, and the certificate's
  validity ended by the period's end; *refresher due*: a refresher flagged by a new version of
  a standard the module covers, still open. Component score: on time over on time, late and
  overdue; none of those is N/A.
- **Quizzes** (quizzes): graded attempts submitted in the period, practice and exams alike
  (daily practice never counts): attempts, first attempts and how many of them passed (the
  first-attempt pass rate), and the average score 0–100. No attempts is N/A.
- **Audits** (audits): submitted audits of the person observed in the period, their average
  score as shown to people (a veto breach 一票否决 makes an audit score 0), veto breaches, and
  correction actions still open. N/A items leave an audit's denominator (the audit's own
  scoring). No audits is N/A. A branch-subject audit (environment, facilities) counts for the
  branch, in its rollup, never for a person.
- **Acknowledgments** (standards): as of the period's last day, the versions in force that
  apply to the person's position and were published by then (`due`), and how many of them
  the person had acknowledged by then; the rest are *outstanding*. Their component score is
  the share acknowledged; nothing due is N/A.
- **Composite index** (0–100): the weighted mean of the component scores that are not N/A,
  with HR's weights (`CompositeWeights`, newest in force). A component with no data for the
  person in the period (no audits, no quiz attempts, nothing due) is left out and the other
  weights share its part, so nobody gains or loses for what did not happen; with every
  component N/A the index is N/A. Component scores:
  - audits: the average audit score as shown to people (a veto breach 一票否决 scores 0);
  - training: the share of what came due that was completed on time;
  - quizzes: the average score of graded attempts;
  - acknowledgments: the share of due acknowledgments given.

Each figure family is read with one grouped SQL query for all the people of a page or an
export chunk (`compute`), never one query per person.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from frontline.db import read_columns
from frontline.i18n import N_
from scorecards.families import FAMILIES, MONTHLY
from scorecards.models import CompositeWeights
from scorecards.people import PersonRow
from scorecards.periods import Period
from standards.reporting import AcknowledgmentFigures

if TYPE_CHECKING:
    from audits.reporting import AuditFigures
    from quizzes.reporting import QuizFigures
    from training.reporting import TrainingFigures

COMPONENTS = ("audits", "training", "quizzes", "acknowledgments")
COMPONENT_LABELS: dict[str, str] = {
    "audits": N_("Audit score"),
    "training": N_("Training on time"),
    "quizzes": N_("Quiz average"),
    "acknowledgments": N_("Acknowledgments given"),
}


@dataclass(frozen=True)
class Weights:
    """Percent weights of the composite's components (they need not add up to 100)."""

    audits: int = 50
    training: int = 20
    quizzes: int = 20
    acknowledgments: int = 10

    def of(self, component: str) -> int:
        return int(getattr(self, component))


DEFAULT_WEIGHTS = Weights()


# Read on every scorecard: built once, its four columns only.
_NEWEST_WEIGHTS = (
    select(
        col(CompositeWeights.audits),
        col(CompositeWeights.training),
        col(CompositeWeights.quizzes),
        col(CompositeWeights.acknowledgments),
    )
    .order_by(col(CompositeWeights.set_at).desc())
    .limit(1)
)


def current_weights(session: Session) -> Weights:
    """HR's newest weights, else the defaults."""
    row = read_columns(session, _NEWEST_WEIGHTS).first()
    return DEFAULT_WEIGHTS if row is None else Weights(*row)


def share(part: int, whole: int) -> float | None:
    """100 × part / whole, or None (N/A) when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def acknowledgment_score(figures: AcknowledgmentFigures | None) -> float | None:
    return share(figures.acknowledged, figures.due) if figures else None


def training_score(figures: "TrainingFigures | None") -> float | None:
    """On time, of what came due: completed on time over on time, late and overdue."""
    if figures is None:
        return None
    due = figures.completed_on_time + figures.completed_late + figures.overdue
    return share(figures.completed_on_time, due)


def quiz_score(figures: "QuizFigures | None") -> float | None:
    if figures is None or figures.average_score is None:
        return None
    return round(figures.average_score, 1)


def audit_score(figures: "AuditFigures | None") -> float | None:
    if figures is None or not figures.audits:
        return None
    return figures.average_score


def first_attempt_pass_rate(figures: "QuizFigures | None") -> float | None:
    return share(figures.first_attempt_passes, figures.first_attempts) if figures else None


def composite(components: Mapping[str, float | None], weights: Weights) -> float | None:
    """The weighted mean of the components that are not N/A (None when all are)."""
    weighted = [
        (weights.of(name), score)
        for name, score in components.items()
        if score is not None and weights.of(name) > 0
    ]
    total = sum(weight for weight, _ in weighted)
    if not total:
        return None
    return round(sum(weight * score for weight, score in weighted) / total, 1)


@dataclass
class Scorecard:
    """One person's figures for one period (None: no records of that family)."""

    person: PersonRow
    training: "TrainingFigures | None" = None
    quizzes: "QuizFigures | None" = None
    audits: "AuditFigures | None" = None
    acknowledgments: AcknowledgmentFigures | None = None
    components: dict[str, float | None] = field(default_factory=dict)
    composite: float | None = None


def _card(row: PersonRow, found: Mapping[str, Any], weights: Weights) -> Scorecard:
    card = Scorecard(person=row, **found)
    card.components = components_of(card)
    card.composite = composite(card.components, weights)
    return card


def compute(
    session: Session,
    *,
    rows: list[PersonRow],
    people: Any,
    period: Period,
    zone: ZoneInfo,
    weights: Weights,
) -> list[Scorecard]:
    """Scorecards of `rows` (whose ids `people` selects): one query per figure family."""
    loaded = {name: load(session, people, period, zone) for name, load in FAMILIES.items()}
    return [
        _card(row, {name: data.get(row.id) for name, data in loaded.items()}, weights)
        for row in rows
    ]


def _monthly(
    session: Session, name: str, people: Any, months: list[Period], zone: ZoneInfo
) -> dict[tuple[int, int], Any]:
    if name in MONTHLY:
        return MONTHLY[name](session, people, months, zone)
    found: dict[tuple[int, int], Any] = {}
    for index, month in enumerate(months):
        for person_id, figures in FAMILIES[name](session, people, month, zone).items():
            found[person_id, index] = figures
    return found


def compute_months(
    session: Session,
    *,
    row: PersonRow,
    people: Any,
    months: list[Period],
    zone: ZoneInfo,
    weights: Weights,
) -> list[Scorecard]:
    """One person's scorecard for each month of a trend, a query per family for them all."""
    loaded = {name: _monthly(session, name, people, months, zone) for name in FAMILIES}
    return [
        _card(row, {name: data.get((row.id, index)) for name, data in loaded.items()}, weights)
        for index in range(len(months))
    ]


def components_of(card: Scorecard) -> dict[str, float | None]:
    """The component scores of the composite index, each 0–100 or None (N/A)."""
    return {
        "audits": audit_score(card.audits),
        "training": training_score(card.training),
        "quizzes": quiz_score(card.quizzes),
        "acknowledgments": acknowledgment_score(card.acknowledgments),
    }
