"""Audits: checklist templates and their immutable versions, audits with one result row per
item, amendments, acknowledgments and disputes, and correction actions.

A published template version never changes: an audit keeps the version it was filled in on,
so an old result stays explainable. The stored item results are the source of truth; the
score fields on an audit are written from them (audits/scoring.py) at submit and amendment.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from frontline.i18n import N_
from frontline.models import string_enum, utc_field


class Subject(StrEnum):
    employee = "employee"
    branch = "branch"


SUBJECT_LABELS = {Subject.employee: N_("Employee"), Subject.branch: N_("Branch")}


class Scoring(StrEnum):
    weighted = "weighted"
    deduction = "deduction"


SCORING_LABELS = {
    Scoring.weighted: N_("Weighted pass/fail"),
    Scoring.deduction: N_("Point deduction"),
}


class TemplateStatus(StrEnum):
    draft = "draft"
    published = "published"
    superseded = "superseded"
    retired = "retired"


TEMPLATE_STATUS_LABELS = {
    TemplateStatus.draft: N_("Draft"),
    TemplateStatus.published: N_("Published"),
    TemplateStatus.superseded: N_("Superseded"),
    TemplateStatus.retired: N_("Retired"),
}


class Method(StrEnum):
    on_site = "on_site"
    cctv = "cctv"
    mystery_shopper = "mystery_shopper"
    call_recording = "call_recording"


METHOD_LABELS = {
    Method.on_site: N_("On-site observation"),
    Method.cctv: N_("CCTV review"),
    Method.mystery_shopper: N_("Mystery shopper"),
    Method.call_recording: N_("Call recording"),
}


class Channel(StrEnum):
    """Where the observed service happened (the same values as the standards' channels)."""

    counter = "counter"
    lobby = "lobby"
    phone = "phone"
    online = "online"


CHANNEL_LABELS = {
    Channel.counter: N_("Counter"),
    Channel.lobby: N_("Lobby"),
    Channel.phone: N_("Phone"),
    Channel.online: N_("Online"),
}


class BusinessType(StrEnum):
    account_opening = "account_opening"
    deposit_withdrawal = "deposit_withdrawal"
    transfer = "transfer"
    wealth_product = "wealth_product"
    loan = "loan"
    card = "card"
    enquiry = "enquiry"
    complaint = "complaint"
    other = "other"


BUSINESS_TYPE_LABELS = {
    BusinessType.account_opening: N_("Account opening"),
    BusinessType.deposit_withdrawal: N_("Deposit or withdrawal"),
    BusinessType.transfer: N_("Transfer or remittance"),
    BusinessType.wealth_product: N_("Wealth product"),
    BusinessType.loan: N_("Loan"),
    BusinessType.card: N_("Bank card"),
    BusinessType.enquiry: N_("Enquiry"),
    BusinessType.complaint: N_("Complaint"),
    BusinessType.other: N_("Other"),
}


class AuditStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"


AUDIT_STATUS_LABELS = {AuditStatus.draft: N_("Draft"), AuditStatus.submitted: N_("Submitted")}


class Source(StrEnum):
    tapped = "tapped"
    imported = "imported"


SOURCE_LABELS = {Source.tapped: N_("Recorded in the app"), Source.imported: N_("Imported")}


class Outcome(StrEnum):
    passed = "pass"
    failed = "fail"
    na = "na"


OUTCOME_LABELS = {Outcome.passed: N_("Pass"), Outcome.failed: N_("Fail"), Outcome.na: N_("N/A")}


class DisputeStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class DisputeOutcome(StrEnum):
    upheld = "upheld"
    amended = "amended"


DISPUTE_OUTCOME_LABELS = {
    DisputeOutcome.upheld: N_("Upheld"),
    DisputeOutcome.amended: N_("Amended"),
}


class ActionStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


ACTION_STATUS_LABELS = {
    ActionStatus.open: N_("Open"),
    ActionStatus.done: N_("Done"),
    ActionStatus.cancelled: N_("Cancelled"),
}


class AuditTemplate(SQLModel, table=True):
    __tablename__ = "audit_template"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    # Fixed for the template's life: results of every version compare with each other.
    subject: Subject = Field(sa_type=string_enum(Subject))
    # The version in force (published, or retired); None while only a first draft exists.
    current_version_id: int | None = Field(
        default=None, foreign_key="audit_template_version.id", index=True
    )
    created_at: datetime = utc_field(default_now=True)


class TemplateVersion(SQLModel, table=True):
    __tablename__ = "audit_template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="audit_template.id", index=True)
    number: int
    status: TemplateStatus = Field(
        default=TemplateStatus.draft, sa_type=string_enum(TemplateStatus), index=True
    )
    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)
    scoring: Scoring = Field(sa_type=string_enum(Scoring))
    description_zh: str = Field(default="", max_length=4000)
    description_en: str = Field(default="", max_length=4000)
    change_note: str | None = Field(default=None, max_length=2000)
    published_at: datetime | None = utc_field(nullable=True)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = utc_field(default_now=True)


