"""Queries and rules for standards and their versions."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, func
from sqlmodel import Session, col, delete, select

from frontline import audit_trail, events
from frontline.db import lock_fresh, read_columns, save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from standards.events import StandardVersionPublished
from standards.models import (
    CONTENT_FIELDS,
    TEXT_FIELDS,
    Channel,
    Kind,
    Standard,
    StandardVersion,
    VersionChannel,
    VersionPosition,
    VersionStatus,
)
from standards.schemas import VersionContent


class StandardsError(Exception):
    """A rule of the library was broken; the message is shown to the author (translatable)."""


class NotADraft(StandardsError):
    pass


class CodeTaken(StandardsError):
    """Another standard has this code (found so, or written by another request meanwhile)."""

    def __init__(self) -> None:
        super().__init__(N_("A standard with this code already exists."))


def _search_text(code: str, content: dict[str, Any]) -> str:
    parts: list[str] = [code]
    parts.extend(content.get(field) or "" for field in TEXT_FIELDS)
    for step in content.get("steps", []):
        parts.extend([step.get("zh", ""), step.get("en", "")])
    for phrase in [*content.get("required_phrases", []), *content.get("forbidden_phrases", [])]:
        parts.extend([phrase.get("text", ""), phrase.get("en", ""), *phrase.get("variants", [])])
    return "\n".join(p for p in parts if p).lower()


def content_of(version: StandardVersion) -> dict[str, Any]:
    """A version's content as plain values, in CONTENT_FIELDS order."""
    values: dict[str, Any] = {}
    for field in CONTENT_FIELDS:
        value = getattr(version, field)
        values[field] = value.value if hasattr(value, "value") else value
    return values


def _apply_content(
    session: Session, version: StandardVersion, code: str, content: VersionContent
) -> None:
    data = content.as_stored()
    for field in CONTENT_FIELDS:
        setattr(version, field, data[field])
    version.search_text = _search_text(code, data)
    version.updated_at = utcnow()
    session.add(version)
    session.flush()
    session.exec(delete(VersionChannel).where(col(VersionChannel.version_id) == version.id))
    session.exec(delete(VersionPosition).where(col(VersionPosition.version_id) == version.id))
    for channel in data["channels"]:
        session.add(VersionChannel(version_id=id_of(version), channel=Channel(channel)))
    for position in data["positions"]:
        session.add(VersionPosition(version_id=id_of(version), position=position))
    session.flush()


# ---- reading ----------------------------------------------------------------------------------


# Read on every page about a standard: built once with parameters, as building and
# cache-keying a select cost more than SQLite takes to answer it.
_BY_CODE = select(Standard).where(col(Standard.code) == bindparam("code"))
_VERSION = select(StandardVersion).where(
    col(StandardVersion.standard_id) == bindparam("standard_id"),
    col(StandardVersion.number) == bindparam("number"),
)
_VERSIONS = (
    select(StandardVersion)
    .where(col(StandardVersion.standard_id) == bindparam("standard_id"))
    .order_by(col(StandardVersion.number))
)
_DRAFT = select(StandardVersion).where(
    col(StandardVersion.standard_id) == bindparam("standard_id"),
    col(StandardVersion.status) == VersionStatus.draft,
)


def get_by_code(session: Session, *, code: str) -> Standard | None:
    return session.exec(_BY_CODE, params={"code": code}).first()


def get_version(session: Session, *, standard: Standard, number: int) -> StandardVersion | None:
    params = {"standard_id": standard.id, "number": number}
    return session.exec(_VERSION, params=params).first()


def get_version_by_id(session: Session, *, version_id: int) -> StandardVersion | None:
    return session.get(StandardVersion, version_id)


_VERSION_NUMBERS = select(StandardVersion.id, StandardVersion.number).where(
    col(StandardVersion.id).in_(bindparam("ids", expanding=True))
)


def version_numbers(session: Session, *, ids: Collection[int]) -> dict[int, int]:
    """The number of each of these versions, by id, in one query (no versions loaded)."""
    if not ids:
        return {}
    rows = read_columns(session, _VERSION_NUMBERS, {"ids": list(ids)}).all()
    return {version_id: number for version_id, number in rows}


