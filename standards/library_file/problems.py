"""Translatable messages about a library file, rendered in the reader's language when shown.

A message is a msgid marked with N_() plus parameters, like staff.roster.RowError; a parameter
may itself be a message (a field path, a type name), translated along with it. User values go
in only through `short()`, so an error never echoes a huge value back.
"""

import reprlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontline.i18n import N_

Gettext = Callable[[str], str]
# An alias-expanded or pasted value can be megabytes; an error shows only its start.
SHORT_VALUE_CHARS = 40
# The most problems a page or the command line lists; the rest are counted.
MAX_SHOWN = 100


def _english(message: str) -> str:
    return message


@dataclass(frozen=True)
class Msg:
    """A msgid and its parameters; a tuple parameter is a list, joined with commas."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Gettext = _english) -> str:
        values = {name: render_value(value, gettext) for name, value in self.params.items()}
        translated = gettext(self.text)
        return translated % values if values else translated


def msg(text: str, **params: Any) -> Msg:
    return Msg(text, params)


def render_value(value: Any, gettext: Gettext = _english) -> Any:
    if isinstance(value, Msg):
        return value.render(gettext)
    if isinstance(value, tuple):
        return ", ".join(str(render_value(part, gettext)) for part in value)
    return value


_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxdict, _repr.maxlist, _repr.maxstring = 2, 3, 3, SHORT_VALUE_CHARS


def short(value: Any, limit: int = SHORT_VALUE_CHARS) -> str:
    """A user's value for an error message: one line, at most `limit` characters."""
    # reprlib stops early, so a huge list is never written out in full first.
    text = value[: limit * 4] if isinstance(value, str) else _repr.repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class ImportProblem:
    """Something wrong with the file, at a line (1-based) of it; 0 means the whole file."""

    line: int
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Gettext = _english) -> str:
        return Msg(self.msgid, self.params).render(gettext)

    @property
    def message(self) -> str:
        """In English, as the command line prints it."""
        return self.render()

    text = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def problem(line: int, message: str, **params: Any) -> ImportProblem:
    return ImportProblem(line, message, params)


def shown(problems: Sequence[ImportProblem]) -> tuple[list[ImportProblem], int]:
    """The problems to list and how many more there are."""
    return list(problems[:MAX_SHOWN]), max(0, len(problems) - MAX_SHOWN)


MORE_PROBLEMS = N_("…and %(count)s more problems not listed.")


def file_problems(file: object, problems: Sequence[ImportProblem]) -> Exception:
    """The command line's refusal of a file (frontline.commands.FileProblems): each listed
    problem as `FILE:LINE: reason`, then a line counting those not listed."""
    from frontline.commands import FileProblems

    listed, more = shown(problems)
    lines = [f"{file}:{problem.line}: {problem.text}" for problem in listed]
    if more:
        lines.append(MORE_PROBLEMS % {"count": more})
    return FileProblems(lines, len(problems))
