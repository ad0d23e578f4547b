"""What the shell needs to know about quizzes (filled in as the domain is built)."""

from typing import Any

from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from quizzes import panels
from quizzes.cli import quizzes as quizzes_group
from quizzes.models import CLOSED_LABELS, SCORING_LABELS, TYPE_LABELS
from quizzes.practice_views import router as practice_router
from quizzes.take_views import router as take_router


def _has_position(user: Any) -> bool:
    return user.position is not None


domain = Domain(
    name="quizzes",
    model_modules=("quizzes.models",),
    cli_commands=(quizzes_group,),
    # Fixed paths (/quizzes/practice, /quizzes/daily, ...) before any /quizzes/{code}.
    routers=(take_router, practice_router),
    nav=(NavEntry(label=N_("Practice"), href="/quizzes/practice", order=40, when=_has_position),),
    home_panels=(panels.practice_panel,),
    template_globals={
        "type_labels": TYPE_LABELS,
        "scoring_labels": SCORING_LABELS,
        "closed_labels": CLOSED_LABELS,
    },
    stylesheets=("/static/css/quizzes-take.css",),
)
