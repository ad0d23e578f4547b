"""Facts staff announces (frontline.events); higher domains subscribe in their domain.py."""

from dataclasses import dataclass

from frontline.events import Event
from staff.models import Position


@dataclass(frozen=True, kw_only=True)
class PersonMoved(Event):
    """A person's position or team changed (what applies to them, and who supervises, may too)."""

    person_id: int
    old_position: Position | None
    new_position: Position | None
    old_team_id: int | None
    new_team_id: int | None


@dataclass(frozen=True, kw_only=True)
class PersonJoined(Event):
    """A person was created (by a page, the roster import or the CLI): training enrolls them."""

    person_id: int
    position: Position | None
    team_id: int | None
