"""The quiz form: settings as fields; fixed questions and draws typed one per line."""

from datetime import datetime, tzinfo
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from frontline import forms
from frontline.i18n import N_
from quizzes.quiz_builder import QuizSettings

FIELDS = (
    "code",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "pass_mark",
    "attempts_allowed",
    "time_limit_minutes",
    "scoring_rule",
    "layout",
    "review_policy",
    "review_from",
    "questions",
    "draws",
)
CHECKBOXES = ("shuffle_questions", "shuffle_options", "practice")
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def submitted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in FIELDS}
    values.update({name: form.get(name) == "on" for name in CHECKBOXES})
    values["positions"] = [str(v) for v in form.getlist("positions")]
    return values


def form_values(settings: QuizSettings, *, code: str, zone: tzinfo) -> dict[str, Any]:
    values: dict[str, Any] = settings.model_dump(mode="json")
    values["code"] = code
    for name in ("attempts_allowed", "time_limit_minutes"):
        values[name] = "" if values[name] is None else str(values[name])
    values["review_from"] = (
        settings.review_from.astimezone(zone).strftime(LOCAL_MINUTE) if settings.review_from else ""
    )
    values["questions"] = "\n".join(
        q.code if q.points == 1 else f"{q.code} | {q.points}" for q in settings.questions
    )
    values["draws"] = "\n".join(
        f"{d.pool.value} | {d.value} | {d.count}" + (f" | {d.points}" if d.points != 1 else "")
        for d in settings.draws
    )
    return values


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.replace("｜", "|").split("|")]
        for line in text.replace("\r\n", "\n").split("\n")
        if line.strip()
    ]


def parse_settings(
    values: dict[str, Any], *, zone: tzinfo
) -> tuple[QuizSettings | None, dict[str, str]]:
    errors: dict[str, str] = {}
    review_from = None
    if values.get("review_from"):
        try:
            local = datetime.strptime(values["review_from"], LOCAL_MINUTE)
            review_from = local.replace(tzinfo=zone)
        except ValueError:
            errors["review_from"] = N_("Enter a date and time.")
    questions = [
        {"code": parts[0], "points": parts[1] if len(parts) > 1 and parts[1] else 1}
        for parts in _lines(values.get("questions", ""))
    ]
    draws = []
    for parts in _lines(values.get("draws", "")):
        if len(parts) < 3:
            errors["draws"] = N_(
                "Write each draw as: pool | value | count, such as tag | 迎客 | 3."
            )
            continue
        draws.append(
            {
                "pool": parts[0],
                "value": parts[1],
                "count": parts[2],
                "points": parts[3] if len(parts) > 3 and parts[3] else 1,
            }
        )
    data = {
        name: values.get(name)
        for name in QuizSettings.model_fields
        if name not in ("questions", "draws", "review_from")
    }
    for name in ("attempts_allowed", "time_limit_minutes"):
        data[name] = values.get(name) or None
    data.update(questions=questions, draws=draws, review_from=review_from)
    try:
        settings = QuizSettings.model_validate(data)
    except ValidationError as exc:
        errors = {**forms.errors_of(exc), **errors}
        return None, errors
    if errors:
        return None, errors
    return settings, {}
