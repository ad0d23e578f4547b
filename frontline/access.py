"""Every route declares who may use it, with one of the dependencies marked here.

A test walks all routes and fails on any without a declared rule, so a new page cannot be
added open by accident.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Depends

RULE_ATTR = "__access_rule__"
F = TypeVar("F", bound=Callable[..., Any])


def access_rule(description: str) -> Callable[[F], F]:
    def mark(func: F) -> F:
        setattr(func, RULE_ATTR, description)
        return func

    return mark


@access_rule("public")
def _public() -> None:
    """Open to anyone, signed in or not."""


public = Depends(_public)


def rule_of(func: object) -> str | None:
    return getattr(func, RULE_ATTR, None)
