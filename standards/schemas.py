"""The validated content of a standard version, shared by the web form and YAML import."""

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from frontline.i18n import N_
from staff.models import Position
from standards.models import CATEGORIES_BY_KIND, Category, Channel, Kind, Severity

CODE_PATTERN = re.compile(r"^[A-Z]{2,6}-\d{2,4}$")

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
RequiredTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
LongText = Annotated[str, StringConstraints(max_length=20000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
RequiredLine = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Step(Strict):
    zh: RequiredLine
    en: Line = ""


class RequiredPhrase(Strict):
    text: RequiredLine
    en: Line = ""
    variants: list[Line] = Field(default_factory=list)


class ForbiddenPhrase(Strict):
    text: RequiredLine
    en: Line = ""


class VetoCheck(Strict):
    """A check whose failure is a veto (一票否决): it voids the audit whatever else scores."""

    zh: RequiredLine
    en: Line = ""


class VersionContent(Strict):
    """Everything a version says. Validate with context={"kind": Kind} to check the category."""

    category: Category
    channels: list[Channel] = Field(min_length=1)
    positions: list[Position] = Field(min_length=1)
    severity: Severity
    title_zh: RequiredTitle
    title_en: Title = ""
    body_zh: LongText = ""
    body_en: LongText = ""
    steps: list[Step] = Field(default_factory=list)
    required_phrases: list[RequiredPhrase] = Field(default_factory=list)
    forbidden_phrases: list[ForbiddenPhrase] = Field(default_factory=list)
    good_practice_zh: LongText = ""
    good_practice_en: LongText = ""
    bad_practice_zh: LongText = ""
    bad_practice_en: LongText = ""
    veto_checks: list[VetoCheck] = Field(default_factory=list)

    @field_validator("category")
    @classmethod
    def _category_fits_kind(cls, value: Category, info: ValidationInfo) -> Category:
        kind = (info.context or {}).get("kind")
        if kind is not None and value not in CATEGORIES_BY_KIND[Kind(kind)]:
            raise ValueError(N_("This category is not one of this kind of standard."))
        return value

    @field_validator("channels", "positions")
    @classmethod
    def _no_repeats(cls, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise ValueError(N_("Each choice may appear only once."))
        return value

    def as_stored(self) -> dict[str, Any]:
        """Plain JSON-able values, in the order of CONTENT_FIELDS."""
        return self.model_dump(mode="json")
