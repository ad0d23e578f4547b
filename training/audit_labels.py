"""How training's entries in the audit trail read ("published version 2 of TRN-CTR-01")."""

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from training.models import Module


def _modules(session: Session, codes: set[str]) -> dict[str, str]:
    # Modules are named by their code, which is what the trail stores.
    found = session.exec(select(Module.code).where(col(Module.code).in_(list(codes))))
    return {code: code for code in found}


audit_trail.name_targets("training_module", _modules)

audit_trail.describe_actions(
    {
        "training.module_create": N_("created the training module %(subject)s"),
        "training.draft_update": N_("edited the draft of version %(version)s of %(subject)s"),
        "training.draft_create": N_("started version %(version)s of %(subject)s"),
        "training.draft_discard": N_("discarded the draft version %(version)s of %(subject)s"),
        "training.lesson_add": N_("added lesson %(lesson)s to version %(version)s of %(subject)s"),
        "training.lesson_update": N_(
            "edited lesson %(lesson)s of version %(version)s of %(subject)s"
        ),
        "training.lesson_delete": N_(
            "deleted lesson %(lesson)s of version %(version)s of %(subject)s"
        ),
        "training.lesson_move": N_("reordered the lessons of version %(version)s of %(subject)s"),
        "training.publish": N_("published version %(version)s of %(subject)s"),
        "training.archive": N_("archived %(subject)s"),
        "training.image_upload": N_("uploaded an image to %(subject)s"),
        "training.start": N_("started %(subject)s"),
        "training.start_again": N_("started %(subject)s again"),
        "training.complete": N_("completed %(subject)s (certificate %(certificate)s)"),
        "training.certificate_revoke": N_("revoked certificate %(certificate)s of %(subject)s"),
    }
)
