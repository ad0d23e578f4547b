"""The validated content of a question version, shared by the form, YAML and spreadsheet import.

Each type has its own rule for options and the key: a single, script-choice or true/false
question has exactly one right option; a multiple-choice question at least one; an ordering
question's key is every option in the authored order; a script response has no options and is
graded against the phrases of the standard it tests.
"""

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from frontline.i18n import N_
from quizzes.models import Difficulty, QuestionType

OPTION_KEYS = ("A", "B", "C", "D", "E", "F", "G", "H")
TRUE_FALSE_OPTIONS = (
    {"key": "T", "zh": "正确", "en": "True"},
    {"key": "F", "zh": "错误", "en": "False"},
)
QUESTION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
STANDARD_CODE = re.compile(r"^[A-Z]{2,6}-\d{2,4}$")
TAG = re.compile(r"^[^\s,，、;；]{1,64}$")
MAX_TAGS = 10

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10000)]
RequiredText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)
]
OptionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OptionContent(Strict):
    key: str
    zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    en: OptionText = ""
    feedback_zh: OptionText = ""
    feedback_en: OptionText = ""


class QuestionContent(Strict):
    """What a question version says, checked for its type. Phrases come from the standard."""

    type: QuestionType
    stem_zh: RequiredText
    stem_en: Text = ""
    explanation_zh: Text = ""
    explanation_en: Text = ""
    options: list[OptionContent] = Field(default_factory=list, max_length=len(OPTION_KEYS))
    correct: list[str] = Field(default_factory=list)
    standard_code: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
    difficulty: Difficulty = Difficulty.medium
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""

    @model_validator(mode="before")
    @classmethod
    def _true_false_options(cls, data: Any) -> Any:
        """True/false questions always have the same two options; authors pick the key."""
        if isinstance(data, dict) and data.get("type") == QuestionType.true_false.value:
            given = {o.get("key"): o for o in data.get("options") or [] if isinstance(o, dict)}
            data = dict(data)
            data["options"] = [
                {
                    **base,
                    "feedback_zh": (given.get(base["key"]) or {}).get("feedback_zh", ""),
                    "feedback_en": (given.get(base["key"]) or {}).get("feedback_en", ""),
                }
                for base in TRUE_FALSE_OPTIONS
            ]
        return data

    @model_validator(mode="after")
    def _fits_its_type(self) -> "QuestionContent":
        _check_codes(self)
        if self.type == QuestionType.script_response:
            if self.options or self.correct:
                raise ValueError(N_("A script response has no options; leave them empty."))
            if not self.standard_code:
                raise ValueError(
                    N_("A script response is graded against a standard: choose the standard.")
                )
            return self
        _check_options(self)
        return self

    def as_stored(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _check_codes(content: QuestionContent) -> None:
    if content.standard_code is not None and not STANDARD_CODE.match(content.standard_code):
        raise ValueError(N_("The standard code is not in the form GRT-01."))
    for tag in content.tags:
        if not TAG.match(tag):
            raise ValueError(N_("A tag is one word of at most 64 characters, without commas."))
    if len(set(content.tags)) != len(content.tags):
        raise ValueError(N_("Each tag may appear only once."))


def _check_options(content: QuestionContent) -> None:
    keys = [o.key for o in content.options]
    if content.type != QuestionType.true_false and keys != list(OPTION_KEYS[: len(keys)]):
        raise ValueError(N_("Options are lettered A, B, C… in order, each letter once."))
    if len(keys) < 2:
        raise ValueError(N_("Write at least two options."))
    unknown = [k for k in content.correct if k not in keys]
    if unknown or len(set(content.correct)) != len(content.correct):
        raise ValueError(N_("The answer names an option that does not exist, or one twice."))
    if content.type == QuestionType.ordering:
        if content.correct and content.correct != keys:
            raise ValueError(N_("An ordering question's answer is its options, in order."))
        content.correct = list(keys)
        return
    if content.type == QuestionType.multiple:
        if not content.correct:
            raise ValueError(N_("Mark at least one right option."))
        return
    if len(content.correct) != 1:
        raise ValueError(N_("Mark exactly one right option."))


def parse_tags(text: str) -> list[str]:
    """Tags typed in one box: separated by commas (either width), 、 or spaces."""
    parts = re.split(r"[\s,，、;；]+", text.strip())
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return seen
