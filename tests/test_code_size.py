"""Modules stay small enough to read in one sitting, functions small enough to hold in one's head.

Over the packages the project ships (the shell and every domain, as pyproject.toml lists them),
so a new domain is measured from its first commit. A function is measured in lines of code:
its docstring, blank lines and comment-only lines are not counted, so explaining why never
pushes a function over.
"""

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# (path, function name) -> why it may be longer. Keep this short: only where splitting hurts or
# the function is being taken apart anyway; remove an entry once it fits.
LONG_FUNCTIONS: dict[tuple[str, str], str] = {}
Function = ast.FunctionDef | ast.AsyncFunctionDef


def shipped_packages() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["setuptools"]["packages"])


def modules() -> list[Path]:
    return sorted(p for package in shipped_packages() for p in (ROOT / package).rglob("*.py"))


def _docstring_lines(function: Function) -> set[int]:
    first = function.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return set(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return set()


def function_sizes(source: str) -> Iterator[tuple[str, int, int]]:
    """(name, first line, lines of code) of every function and method, nested ones too."""
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        skipped = _docstring_lines(node)
        code = [
            number
            for number in range(node.lineno, (node.end_lineno or node.lineno) + 1)
            if number not in skipped
            and lines[number - 1].strip()
            and not lines[number - 1].strip().startswith("#")
        ]
        yield node.name, node.lineno, len(code)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_shell_and_the_domains_are_measured():
    measured = {_relative(p).split("/")[0] for p in modules()}
    assert {"frontline", "staff", "standards"} <= measured


def test_no_module_is_over_500_lines():
    long = {}
    for path in modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_MODULE_LINES:
            long[_relative(path)] = count
    assert long == {}, "split these modules by concern"


def test_no_function_is_over_60_lines_of_code():
    long = {}
    for path in modules():
        for name, line, size in function_sizes(path.read_text(encoding="utf-8")):
            key = (_relative(path), name)
            if size > MAX_FUNCTION_LINES and key not in LONG_FUNCTIONS:
                long[f"{key[0]}:{line} {name}"] = size
    assert long == {}, "split these functions; name the parts for what they hold"


def test_every_exception_is_still_needed():
    sizes = {
        (_relative(path), name): size
        for path in modules()
        for name, _line, size in function_sizes(path.read_text(encoding="utf-8"))
    }
    stale = [key for key in LONG_FUNCTIONS if sizes.get(key, 0) <= MAX_FUNCTION_LINES]
    assert stale == [], "these fit now: remove them from LONG_FUNCTIONS"


@pytest.mark.parametrize(("body_lines", "too_long"), [(60, False), (61, True)])
def test_the_measure_counts_code_not_explanations(body_lines, too_long):
    """The check can fail: a docstring, comments and blank lines do not count, code does."""
    body = "\n".join(f"    x{i} = {i}" for i in range(body_lines - 2))
    source = (
        "def f():\n"
        '    """Why this exists.\n\n    More about why.\n    """\n'
        "    # a comment\n\n"
        f"{body}\n"
        "    return x0\n"
    )
    ((name, line, size),) = list(function_sizes(source))
    assert (name, line) == ("f", 1)
    assert (size > MAX_FUNCTION_LINES) is too_long
