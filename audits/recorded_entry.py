"""One entry of a recorded-audits file as it is read: where each value is, the problems
found at their places, and the item results (pass / fail / na, occurrences, a note)."""

from dataclasses import dataclass, field
from typing import Any

from audits.models import Outcome, TemplateItem
from frontline.i18n import N_
from frontline.models import id_of
from standards.library_file.problems import short

OUTCOME_WORDS = {
    "pass": Outcome.passed,
    "合格": Outcome.passed,
    "通过": Outcome.passed,
    "fail": Outcome.failed,
    "不合格": Outcome.failed,
    "na": Outcome.na,
    "n/a": Outcome.na,
    "不适用": Outcome.na,
}


@dataclass
class Place:
    """Where an entry or value is in the file: a line, or a row (and column) of a sheet."""

    line: int
    column: str = ""

    def at(self, column: str) -> "Place":
        return Place(self.line, column)


@dataclass
class EntryProblem:
    place: Place
    message: str  # a msgid
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Any = None) -> str:
        text = gettext(self.message) if gettext else self.message
        return text % self.params if self.params else text


@dataclass
class Answer:
    outcome: Outcome
    occurrences: int = 0
    note: str = ""


class Entry:
    """Reading one entry's values, noting each problem at its place."""

    def __init__(
        self,
        raw: dict[str, Any],
        place: Place,
        places: dict[str, Place],
        problems: list[EntryProblem],
    ) -> None:
        self.raw, self.place, self.places, self.problems = raw, place, places, problems
        self.failed = False

    def where(self, key: str) -> Place:
        return self.places.get(key, self.place.at(key))

    def problem(self, key: str, message: str, **params: Any) -> None:
        self.failed = True
        self.problems.append(EntryProblem(self.where(key), message, params))

    def text(self, key: str, *, required: bool = False, limit: int = 64) -> str:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, N_("%(name)s is missing."), name=key)
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.problem(
                key, N_("%(name)s is longer than %(max)s characters."), name=key, max=limit
            )
        return text

    def choice(self, key: str, enum: Any, *, required: bool) -> Any:
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.problem(
                key,
                N_("%(name)s must be one of %(allowed)s (not %(value)s)."),
                name=key,
                allowed=allowed,
                value=short(value),
            )
            return None

    def whole(self, key: str, low: int, high: int) -> int | None:
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            self.problem(
                key,
                N_("%(name)s must be a whole number from %(low)s to %(high)s."),
                name=key,
                low=low,
                high=high,
            )
            return None
        return number


def answers_of(entry: Entry, items: list[TemplateItem]) -> dict[int, Answer]:
    results = entry.raw.get("results")
    if not isinstance(results, dict):
        entry.problem("results", N_("results must map each item code to pass, fail or na."))
        return {}
    by_code = {item.code: item for item in items}
    for code in results:
        if code not in by_code:
            entry.problem(
                str(code), N_("%(code)s is not an item of this template version."), code=short(code)
            )
    missing = [item.code for item in items if item.code not in results]
    if missing:
        entry.problem("results", N_("Results are missing for %(codes)s."), codes=", ".join(missing))
    answers: dict[int, Answer] = {}
    for item in items:
        if item.code not in results:
            continue
        answer = _answer(entry, item, results[item.code])
        if answer is not None:
            answers[id_of(item)] = answer
    return answers


def _answer(entry: Entry, item: TemplateItem, value: Any) -> Answer | None:
    note = ""
    occurrences = 0
    if isinstance(value, dict):
        note = str(value.get("note") or "").strip()
        keys = [k for k in value if k != "note"]
        if len(keys) != 1:
            entry.problem(
                item.code,
                N_("%(code)s: give one of pass, fail or na (with an optional note)."),
                code=item.code,
            )
            return None
        word, count = str(keys[0]), value[keys[0]]
        if word == "fail" and count not in (None, True):
            try:
                occurrences = int(count)
            except (TypeError, ValueError):
                occurrences = -1
            if not 0 < occurrences <= 100:
                entry.problem(
                    item.code,
                    N_("%(code)s: the number of occurrences must be from 1 to 100."),
                    code=item.code,
                )
                return None
    else:
        word = "" if value is None else str(value)
    outcome = OUTCOME_WORDS.get(word.strip().lower())
    if outcome is None:
        entry.problem(
            item.code,
            N_("%(code)s: %(value)s is not pass, fail or na."),
            code=item.code,
            value=short(word),
        )
        return None
    if outcome == Outcome.na and not item.na_allowed:
        entry.problem(item.code, N_("%(code)s may not be N/A."), code=item.code)
    if occurrences and item.per_occurrence is None:
        entry.problem(item.code, N_("%(code)s is not counted per occurrence."), code=item.code)
    if len(note) > 1000:
        entry.problem(
            item.code, N_("%(code)s: the note is longer than 1000 characters."), code=item.code
        )
    if outcome == Outcome.failed and item.per_occurrence is not None:
        occurrences = max(occurrences, 1)
    return Answer(outcome, occurrences, note[:1000])