# What a version page's history shows of each version: a few columns, not every text.
_HISTORY = _VERSIONS.with_only_columns(
    col(StandardVersion.id),
    col(StandardVersion.number),
    col(StandardVersion.status),
    col(StandardVersion.effective_date),
    col(StandardVersion.change_note),
)


def history(session: Session, *, standard: Standard) -> list[Row[Any]]:
    """Every version of a standard, oldest first, as rows of _HISTORY's columns."""
    return list(read_columns(session, _HISTORY, {"standard_id": standard.id}))


def versions(session: Session, *, standard: Standard) -> list[StandardVersion]:
    return list(session.exec(_VERSIONS, params={"standard_id": standard.id}))


def draft_of(session: Session, *, standard: Standard) -> StandardVersion | None:
    return session.exec(_DRAFT, params={"standard_id": standard.id}).first()


def current_version(session: Session, *, standard: Standard) -> StandardVersion | None:
    if standard.current_version_id is None:
        return None
    return session.get(StandardVersion, standard.current_version_id)


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(StandardVersion.status, func.count()).group_by(StandardVersion.status)
    ).all()
    return {status.value if hasattr(status, "value") else status: n for status, n in rows}


# ---- writing ----------------------------------------------------------------------------------


def create_standard(
    session: Session,
    *,
    code: str,
    kind: Kind,
    content: VersionContent,
    actor_id: int | None,
    ip: str = "",
) -> tuple[Standard, StandardVersion]:
    """A new standard with its first version as a draft."""
    if get_by_code(session, code=code):
        raise CodeTaken()
    standard = Standard(code=code, kind=kind)
    if not save_unique(session, standard, lambda: get_by_code(session, code=code) is not None):
        raise CodeTaken()  # created by another author at the same moment
    version = StandardVersion(
        standard_id=id_of(standard),
        number=1,
        status=VersionStatus.draft,
        created_by_id=actor_id,
        category=content.category,
        severity=content.severity,
        title_zh=content.title_zh,
    )
    _apply_content(session, version, code, content)
    audit_trail.record(
        session,
        action="standard.create",
        actor_id=actor_id,
        target_type="standard",
        target_id=code,
        detail={"kind": kind.value, "version_id": version.id},
        ip=ip,
    )
    return standard, version


def update_draft(
    session: Session,
    *,
    standard: Standard,
    version: StandardVersion,
    content: VersionContent,
    actor_id: int | None,
    ip: str = "",
) -> list[str]:
    """Change a draft's content; returns the fields that changed. Refuses non-drafts."""
    if version.status != VersionStatus.draft:
        raise NotADraft("Only a draft can be edited; published versions never change.")
    before = content_of(version)
    _apply_content(session, version, standard.code, content)
    changed = [f for f, v in content_of(version).items() if before[f] != v]
    if changed:
        audit_trail.record(
            session,
            action="standard.draft_update",
            actor_id=actor_id,
            target_type="standard",
            target_id=standard.code,
            detail={"version": version.number, "fields": changed},
            ip=ip,
        )
    return changed


def new_draft(
    session: Session,
    *,
    standard: Standard,
    actor_id: int | None,
    ip: str = "",
    content: VersionContent | None = None,
) -> StandardVersion:
    """Start the next version as a draft: a copy of the latest version unless content is given.
    The standard is locked first: of two authors starting a draft at once, the second waits,
    then finds the first's draft (its version number would repeat the first's)."""
    lock_fresh(session, standard)
    if draft_of(session, standard=standard):
        raise StandardsError("This standard already has a draft; edit that one.")
    history = versions(session, standard=standard)
    latest = history[-1]
    if content is None:
        content = VersionContent.model_validate(content_of(latest))
    version = StandardVersion(
        standard_id=id_of(standard),
        number=latest.number + 1,
        status=VersionStatus.draft,
        created_by_id=actor_id,
        category=content.category,
        severity=content.severity,
        title_zh=content.title_zh,
    )
    _apply_content(session, version, standard.code, content)
    audit_trail.record(
        session,
        action="standard.draft_create",
        actor_id=actor_id,
        target_type="standard",
        target_id=standard.code,
        detail={"version": version.number},
        ip=ip,
    )
    return version


