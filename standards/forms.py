"""The authoring form: lists (steps, phrases) are typed one per line, fields split by |."""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints, ValidationError, field_validator
from starlette.datastructures import FormData

from frontline import forms
from frontline.i18n import N_
from standards.models import TEXT_FIELDS, Kind
from standards.schemas import CODE_PATTERN, VersionContent


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.split("|")]
        for line in text.replace("\r\n", "\n").split("\n")
        if line.strip()
    ]


def steps_from_text(text: str) -> list[dict[str, str]]:
    return [{"zh": p[0], "en": p[1] if len(p) > 1 else ""} for p in _lines(text)]


def required_from_text(text: str) -> list[dict[str, Any]]:
    phrases = []
    for p in _lines(text):
        # Chinese keyboards type the full-width ；, which separates variants just the same.
        separated = p[2].replace("；", ";").split(";") if len(p) > 2 else []
        variants = [v.strip() for v in separated if v.strip()]
        phrases.append({"text": p[0], "en": p[1] if len(p) > 1 else "", "variants": variants})
    return phrases


def forbidden_from_text(text: str) -> list[dict[str, str]]:
    return [{"text": p[0], "en": p[1] if len(p) > 1 else ""} for p in _lines(text)]


def veto_checks_from_text(text: str) -> list[dict[str, str]]:
    return [{"zh": p[0], "en": p[1] if len(p) > 1 else ""} for p in _lines(text)]


def steps_to_text(steps: list[dict[str, Any]]) -> str:
    return "\n".join(f"{s['zh']} | {s.get('en', '')}".rstrip(" |") for s in steps)


def required_to_text(phrases: list[dict[str, Any]]) -> str:
    lines = []
    for p in phrases:
        line = f"{p['text']} | {p.get('en', '')}"
        if p.get("variants"):
            line += " | " + "; ".join(p["variants"])
        lines.append(line.rstrip(" |"))
    return "\n".join(lines)


def forbidden_to_text(phrases: list[dict[str, Any]]) -> str:
    return "\n".join(f"{p['text']} | {p.get('en', '')}".rstrip(" |") for p in phrases)


def veto_checks_to_text(checks: list[dict[str, Any]]) -> str:
    return steps_to_text(checks)  # the same "zh | en" lines


def form_values(content: dict[str, Any]) -> dict[str, Any]:
    """A version's stored content as the form shows it."""
    values = {f: content.get(f, "") for f in TEXT_FIELDS}
    values.update(
        category=content.get("category", ""),
        severity=content.get("severity", ""),
        channels=list(content.get("channels", [])),
        positions=list(content.get("positions", [])),
        steps=steps_to_text(content.get("steps", [])),
        required_phrases=required_to_text(content.get("required_phrases", [])),
        forbidden_phrases=forbidden_to_text(content.get("forbidden_phrases", [])),
        veto_checks=veto_checks_to_text(content.get("veto_checks", [])),
    )
    return values


def submitted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: str(form.get(key, ""))
        for key in (
            *TEXT_FIELDS,
            "category",
            "severity",
            "steps",
            "required_phrases",
            "forbidden_phrases",
            "veto_checks",
            "code",
            "kind",
        )
    }
    values["channels"] = [str(v) for v in form.getlist("channels")]
    values["positions"] = [str(v) for v in form.getlist("positions")]
    return values


def parse_content(
    values: dict[str, Any], *, kind: Kind
) -> tuple[VersionContent | None, dict[str, str]]:
    data = {f: values.get(f, "") for f in TEXT_FIELDS}
    data.update(
        category=values.get("category") or None,
        severity=values.get("severity") or None,
        channels=values.get("channels", []),
        positions=values.get("positions", []),
        steps=steps_from_text(values.get("steps", "")),
        required_phrases=required_from_text(values.get("required_phrases", "")),
        forbidden_phrases=forbidden_from_text(values.get("forbidden_phrases", "")),
        veto_checks=veto_checks_from_text(values.get("veto_checks", "")),
    )
    try:
        return VersionContent.model_validate(data, context={"kind": kind}), {}
    except ValidationError as exc:
        errors = forms.errors_of(exc)
        if "channels" in errors and not data["channels"]:
            errors["channels"] = N_("Choose at least one channel.")
        if "positions" in errors and not data["positions"]:
            errors["positions"] = N_("Choose at least one position.")
        return None, errors


class NewStandardForm(BaseModel):
    code: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
    kind: Kind

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise ValueError(N_("Use capital letters, a dash and digits, such as GRT-01."))
        return value


class PublishForm(BaseModel):
    effective_date: date
    change_note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]


class RetireForm(BaseModel):
    change_note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