class TemplateSection(SQLModel, table=True):
    __tablename__ = "audit_template_section"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="audit_template_version.id")
    position: int  # 0-based order within the version
    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)


class TemplateItem(SQLModel, table=True):
    """One check on a template version. `points` is the item's point value in the deduction
    style and its weight in the weighted style; a veto item carries no points."""

    __tablename__ = "audit_template_item"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        Index("ix_audit_template_item_version_position", "version_id", "position"),
        Index("ix_audit_template_item_standard", "standard_code", "version_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="audit_template_version.id")
    section_id: int = Field(foreign_key="audit_template_section.id", index=True)
    position: int  # 0-based order within the version, across sections
    code: str = Field(max_length=32)
    text_zh: str = Field(max_length=500)
    text_en: str = Field(default="", max_length=500)
    guidance_zh: str = Field(default="", max_length=4000)
    guidance_en: str = Field(default="", max_length=4000)
    # The standard behind the item: reports compare versions item by item through it.
    standard_code: str | None = Field(default=None, max_length=16)
    # Filled in at publish from the standard's version in force, for per-category reports.
    standard_version_id: int | None = Field(default=None, foreign_key="standard_version.id")
    standard_category: str | None = Field(default=None, max_length=32, index=True)
    # The standard's veto check this item inspects (its text in both languages), if any.
    veto_check_zh: str = Field(default="", max_length=500)
    veto_check_en: str = Field(default="", max_length=500)
    na_allowed: bool = False
    veto: bool = False
    points: float = 0.0
    # Deduction style only: deduct this much per occurrence, up to `points`.
    per_occurrence: float | None = None


class Audit(SQLModel, table=True):
    __table_args__ = (
        Index("ix_audit_subject_status_observed", "subject_person_id", "status", "observed_at"),
        Index("ix_audit_team_status_observed", "team_id", "status", "observed_at"),
        Index("ix_audit_branch_observed", "branch_id", "observed_at"),
        # A branch's own audits (environment, facilities: no subject person) among all of the
        # branch's: a supervisor's list reads them on every page.
        Index("ix_audit_branch_subject_status", "branch_id", "subject_person_id", "status"),
        Index("ix_audit_auditor_status", "auditor_id", "status"),
        Index("ix_audit_status_observed", "status", "observed_at"),
        Index("ix_audit_template_observed", "template_id", "observed_at"),
        Index("ix_audit_submitted", "submitted_at"),  # reports' caches read its max
    )

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="audit_template.id")
    template_version_id: int = Field(foreign_key="audit_template_version.id", index=True)
    # The employee observed (None for a branch-subject audit). Team and branch are the
    # subject's at the time of the audit, so lists and reports do not follow later moves.
    subject_person_id: int | None = Field(default=None, foreign_key="person.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    branch_id: int | None = Field(default=None, foreign_key="branch.id")
    auditor_id: int = Field(foreign_key="person.id")
    method: Method = Field(sa_type=string_enum(Method))
    channel: Channel | None = Field(default=None, sa_type=string_enum(Channel))
    business_type: BusinessType | None = Field(default=None, sa_type=string_enum(BusinessType))
    observed_at: datetime = utc_field()
    wait_minutes: int | None = None
    satisfaction: int | None = None  # 1-5, when the customer gave one
    notes: str = Field(default="", max_length=4000)
    status: AuditStatus = Field(default=AuditStatus.draft, sa_type=string_enum(AuditStatus))
    source: Source = Field(default=Source.tapped, sa_type=string_enum(Source))
    # Sent by the start form: a double-tapped start makes one draft.
    start_key: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)
    submitted_at: datetime | None = utc_field(nullable=True)
    # Written from the item results at submit and at every amendment (audits/scoring.py).
    points_possible: float | None = None
    points_earned: float | None = None
    score: float | None = None  # as shown: 0 when a veto item failed
    score_before_veto: float | None = None  # what it would have been without the veto
    veto_breached: bool = False
    revision: int = 0  # how many amendments the audit has had
    acknowledged_at: datetime | None = utc_field(nullable=True)


