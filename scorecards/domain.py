"""What the shell needs to know about scorecards: pages, the API, tables, commands, links."""

from typing import Any

from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from scorecards import labels
from scorecards.cli import api_tokens
from scorecards.families import AVAILABLE
from scorecards.views import router
from staff.models import Role


def _has_position(user: Any) -> bool:
    return user.position is not None


domain = Domain(
    name="scorecards",
    routers=(router,),
    model_modules=("scorecards.models",),
    cli_commands=(api_tokens,),
    nav=(
        # Scorecards are for front-line staff; HR and admins read theirs from Reports.
        NavEntry(
            label=N_("My scorecard"),
            href="/scorecards/me",
            order=60,
            current="exact",
            when=_has_position,
        ),
        NavEntry(
            label=N_("Scorecards"),
            menu="reports",
            href="/scorecards",
            order=70,
            roles=frozenset({Role.supervisor, Role.hr, Role.admin}),
            current="exact",
        ),
        NavEntry(
            label=N_("Composite weights"),
            href="/scorecards/weights",
            order=35,
            roles=frozenset({Role.hr, Role.admin}),
            menu="manage",
        ),
        NavEntry(
            label=N_("API tokens"),
            href="/admin/api-tokens",
            order=40,
            roles=frozenset({Role.admin}),
            menu="manage",
        ),
    ),
    # `scorecards.families`: the figure families whose domains report in this installation.
    template_globals={"families": AVAILABLE, "score": labels.score},
    stylesheets=("/static/css/scorecards.css",),
)
