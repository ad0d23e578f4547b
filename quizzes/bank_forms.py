"""The question form: one row of fields per option (A–H), empty rows left out."""

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from frontline import forms
from quizzes.bank_schemas import OPTION_KEYS, QuestionContent, parse_tags
from quizzes.models import QuestionType, QuestionVersion

TEXT_FIELDS = (
    "type",
    "stem_zh",
    "stem_en",
    "explanation_zh",
    "explanation_en",
    "standard_code",
    "tags",
    "difficulty",
    "category",
    "tf_answer",
)
OPTION_FIELDS = ("zh", "en", "feedback_zh", "feedback_en")


def submitted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in TEXT_FIELDS}
    values["options"] = [
        {
            "key": key,
            **{name: str(form.get(f"option_{key}_{name}", "")).strip() for name in OPTION_FIELDS},
            "correct": form.get(f"option_{key}_correct") == "on",
        }
        for key in OPTION_KEYS
    ]
    return values


def form_values(version: QuestionVersion | None, *, kind: QuestionType) -> dict[str, Any]:
    """What the form shows: a version's content, or an empty question of a type."""
    blank = {name: "" for name in OPTION_FIELDS}
    if version is None:
        values: dict[str, Any] = {name: "" for name in TEXT_FIELDS}
        values.update(type=kind.value, difficulty="medium", tf_answer="T")
        values["options"] = [{"key": key, **blank, "correct": False} for key in OPTION_KEYS]
        return values
    values = {
        "type": QuestionType(version.type).value,
        "stem_zh": version.stem_zh,
        "stem_en": version.stem_en,
        "explanation_zh": version.explanation_zh,
        "explanation_en": version.explanation_en,
        "standard_code": version.standard_code or "",
        "tags": ", ".join(version.tags),
        "difficulty": version.difficulty.value
        if hasattr(version.difficulty, "value")
        else version.difficulty,
        "category": version.category,
        "tf_answer": version.correct[0] if version.type == QuestionType.true_false else "T",
    }
    given = {o["key"]: o for o in version.options}
    values["options"] = [
        {
            "key": key,
            **{name: given.get(key, blank).get(name, "") for name in OPTION_FIELDS},
            "correct": key in version.correct,
        }
        for key in OPTION_KEYS
    ]
    return values


def parse_question(values: dict[str, Any]) -> tuple[QuestionContent | None, dict[str, str]]:
    """The content the form describes, or the errors to show beside its fields."""
    kind = values.get("type", "")
    rows = [o for o in values["options"] if any(o[name] for name in OPTION_FIELDS)]
    # Letters follow the rows that were filled in, so a gap in the form closes up.
    options = [
        {"key": OPTION_KEYS[i], **{name: row[name] for name in OPTION_FIELDS}}
        for i, row in enumerate(rows)
    ]
    correct = [OPTION_KEYS[i] for i, row in enumerate(rows) if row["correct"]]
    if kind == QuestionType.true_false.value:
        correct = [values.get("tf_answer") or "T"]
    elif kind == QuestionType.ordering.value:
        correct = []
    elif kind == QuestionType.script_response.value:
        options, correct = [], []
    data = {
        "type": kind,
        "stem_zh": values.get("stem_zh", ""),
        "stem_en": values.get("stem_en", ""),
        "explanation_zh": values.get("explanation_zh", ""),
        "explanation_en": values.get("explanation_en", ""),
        "options": options,
        "correct": correct,
        "standard_code": values.get("standard_code", "").strip().upper() or None,
        "tags": parse_tags(values.get("tags", "")),
        "difficulty": values.get("difficulty") or "medium",
        "category": values.get("category", ""),
    }
    try:
        return QuestionContent.model_validate(data), {}
    except ValidationError as exc:
        return None, forms.errors_of(exc)
