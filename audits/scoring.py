"""How an audit is scored, in both of the bank's styles: one pure module, no database
(`write_score` sets the fields of rows its caller loaded and flushes).

score = 100 × points earned ÷ points possible over the applicable items, with one decimal.
N/A removes an item from both sides; an unanswered item counts for nothing yet (a draft's
running score covers what has been answered). Weighted: a pass earns the item's weight, a
fail nothing. Deduction (扣分制): a fail deducts all the item's points, or, on a
per-occurrence item, `per_occurrence` for each occurrence, never more than the item's points.
A fail on a per-occurrence item counts at least one occurrence. A failed veto item (一票否决)
makes the shown score 0 and the audit "veto breached"; the score it would otherwise have had is
kept. Veto items carry no points of their own.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from audits.models import Audit, ItemResult, Outcome, Scoring, TemplateItem

PASS = Outcome.passed
FAIL = Outcome.failed


@dataclass(frozen=True)
class ItemRule:
    """What scoring needs to know of a template item."""

    item_id: int
    points: float  # the item's points (deduction) or weight (weighted); 0 on a veto item
    veto: bool = False
    per_occurrence: float | None = None


@dataclass(frozen=True)
class ItemAnswer:
    """An item's recorded state: outcome pass | fail | na | None (not answered yet)."""

    outcome: str | None
    occurrences: int = 0


@dataclass(frozen=True)
class ItemScore:
    item_id: int
    points_possible: float | None  # None when the item does not count (N/A, unanswered)
    points_earned: float | None
    deducted: float  # what the fail cost (0 on a pass; the shortfall, for the reason column)


@dataclass(frozen=True)
class Score:
    points_possible: float
    points_earned: float
    score_before_veto: float | None  # None while nothing that carries points is answered
    veto_breached: bool
    items: tuple[ItemScore, ...]
    answered: int
    unanswered: int

    @property
    def score(self) -> float | None:
        """The score as shown: 0 when a veto item failed."""
        if self.veto_breached:
            return 0.0
        return self.score_before_veto


def one_decimal(value: float) -> float:
    """Half up, as people round (Python's round() would give 2.5 → 2)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_item(rule: ItemRule, answer: ItemAnswer | None, *, deduction: bool) -> ItemScore:
    outcome = answer.outcome if answer is not None else None
    if outcome not in (PASS, FAIL) or rule.veto:
        return ItemScore(rule.item_id, None, None, 0.0)
    possible = float(rule.points)
    if outcome == PASS:
        return ItemScore(rule.item_id, possible, possible, 0.0)
    lost = possible
    if deduction and rule.per_occurrence is not None:
        occurrences = max(answer.occurrences if answer is not None else 0, 1)
        lost = min(possible, rule.per_occurrence * occurrences)
    earned = _tidy(possible - lost)
    return ItemScore(rule.item_id, possible, earned, _tidy(lost))


def score_audit(
    rules: Iterable[ItemRule], answers: Mapping[int, ItemAnswer], *, deduction: bool
) -> Score:
    """Score the answers (by item id) against the template's items."""
    items: list[ItemScore] = []
    possible = earned = 0.0
    veto_breached = False
    answered = unanswered = 0
    for rule in rules:
        answer = answers.get(rule.item_id)
        if answer is None or answer.outcome is None:
            unanswered += 1
        else:
            answered += 1
            veto_breached |= rule.veto and answer.outcome == FAIL
        item = score_item(rule, answer, deduction=deduction)
        items.append(item)
        if item.points_possible is not None and item.points_earned is not None:
            possible += item.points_possible
            earned += item.points_earned
    possible, earned = _tidy(possible), _tidy(earned)
    # Nothing applicable that carries points (all N/A, or only veto items): no score to show,
    # except the 0 of a breached veto.
    before_veto = one_decimal(100 * earned / possible) if possible > 0 else None
    return Score(possible, earned, before_veto, veto_breached, tuple(items), answered, unanswered)


def _tidy(value: float) -> float:
    """Sums of halves and tenths without binary noise (0.1 + 0.2 → 0.3)."""
    return float(round(Decimal(repr(value)), 6))


def rule_of(item: TemplateItem) -> ItemRule:
    return ItemRule(item.id or 0, item.points, item.veto, item.per_occurrence)


def write_score(
    audit: Audit,
    *,
    scoring: Scoring,
    items: Iterable[TemplateItem],
    results: Iterable[ItemResult],
) -> Score:
    """Score an audit from its stored item results and write the audit's score fields and each
    result's points (the caller loaded the rows and flushes them)."""
    by_item = {result.item_id: result for result in results}
    answers = {
        item_id: ItemAnswer(result.outcome, result.occurrences)
        for item_id, result in by_item.items()
    }
    score = score_audit(
        [rule_of(item) for item in items], answers, deduction=scoring == Scoring.deduction
    )
    for item_score in score.items:
        result = by_item.get(item_score.item_id)
        if result is not None:
            result.points_possible = item_score.points_possible
            result.points_earned = item_score.points_earned
    audit.points_possible = score.points_possible
    audit.points_earned = score.points_earned
    audit.score = score.score
    audit.score_before_veto = score.score_before_veto
    audit.veto_breached = score.veto_breached
    return score
