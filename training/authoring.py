"""Authors build modules: drafts, ordered lessons, publishing new versions, archiving.

A published version never changes (the database refuses it too): people who completed it keep
the record of what they took. Every change goes into the audit trail.
"""

from typing import Any

from sqlmodel import Session, col, delete, select

from frontline import audit_trail
from frontline.db import lock_fresh, save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from standards import service as standards_service
from training import quiz_link
from training.models import (
    CONTENT_FIELDS,
    Lesson,
    Module,
    ModuleVersion,
    VersionStandard,
    VersionStatus,
)
from training.schemas import LessonContent, ModuleContent
from training.service import TrainingError, current_version, draft_of, lessons_of, versions


class NotADraft(TrainingError):
    pass


class CodeTaken(TrainingError):
    """Another module has this code (found so, or written by another request meanwhile)."""

    def __init__(self) -> None:
        super().__init__(N_("A module with this code already exists."))


def content_of(version: ModuleVersion) -> dict[str, Any]:
    """A version's content as plain values, in CONTENT_FIELDS order."""
    values: dict[str, Any] = {}
    for field in CONTENT_FIELDS:
        value = getattr(version, field)
        if hasattr(value, "value"):
            value = value.value
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[field] = list(value) if isinstance(value, list) else value
    return values


def lesson_content(lesson: Lesson) -> dict[str, str]:
    return {f: getattr(lesson, f) for f in ("title_zh", "title_en", "body_zh", "body_en")}


def _trail(
    session: Session, action: str, module: Module, actor_id: int | None, ip: str, **detail: Any
) -> None:
    audit_trail.record(
        session,
        action=f"training.{action}",
        actor_id=actor_id,
        target_type="training_module",
        target_id=module.code,
        detail=detail,
        ip=ip,
    )


def _apply_content(session: Session, version: ModuleVersion, content: ModuleContent) -> None:
    for field in CONTENT_FIELDS:
        value = getattr(content, field)
        if field == "positions":
            value = [p.value for p in value]
        setattr(version, field, value)
    version.updated_at = utcnow()
    session.add(version)
    session.flush()
    session.exec(delete(VersionStandard).where(col(VersionStandard.version_id) == version.id))
    for code in content.standard_codes:
        session.add(VersionStandard(version_id=id_of(version), standard_code=code))
    session.flush()


def _require_draft(version: ModuleVersion) -> None:
    if version.status != VersionStatus.draft:
        raise NotADraft(N_("Only a draft can change; published versions never do."))


def create_module(
    session: Session, *, code: str, content: ModuleContent, actor_id: int | None, ip: str = ""
) -> tuple[Module, ModuleVersion]:
    """A new module with its first version as a draft."""

    def taken() -> bool:
        return session.exec(select(Module.id).where(Module.code == code)).first() is not None

    if taken():
        raise CodeTaken()
    module = Module(code=code, created_by_id=actor_id)
    if not save_unique(session, module, taken):
        raise CodeTaken()  # created by another author at the same moment
    version = ModuleVersion(
        module_id=id_of(module), number=1, title_zh=content.title_zh, created_by_id=actor_id
    )
    _apply_content(session, version, content)
    _trail(session, "module_create", module, actor_id, ip, version=1)
    return module, version


def update_draft(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    content: ModuleContent,
    actor_id: int | None,
    ip: str = "",
) -> list[str]:
    """Change a draft's content; returns the fields that changed."""
    _require_draft(version)
    before = content_of(version)
    _apply_content(session, version, content)
    changed = [f for f, v in content_of(version).items() if before[f] != v]
    if changed:
        _trail(
            session, "draft_update", module, actor_id, ip, version=version.number, fields=changed
        )
    return changed


def add_lesson(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    content: LessonContent,
    actor_id: int | None,
    ip: str = "",
) -> Lesson:
    _require_draft(version)
    position = len(lessons_of(session, version_id=id_of(version))) + 1
    lesson = Lesson(version_id=id_of(version), position=position, **content.model_dump())
    session.add(lesson)
    session.flush()
    _trail(session, "lesson_add", module, actor_id, ip, version=version.number, lesson=position)
    return lesson


def update_lesson(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    lesson: Lesson,
    content: LessonContent,
    actor_id: int | None,
    ip: str = "",
) -> None:
    _require_draft(version)
    before = lesson_content(lesson)
    for field, value in content.model_dump().items():
        setattr(lesson, field, value)
    session.add(lesson)
    session.flush()
    changed = [f for f, v in lesson_content(lesson).items() if before[f] != v]
    if changed:
        _trail(
            session,
            "lesson_update",
            module,
            actor_id,
            ip,
            version=version.number,
            lesson=lesson.position,
            fields=changed,
        )


def _renumber(session: Session, lessons: list[Lesson]) -> None:
    """Store lessons in this order as 1, 2, … (through negative numbers: positions are unique)."""
    for index, lesson in enumerate(lessons, start=1):
        lesson.position = -index
        session.add(lesson)
    session.flush()
    for lesson in lessons:
        lesson.position = -lesson.position
        session.add(lesson)
    session.flush()


