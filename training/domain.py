"""What the shell needs to know about training (filled in as the domain is built)."""

from frontline.domains import Domain
from frontline.events import subscription
from staff.events import PersonJoined, PersonMoved
from standards.events import StandardVersionPublished
from training import assignments, refreshers

domain = Domain(
    name="training",
    model_modules=("training.models",),
    subscriptions=(
        subscription(PersonJoined, assignments.on_person_joined),
        subscription(PersonMoved, assignments.on_person_moved),
        subscription(StandardVersionPublished, refreshers.on_standard_version_published),
    ),
)
