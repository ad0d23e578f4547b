"""What the shell needs to know about staff: pages, tables, commands, demo, header links."""

from collections.abc import Sequence

from sqlmodel import Session

from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from staff import cli, demo, passwords
from staff.models import POSITION_LABELS, ROLE_LABELS, Role
from staff.views import router

SUPERVISING = frozenset({Role.supervisor, Role.hr, Role.admin})


def load_demo(session: Session) -> Sequence[str]:
    logins = demo.load(session)
    lines = ["Every demo login uses the password " + demo.DEMO_PASSWORD]
    lines += [f"  {employee_no:<7} {role:<11} {name}" for employee_no, name, role in logins]
    return lines


domain = Domain(
    name="staff",
    routers=(router,),
    model_modules=("staff.models",),
    cli_commands=(cli.create_user, cli.import_staff),
    demo=load_demo,
    nav=(
        NavEntry(label=N_("Home"), href="/", order=0, current="exact"),
        NavEntry(label=N_("People"), href="/people", order=50, roles=SUPERVISING),
        NavEntry(
            label=N_("Roster import"),
            href="/people-import",
            order=10,
            roles=frozenset({Role.hr, Role.admin}),
            menu="manage",
        ),
        NavEntry(
            label=N_("Organisation"),
            href="/org",
            order=20,
            roles=frozenset({Role.admin}),
            menu="manage",
        ),
        NavEntry(
            label=N_("Audit trail"),
            href="/audit-trail",
            order=30,
            roles=frozenset({Role.admin}),
            menu="manage",
        ),
    ),
    template_globals={
        "role_labels": ROLE_LABELS,
        "position_labels": POSITION_LABELS,
        "password_policy": passwords.POLICY_TEXT,
    },
)
