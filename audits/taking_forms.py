"""What the start form and a tap send, validated."""

from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from audits.models import BusinessType, Channel, Method
from frontline.forms import blank_to_none

OP_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
START_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
MAX_SEQ = 2_000_000_000  # the column is a 32-bit integer on PostgreSQL

Blank = BeforeValidator(blank_to_none)


class StartForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    template: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    start_key: str = Field(pattern=START_KEY_PATTERN)
    person_id: Annotated[int | None, Blank] = Field(default=None, ge=1, le=2**31 - 1)
    branch_id: Annotated[int | None, Blank] = Field(default=None, ge=1, le=2**31 - 1)
    method: Method
    channel: Annotated[Channel | None, Blank] = None
    business_type: Annotated[BusinessType | None, Blank] = None
    observed_at: datetime
    wait_minutes: Annotated[int | None, Blank] = Field(default=None, ge=0, le=600)
    satisfaction: Annotated[int | None, Blank] = Field(default=None, ge=1, le=5)
    notes: str = Field(default="", max_length=2000)


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """A form's local date and time as aware UTC (a value with a zone keeps it)."""
    aware = value if value.tzinfo else value.replace(tzinfo=zone)
    return aware.astimezone(UTC)


def too_far_ahead(value: datetime, now: datetime) -> bool:
    """An observation cannot lie more than an hour ahead (a tablet clock a little fast)."""
    return value > now + timedelta(hours=1)


class TapForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    outcome: Annotated[str | None, Blank] = Field(default=None, pattern=r"^(pass|fail|na)$")
    occurrences: int = Field(default=0, ge=0, le=99)
    note: str = Field(default="", max_length=500)
    seq: int = Field(ge=1, le=MAX_SEQ)
    op: str = Field(pattern=OP_PATTERN)
    # Without script, the − / + buttons post a step instead of the new count.
    step: Annotated[int | None, Blank] = Field(default=None, ge=-1, le=1)
