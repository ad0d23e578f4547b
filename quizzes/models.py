"""Quizzes: the question bank (questions and their immutable versions), quizzes, attempts and
their items, the wrong-answer book (错题本) and daily practice (每日一练).

An attempt stores what it showed — each question version, the option order, the points — and
what was answered, so it can be regraded and audited long after the bank has moved on. A
question version that an attempt or a daily practice has used is never changed: editing the
question makes a new version.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from frontline.i18n import N_
from frontline.models import string_enum, utc_field


class QuestionType(StrEnum):
    single = "single"
    multiple = "multiple"
    true_false = "true_false"
    script_choice = "script_choice"  # a customer scenario: pick the response that complies
    ordering = "ordering"  # put the steps of a service process in order
    script_response = "script_response"  # type what you would say; graded against phrases


TYPE_LABELS = {
    QuestionType.single: N_("Single choice"),
    QuestionType.multiple: N_("Multiple choice"),
    QuestionType.true_false: N_("True or false"),
    QuestionType.script_choice: N_("Script choice"),
    QuestionType.ordering: N_("Ordering"),
    QuestionType.script_response: N_("Script response"),
}

# Types answered by picking options, one of them right.
ONE_PICK_TYPES = (QuestionType.single, QuestionType.true_false, QuestionType.script_choice)


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


DIFFICULTY_LABELS = {
    Difficulty.easy: N_("Easy"),
    Difficulty.medium: N_("Medium"),
    Difficulty.hard: N_("Hard"),
}


class Status(StrEnum):
    """Of a question and of a quiz."""

    draft = "draft"
    published = "published"
    archived = "archived"


STATUS_LABELS = {
    Status.draft: N_("Draft"),
    Status.published: N_("Published"),
    Status.archived: N_("Archived"),
}


class ScoringRule(StrEnum):
    """How multiple-choice, ordering and script-response questions earn credit."""

    all_or_nothing = "all_or_nothing"
    partial_with_penalty = "partial_with_penalty"


SCORING_LABELS = {
    ScoringRule.all_or_nothing: N_("All or nothing"),
    ScoringRule.partial_with_penalty: N_("Partial credit, with a penalty for wrong picks"),
}


class ReviewPolicy(StrEnum):
    """What a learner sees of a graded attempt."""

    score_only = "score_only"
    own_answers = "own_answers"
    full = "full"  # own answers, the correct answers, feedback and explanations


REVIEW_LABELS = {
    ReviewPolicy.score_only: N_("Score only"),
    ReviewPolicy.own_answers: N_("Own answers"),
    ReviewPolicy.full: N_("Correct answers and feedback"),
}


class Layout(StrEnum):
    one_per_screen = "one_per_screen"
    all_on_one_page = "all_on_one_page"


LAYOUT_LABELS = {
    Layout.one_per_screen: N_("One question per screen"),
    Layout.all_on_one_page: N_("All questions on one page"),
}


class PoolKind(StrEnum):
    """What a random draw draws from."""

    tag = "tag"
    category = "category"
    standard = "standard"  # a standard code


POOL_LABELS = {
    PoolKind.tag: N_("Tag"),
    PoolKind.category: N_("Category"),
    PoolKind.standard: N_("Standard"),
}


class ClosedReason(StrEnum):
    submitted = "submitted"
    expired = "expired"  # the deadline passed; graded with what was saved in time


CLOSED_LABELS = {
    ClosedReason.submitted: N_("Submitted"),
    ClosedReason.expired: N_("Time ran out"),
}


# The fields that make up a question version's content: what YAML carries and what is compared
# to tell whether an edit changed anything.
CONTENT_FIELDS = (
    "type",
    "stem_zh",
    "stem_en",
    "explanation_zh",
    "explanation_en",
    "options",
    "correct",
    "required_phrases",
    "forbidden_phrases",
    "standard_code",
    "standard_version_id",
    "tags",
    "difficulty",
    "category",
)


class Question(SQLModel, table=True):
    """A question's identity; its content is in its versions."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    status: Status = Field(default=Status.draft, sa_type=string_enum(Status), index=True)
    # The version new attempts show (the latest one); set when the first version is made.
    current_version_id: int | None = Field(
        default=None, foreign_key="question_version.id", index=True
    )
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = utc_field(default_now=True)


