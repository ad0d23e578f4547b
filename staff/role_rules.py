"""Who may give which role, and so whose accounts one may change: the rule every write that
creates or changes a person checks (staff.service re-exports it for its callers)."""

import dataclasses
from typing import Any

from frontline.i18n import N_
from staff.models import Person, Role

# The roles each role may give, and so the accounts it may change: HR manages staff below
# itself; only an administrator grants or removes HR or administrator, or touches their
# accounts. The functions that create or change a person check it themselves for the role the
# caller acts as (people pages, roster import), so no path grants more than this table.
ASSIGNABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.admin: frozenset(Role),
    Role.hr: frozenset({Role.employee, Role.supervisor, Role.author}),
}


@dataclasses.dataclass
class RoleChangeRefused(Exception):
    """A change the actor may not make; `message` is a msgid, `params` fill it."""

    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def check_may_assign(
    *,
    actor_role: Role,
    actor_id: int | None,
    person: Person | None,
    new_role: Role,
    active: bool = True,
) -> None:
    """Raise RoleChangeRefused unless the actor may create or change `person` (None: a new
    person) to hold `new_role` and this active state. Ask it only when something changes."""
    allowed = ASSIGNABLE_ROLES.get(actor_role, frozenset())
    if person is not None and person.role not in allowed:
        raise RoleChangeRefused(
            N_("Only an administrator can change the account of %(no)s (role: %(role)s)."),
            {"no": person.employee_no, "role": person.role.value},
        )
    if new_role not in allowed:
        raise RoleChangeRefused(
            N_("Only an administrator can give the role %(role)s."), {"role": new_role.value}
        )
    if person is not None and person.id == actor_id and (new_role != person.role or not active):
        raise RoleChangeRefused(
            N_("You cannot remove your own administrator role or deactivate yourself.")
        )


def check_allowed(
    acting_as: Role | None,
    actor_id: int | None,
    *,
    person: Person | None,
    new_role: Role,
    active: bool,
) -> None:
    if acting_as is not None:
        check_may_assign(
            actor_role=acting_as, actor_id=actor_id, person=person, new_role=new_role, active=active
        )
