"""The module and lesson forms: lists typed as checkboxes or one per line."""

import re
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints, ValidationError
from starlette.datastructures import FormData

from frontline import forms
from frontline.i18n import N_
from training.models import CONTENT_FIELDS
from training.schemas import MODULE_CODE_PATTERN, LessonContent, ModuleContent

OPTIONAL_NUMBERS = ("quiz_id", "recert_months", "exam_opens_on", "exam_closes_on")


def submitted_values(form: FormData) -> dict[str, Any]:
    """The form as the editor shows it again: lists for checkboxes, text for the rest."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["positions"] = [v for v in form.getlist("positions") if isinstance(v, str)]
    return values


def module_values(content: dict[str, Any]) -> dict[str, Any]:
    """A version's stored content as the form shows it."""
    values = {f: content.get(f) for f in CONTENT_FIELDS}
    values["standard_codes"] = " ".join(content.get("standard_codes") or [])
    values["positions"] = list(content.get("positions") or [])
    return {k: ("" if v is None else v) for k, v in values.items()}


def parse_module(values: dict[str, Any]) -> tuple[ModuleContent | None, dict[str, str]]:
    data = {f: values.get(f, "") for f in CONTENT_FIELDS}
    data["standard_codes"] = re.split(r"[\s,，、]+", str(values.get("standard_codes", "")))
    data["positions"] = values.get("positions", [])
    for name in OPTIONAL_NUMBERS:
        data[name] = forms.blank_to_none(str(data[name]).strip())
    data["estimated_minutes"] = str(data["estimated_minutes"]).strip() or 0
    data["refresher_policy"] = data["refresher_policy"] or "confirm"
    return forms.parse(ModuleContent, data)


def parse_lesson(values: dict[str, Any]) -> tuple[LessonContent | None, dict[str, str]]:
    data = {f: values.get(f, "") for f in ("title_zh", "title_en", "body_zh", "body_en")}
    return forms.parse(LessonContent, data)


class NewModuleForm(BaseModel):
    code: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=32)]


def parse_code(values: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    try:
        code = NewModuleForm.model_validate({"code": values.get("code", "")}).code
    except ValidationError as exc:
        return None, forms.errors_of(exc)
    if not MODULE_CODE_PATTERN.match(code):
        return None, {"code": N_("A module code looks like TRN-COUNTER-01.")}
    return code, {}


class ReasonForm(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PublishForm(BaseModel):
    change_note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