class QuestionVersion(SQLModel, table=True):
    __tablename__ = "question_version"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        Index("ix_question_version_standard_code", "standard_code"),
        Index("ix_question_version_category", "category"),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    number: int
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")

    type: QuestionType = Field(sa_type=string_enum(QuestionType))
    stem_zh: str = Field(max_length=10000)  # Markdown
    stem_en: str = Field(default="", max_length=10000)
    explanation_zh: str = Field(default="", max_length=10000)
    explanation_en: str = Field(default="", max_length=10000)
    # [{"key": "A", "zh": ..., "en": ..., "feedback_zh": ..., "feedback_en": ...}] in the
    # authored order (for ordering questions: the right order). Keys are stable per version.
    options: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Option keys: the right one(s); for ordering, every key in the right order; [] for a
    # script response, which is graded against the phrases below.
    correct: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Script response only, taken from the standard version it tests when the question was
    # written: [{"text": ..., "en": ..., "variants": [...]}] and [{"text": ..., "en": ...}].
    required_phrases: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    forbidden_phrases: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    standard_code: str | None = Field(default=None, max_length=16)
    standard_version_id: int | None = Field(default=None, foreign_key="standard_version.id")
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    difficulty: Difficulty = Field(default=Difficulty.medium, sa_type=string_enum(Difficulty))
    category: str = Field(default="", max_length=64)


class QuestionTag(SQLModel, table=True):
    """A version's tags as rows, so random draws by tag use an index."""

    __tablename__ = "question_tag"
    __table_args__ = (Index("ix_question_tag_tag", "tag", "version_id"),)

    version_id: int = Field(foreign_key="question_version.id", primary_key=True)
    tag: str = Field(max_length=64, primary_key=True)


class Quiz(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    status: Status = Field(default=Status.draft, sa_type=string_enum(Status), index=True)
    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)
    description_zh: str = Field(default="", max_length=10000)
    description_en: str = Field(default="", max_length=10000)
    pass_mark: int = 60  # percent
    attempts_allowed: int | None = None  # None: unlimited
    time_limit_minutes: int | None = None  # None: untimed
    shuffle_questions: bool = False
    shuffle_options: bool = False
    scoring_rule: ScoringRule = Field(
        default=ScoringRule.all_or_nothing, sa_type=string_enum(ScoringRule)
    )
    layout: Layout = Field(default=Layout.one_per_screen, sa_type=string_enum(Layout))
    review_policy: ReviewPolicy = Field(
        default=ReviewPolicy.own_answers, sa_type=string_enum(ReviewPolicy)
    )
    review_from: datetime | None = utc_field(nullable=True)  # None: as soon as graded
    # Published for self-study: employees in the target positions find it in their Practice
    # list. Training may start any published quiz as an exam.
    practice: bool = False
    published_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = utc_field(default_now=True)


class QuizPosition(SQLModel, table=True):
    """A position a practice quiz targets."""

    __tablename__ = "quiz_position"
    __table_args__ = (Index("ix_quiz_position_position", "position", "quiz_id"),)

    quiz_id: int = Field(foreign_key="quiz.id", primary_key=True)
    position: str = Field(max_length=32, primary_key=True)


