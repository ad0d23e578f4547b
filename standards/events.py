"""Facts standards announces (frontline.events); higher domains subscribe in their domain.py."""

from dataclasses import dataclass

from frontline.events import Event


@dataclass(frozen=True, kw_only=True)
class StandardVersionPublished(Event):
    """A draft became the version in force (training flags refreshers on it)."""

    standard_id: int
    version_id: int
    code: str
    number: int
