"""What the shell needs to know about quizzes (filled in as the domain is built)."""

from typing import Any

from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from quizzes import demo, panels
from quizzes.analysis import FLAG_LABELS
from quizzes.bank_views import router as bank_router
from quizzes.builder_views import router as builder_router
from quizzes.cli import quizzes as quizzes_group
from quizzes.files.bank_import import ACTION_LABELS
from quizzes.import_views import router as import_router
from quizzes.models import (
    CLOSED_LABELS,
    DIFFICULTY_LABELS,
    LAYOUT_LABELS,
    POOL_LABELS,
    REVIEW_LABELS,
    SCORING_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
)
from quizzes.practice_views import router as practice_router
from quizzes.take_views import router as take_router
from staff.models import Role


def _has_position(user: Any) -> bool:
    return user.position is not None


domain = Domain(
    name="quizzes",
    model_modules=("quizzes.models",),
    cli_commands=(quizzes_group,),
    demo=demo.load,
    # Fixed paths (/quizzes/practice, /quizzes/daily, ...) before any /quizzes/{code}.
    # The import page's fixed paths before the bank's /quizzes/bank/{question_id}.
    routers=(take_router, practice_router, import_router, bank_router, builder_router),
    nav=(
        NavEntry(label=N_("Practice"), href="/quizzes/practice", order=40, when=_has_position),
        NavEntry(
            label=N_("Question bank"),
            menu="content",
            href="/quizzes/bank",
            order=45,
            roles=frozenset({Role.author, Role.admin}),
        ),
        NavEntry(
            label=N_("Quizzes"),
            menu="content",
            href="/quizzes/manage",
            order=46,
            roles=frozenset({Role.author, Role.supervisor, Role.hr, Role.admin}),
        ),
    ),
    home_panels=(panels.practice_panel,),
    template_globals={
        "type_labels": TYPE_LABELS,
        "scoring_labels": SCORING_LABELS,
        "closed_labels": CLOSED_LABELS,
        "difficulty_labels": DIFFICULTY_LABELS,
        "status_labels": STATUS_LABELS,
        "review_labels": REVIEW_LABELS,
        "layout_labels": LAYOUT_LABELS,
        "pool_labels": POOL_LABELS,
        "flag_labels": FLAG_LABELS,
        "action_labels": ACTION_LABELS,
    },
    stylesheets=("/static/css/quizzes-take.css", "/static/css/quizzes-authoring.css"),
)
