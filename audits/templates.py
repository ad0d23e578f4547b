"""Checklist templates: reading them, drafting their content, publishing versions.

A template's content is one plain document (title, scoring, sections with their items; see
`audits/template_content.py`), the same whether it comes from the editor or a file. A draft
version is rewritten whole; publishing freezes it, and a later change makes a new draft, so an
audit's version never moves under it.
"""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, delete, func, select

from audits.models import (
    AuditTemplate,
    Scoring,
    Subject,
    TemplateItem,
    TemplateSection,
    TemplateStatus,
    TemplateVersion,
)
from audits.template_content import bilingual, number_or_none, plain_number
from frontline import audit_trail
from frontline.db import lock_fresh, save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from standards import service as standards_service


class TemplateError(Exception):
    """A change to a template that the rules refuse; `message` is a msgid, `params` its values."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class CodeTaken(TemplateError):
    """Another template has this code (found so, or written by another request meanwhile)."""

    def __init__(self, code: str) -> None:
        super().__init__(N_("A template with the code %(code)s already exists."), code=code)


# ---- reading ----------------------------------------------------------------------------------


def get_template(session: Session, *, template_id: int) -> AuditTemplate | None:
    return session.get(AuditTemplate, template_id)


def get_by_code(session: Session, *, code: str) -> AuditTemplate | None:
    return session.exec(select(AuditTemplate).where(AuditTemplate.code == code)).first()


def versions(session: Session, *, template: AuditTemplate) -> list[TemplateVersion]:
    query = (
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(col(TemplateVersion.number))
    )
    return list(session.exec(query))


def get_version(
    session: Session, *, template: AuditTemplate, number: int
) -> TemplateVersion | None:
    query = select(TemplateVersion).where(
        TemplateVersion.template_id == template.id, TemplateVersion.number == number
    )
    return session.exec(query).first()


def get_version_by_id(session: Session, *, version_id: int) -> TemplateVersion | None:
    return session.get(TemplateVersion, version_id)


def draft_of(session: Session, *, template: AuditTemplate) -> TemplateVersion | None:
    query = select(TemplateVersion).where(
        TemplateVersion.template_id == template.id,
        TemplateVersion.status == TemplateStatus.draft,
    )
    return session.exec(query).first()


def current_version(session: Session, *, template: AuditTemplate) -> TemplateVersion | None:
    if template.current_version_id is None:
        return None
    return session.get(TemplateVersion, template.current_version_id)


def newest_version(session: Session, *, template: AuditTemplate) -> TemplateVersion | None:
    query = (
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(col(TemplateVersion.number).desc())
    )
    return session.exec(query).first()


def sections_of(session: Session, *, version: TemplateVersion) -> list[TemplateSection]:
    query = (
        select(TemplateSection)
        .where(TemplateSection.version_id == version.id)
        .order_by(col(TemplateSection.position))
    )
    return list(session.exec(query))


def items_of(session: Session, *, version_id: int) -> list[TemplateItem]:
    query = (
        select(TemplateItem)
        .where(TemplateItem.version_id == version_id)
        .order_by(col(TemplateItem.position))
    )
    return list(session.exec(query))


def list_templates(session: Session) -> list[tuple[AuditTemplate, TemplateVersion | None]]:
    """Every template by code, with its newest version (a draft when there is one)."""
    newest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.number).label("number"))
        .group_by(col(TemplateVersion.template_id))
        .subquery()
    )
    query = (
        select(AuditTemplate, TemplateVersion)
        .outerjoin(newest, newest.c.template_id == AuditTemplate.id)
        .outerjoin(
            TemplateVersion,
            (col(TemplateVersion.template_id) == AuditTemplate.id)
            & (col(TemplateVersion.number) == newest.c.number),
        )
        .order_by(col(AuditTemplate.code))
    )
    return [(template, version) for template, version in session.exec(query)]


def published_templates(
    session: Session, *, subject: Subject | None = None
) -> list[tuple[AuditTemplate, TemplateVersion]]:
    """Templates an audit can be started on: those with a published version in force."""
    query = (
        select(AuditTemplate, TemplateVersion)
        .join(TemplateVersion, col(TemplateVersion.id) == AuditTemplate.current_version_id)
        .where(TemplateVersion.status == TemplateStatus.published)
        .order_by(col(AuditTemplate.code))
    )
    if subject is not None:
        query = query.where(AuditTemplate.subject == subject)
    return [(template, version) for template, version in session.exec(query)]


def content_of(session: Session, *, version: TemplateVersion) -> dict[str, Any]:
    """A version's content as the plain document the editor and the file use."""
    items_by_section: dict[int, list[dict[str, Any]]] = {}
    scoring = Scoring(version.scoring)
    for item in items_of(session, version_id=id_of(version)):
        items_by_section.setdefault(item.section_id, []).append(_item_document(item, scoring))
    content: dict[str, Any] = {
        "title": bilingual(version.title_zh, version.title_en),
        "scoring": scoring.value,
    }
    if version.description_zh or version.description_en:
        content["description"] = bilingual(version.description_zh, version.description_en)
    content["sections"] = [
        {
            "title": bilingual(section.title_zh, section.title_en),
            "items": items_by_section.get(id_of(section), []),
        }
        for section in sections_of(session, version=version)
    ]
    return content


