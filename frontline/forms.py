"""Validating submitted forms with Pydantic models, with messages people can act on."""

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from frontline.i18n import N_

M = TypeVar("M", bound=BaseModel)

# Pydantic's own messages are English-only; these are translated where they are shown.
MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("This is too long."),
    "int_parsing": N_("Enter a whole number."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "string_pattern_mismatch": N_("This is not in the expected format."),
}
FALLBACK = N_("This value is not valid.")


def parse(model: type[M], data: Mapping[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The validated model, or None and a message (untranslated) for each bad field."""
    try:
        return model.model_validate(dict(data)), {}
    except ValidationError as exc:
        return None, errors_of(exc)


def errors_of(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "__all__"
        if error["type"] == "value_error":
            message = str(error["ctx"]["error"]) if "ctx" in error else FALLBACK
        else:
            message = MESSAGES.get(error["type"], FALLBACK)
        errors.setdefault(field, message)
    return errors


def blank_to_none(value: object) -> object:
    return None if value == "" else value


class QueryFilters(BaseModel):
    """Base for a page's GET filters: an empty box or "All …" option means no filter."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blanks_are_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value not in ("", None)}
        return data
