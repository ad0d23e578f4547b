"""Standards: service scripts and behaviour rules, their versions and acknowledgments.

A published version is never changed: training, quizzes and audits point at version ids, and
what an employee acknowledged must stay what they read. Edits make a new draft version.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlalchemy.engine import Row
from sqlalchemy.orm import Bundle
from sqlmodel import Field, SQLModel, col

from frontline.i18n import N_
from frontline.models import string_enum, utc_field


class Kind(StrEnum):
    script = "script"
    rule = "rule"


KIND_LABELS = {Kind.script: N_("Service script"), Kind.rule: N_("Behaviour rule")}


class Category(StrEnum):
    # service scripts, by scenario
    greeting = "greeting"
    identity_verification = "identity_verification"
    transaction = "transaction"
    disclosure = "disclosure"
    complaint = "complaint"
    waiting = "waiting"
    farewell = "farewell"
    phone = "phone"
    refusal = "refusal"
    # behaviour rules, by area
    appearance = "appearance"
    attitude = "attitude"
    language = "language"
    process = "process"
    compliance = "compliance"
    privacy = "privacy"
    environment = "environment"
    feedback = "feedback"
    special_care = "special_care"


SCRIPT_CATEGORIES = (
    Category.greeting,
    Category.identity_verification,
    Category.transaction,
    Category.disclosure,
    Category.complaint,
    Category.waiting,
    Category.farewell,
    Category.phone,
    Category.refusal,
)
RULE_CATEGORIES = tuple(c for c in Category if c not in SCRIPT_CATEGORIES)
CATEGORIES_BY_KIND = {Kind.script: SCRIPT_CATEGORIES, Kind.rule: RULE_CATEGORIES}

CATEGORY_LABELS = {
    Category.greeting: N_("Greeting"),
    Category.identity_verification: N_("Identity verification"),
    Category.transaction: N_("Transaction handling"),
    Category.disclosure: N_("Product and risk disclosure"),
    Category.complaint: N_("Complaint handling"),
    Category.waiting: N_("Waiting time"),
    Category.farewell: N_("Farewell"),
    Category.phone: N_("Phone banking"),
    Category.refusal: N_("Refusing a request"),
    Category.appearance: N_("Appearance"),
    Category.attitude: N_("Attitude"),
    Category.language: N_("Service language"),
    Category.process: N_("Process"),
    Category.compliance: N_("Compliance"),
    Category.privacy: N_("Privacy"),
    Category.environment: N_("Environment"),
    Category.feedback: N_("Customer feedback"),
    Category.special_care: N_("Elderly and disabled customers"),
}


class Channel(StrEnum):
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


class Severity(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"


SEVERITY_LABELS = {
    Severity.critical: N_("Critical"),
    Severity.major: N_("Major"),
    Severity.minor: N_("Minor"),
}


class VersionStatus(StrEnum):
    draft = "draft"
    published = "published"
    superseded = "superseded"
    retired = "retired"


STATUS_LABELS = {
    VersionStatus.draft: N_("Draft"),
    VersionStatus.published: N_("Published"),
    VersionStatus.superseded: N_("Superseded"),
    VersionStatus.retired: N_("Retired"),
}

# The fields that make up a version's content: what the diff compares, what YAML carries,
# and what the database refuses to change once a version is published.
CONTENT_FIELDS = (
    "category",
    "channels",
    "positions",
    "severity",
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "steps",
    "required_phrases",
    "forbidden_phrases",
    "good_practice_zh",
    "good_practice_en",
    "bad_practice_zh",
    "bad_practice_en",
    "veto_checks",
)


# The free-text fields of a version (both languages): what the form edits as text and what
# text search looks in, besides steps and phrases.
TEXT_FIELDS = (
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "good_practice_zh",
    "good_practice_en",
    "bad_practice_zh",
    "bad_practice_en",
)


class Standard(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    kind: Kind = Field(sa_type=string_enum(Kind), index=True)
    # The version in force (published, or retired when the standard was retired); None while
    # only a first draft exists. Kept so searching the library is one indexed join.
    current_version_id: int | None = Field(
        default=None, foreign_key="standard_version.id", index=True
    )
    created_at: datetime = utc_field(default_now=True)


class StandardVersion(SQLModel, table=True):
    __tablename__ = "standard_version"
    __table_args__ = (
        UniqueConstraint("standard_id", "number"),
        Index("ix_standard_version_status_category", "status", "category"),
    )

    id: int | None = Field(default=None, primary_key=True)
    standard_id: int = Field(foreign_key="standard.id", index=True)
    number: int
    status: VersionStatus = Field(default=VersionStatus.draft, sa_type=string_enum(VersionStatus))
    effective_date: date | None = None
    change_note: str | None = Field(default=None, max_length=2000)
    published_at: datetime | None = utc_field(nullable=True)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = utc_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    # Set by every change (content saved, published, superseded, retired): caches read its latest.
    updated_at: datetime = utc_field(default_now=True)

    category: Category = Field(sa_type=string_enum(Category))
    severity: Severity = Field(sa_type=string_enum(Severity), index=True)
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    positions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title_zh: str = Field(max_length=200)
    title_en: str = Field(default="", max_length=200)
    body_zh: str = Field(default="", max_length=20000)
    body_en: str = Field(default="", max_length=20000)
    # [{"zh": ..., "en": ...}] in order
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # [{"text": ..., "en": ..., "variants": [...]}]
    required_phrases: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # [{"text": ..., "en": ...}]
    forbidden_phrases: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    good_practice_zh: str = Field(default="", max_length=20000)
    good_practice_en: str = Field(default="", max_length=20000)
    bad_practice_zh: str = Field(default="", max_length=20000)
    bad_practice_en: str = Field(default="", max_length=20000)
    # [{"zh": ..., "en": ...}]: the checks whose failure voids an audit (一票否决) whatever
    # the rest scores; inspection sheets veto such a sub-item, not the whole standard.
    veto_checks: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Lower-cased code, titles, bodies and phrases, for text search in the database.
    search_text: str = Field(default="", max_length=100000)


class VersionChannel(SQLModel, table=True):
    """Which channels a version covers, as rows so the library filters with an index."""

    __tablename__ = "standard_version_channel"
    __table_args__ = (Index("ix_standard_version_channel_channel", "channel", "version_id"),)

    version_id: int = Field(foreign_key="standard_version.id", primary_key=True)
    channel: Channel = Field(sa_type=string_enum(Channel), primary_key=True)


class VersionPosition(SQLModel, table=True):
    """Which positions a version applies to (and so who must acknowledge it)."""

    __tablename__ = "standard_version_position"
    __table_args__ = (Index("ix_standard_version_position_position", "position", "version_id"),)

    version_id: int = Field(foreign_key="standard_version.id", primary_key=True)
    position: str = Field(max_length=32, primary_key=True)


class Acknowledgment(SQLModel, table=True):
    """A person's attestation that they read one exact version."""

    __table_args__ = (
        UniqueConstraint("person_id", "version_id"),
        # Scorecards count a person's acknowledgments as of a moment from the index alone.
        Index("ix_acknowledgment_person_version_at", "person_id", "version_id", "acknowledged_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    version_id: int = Field(foreign_key="standard_version.id", index=True)
    acknowledged_at: datetime = utc_field(default_now=True)
    # Evidence of reading (None on acknowledgments older than migration 0003): when the page
    # was opened (signed by the server), when the attestation at its end scrolled into view
    # (None without JavaScript), and how long the page was open before confirming.
    opened_at: datetime | None = utc_field(nullable=True)
    reached_at: datetime | None = utc_field(nullable=True)
    seconds_open: int | None = None


class AcknowledgmentReminder(SQLModel, table=True):
    __tablename__ = "acknowledgment_reminder"
    __table_args__ = (Index("ix_ack_reminder_person_version", "person_id", "version_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    version_id: int = Field(foreign_key="standard_version.id")
    reminded_by_id: int = Field(foreign_key="person.id")
    reminded_at: datetime = utc_field(default_now=True)


# What a list of standards shows (library cards, the list to acknowledge), as plain rows with
# attribute access (`card.standard.code`, `card.version.title_zh`): loading bodies, phrases and
# search text (up to ~150 KB a version) for a list would cost more than the rest of the page,
# and building ORM objects for 25-100 cards (identity map, loaders for every column left out)
# cost a quarter of the list's time. A list template reads only these columns: keep in step.
CARD_STANDARD: Bundle[Any] = Bundle(
    "standard", *[col(getattr(Standard, name)) for name in ("id", "code", "kind")]
)
CARD_VERSION: Bundle[Any] = Bundle(
    "version",
    *[
        col(getattr(StandardVersion, name))
        for name in (
            "id",
            "standard_id",
            "number",
            "status",
            "severity",
            "category",
            "channels",
            "positions",
            "effective_date",
            "title_zh",
            "title_en",
        )
    ],
)
Card = Row[Any]
"""One of CARD_STANDARD or CARD_VERSION's rows."""
