"""Tables for scorecards: the HR system's API tokens and HR's composite-index weights."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from frontline.i18n import N_
from frontline.models import utc_field

# The one scope there is: read every scorecard through /api/v1/scorecards.
SCOPE_SCORECARDS_READ = "scorecards:read"
SCOPE_LABELS: dict[str, str] = {SCOPE_SCORECARDS_READ: N_("Read scorecards")}


class ApiToken(SQLModel, table=True):
    """A bearer token an HR system presents; only the SHA-256 of the token is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    scope: str = Field(default=SCOPE_SCORECARDS_READ, max_length=32)
    # The token's first characters, shown in the list so an admin can tell tokens apart.
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = utc_field(default_now=True)
    last_used_at: datetime | None = utc_field(nullable=True)
    # After this moment the API refuses the token; None: valid until revoked.
    expires_at: datetime | None = utc_field(nullable=True)
    revoked_at: datetime | None = utc_field(nullable=True)
    revoked_by_id: int | None = Field(default=None, foreign_key="person.id")


class CompositeWeights(SQLModel, table=True):
    """HR's weights for the composite index, in percent; the newest row is in force and
    earlier rows are the history (never changed)."""

    __tablename__ = "composite_weights"

    id: int | None = Field(default=None, primary_key=True)
    audits: int = Field(ge=0, le=100)
    training: int = Field(ge=0, le=100)
    quizzes: int = Field(ge=0, le=100)
    acknowledgments: int = Field(ge=0, le=100)
    note: str = Field(default="", max_length=500)
    set_by_id: int | None = Field(default=None, foreign_key="person.id")
    set_at: datetime = utc_field(default_now=True, index=True)