class QuizQuestion(SQLModel, table=True):
    """A question every attempt at the quiz gets (its current version at the start)."""

    __tablename__ = "quiz_question"

    quiz_id: int = Field(foreign_key="quiz.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True, index=True)
    position: int
    points: int = 1


class DrawRule(SQLModel, table=True):
    """`count` questions drawn at random per attempt from a pool of published questions."""

    __tablename__ = "quiz_draw_rule"

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(foreign_key="quiz.id", index=True)
    position: int  # rules after the fixed questions, in this order
    pool: PoolKind = Field(sa_type=string_enum(PoolKind))
    value: str = Field(max_length=64)  # the tag, category or standard code
    count: int
    points: int = 1


class Attempt(SQLModel, table=True):
    __table_args__ = (
        Index("ix_attempt_quiz_person", "quiz_id", "person_id"),
        Index("ix_attempt_person_submitted", "person_id", "submitted_at"),
        Index("ix_attempt_quiz_submitted", "quiz_id", "submitted_at"),
        # Reports' caches read the latest grading and how many are still open from it.
        Index("ix_attempt_submitted", "submitted_at"),
        # At most one open attempt per person and quiz, even when two devices start at once.
        Index(
            "uq_attempt_open",
            "quiz_id",
            "person_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(foreign_key="quiz.id")
    person_id: int = Field(foreign_key="person.id")
    number: int  # this person's 1st, 2nd, ... attempt at this quiz
    exam: bool = False  # started by training as an exam (may be a quiz not open for practice)
    seed: int  # the random draw and shuffles of this attempt, kept so they can be replayed
    started_at: datetime = utc_field(default_now=True)
    deadline: datetime | None = utc_field(nullable=True)  # None: untimed
    # Set when the attempt is closed and graded (by submitting, or on the first touch after
    # the deadline: then it is the deadline, not the moment it was noticed).
    submitted_at: datetime | None = utc_field(nullable=True)
    closed_reason: ClosedReason | None = Field(
        default=None, sa_type=string_enum(ClosedReason), nullable=True
    )
    points_earned: float | None = None
    points_possible: float | None = None
    score: float | None = None  # 0–100
    passed: bool | None = None
    # The quiz's rules at the start, so a later edit of the quiz does not change this attempt.
    pass_mark: int
    scoring_rule: ScoringRule = Field(sa_type=string_enum(ScoringRule))
    return_to: str | None = Field(default=None, max_length=500)  # a local path


class AttemptItem(SQLModel, table=True):
    """One question as an attempt showed it, and the answer to it."""

    __tablename__ = "attempt_item"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        Index("ix_attempt_item_version", "question_version_id", "attempt_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id")
    position: int  # 1-based, in the order shown
    question_version_id: int = Field(foreign_key="question_version.id")
    points: int = 1
    # Option keys in the order shown (the authored order when not shuffled).
    option_order: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # {"keys": [...]} for choices and ordering, {"text": "..."} for a script response.
    answer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The chosen keys as text for SQL counting: ",A,C," for choices (sorted), "B,A,C" for an
    # ordering; None when unanswered or a script response.
    chosen: str | None = Field(default=None, max_length=200)
    saved_at: datetime | None = utc_field(nullable=True)
    credit: float | None = None  # 0..1, set at grading
    correct: bool | None = None  # full credit
    # What grading found: {"met": [...], "missed": [...], "forbidden": [...]} for a script
    # response; {"right": [...], "wrong": [...]} picks for choices.
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class WrongAnswer(SQLModel, table=True):
    """A question in a person's wrong-answer book (错题本) until answered right twice in a row."""

    __tablename__ = "wrong_answer"
    __table_args__ = (
        UniqueConstraint("person_id", "question_id"),
        Index("ix_wrong_answer_person_cleared", "person_id", "cleared_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    question_id: int = Field(foreign_key="question.id")
    question_version_id: int = Field(foreign_key="question_version.id")  # as last missed
    added_at: datetime = utc_field(default_now=True)
    last_wrong_at: datetime = utc_field(default_now=True)
    times_wrong: int = 1
    right_streak: int = 0  # right answers in a row since last missed
    cleared_at: datetime | None = utc_field(nullable=True)  # None: in the book


class DailyPractice(SQLModel, table=True):
    """One person's questions for one day (每日一练), drawn at the day's first visit."""

    __tablename__ = "daily_practice"
    __table_args__ = (UniqueConstraint("person_id", "practice_date"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    practice_date: date  # in the bank's time zone
    created_at: datetime = utc_field(default_now=True)
    completed_at: datetime | None = utc_field(nullable=True)


class DailyPracticeItem(SQLModel, table=True):
    __tablename__ = "daily_practice_item"
    __table_args__ = (
        UniqueConstraint("practice_id", "position"),
        Index("ix_daily_practice_item_version", "question_version_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="daily_practice.id")
    position: int
    question_version_id: int = Field(foreign_key="question_version.id")
    from_wrong_book: bool = False
    option_order: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    answered_at: datetime | None = utc_field(nullable=True)
    credit: float | None = None
    correct: bool | None = None
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