class ItemResult(SQLModel, table=True):
    """The current state of one item of one audit, as last saved (one row per item)."""

    __tablename__ = "audit_item_result"
    __table_args__ = (Index("ix_audit_item_result_item_outcome", "item_id", "outcome"),)

    audit_id: int = Field(foreign_key="audit.id", primary_key=True)
    item_id: int = Field(foreign_key="audit_template_item.id", primary_key=True)
    outcome: Outcome | None = Field(default=None, sa_type=string_enum(Outcome))
    occurrences: int = 0
    note: str = Field(default="", max_length=1000)
    # The newest save applied: a save whose seq is not greater is ignored.
    last_op_id: str | None = Field(default=None, max_length=64)
    seq: int = 0
    saved_at: datetime | None = utc_field(nullable=True)
    saved_by_id: int | None = Field(default=None, foreign_key="person.id")
    # Written with the audit's score fields; None on drafts and for N/A items.
    points_possible: float | None = None
    points_earned: float | None = None


class Amendment(SQLModel, table=True):
    """A correction of a submitted audit: what changed, why, and the score before and after."""

    __tablename__ = "audit_amendment"
    __table_args__ = (UniqueConstraint("audit_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(foreign_key="audit.id", index=True)
    number: int  # 1 for the audit's first amendment
    amended_by_id: int = Field(foreign_key="person.id")
    amended_at: datetime = utc_field(default_now=True)
    reason: str = Field(max_length=2000)
    dispute_id: int | None = Field(default=None, foreign_key="audit_dispute.id")
    # [{"item": code, "before": {...}, "after": {...}}]
    changes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    score_before: float | None = None
    score_after: float | None = None
    veto_before: bool = False
    veto_after: bool = False


class Dispute(SQLModel, table=True):
    __tablename__ = "audit_dispute"
    __table_args__ = (
        Index("ix_audit_dispute_status_opened", "status", "opened_at"),
        # An employee's own disputes, newest first (their home page, twice).
        Index("ix_audit_dispute_opened_by", "opened_by_id", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(foreign_key="audit.id", unique=True)  # one dispute per audit
    opened_by_id: int = Field(foreign_key="person.id")
    opened_at: datetime = utc_field(default_now=True)
    reason: str = Field(max_length=2000)
    status: DisputeStatus = Field(default=DisputeStatus.open, sa_type=string_enum(DisputeStatus))
    resolved_by_id: int | None = Field(default=None, foreign_key="person.id")
    resolved_at: datetime | None = utc_field(nullable=True)
    outcome: DisputeOutcome | None = Field(default=None, sa_type=string_enum(DisputeOutcome))
    resolution_note: str = Field(default="", max_length=2000)


class CorrectionAction(SQLModel, table=True):
    """限期整改: what must be corrected after a failed item, by when, and the training
    module assigned for it (a training module id; training owns that table)."""

    __tablename__ = "audit_correction_action"
    __table_args__ = (
        Index("ix_audit_action_person_status", "person_id", "status", "deadline_date"),
        Index("ix_audit_action_team_status", "team_id", "status", "deadline_date"),
        Index("ix_audit_action_branch_status", "branch_id", "status"),
        # HR's list and home count: every open action, nearest deadline first, paged.
        Index("ix_audit_action_status_deadline", "status", "deadline_date", "id"),
        Index("ix_audit_action_closed", "closed_at"),  # reports' caches read its max
    )

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(foreign_key="audit.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="audit_template_item.id")
    # Who must correct: the audit's employee (None for a branch-subject audit).
    person_id: int | None = Field(default=None, foreign_key="person.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    branch_id: int | None = Field(default=None, foreign_key="branch.id")
    description: str = Field(default="", max_length=2000)
    deadline_date: date
    status: ActionStatus = Field(default=ActionStatus.open, sa_type=string_enum(ActionStatus))
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = utc_field(default_now=True)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    closed_at: datetime | None = utc_field(nullable=True)
    closing_note: str = Field(default="", max_length=2000)
    module_id: int | None = None
    module_assigned_at: datetime | None = utc_field(nullable=True)
