"""Tables for the bank's organisation, its people and their login sessions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from frontline.i18n import N_
from frontline.models import string_enum, utc_field


class Role(StrEnum):
    employee = "employee"
    supervisor = "supervisor"
    author = "author"
    hr = "hr"
    admin = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.employee: N_("Employee"),
    Role.supervisor: N_("Supervisor"),
    Role.author: N_("Author"),
    Role.hr: N_("HR"),
    Role.admin: N_("Administrator"),
}


class Position(StrEnum):
    """The job a person does at the bank; standards say which positions they apply to."""

    teller = "teller"
    lobby_manager = "lobby_manager"
    relationship_manager = "relationship_manager"
    call_agent = "call_agent"
    branch_manager = "branch_manager"
    team_leader = "team_leader"
    back_office = "back_office"


POSITION_LABELS: dict[Position, str] = {
    Position.teller: N_("Teller"),
    Position.lobby_manager: N_("Lobby manager"),
    Position.relationship_manager: N_("Relationship manager"),
    Position.call_agent: N_("Call-centre agent"),
    Position.branch_manager: N_("Branch manager"),
    Position.team_leader: N_("Team leader"),
    Position.back_office: N_("Back office"),
}


class Branch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=100)
    region: str = Field(default="", max_length=100)
    active: bool = True
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)  # reports' caches read its max


class Team(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("branch_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    branch_id: int = Field(foreign_key="branch.id", index=True)
    name: str = Field(max_length=100)
    active: bool = True
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)  # reports' caches read its max


class TeamSupervisor(SQLModel, table=True):
    __tablename__ = "team_supervisor"

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)


class Person(SQLModel, table=True):
    __table_args__ = (Index("ix_person_team_active", "team_id", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_no: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100, index=True)
    email: str = Field(default="", max_length=200)
    role: Role = Field(default=Role.employee, sa_type=string_enum(Role), index=True)
    position: Position | None = Field(default=None, sa_type=string_enum(Position), index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    active: bool = True
    locale: str | None = Field(default=None, max_length=8)
    password_hash: str = Field(default="", max_length=255)
    password_changed_at: datetime | None = utc_field(nullable=True)
    # Set when an admin issues a temporary password; the person must pick their own.
    must_change_password: bool = False
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True, index=True)  # reports' caches read its max


class LoginSession(SQLModel, table=True):
    """A signed-in browser. Only a keyed hash of the cookie's token is stored."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = utc_field(default_now=True)
    last_seen_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field()
    ended_at: datetime | None = utc_field(nullable=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)


class LoginAttempt(SQLModel, table=True):
    """Every password check, for throttling; pruned once older than the throttle window
    (failed logins are kept in the audit trail)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_employee_no_at", "employee_no", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_no: str = Field(max_length=32)
    ip: str = Field(max_length=64)
    at: datetime = utc_field(default_now=True)
    succeeded: bool = False