def delete_lesson(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    lesson: Lesson,
    actor_id: int | None,
    ip: str = "",
) -> None:
    _require_draft(version)
    position = lesson.position
    session.delete(lesson)
    session.flush()
    _renumber(session, lessons_of(session, version_id=id_of(version)))
    _trail(session, "lesson_delete", module, actor_id, ip, version=version.number, lesson=position)


def move_lesson(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    lesson: Lesson,
    up: bool,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """Move a lesson one place earlier (up) or later; at either end nothing changes."""
    _require_draft(version)
    lessons = lessons_of(session, version_id=id_of(version))
    index = next(i for i, each in enumerate(lessons) if each.id == lesson.id)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(lessons):
        return
    lessons[index], lessons[other] = lessons[other], lessons[index]
    _renumber(session, lessons)
    _trail(
        session,
        "lesson_move",
        module,
        actor_id,
        ip,
        version=version.number,
        lesson_from=index + 1,
        lesson_to=other + 1,
    )


def new_draft(
    session: Session,
    *,
    module: Module,
    actor_id: int | None,
    ip: str = "",
    content: ModuleContent | None = None,
    lessons: list[LessonContent] | None = None,
) -> ModuleVersion:
    """The next version as a draft: a copy of the latest one unless content is given. The
    module is locked first: of two authors starting a draft at once, the second waits, then
    finds the first's draft (its version number would repeat the first's)."""
    lock_fresh(session, module)
    if draft_of(session, module=module):
        raise TrainingError(N_("This module already has a draft; edit that one."))
    latest = versions(session, module=module)[-1]
    if content is None:
        content = ModuleContent.model_validate(content_of(latest))
    if lessons is None:
        lessons = [
            LessonContent.model_validate(lesson_content(lesson))
            for lesson in lessons_of(session, version_id=id_of(latest))
        ]
    version = ModuleVersion(
        module_id=id_of(module),
        number=latest.number + 1,
        title_zh=content.title_zh,
        created_by_id=actor_id,
    )
    _apply_content(session, version, content)
    for position, lesson in enumerate(lessons, start=1):
        session.add(Lesson(version_id=id_of(version), position=position, **lesson.model_dump()))
    session.flush()
    _trail(session, "draft_create", module, actor_id, ip, version=version.number)
    return version


def publish_problems(session: Session, *, version: ModuleVersion) -> list[str]:
    """What stops a draft from being published (messages to translate), if anything."""
    problems: list[str] = []
    lesson_count = len(lessons_of(session, version_id=id_of(version)))
    if lesson_count == 0 and version.quiz_id is None:
        problems.append(N_("A module needs at least one lesson or a quiz."))
    if version.exam_opens_on is not None and lesson_count:
        problems.append(N_("An exam has no lessons: remove them or the exam dates."))
    for code in version.standard_codes:
        standard = standards_service.get_by_code(session, code=code)
        if standard is None or standard.current_version_id is None:
            problems.append(
                N_("A covered standard is not in the library: %(code)s") % {"code": code}
            )
    if version.quiz_id is not None and not quiz_link.quiz_exists(session, quiz_id=version.quiz_id):
        problems.append(N_("The quiz attached to this module no longer exists."))
    return problems


def publish(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    change_note: str,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """The draft becomes the version in force; the previous one is superseded."""
    lock_fresh(session, module, version)  # published by a double tap's first request?
    _require_draft(version)
    problems = publish_problems(session, version=version)
    if problems:
        raise TrainingError(problems[0])
    previous = current_version(session, module=module)
    if previous is not None and previous.status != VersionStatus.superseded:
        previous.status = VersionStatus.superseded
        session.add(previous)
    version.status = VersionStatus.published
    version.change_note = change_note
    version.published_at = utcnow()
    version.published_by_id = actor_id
    session.add(version)
    module.current_version_id = version.id
    session.add(module)
    session.flush()
    _trail(
        session,
        "publish",
        module,
        actor_id,
        ip,
        version=version.number,
        version_id=version.id,
        change_note=change_note,
    )


def discard_draft(
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    actor_id: int | None,
    ip: str = "",
) -> None:
    """Delete a draft never published (a first draft takes the module and its images along)."""
    _require_draft(version)
    from training.images import delete_images_of  # images import authoring's errors

    session.exec(delete(Lesson).where(col(Lesson.version_id) == version.id))
    session.exec(delete(VersionStandard).where(col(VersionStandard.version_id) == version.id))
    session.delete(version)
    session.flush()
    if version.number == 1:
        delete_images_of(session, module_id=id_of(module))
        session.delete(module)
        session.flush()
    _trail(session, "draft_discard", module, actor_id, ip, version=version.number)


def archive(
    session: Session, *, module: Module, reason: str, actor_id: int | None, ip: str = ""
) -> ModuleVersion:
    """Take a module out of use: no new learners; completions and certificates stay."""
    current = current_version(session, module=module)
    if current is None or current.status != VersionStatus.published:
        raise TrainingError(N_("Only a published module can be archived."))
    current.status = VersionStatus.archived
    session.add(current)
    session.flush()
    _trail(session, "archive", module, actor_id, ip, version=current.number, reason=reason)
    return current
