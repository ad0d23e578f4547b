"""Training: modules and their immutable versions, lessons, assignments that follow people,
enrollments, reading progress, certificates and refresher flags.

A published module version is never changed: enrollments and certificates point at the
version a person took. Edits make a new draft version. Statuses a dashboard shows (overdue,
late, expired, refresher due) are derived in queries from the dates stored here, never kept
as flags that drift.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from frontline.i18n import N_
from frontline.models import string_enum, utc_field


class VersionStatus(StrEnum):
    draft = "draft"
    published = "published"
    superseded = "superseded"
    archived = "archived"


STATUS_LABELS = {
    VersionStatus.draft: N_("Draft"),
    VersionStatus.published: N_("Published"),
    VersionStatus.superseded: N_("Superseded"),
    VersionStatus.archived: N_("Archived"),
}


class RefresherPolicy(StrEnum):
    """What a new version of a covered standard asks of people who completed the module."""

    confirm = "confirm"  # read what changed and confirm
    retake = "retake"  # take the module again


REFRESHER_POLICY_LABELS = {
    RefresherPolicy.confirm: N_("Read the changes and confirm"),
    RefresherPolicy.retake: N_("Retake the module"),
}


class TargetKind(StrEnum):
    person = "person"
    team = "team"
    branch = "branch"
    position = "position"


TARGET_KIND_LABELS = {
    TargetKind.person: N_("Person"),
    TargetKind.team: N_("Team"),
    TargetKind.branch: N_("Branch"),
    TargetKind.position: N_("Position"),
}


# The fields of a version that make up its content: what YAML carries and what publishing
# freezes (lessons are content too, in their own table).
CONTENT_FIELDS = (
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "positions",
    "estimated_minutes",
    "standard_codes",
    "quiz_id",
    "recert_months",
    "exam_opens_on",
    "exam_closes_on",
    "refresher_policy",
)


class Module(SQLModel, table=True):
    __tablename__ = "training_module"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    # The version in force (published, or archived once the module was archived); None while
    # only a first draft exists.
    current_version_id: int | None = Field(
        default=None, foreign_key="training_module_version.id", index=True
    )
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")


class ModuleVersion(SQLModel, table=True):
    __tablename__ = "training_module_version"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="training_module.id", index=True)
    number: int
    status: VersionStatus = Field(
        default=VersionStatus.draft, sa_type=string_enum(VersionStatus), index=True
    )
    change_note: str | None = Field(default=None, max_length=2000)
    published_at: datetime | None = utc_field(nullable=True)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = utc_field(default_now=True)

    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)
    summary_zh: str = Field(default="", max_length=4000)
    summary_en: str = Field(default="", max_length=4000)
    # Position values (staff.models.Position) the module is meant for.
    positions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    estimated_minutes: int = 0
    # Codes of the standards the module covers, in the author's order; mirrored as rows in
    # training_version_standard so "modules covering GRT-01" is an indexed lookup.
    standard_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # quizzes' Quiz id. No foreign key: training uses quizzes only through its service.
    quiz_id: int | None = Field(default=None, index=True)
    recert_months: int | None = None
    # An exam (应知应会考试) is a version with no lessons and a quiz, open between two dates
    # (in the bank's time zone, inclusive).
    exam_opens_on: date | None = None
    exam_closes_on: date | None = None
    refresher_policy: RefresherPolicy = Field(
        default=RefresherPolicy.confirm, sa_type=string_enum(RefresherPolicy)
    )


class VersionStandard(SQLModel, table=True):
    """A standard a module version covers, as rows so refreshers and audits find modules."""

    __tablename__ = "training_version_standard"
    __table_args__ = (Index("ix_training_version_standard_code", "standard_code", "version_id"),)

    version_id: int = Field(foreign_key="training_module_version.id", primary_key=True)
    standard_code: str = Field(max_length=16, primary_key=True)


class Lesson(SQLModel, table=True):
    __tablename__ = "training_lesson"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="training_module_version.id", index=True)
    position: int  # 1, 2, … in reading order
    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)
    # Markdown, sanitised when shown; `{{standard CODE}}` embeds the version in force.
    body_zh: str = Field(default="", max_length=50000)
    body_en: str = Field(default="", max_length=50000)


class LessonImage(SQLModel, table=True):
    """An image an author uploaded for a module's lessons, checked to be a real image."""

    __tablename__ = "training_image"

    id: int | None = Field(default=None, primary_key=True)
    # Chosen by the server (random hex + extension of the detected format): lessons link to it.
    name: str = Field(max_length=64, unique=True)
    module_id: int = Field(foreign_key="training_module.id", index=True)
    original_name: str = Field(default="", max_length=255)
    content_type: str = Field(max_length=32)
    width: int
    height: int
    size_bytes: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime = utc_field(default_now=True)
    uploaded_by_id: int | None = Field(default=None, foreign_key="person.id")


