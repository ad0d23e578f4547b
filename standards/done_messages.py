"""What an author sees after an irreversible step ("Version 3 of GRT-01 published")."""

from frontline import status
from frontline.i18n import N_

PUBLISHED = status.define(
    "standard.published",
    N_(
        "Version %(number)s of %(code)s published. Everyone it applies to will find it in "
        "their list to acknowledge."
    ),
)
DISCARDED = status.define(
    "standard.discarded", N_("The draft version %(number)s of %(code)s was discarded.")
)
DRAFT_STARTED = status.define(
    "standard.draft_started",
    N_("Version %(number)s of %(code)s started as a draft, copied from the version before it."),
)
RETIRED = status.define(
    "standard.retired", N_("%(code)s retired (version %(number)s): it is no longer in force.")
)
