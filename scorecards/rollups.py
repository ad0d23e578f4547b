"""Rollups of scorecards for a team, branch, region or the whole bank: totals, the spread of
composite indices, and rankings (排名) of people and of the units one level down.

Totals are pooled, not averaged averages: a unit's acknowledgment share is all acknowledgments
given over all due, its audit score the mean over all its audits. A unit's composite index is
the mean of its people's (N/A left out). Ranks are shared on ties (1, 2, 2, 4); N/A ranks last.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from frontline.i18n import N_
from scorecards.figures import Scorecard, share

T = TypeVar("T")
Level = Literal["bank", "region", "branch", "team"]
CHILD_LEVEL: dict[str, Level | None] = {
    "bank": "region",
    "region": "branch",
    "branch": "team",
    "team": None,
}
LEVEL_LABELS: dict[str, str] = {
    "bank": N_("Bank"),
    "region": N_("Region"),
    "branch": N_("Branch"),
    "team": N_("Team"),
}
# Composite-index bands for the distribution; the lower bound is inclusive.
BANDS: tuple[tuple[float, str], ...] = (
    (90, "90–100"),
    (80, "80–89"),
    (70, "70–79"),
    (60, "60–69"),
    (0, "0–59"),
)


@dataclass
class Totals:
    people: int = 0
    ack_due: int = 0
    ack_given: int = 0
    composites: list[float] = field(default_factory=list)
    training: dict[str, int] = field(default_factory=dict)  # TrainingFigures' counts, summed
    quiz_attempts: int = 0
    quiz_first: int = 0
    quiz_first_passed: int = 0
    quiz_score_sum: float = 0.0
    quiz_scored: int = 0
    audits: int = 0
    audit_score_sum: float = 0.0
    veto_breaches: int = 0
    open_actions: int = 0

    @property
    def training_score(self) -> float | None:
        t = self.training
        due = t.get("completed_on_time", 0) + t.get("completed_late", 0) + t.get("overdue", 0)
        return share(t.get("completed_on_time", 0), due)

    @property
    def quiz_average(self) -> float | None:
        return round(self.quiz_score_sum / self.quiz_scored, 1) if self.quiz_scored else None

    @property
    def first_attempt_pass_rate(self) -> float | None:
        return share(self.quiz_first_passed, self.quiz_first)

    @property
    def audit_average(self) -> float | None:
        return round(self.audit_score_sum / self.audits, 1) if self.audits else None

    @property
    def ack_outstanding(self) -> int:
        return self.ack_due - self.ack_given

    @property
    def ack_share(self) -> float | None:
        return share(self.ack_given, self.ack_due)

    @property
    def composite(self) -> float | None:
        if not self.composites:
            return None
        return round(sum(self.composites) / len(self.composites), 1)


def totals(cards: Iterable[Scorecard]) -> Totals:
    result = Totals()
    for card in cards:
        result.people += 1
        if card.acknowledgments is not None:
            result.ack_due += card.acknowledgments.due
            result.ack_given += card.acknowledgments.acknowledged
        if card.composite is not None:
            result.composites.append(card.composite)
        _add_activity(result, card)
    return result


def _add_activity(result: Totals, card: Scorecard) -> None:
    """Pool the training, quiz and audit figures (averages weighted by their counts)."""
    if card.training is not None:
        for name, value in vars(card.training).items():
            result.training[name] = result.training.get(name, 0) + value
    if card.quizzes is not None:
        result.quiz_attempts += card.quizzes.attempts
        result.quiz_first += card.quizzes.first_attempts
        result.quiz_first_passed += card.quizzes.first_attempt_passes
        if card.quizzes.average_score is not None:
            result.quiz_score_sum += card.quizzes.average_score * card.quizzes.attempts
            result.quiz_scored += card.quizzes.attempts
    if card.audits is not None:
        if card.audits.average_score is not None:
            result.audits += card.audits.audits
            result.audit_score_sum += card.audits.average_score * card.audits.audits
        result.veto_breaches += card.audits.veto_breaches
        result.open_actions += card.audits.open_actions


def distribution(cards: Sequence[Scorecard]) -> list[tuple[str, int]]:
    """How many people fall in each composite band, best band first, then N/A."""
    counts = dict.fromkeys([label for _, label in BANDS], 0)
    unrated = 0
    for card in cards:
        if card.composite is None:
            unrated += 1
            continue
        label = next(label for bound, label in BANDS if card.composite >= bound)
        counts[label] += 1
    return [*counts.items(), ("N/A", unrated)]


def ranked(items: Sequence[T], score: Callable[[T], float | None]) -> list[tuple[int | None, T]]:
    """Items best first with their rank (shared on ties); N/A items last, unranked."""
    scored = sorted(
        (item for item in items if score(item) is not None),
        key=lambda item: -(score(item) or 0.0),
    )
    result: list[tuple[int | None, T]] = []
    previous: float | None = None
    rank = 0
    for position, item in enumerate(scored, start=1):
        value = score(item)
        if value != previous:
            rank, previous = position, value
        result.append((rank, item))
    result.extend((None, item) for item in items if score(item) is None)
    return result


@dataclass
class Unit:
    """A team, branch or region inside a rollup, with its totals."""

    level: Level
    key: str  # team or branch id, or the region's name
    label: str
    totals: Totals


def unit_key(card: Scorecard, level: Level) -> tuple[str, str]:
    person = card.person
    if level == "team":
        return str(person.team_id), f"{person.branch_name} · {person.team_name}"
    if level == "branch":
        return str(person.branch_id), person.branch_name
    if level == "region":
        return person.region, person.region or "—"
    return "", ""


def units(cards: Sequence[Scorecard], level: Level) -> list[Unit]:
    grouped: dict[tuple[str, str], list[Scorecard]] = {}
    for card in cards:
        grouped.setdefault(unit_key(card, level), []).append(card)
    return [
        Unit(level=level, key=key, label=label, totals=totals(members))
        for (key, label), members in grouped.items()
    ]


@dataclass
class Rollup:
    level: Level
    label: str
    totals: Totals
    distribution: list[tuple[str, int]]
    people: list[tuple[int | None, Scorecard]]
    child_level: Level | None
    children: list[tuple[int | None, Unit]]


def rollup(
    cards: Sequence[Scorecard], *, level: Level, label: str, child_level: Level | None = None
) -> Rollup:
    """Totals, spread and rankings of a unit; its children are one level down unless
    `child_level` says otherwise (a supervisor's overview lists their teams)."""
    child_level = child_level or CHILD_LEVEL[level]
    children = units(cards, child_level) if child_level else []
    return Rollup(
        level=level,
        label=label,
        totals=totals(cards),
        distribution=distribution(cards),
        people=ranked(cards, lambda card: card.composite),
        child_level=child_level,
        children=ranked(children, lambda unit: unit.totals.composite),
    )
