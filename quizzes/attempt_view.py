"""What an attempt's pages show: the questions while it is open (never which option is
right), and after grading what the quiz's review policy allows."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from quizzes.attempts import items_of
from quizzes.models import (
    Attempt,
    AttemptItem,
    DailyPracticeItem,
    QuestionType,
    QuestionVersion,
    Quiz,
    ReviewPolicy,
)

LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class ShownOption:
    place: int  # 0-based position on screen: what the form posts
    letter: str
    zh: str
    en: str
    picked: bool
    rank: int | None = None  # an ordering's chosen place (1-based)
    # After grading, and only when the review policy shows the key:
    right: bool | None = None
    feedback_zh: str = ""
    feedback_en: str = ""


@dataclass(frozen=True)
class ShownItem:
    item: AttemptItem | DailyPracticeItem
    version: QuestionVersion
    options: list[ShownOption]
    text: str = ""  # a script response's saved text
    # ordering, after grading with the key shown: the steps in the right order
    right_order: list[ShownOption] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.item.answer is not None

    @property
    def points(self) -> int:
        """What the question is worth: an attempt's item has its points; a daily practice
        question is not scored in points and counts as one."""
        return self.item.points if isinstance(self.item, AttemptItem) else 1

    @property
    def prefix(self) -> str:
        return f"q{self.item.position}-"


def shown_items(session: Session, *, attempt: Attempt, with_key: bool = False) -> list[ShownItem]:
    return [
        shown_item(item, version, with_key=with_key)
        for item, version in items_of(session, attempt=attempt)
    ]


def shown_item(
    item: AttemptItem | DailyPracticeItem, version: QuestionVersion, *, with_key: bool
) -> ShownItem:
    by_key = {str(o["key"]): o for o in version.options}
    answer: dict[str, Any] = item.answer or {}
    picked = list(answer.get("keys") or [])
    is_ordering = version.type == QuestionType.ordering
    options = []
    for place, key in enumerate(item.option_order):
        option = by_key.get(key, {})
        rank = picked.index(key) + 1 if is_ordering and key in picked else None
        extra: dict[str, Any] = {}
        if with_key:
            extra = {
                "right": key in version.correct and not is_ordering,
                "feedback_zh": option.get("feedback_zh", ""),
                "feedback_en": option.get("feedback_en", ""),
            }
        options.append(
            ShownOption(
                place=place,
                letter=LETTERS[place] if place < len(LETTERS) else str(place + 1),
                zh=str(option.get("zh", "")),
                en=str(option.get("en", "")),
                picked=key in picked and not is_ordering,
                rank=rank,
                **extra,
            )
        )
    right_order: list[ShownOption] = []
    if with_key and is_ordering:
        by_shown_key = dict(zip(item.option_order, options, strict=False))
        right_order = [by_shown_key[k] for k in version.correct if k in by_shown_key]
    return ShownItem(item, version, options, str(answer.get("text") or ""), right_order)


@dataclass(frozen=True)
class Review:
    policy: ReviewPolicy  # as it applies now (score only until the quiz's review_from)
    available_from: datetime | None  # when more will be shown, if later
    items: list[ShownItem]
    missed_standards: list[str]  # codes of the standards behind missed questions


def review_of(
    session: Session, *, attempt: Attempt, quiz: Quiz, now: datetime, owner: bool
) -> Review:
    """What this graded attempt shows its owner now; reviewers (supervisors, HR) see it all."""
    policy = quiz.review_policy if owner else ReviewPolicy.full
    waiting = owner and quiz.review_from is not None and now < quiz.review_from
    if waiting:
        policy = ReviewPolicy.score_only
    items = shown_items(session, attempt=attempt, with_key=policy == ReviewPolicy.full)
    missed: list[str] = []
    for shown in items:
        code = shown.version.standard_code
        if not shown.item.correct and code and code not in missed:
            missed.append(code)
    return Review(
        policy=policy,
        available_from=quiz.review_from if waiting else None,
        items=items if policy != ReviewPolicy.score_only else [],
        missed_standards=missed,
    )
