"""What the shell needs to know about training: pages, tables, header links, labels its
templates read as `training.*`, and the staff and standards events it follows."""

from frontline.domains import Domain, NavEntry
from frontline.events import subscription
from frontline.i18n import N_
from frontline.web import kept_fragment
from staff.events import PersonJoined, PersonMoved
from staff.models import Role
from standards.events import StandardVersionPublished
from training import assignments_events, dashboard_panels, demo, refreshers, views
from training.assignments_views import router as assignments_router
from training.certificates import VALIDITY_LABELS
from training.cli import training as training_group
from training.dashboard_views import router as dashboard_router
from training.enrollment import STATUS_LABELS as ENROLLMENT_STATUS_LABELS
from training.models import REFRESHER_POLICY_LABELS, STATUS_LABELS
from training.refreshers_views import router as refreshers_router

domain = Domain(
    name="training",
    # Fixed paths (/training/dashboard, /training/assignments) before T1's /training/{code}.
    routers=(dashboard_router, assignments_router, refreshers_router, views.router),
    model_modules=("training.models",),
    demo=demo.load,
    cli_commands=(training_group,),
    nav=(
        NavEntry(label=N_("My training"), href="/training", order=25, current="exact"),
        NavEntry(
            label=N_("Training modules"),
            menu="content",
            href="/training/modules",
            order=26,
            roles=frozenset({Role.author, Role.admin}),
        ),
        NavEntry(
            label=N_("Training status"),
            menu="reports",
            href="/training/dashboard",
            order=40,
            roles=frozenset({Role.supervisor, Role.hr, Role.admin}),
        ),
    ),
    home_panels=(dashboard_panels.due_soon_panel, dashboard_panels.overdue_panel),
    person_panels=(dashboard_panels.person_training_panel,),
    template_globals={
        "status_labels": STATUS_LABELS,
        "enrollment_status_labels": ENROLLMENT_STATUS_LABELS,
        "refresher_policy_labels": REFRESHER_POLICY_LABELS,
        "validity_labels": VALIDITY_LABELS,
        "my_card": kept_fragment("training/_my_card.html"),
    },
    stylesheets=("/static/css/training.css", "/static/css/training_dashboard.css"),
    subscriptions=(
        subscription(PersonJoined, assignments_events.on_person_joined),
        subscription(PersonMoved, assignments_events.on_person_moved),
        subscription(StandardVersionPublished, refreshers.on_standard_version_published),
    ),
)
