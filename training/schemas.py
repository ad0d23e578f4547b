"""The validated content of a module version and its lessons, shared by the web forms and
the YAML file."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from frontline.i18n import N_
from staff.models import Position
from training.models import RefresherPolicy

# Module codes: letters, digits and dashes, e.g. TRN-COUNTER-01, EXAM-2026Q4.
MODULE_CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10}){0,3}$")
STANDARD_CODE_PATTERN = re.compile(r"^[A-Z]{2,6}-\d{2,4}$")

RequiredTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Summary = Annotated[str, StringConstraints(max_length=4000)]
Body = Annotated[str, StringConstraints(max_length=50000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class LessonContent(Strict):
    title_zh: RequiredTitle
    title_en: Title = ""
    body_zh: Body = ""
    body_en: Body = ""


class ModuleContent(Strict):
    """Everything a module version says besides its lessons."""

    title_zh: RequiredTitle
    title_en: Title = ""
    summary_zh: Summary = ""
    summary_en: Summary = ""
    positions: list[Position] = Field(default_factory=list)
    estimated_minutes: int = Field(default=0, ge=0, le=2000)
    standard_codes: list[str] = Field(default_factory=list, max_length=50)
    quiz_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    recert_months: int | None = Field(default=None, ge=1, le=120)
    exam_opens_on: date | None = None
    exam_closes_on: date | None = None
    refresher_policy: RefresherPolicy = RefresherPolicy.confirm

    @field_validator("standard_codes")
    @classmethod
    def _codes_look_like_codes(cls, codes: list[str]) -> list[str]:
        cleaned = [c.strip().upper() for c in codes if c.strip()]
        for code in cleaned:
            if not STANDARD_CODE_PATTERN.match(code):
                raise ValueError(N_("A standard code looks like GRT-01."))
        if len(set(cleaned)) != len(cleaned):
            raise ValueError(N_("Each standard is listed once."))
        return cleaned

    @field_validator("positions")
    @classmethod
    def _positions_once(cls, positions: list[Position]) -> list[Position]:
        return list(dict.fromkeys(positions))

    @model_validator(mode="after")
    def _exam_window(self) -> "ModuleContent":
        opens, closes = self.exam_opens_on, self.exam_closes_on
        if (opens is None) != (closes is None):
            raise ValueError(N_("An exam needs both the day it opens and the day it closes."))
        if opens is not None and closes is not None:
            if closes < opens:
                raise ValueError(N_("An exam closes on or after the day it opens."))
            if self.quiz_id is None:
                raise ValueError(N_("An exam needs a quiz."))
        return self

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
