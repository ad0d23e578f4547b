"""What the shell needs to know about audits: pages, tables, header links, home and person
panels, and the labels its templates read as `audits.*`."""

from collections.abc import Sequence

from sqlmodel import Session

from audits import demo, demo_disputes, taking_panels, texts
from audits.actions_views import router as actions_router
from audits.cli import audits as audits_group
from audits.disputes_views import router as disputes_router
from audits.models import (
    ACTION_STATUS_LABELS,
    BUSINESS_TYPE_LABELS,
    CHANNEL_LABELS,
    DISPUTE_OUTCOME_LABELS,
    METHOD_LABELS,
    OUTCOME_LABELS,
)
from audits.recorded_views import router as recorded_router
from audits.saves_views import router as saves_router
from audits.submission_views import router as submission_router
from audits.taking_views import router as taking_router
from audits.templates_views import router as templates_router
from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from frontline.web import kept_fragment
from staff.models import Role


def load_demo(session: Session) -> Sequence[str]:
    """Templates and six months of audits (audits/demo.py); disputes and actions follow."""
    return [*demo.load(session), *demo_disputes.load(session)]


domain = Domain(
    name="audits",
    # Fixed paths (templates, imports) before /audits/{audit_id}.
    routers=(
        templates_router,
        recorded_router,
        disputes_router,
        actions_router,
        submission_router,
        saves_router,
        taking_router,
    ),
    cli_commands=(audits_group,),
    demo=load_demo,
    model_modules=("audits.models",),
    nav=(
        NavEntry(label=N_("Audits"), href="/audits", order=40),
        NavEntry(
            label=N_("Checklist templates"),
            menu="content",
            href="/audits/templates",
            order=45,
            roles=frozenset({Role.author, Role.admin}),
        ),
        NavEntry(
            label=N_("Recorded audits"),
            href="/audits/recorded",
            order=46,
            roles=frozenset({Role.hr, Role.admin}),
            menu="manage",
        ),
    ),
    home_panels=(taking_panels.audits_panel,),
    person_panels=(taking_panels.person_audits_panel,),
    template_globals={
        "method_labels": METHOD_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "business_type_labels": BUSINESS_TYPE_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "dispute_outcome_labels": DISPUTE_OUTCOME_LABELS,
        "action_status_labels": ACTION_STATUS_LABELS,
        "pick": texts.pick,
        "item_points": texts.item_points,
        "score_text": texts.score_text,
        "list_row": kept_fragment("audits/_list_row.html"),
        "result_cells": kept_fragment("audits/_result_cells.html"),
        "item_body": kept_fragment("audits/_item_body.html"),
    },
    stylesheets=("/static/css/audit_taking.css", "/static/css/audit_templates.css"),
)
