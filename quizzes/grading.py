"""Grading: one pure function per question type, and an attempt's score from its items.

Nothing here touches the database or the clock, so an attempt can be regraded from what it
stored (the question version, the answer, the scoring rule it started under).

Scoring rules, as the quiz states them to the learner:
- one-pick types (single, true/false, script choice): the right option or nothing.
- multiple choice, all or nothing: exactly the right options. Partial credit with a penalty:
  each right pick earns its share of the right options, each wrong pick takes away its share of
  the wrong options, never below zero (so ticking everything earns nothing).
- ordering, all or nothing: the exact order. Partial: the share of the right order's
  neighbouring pairs that the answer also has next to each other, in order.
- script response: against the required phrases (any accepted variant counts) and the
  forbidden phrases, ignoring punctuation, spaces, case and full-width/half-width forms. All or
  nothing: every required phrase and no forbidden one. Partial: the share of required phrases
  said, each forbidden phrase heard cancelling one of them, never below zero.
"""

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from quizzes.models import QuestionType, ScoringRule


class Gradable(Protocol):
    """What grading reads of a question version."""

    @property
    def type(self) -> QuestionType: ...
    @property
    def options(self) -> list[dict[str, Any]]: ...
    @property
    def correct(self) -> list[str]: ...
    @property
    def required_phrases(self) -> list[dict[str, Any]]: ...
    @property
    def forbidden_phrases(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Graded:
    credit: float  # 0..1
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.credit >= 1.0


UNANSWERED = Graded(0.0, {"unanswered": True})


def grade(question: Gradable, answer: Mapping[str, Any] | None, rule: ScoringRule) -> Graded:
    """The credit an answer earns under a scoring rule, with what was right and wrong."""
    if not answer:
        return UNANSWERED
    if question.type == QuestionType.script_response:
        return grade_script_response(
            str(answer.get("text") or ""),
            question.required_phrases,
            question.forbidden_phrases,
            rule,
        )
    keys = _keys(answer)
    if keys is None or not keys:
        return UNANSWERED
    if question.type == QuestionType.ordering:
        return grade_ordering(keys, question.correct, rule)
    option_keys = [str(o.get("key")) for o in question.options]
    if question.type == QuestionType.multiple:
        return grade_multiple(keys, question.correct, option_keys, rule)
    return grade_one_pick(keys, question.correct)


def _keys(answer: Mapping[str, Any]) -> list[str] | None:
    keys = answer.get("keys")
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        return None
    return keys


def grade_one_pick(keys: Sequence[str], correct: Sequence[str]) -> Graded:
    right = len(keys) == 1 and keys[0] in correct
    detail = {"right": list(keys) if right else [], "wrong": [] if right else list(keys)}
    return Graded(1.0 if right else 0.0, detail)


def grade_multiple(
    keys: Sequence[str], correct: Sequence[str], option_keys: Sequence[str], rule: ScoringRule
) -> Graded:
    picked = set(keys)
    right = picked & set(correct)
    wrong = picked - set(correct)
    detail = {
        "right": sorted(right),
        "wrong": sorted(wrong),
        "missed": sorted(set(correct) - picked),
    }
    if rule == ScoringRule.all_or_nothing or not correct:
        return Graded(1.0 if picked == set(correct) else 0.0, detail)
    wrong_options = len(set(option_keys) - set(correct))
    penalty = len(wrong) / wrong_options if wrong_options else 0.0
    return Graded(_clamp(len(right) / len(set(correct)) - penalty), detail)


def grade_ordering(keys: Sequence[str], correct: Sequence[str], rule: ScoringRule) -> Graded:
    # An answer that is not an arrangement of exactly the steps shown earns nothing.
    if sorted(keys) != sorted(correct) or len(set(keys)) != len(keys):
        return Graded(0.0, {"invalid": True})
    in_place = [i for i, key in enumerate(keys) if correct[i] == key]
    detail = {"in_place": in_place}
    if rule == ScoringRule.all_or_nothing or len(correct) < 2:
        return Graded(1.0 if list(keys) == list(correct) else 0.0, detail)
    wanted = set(pairwise(correct))
    kept = set(pairwise(keys)) & wanted
    return Graded(_clamp(len(kept) / len(wanted)), detail)


def normalise(text: str) -> str:
    """Text as compared for phrases: full-width forms folded (NFKC), case folded, and
    punctuation, symbols, spaces and control characters removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def phrase_forms(phrase: Mapping[str, Any]) -> list[str]:
    """A phrase's accepted wordings, normalised, the empty ones left out."""
    forms = [str(phrase.get("text") or ""), *[str(v) for v in phrase.get("variants") or []]]
    return [n for n in (normalise(f) for f in forms) if n]


def grade_script_response(
    text: str,
    required: Iterable[Mapping[str, Any]],
    forbidden: Iterable[Mapping[str, Any]],
    rule: ScoringRule,
) -> Graded:
    said = normalise(text)
    if not said:
        return UNANSWERED
    required, forbidden = list(required), list(forbidden)
    met = [i for i, p in enumerate(required) if any(f in said for f in phrase_forms(p))]
    missed = [i for i in range(len(required)) if i not in met]
    heard = [i for i, p in enumerate(forbidden) if any(f in said for f in phrase_forms(p))]
    detail = {"met": met, "missed": missed, "forbidden": heard}
    if rule == ScoringRule.all_or_nothing or not required:
        return Graded(1.0 if not missed and not heard else 0.0, detail)
    return Graded(_clamp((len(met) - len(heard)) / len(required)), detail)


def chosen_text(question_type: QuestionType, answer: Mapping[str, Any] | None) -> str | None:
    """The picked keys as one string SQL can count: ",A,C," (sorted) for choices, "B,A,C" for
    an ordering, None for a script response or no answer."""
    if not answer or question_type == QuestionType.script_response:
        return None
    keys = _keys(answer)
    if not keys:
        return None
    if question_type == QuestionType.ordering:
        return ",".join(keys)
    return "," + ",".join(sorted(set(keys))) + ","


@dataclass(frozen=True)
class Score:
    earned: float
    possible: float
    percent: float  # 0–100, two decimals

    def passes(self, pass_mark: int) -> bool:
        return self.percent >= pass_mark


def score(items: Iterable[tuple[float, int]]) -> Score:
    """(credit, points) per item → the attempt's score."""
    earned = possible = 0.0
    for credit, points in items:
        earned += credit * points
        possible += points
    percent = round(100 * earned / possible, 2) if possible else 0.0
    return Score(round(earned, 4), possible, percent)


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)