class Assignment(SQLModel, table=True):
    """A rule: everyone the target names (now and later) takes the module by a due date."""

    __tablename__ = "training_assignment"
    __table_args__ = (
        Index("ix_training_assignment_target", "target_kind", "target_id"),
        Index("ix_training_assignment_target_position", "target_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="training_module.id", index=True)
    target_kind: TargetKind = Field(sa_type=string_enum(TargetKind))
    target_id: int | None = None  # person, team or branch id
    target_position: str | None = Field(default=None, max_length=32)  # a Position value
    # Exactly one of: a fixed date for everyone, or N days after each person is enrolled.
    due_date: date | None = None
    due_days: int | None = None
    reason: str = Field(default="", max_length=2000)
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int = Field(foreign_key="person.id", index=True)
    updated_at: datetime = utc_field(default_now=True)
    withdrawn_at: datetime | None = utc_field(nullable=True)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="person.id")
    withdraw_reason: str | None = Field(default=None, max_length=2000)


class Enrollment(SQLModel, table=True):
    """One person's duty to take one module: one row per person and module, the current
    cycle. A recertification or a retake starts a new cycle in the same row (started_at moves
    on; the completion fields stay until the person completes again); certificates keep the
    history of every completion."""

    __tablename__ = "training_enrollment"
    __table_args__ = (
        UniqueConstraint("person_id", "module_id"),
        Index("ix_training_enrollment_module_withdrawn", "module_id", "withdrawn_at"),
        Index("ix_training_enrollment_due", "due_on"),
        Index("ix_training_enrollment_expires", "expires_on"),
        # Overdue is completed_at IS NULL AND due_on < today.
        Index("ix_training_enrollment_open_due", "completed_at", "due_on"),
        # The dashboards' cache fingerprint reads max(updated_at).
        Index("ix_training_enrollment_updated", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    module_id: int = Field(foreign_key="training_module.id")
    # The rule that enrolled them; None once no rule covers them any more.
    assignment_id: int | None = Field(
        default=None, foreign_key="training_assignment.id", index=True
    )
    enrolled_at: datetime = utc_field(default_now=True)
    due_on: date  # in the bank's time zone
    # The current cycle: when it started and the version being taken (set when they open the
    # module). Lessons read before started_at belong to an earlier cycle and do not count.
    started_at: datetime | None = utc_field(nullable=True)
    version_id: int | None = Field(default=None, foreign_key="training_module_version.id")
    # The last completion: "late" is completed_on > due_on, "expired" expires_on <= today,
    # both plain column comparisons (completed_on is the bank's date of completed_at).
    completed_at: datetime | None = utc_field(nullable=True)
    completed_on: date | None = None
    completed_version_id: int | None = Field(
        default=None, foreign_key="training_module_version.id", index=True
    )
    expires_on: date | None = None
    # The best quiz result as last read from quizzes (quizzes' ids: no foreign key).
    quiz_attempt_id: int | None = None
    quiz_score: float | None = None
    quiz_passed: bool | None = None
    # The assignment was withdrawn or the person left its target: it no longer counts as
    # assigned and never falls due again; what they completed stays.
    withdrawn_at: datetime | None = utc_field(nullable=True)
    withdrawn_reason: str | None = Field(default=None, max_length=2000)
    updated_at: datetime = utc_field(default_now=True)


class LessonProgress(SQLModel, table=True):
    """A lesson read within an enrollment: progress saved as they go, on any device."""

    __tablename__ = "training_lesson_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="training_enrollment.id", index=True)
    lesson_id: int = Field(foreign_key="training_lesson.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    read_at: datetime = utc_field(default_now=True)


class Certificate(SQLModel, table=True):
    __tablename__ = "training_certificate"

    id: int | None = Field(default=None, primary_key=True)
    # Public and unguessable enough to be shown on paper: what /certificates/{number} looks up.
    number: str = Field(max_length=32, unique=True)
    enrollment_id: int = Field(foreign_key="training_enrollment.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    module_id: int = Field(foreign_key="training_module.id", index=True)
    version_id: int = Field(foreign_key="training_module_version.id")
    issued_at: datetime = utc_field(default_now=True)
    expires_on: date | None = None
    revoked_at: datetime | None = utc_field(nullable=True)
    revoked_by_id: int | None = Field(default=None, foreign_key="person.id")
    revoked_reason: str | None = Field(default=None, max_length=2000)


class StandardChange(SQLModel, table=True):
    """A new version of a standard a module covers, as the module's author judges it: read
    and confirm (the default, from the version's refresher policy) or retake the module."""

    __tablename__ = "training_standard_change"
    __table_args__ = (UniqueConstraint("module_id", "standard_version_id"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="training_module.id")
    standard_version_id: int = Field(foreign_key="standard_version.id", index=True)
    retake: bool = False
    marked_by_id: int | None = Field(default=None, foreign_key="person.id")
    marked_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class RefresherFlag(SQLModel, table=True):
    """A completer of a module, asked to catch up on a new version of a standard it covers.
    Refresher due is derived: confirmed_at IS NULL, and for a retake no completion since."""

    __tablename__ = "training_refresher"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "standard_version_id"),
        Index("ix_training_refresher_person_confirmed", "person_id", "confirmed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    module_id: int = Field(foreign_key="training_module.id", index=True)
    enrollment_id: int = Field(foreign_key="training_enrollment.id")
    standard_id: int = Field(foreign_key="standard.id")
    standard_version_id: int = Field(foreign_key="standard_version.id", index=True)
    standard_code: str = Field(max_length=16)
    flagged_at: datetime = utc_field()  # the standard version's publication
    retake: bool = False  # the author marked the change as needing the module again
    confirmed_at: datetime | None = utc_field(nullable=True, index=True)  # caches read its max


class Reminder(SQLModel, table=True):
    __tablename__ = "training_reminder"
    __table_args__ = (
        Index("ix_training_reminder_person_module", "person_id", "module_id", "reminded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    module_id: int = Field(foreign_key="training_module.id")
    reminded_by_id: int = Field(foreign_key="person.id")
    reminded_at: datetime = utc_field(default_now=True)