def _item_document(item: TemplateItem, scoring: Scoring) -> dict[str, Any]:
    doc: dict[str, Any] = {"code": item.code, "text": bilingual(item.text_zh, item.text_en)}
    if item.guidance_zh or item.guidance_en:
        doc["guidance"] = bilingual(item.guidance_zh, item.guidance_en)
    if item.standard_code:
        doc["standard"] = item.standard_code
    if item.veto_check_zh or item.veto_check_en:
        doc["veto_check"] = bilingual(item.veto_check_zh, item.veto_check_en)
    if item.na_allowed:
        doc["na_allowed"] = True
    if item.veto:
        doc["veto"] = True
    else:
        doc["points" if scoring == Scoring.deduction else "weight"] = plain_number(item.points)
    if item.per_occurrence is not None:
        doc["per_occurrence"] = plain_number(item.per_occurrence)
    return doc


# ---- writing ----------------------------------------------------------------------------------


def create_template(
    session: Session,
    *,
    code: str,
    subject: Subject,
    content: dict[str, Any],
    actor_id: int | None,
    ip: str = "",
) -> tuple[AuditTemplate, TemplateVersion]:
    """A new template with its first draft (checked content, see template_content)."""
    if get_by_code(session, code=code) is not None:
        raise CodeTaken(code)
    template = AuditTemplate(code=code, subject=subject)
    if not save_unique(session, template, lambda: get_by_code(session, code=code) is not None):
        raise CodeTaken(code)  # created by another author at the same moment
    version = TemplateVersion(
        template_id=id_of(template),
        number=1,
        title_zh=content["title"]["zh"],
        scoring=Scoring(content["scoring"]),
        created_by_id=actor_id,
    )
    _write_content(session, version=version, content=content)
    audit_trail.record(
        session,
        action="audit_template.create",
        actor_id=actor_id,
        target_type="audit_template",
        target_id=code,
        detail={"subject": subject.value},
        ip=ip,
    )
    return template, version


def save_draft(
    session: Session,
    *,
    template: AuditTemplate,
    content: dict[str, Any],
    actor_id: int | None,
    ip: str = "",
) -> TemplateVersion:
    """Write content into the template's draft, making a new draft version if it has none.
    The template is locked first: of two authors saving at once, the second waits, then
    writes into the draft the first made (both would have made the same version number)."""
    lock_fresh(session, template)
    draft = draft_of(session, template=template)
    if draft is None:
        newest = newest_version(session, template=template)
        draft = TemplateVersion(
            template_id=id_of(template),
            number=(newest.number if newest else 0) + 1,
            title_zh=content["title"]["zh"],
            scoring=Scoring(content["scoring"]),
            created_by_id=actor_id,
        )
    _write_content(session, version=draft, content=content)
    audit_trail.record(
        session,
        action="audit_template.save_draft",
        actor_id=actor_id,
        target_type="audit_template",
        target_id=template.code,
        detail={"version": draft.number},
        ip=ip,
    )
    return draft


def _write_content(session: Session, *, version: TemplateVersion, content: dict[str, Any]) -> None:
    if version.status != TemplateStatus.draft:
        raise TemplateError(N_("A published template version cannot change."))
    version.title_zh, version.title_en = content["title"]["zh"], content["title"]["en"]
    description = content.get("description") or {"zh": "", "en": ""}
    version.description_zh, version.description_en = description["zh"], description["en"]
    version.scoring = Scoring(content["scoring"])
    version.updated_at = utcnow()
    session.add(version)
    session.flush()
    version_id = id_of(version)
    session.exec(delete(TemplateItem).where(col(TemplateItem.version_id) == version_id))
    session.exec(delete(TemplateSection).where(col(TemplateSection.version_id) == version_id))
    position = 0
    for section_position, section_doc in enumerate(content["sections"]):
        section = TemplateSection(
            version_id=version_id,
            position=section_position,
            title_zh=section_doc["title"]["zh"],
            title_en=section_doc["title"]["en"],
        )
        session.add(section)
        session.flush()
        for item_doc in section_doc["items"]:
            session.add(_item_row(item_doc, version_id, id_of(section), position))
            position += 1
    session.flush()


