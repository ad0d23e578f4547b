"""What a person sees after an irreversible step ("Version 2 of TRN-01 published")."""

from frontline import status
from frontline.i18n import N_

PUBLISHED = status.define(
    "training.published",
    N_("Version %(number)s of %(code)s published. New learners take this version."),
)
DISCARDED = status.define(
    "training.discarded", N_("The draft version %(number)s of %(code)s was discarded.")
)
DRAFT_STARTED = status.define(
    "training.draft_started",
    N_("Version %(number)s of %(code)s started as a draft, copied from the version before it."),
)
ARCHIVED = status.define(
    "training.archived",
    N_("%(code)s archived: nobody new takes it; completions and certificates stay."),
)
COMPLETED = status.define(
    "training.completed",
    N_("Module completed. Your certificate %(number)s is ready."),
)
REVOKED = status.define("training.certificate_revoked", N_("Certificate %(number)s revoked."))
IMAGE_UPLOADED = status.define(
    "training.image_uploaded",
    N_("Image uploaded. Put it in a lesson with: ![description](%(path)s)"),
)