def publish(
    session: Session,
    *,
    standard: Standard,
    version: StandardVersion,
    effective_date: date,
    change_note: str,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """Publish a draft: it becomes the version in force and the previous one is superseded."""
    lock_fresh(session, standard, version)  # published by a double tap's first request?
    if version.status != VersionStatus.draft:
        raise NotADraft("Only a draft can be published.")
    now = utcnow()
    previous = current_version(session, standard=standard)
    if previous is not None and previous.status == VersionStatus.published:
        previous.status = VersionStatus.superseded
        previous.updated_at = now
        session.add(previous)
    version.status = VersionStatus.published
    version.effective_date = effective_date
    version.change_note = change_note
    version.published_at = now
    version.updated_at = now
    version.published_by_id = actor_id
    session.add(version)
    standard.current_version_id = version.id
    session.add(standard)
    session.flush()
    audit_trail.record(
        session,
        action="standard.publish",
        actor_id=actor_id,
        target_type="standard",
        target_id=standard.code,
        detail={
            "version": version.number,
            "version_id": version.id,
            "effective_date": effective_date.isoformat(),
            "change_note": change_note,
        },
        ip=ip,
    )
    published = StandardVersionPublished(
        standard_id=id_of(standard),
        version_id=id_of(version),
        code=standard.code,
        number=version.number,
    )
    events.announce(session=session, event=published)


def retire(
    session: Session,
    *,
    standard: Standard,
    change_note: str,
    actor_id: int | None,
    ip: str = "",
) -> StandardVersion:
    """Take the standard out of force. Its versions stay readable in the history."""
    current = current_version(session, standard=standard)
    if current is None or current.status != VersionStatus.published:
        raise StandardsError(N_("Only a standard in force can be retired."))
    current.status = VersionStatus.retired
    current.updated_at = utcnow()
    session.add(current)
    session.flush()
    audit_trail.record(
        session,
        action="standard.retire",
        actor_id=actor_id,
        target_type="standard",
        target_id=standard.code,
        detail={"version": current.number, "change_note": change_note},
        ip=ip,
    )
    return current


def discard_draft(
    session: Session,
    *,
    standard: Standard,
    version: StandardVersion,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """Delete a draft that was never published (a first draft takes the standard with it)."""
    if version.status != VersionStatus.draft:
        raise NotADraft("Only a draft can be discarded.")
    session.exec(delete(VersionChannel).where(col(VersionChannel.version_id) == version.id))
    session.exec(delete(VersionPosition).where(col(VersionPosition.version_id) == version.id))
    session.delete(version)
    session.flush()
    if version.number == 1:
        session.delete(standard)
        session.flush()
    audit_trail.record(
        session,
        action="standard.draft_discard",
        actor_id=actor_id,
        target_type="standard",
        target_id=standard.code,
        detail={"version": version.number},
        ip=ip,
    )


def get_standard(session: Session, *, standard_id: int) -> Standard | None:
    return session.get(Standard, standard_id)


@dataclass(frozen=True)
class InForce:
    """A standard in force as a checklist item picker shows it."""

    code: str
    title_zh: str
    title_en: str
    veto_checks: list[dict[str, Any]]


def in_force_with_veto_checks(session: Session) -> list[InForce]:
    """Every published standard in force, by code, with the veto checks it marks (audits'
    template editor links items to these)."""
    rows = session.execute(
        select(
            Standard.code,
            StandardVersion.title_zh,
            StandardVersion.title_en,
            StandardVersion.veto_checks,
        )
        .join(StandardVersion, col(StandardVersion.id) == Standard.current_version_id)
        .where(StandardVersion.status == VersionStatus.published)
        .order_by(Standard.code)
    ).all()
    return [InForce(code, zh, en, list(checks or [])) for code, zh, en, checks in rows]
