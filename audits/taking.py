"""Starting an audit and reading it back: who may audit whom, the checklist of a draft.

A draft gets one result row per item of its template version when it starts, so every tap
afterwards is a single conditional UPDATE of one row (audits/saves.py).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, insert
from sqlmodel import Session, col, delete, select

from audits.models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    BusinessType,
    Channel,
    ItemResult,
    Method,
    Subject,
    TemplateItem,
    TemplateSection,
    TemplateStatus,
    TemplateVersion,
)
from frontline import audit_trail
from frontline.db import insert_once
from frontline.i18n import N_
from frontline.models import id_of
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Branch, Person, Role, Team


class StartRefused(Exception):
    """The audit cannot be started so; `field` is the form field at fault, `message` a msgid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# ---- reading ----------------------------------------------------------------------------------


def get_audit(
    session: Session, *, audit_id: int, lock: Literal["share", "update"] | None = None
) -> Audit | None:
    """The audit; `lock` takes a row lock on PostgreSQL (SQLite's writers queue anyway):
    saves share it, a submit takes it alone, so it waits for the saves in flight."""
    query = select(Audit).where(Audit.id == audit_id)
    if lock is not None:
        query = query.with_for_update(read=lock == "share")
    return session.exec(query).first()


# Asked by a supervisor's home page and lists: built once with an expanding parameter.
_BRANCHES_OF_TEAMS = select(Team.branch_id).where(
    col(Team.id).in_(bindparam("team_ids", expanding=True))
)


def branch_ids_of_teams(session: Session, *, team_ids: list[int]) -> set[int]:
    if not team_ids:
        return set()
    return set(session.exec(_BRANCHES_OF_TEAMS, params={"team_ids": list(team_ids)}))


def may_view(session: Session, *, audit: Audit, viewer: Person) -> bool:
    """Drafts: their auditor only. Submitted: the employee audited, the auditor, supervisors
    of the team (or branch, for a branch-subject audit), HR and admin."""
    if audit.auditor_id == viewer.id:
        return True
    if audit.status == AuditStatus.draft:
        return False
    if viewer.role in (Role.hr, Role.admin):
        return True
    if audit.subject_person_id is not None and audit.subject_person_id == viewer.id:
        return True
    if viewer.role != Role.supervisor:
        return False
    team_ids = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
    if audit.subject_person_id is not None:
        return audit.team_id in team_ids
    return audit.branch_id in branch_ids_of_teams(session, team_ids=team_ids)


def published_templates(
    session: Session, *, subject: Subject | None = None
) -> list[tuple[AuditTemplate, TemplateVersion]]:
    """Templates with a version in force, by code."""
    query = (
        select(AuditTemplate, TemplateVersion)
        .join(TemplateVersion, col(TemplateVersion.id) == AuditTemplate.current_version_id)
        .where(TemplateVersion.status == TemplateStatus.published)
        .order_by(col(AuditTemplate.code))
    )
    if subject is not None:
        query = query.where(AuditTemplate.subject == subject)
    return list(session.exec(query).all())


def template_in_force(
    session: Session, *, code: str
) -> tuple[AuditTemplate, TemplateVersion] | None:
    for template, version in published_templates(session):
        if template.code == code:
            return template, version
    return None


def auditable_people(session: Session, *, auditor: Person) -> list[Person]:
    """Active people in the teams the auditor supervises (everyone for an admin)."""
    team_ids = staff_service.visible_team_ids(session, person=auditor)
    query = select(Person).where(col(Person.active).is_(True), col(Person.team_id).is_not(None))
    if team_ids is not None:
        query = query.where(col(Person.team_id).in_(team_ids))
    query = query.where(Person.id != auditor.id).order_by(col(Person.employee_no))
    return list(session.exec(query))