def _item_row(doc: dict[str, Any], version_id: int, section_id: int, position: int) -> TemplateItem:
    guidance = doc.get("guidance") or {"zh": "", "en": ""}
    veto_check = doc.get("veto_check") or {"zh": "", "en": ""}
    points = doc.get("points", doc.get("weight"))
    return TemplateItem(
        version_id=version_id,
        section_id=section_id,
        position=position,
        code=doc["code"],
        text_zh=doc["text"]["zh"],
        text_en=doc["text"]["en"],
        guidance_zh=guidance["zh"],
        guidance_en=guidance["en"],
        standard_code=doc.get("standard"),
        veto_check_zh=veto_check["zh"],
        veto_check_en=veto_check["en"],
        na_allowed=bool(doc.get("na_allowed", False)),
        veto=bool(doc.get("veto", False)),
        points=0.0 if doc.get("veto") else float(points or 0),
        per_occurrence=number_or_none(doc.get("per_occurrence")),
    )


def publish(
    session: Session,
    *,
    template: AuditTemplate,
    version: TemplateVersion,
    change_note: str,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """Publish a draft: it becomes the version audits start on; the previous is superseded.
    Each item records the standard version in force and its category, for reports."""
    lock_fresh(session, template, version)  # published by a double tap's first request?
    if version.status != TemplateStatus.draft:
        raise TemplateError(N_("Only a draft can be published."))
    items = items_of(session, version_id=id_of(version))
    if not items:
        raise TemplateError(N_("A template needs at least one item before it is published."))
    _link_standards(session, items)
    session.flush()  # while still a draft: afterwards the database refuses item changes
    previous = current_version(session, template=template)
    if previous is not None and previous.status == TemplateStatus.published:
        previous.status = TemplateStatus.superseded
        session.add(previous)
    version.status = TemplateStatus.published
    version.change_note = change_note or None
    version.published_at = utcnow()
    version.published_by_id = actor_id
    session.add(version)
    template.current_version_id = version.id
    session.add(template)
    session.flush()
    audit_trail.record(
        session,
        action="audit_template.publish",
        actor_id=actor_id,
        target_type="audit_template",
        target_id=template.code,
        detail={"version": version.number, "version_id": version.id, "change_note": change_note},
        ip=ip,
    )


def _link_standards(session: Session, items: Sequence[TemplateItem]) -> None:
    for item in items:
        if not item.standard_code:
            continue
        standard = standards_service.get_by_code(session, code=item.standard_code)
        in_force = (
            standards_service.current_version(session, standard=standard) if standard else None
        )
        if in_force is None or in_force.status.value != "published":
            raise TemplateError(
                N_("Item %(item)s: the standard %(code)s has no published version."),
                item=item.code,
                code=item.standard_code,
            )
        item.standard_version_id = in_force.id
        item.standard_category = in_force.category.value
        session.add(item)


def retire(
    session: Session, *, template: AuditTemplate, actor_id: int | None, ip: str = ""
) -> None:
    """No new audits start on a retired template; its audits keep their version."""
    version = current_version(session, template=template)
    if version is None or version.status != TemplateStatus.published:
        raise TemplateError(N_("Only a published template can be retired."))
    version.status = TemplateStatus.retired
    session.add(version)
    session.flush()
    audit_trail.record(
        session,
        action="audit_template.retire",
        actor_id=actor_id,
        target_type="audit_template",
        target_id=template.code,
        detail={"version": version.number},
        ip=ip,
    )


def discard_draft(
    session: Session, *, template: AuditTemplate, actor_id: int | None, ip: str = ""
) -> bool:
    """Delete the draft; a template that had only that draft goes with it. True if it did."""
    draft = draft_of(session, template=template)
    if draft is None:
        raise TemplateError(N_("This template has no draft."))
    version_id = id_of(draft)
    session.exec(delete(TemplateItem).where(col(TemplateItem.version_id) == version_id))
    session.exec(delete(TemplateSection).where(col(TemplateSection.version_id) == version_id))
    session.delete(draft)
    session.flush()
    gone = template.current_version_id is None
    if gone:
        session.delete(template)
        session.flush()
    audit_trail.record(
        session,
        action="audit_template.discard_draft",
        actor_id=actor_id,
        target_type="audit_template",
        target_id=template.code,
        detail={"version": draft.number},
        ip=ip,
    )
    return gone
