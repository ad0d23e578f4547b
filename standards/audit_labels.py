"""How the standards library's entries in the audit trail read ("published version 3 of GRT-01")."""

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from standards.models import Standard, StandardVersion


def _standards(session: Session, codes: set[str]) -> dict[str, str]:
    # Standards are named by their code, which is what the trail stores.
    found = session.exec(select(Standard.code).where(col(Standard.code).in_(list(codes))))
    return {code: code for code in found}


def _versions(session: Session, ids: set[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit() and len(i) < 19]
    rows = session.exec(
        select(StandardVersion.id, Standard.code, StandardVersion.number)
        .join(Standard, col(Standard.id) == StandardVersion.standard_id)
        .where(col(StandardVersion.id).in_(numbers))
    )
    return {str(i): f"{code} v{number}" for i, code, number in rows}


audit_trail.name_targets("standard", _standards)
audit_trail.name_targets("standard_version", _versions)

audit_trail.describe_actions(
    {
        "standard.create": N_("created %(subject)s"),
        "standard.draft_update": N_("edited the draft of version %(version)s of %(subject)s"),
        "standard.draft_create": N_("started version %(version)s of %(subject)s"),
        "standard.publish": N_("published version %(version)s of %(subject)s"),
        "standard.retire": N_("retired %(subject)s (version %(version)s)"),
        "standard.draft_discard": N_("discarded the draft version %(version)s of %(subject)s"),
        "standard.acknowledge": N_("acknowledged %(subject)s"),
        "standard.remind": N_("sent a reminder to read %(subject)s"),
        "standards.import": N_("imported standards from a file"),
    }
)

audit_trail.describe_fields(
    {
        "effective_date": N_("Effective from"),
        "change_note": N_("Change note"),
        "fields": N_("Fields changed"),
        "reminded": N_("Reminded"),
    },
    lists=("fields",),
)
