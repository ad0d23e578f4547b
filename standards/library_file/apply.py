"""Carrying out an import plan through the standards service, in the caller's transaction."""

from sqlmodel import Session

from frontline import audit_trail
from frontline.db import lock_fresh
from frontline.i18n import N_
from standards import service
from standards.library_file.file_format import StandardSpec
from standards.library_file.plan import Action, ImportPlan, StandardPlan, plan_import
from standards.models import VersionStatus
from standards.schemas import VersionContent


class ImportRefused(service.StandardsError):
    """apply_import was given a plan with errors; nothing was applied."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(N_("The file has errors; nothing was imported."))
        self.plan = plan


def apply_import(
    session: Session, *, plan: ImportPlan, actor_id: int | None, ip: str = "", again: bool = True
) -> ImportPlan:
    """Carry out an import in the caller's transaction; returns the plan that was applied.

    The plan is worked out again from its specs in this session, so a plan shown earlier
    cannot apply stale decisions. Raises ImportRefused, writing nothing, if there are errors.
    A standard another request created meanwhile (the same file applied twice at once) makes
    it plan again, from what is there now.
    """
    if plan.errors:
        raise ImportRefused(plan)
    plan = plan_import(session, specs=plan.specs)
    if plan.errors:
        raise ImportRefused(plan)
    try:
        with session.begin_nested():
            for item in plan.standards:
                if item.action == Action.create:
                    assert item.spec is not None
                    _create(session, item.spec, actor_id, ip)
                elif item.action in (Action.update_draft, Action.new_draft):
                    _write_draft(session, item, actor_id, ip)
    except service.CodeTaken:
        if not again:
            raise
        return apply_import(session, plan=plan, actor_id=actor_id, ip=ip, again=False)
    audit_trail.record(
        session,
        action="standards.import",
        actor_id=actor_id,
        target_type="standard",
        detail=plan.totals,
        ip=ip,
    )
    return plan


def _write_draft(session: Session, item: StandardPlan, actor_id: int | None, ip: str) -> None:
    """Give the standard's draft the file's content, starting a draft if it has none."""
    assert item.draft_content is not None
    standard = service.get_by_code(session, code=item.code)
    assert standard is not None
    content = VersionContent.model_validate(item.draft_content)
    lock_fresh(session, standard)  # a draft started meanwhile by another request is edited
    draft = service.draft_of(session, standard=standard)
    if draft is None:
        service.new_draft(session, standard=standard, content=content, actor_id=actor_id, ip=ip)
    else:
        service.update_draft(
            session, standard=standard, version=draft, content=content, actor_id=actor_id, ip=ip
        )


def _create(session: Session, spec: StandardSpec, actor_id: int | None, ip: str) -> None:
    """A standard new to the database, with its whole history as the file tells it."""
    first = spec.versions[0]
    standard, version = service.create_standard(
        session,
        code=spec.code,
        kind=spec.kind,
        content=VersionContent.model_validate(first.content),
        actor_id=actor_id,
        ip=ip,
    )
    for file_version in spec.versions:
        if file_version.number > 1:
            version = service.new_draft(
                session,
                standard=standard,
                content=VersionContent.model_validate(file_version.content),
                actor_id=actor_id,
                ip=ip,
            )
        if file_version.status == VersionStatus.draft:
            continue
        assert file_version.effective_date is not None and file_version.change_note is not None
        service.publish(
            session,
            standard=standard,
            version=version,
            effective_date=file_version.effective_date,
            change_note=file_version.change_note,
            actor_id=actor_id,
            ip=ip,
        )
        if file_version.status == VersionStatus.retired:
            service.retire(
                session,
                standard=standard,
                change_note=file_version.change_note,
                actor_id=actor_id,
                ip=ip,
            )