def auditable_branches(session: Session, *, auditor: Person) -> list[Branch]:
    team_ids = staff_service.visible_team_ids(session, person=auditor)
    branches = staff_units.list_branches(session, include_inactive=False)
    if team_ids is None:
        return branches
    mine = branch_ids_of_teams(session, team_ids=team_ids)
    return [b for b in branches if b.id in mine]


# ---- the checklist of one template version -------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    id: int
    code: str
    position: int
    text_zh: str
    text_en: str
    guidance_zh: str
    guidance_en: str
    standard_code: str | None
    veto_check_zh: str
    veto_check_en: str
    na_allowed: bool
    veto: bool
    points: float
    per_occurrence: float | None

    @property
    def max_occurrences(self) -> int:
        """Occurrences beyond which nothing more is deducted (the cap is the item's points)."""
        if not self.per_occurrence:
            return 0
        return max(1, -int(-self.points // self.per_occurrence))


@dataclass(frozen=True)
class ChecklistSection:
    id: int
    title_zh: str
    title_en: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Checklist:
    version_id: int
    scoring: str
    sections: tuple[ChecklistSection, ...]
    # What an audit's heading shows: fixed for a template's life (code) and a version's.
    template_code: str
    title_zh: str
    title_en: str

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]


def _load_checklist(session: Session, version: TemplateVersion) -> Checklist:
    sections = session.exec(
        select(TemplateSection)
        .where(TemplateSection.version_id == version.id)
        .order_by(col(TemplateSection.position))
    ).all()
    items = session.exec(
        select(TemplateItem)
        .where(TemplateItem.version_id == version.id)
        .order_by(col(TemplateItem.position))
    ).all()
    fields = ChecklistItem.__dataclass_fields__
    template = session.get(AuditTemplate, version.template_id)
    assert template is not None, "a version's template exists"
    return Checklist(
        version_id=id_of(version),
        scoring=version.scoring.value,
        template_code=template.code,
        title_zh=version.title_zh,
        title_en=version.title_en,
        sections=tuple(
            ChecklistSection(
                id=id_of(section),
                title_zh=section.title_zh,
                title_en=section.title_en,
                items=tuple(
                    ChecklistItem(**{name: getattr(item, name) for name in fields})
                    for item in items
                    if item.section_id == section.id
                ),
            )
            for section in sections
        ),
    )


# Published versions by (database, version id): immutable, so never stale.
_CHECKLISTS: dict[tuple[str, int], Checklist] = {}
_CACHE_LIMIT = 256


def checklist_of(session: Session, *, version_id: int) -> Checklist:
    """A template version's sections and items. A published version never changes, so it is
    read once per worker (a tap's running score needs it on every save); drafts are not."""
    key = (str(session.get_bind().engine.url), version_id)
    cached = _CHECKLISTS.get(key)
    if cached is not None:
        return cached
    version = session.get(TemplateVersion, version_id)
    assert version is not None, "an audit's template version exists"
    checklist = _load_checklist(session, version)
    if version.status != TemplateStatus.draft:
        if len(_CHECKLISTS) >= _CACHE_LIMIT:
            _CHECKLISTS.clear()
        _CHECKLISTS[key] = checklist
    return checklist


# ---- starting ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AuditHeader:
    """What the start form asks besides the template and the subject."""

    method: Method
    observed_at: datetime
    # What the form leaves optional.
    channel: Channel | None = None
    business_type: BusinessType | None = None
    wait_minutes: int | None = None
    satisfaction: int | None = None
    notes: str = ""


def find_started(session: Session, *, start_key: str) -> Audit | None:
    return session.exec(select(Audit).where(Audit.start_key == start_key)).first()


def _subject_scope(
    session: Session,
    *,
    auditor: Person,
    subject: Subject,
    person_id: int | None,
    branch_id: int | None,
) -> tuple[int | None, int | None, int | None]:
    """(person, team, branch) of the subject if the auditor may audit it, else StartRefused."""
    if subject == Subject.employee:
        allowed = {p.id: p for p in auditable_people(session, auditor=auditor)}
        person = allowed.get(person_id) if person_id else None
        if person is None or person.team_id is None:
            raise StartRefused("person_id", N_("Choose someone from your teams."))
        team = staff_units.get_team(session, team_id=person.team_id)
        assert team is not None
        return id_of(person), id_of(team), team.branch_id
    branches = {b.id for b in auditable_branches(session, auditor=auditor)}
    if branch_id is None or branch_id not in branches:
        raise StartRefused("branch_id", N_("Choose one of your branches."))
    return None, None, branch_id


def start_audit(
    session: Session,
    *,
    auditor: Person,
    template: AuditTemplate,
    version: TemplateVersion,
    person_id: int | None,
    branch_id: int | None,
    header: AuditHeader,
    start_key: str,
    ip: str = "",
) -> Audit:
    """A new draft with an empty result row per item; the same start key again returns the
    draft it made (a double-tapped or retried start)."""
    existing = find_started(session, start_key=start_key)
    if existing is not None and existing.auditor_id == auditor.id:
        return existing
    if existing is not None:
        raise StartRefused("start_key", N_("This form was already used. Start again."))
    if version.status != TemplateStatus.published or version.template_id != template.id:
        raise StartRefused("template", N_("This checklist is not in force."))
    subject_id, team_id, subject_branch = _subject_scope(
        session, auditor=auditor, subject=template.subject, person_id=person_id, branch_id=branch_id
    )
    audit = Audit(
        template_id=id_of(template),
        template_version_id=id_of(version),
        subject_person_id=subject_id,
        team_id=team_id,
        branch_id=subject_branch,
        auditor_id=id_of(auditor),
        start_key=start_key,
        method=header.method,
        channel=header.channel,
        business_type=header.business_type,
        observed_at=header.observed_at,
        wait_minutes=header.wait_minutes,
        satisfaction=header.satisfaction,
        notes=header.notes,
    )
    kept = insert_once(session, audit, lambda: find_started(session, start_key=start_key))
    if kept is not audit:  # the same start tapped twice at once: the first made it
        if kept.auditor_id != auditor.id:
            raise StartRefused("start_key", N_("This form was already used. Start again."))
        return kept
    items = checklist_of(session, version_id=id_of(version)).items
    if items:
        session.execute(
            insert(ItemResult),
            [
                {"audit_id": audit.id, "item_id": item.id, "occurrences": 0, "seq": 0}
                for item in items
            ],
        )
    _record_start(session, audit, template, version, ip)
    return audit


def _record_start(
    session: Session, audit: Audit, template: AuditTemplate, version: TemplateVersion, ip: str
) -> None:
    audit_trail.record(
        session,
        action="audit.start",
        actor_id=audit.auditor_id,
        target_type="audit",
        target_id=audit.id,
        detail={
            "template": template.code,
            "version": version.number,
            "subject_person_id": audit.subject_person_id,
            "branch_id": audit.branch_id,
            "method": audit.method.value,
        },
        ip=ip,
    )


class DiscardRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def discard_draft(session: Session, *, audit: Audit, actor: Person, ip: str = "") -> None:
    """Throw a draft away (started by mistake): its rows go, the trail keeps that it existed.
    A submitted audit is never deleted (reports' cache markers count on it)."""
    if audit.status != AuditStatus.draft:
        raise DiscardRefused(N_("Only a draft can be thrown away; a submitted audit stays."))
    session.exec(delete(ItemResult).where(col(ItemResult.audit_id) == audit.id))
    session.delete(audit)
    session.flush()
    audit_trail.record(
        session,
        action="audit.discard",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        ip=ip,
    )


def results_of(session: Session, *, audit_id: int) -> dict[int, ItemResult]:
    rows = session.exec(select(ItemResult).where(ItemResult.audit_id == audit_id))
    return {row.item_id: row for row in rows}
