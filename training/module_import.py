"""Importing a module file: plan first (what would happen, and every problem at its line),
then apply the whole plan in one transaction, or nothing.

A version already published is never overwritten: the file must carry it unchanged, and a
change needs a new version number. A draft in the database takes the file's content.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from frontline.i18n import N_
from standards import service as standards_service
from standards.library_file.problems import ImportProblem, problem
from training import authoring, quiz_link, service
from training.models import Module, ModuleVersion, VersionStatus
from training.module_file import ModuleSpec, VersionSpec
from training.schemas import ModuleContent


class Action(StrEnum):
    create = "create"  # a version the database does not have
    update_draft = "update_draft"
    publish_draft = "publish_draft"  # update the draft with the file's content and publish it
    unchanged = "unchanged"


@dataclass
class VersionStep:
    spec: VersionSpec
    action: Action
    content: ModuleContent  # with the quiz id of this environment


@dataclass
class ModulePlan:
    code: str
    exists: bool
    steps: list[VersionStep] = field(default_factory=list)


@dataclass
class ImportPlan:
    modules: list[ModulePlan]
    errors: list[ImportProblem]

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        out = []
        for plan in self.modules:
            for step in plan.steps:
                out.append(
                    f"{plan.code} v{step.spec.number}: {step.action.value.replace('_', ' ')}"
                )
        return out


def _quiz_ids(session: Session) -> dict[str, int]:
    return {quiz.code: quiz.id for quiz in quiz_link.quiz_choices(session)}


def _with_quiz(
    spec: VersionSpec, quiz_ids: dict[str, int], errors: list[ImportProblem]
) -> ModuleContent:
    values: dict[str, Any] = spec.content.model_dump()
    values["quiz_id"] = None
    if spec.quiz_code is not None:
        if spec.quiz_code not in quiz_ids:
            errors.append(
                problem(
                    spec.line, N_("No published quiz has the code %(code)s."), code=spec.quiz_code
                )
            )
        else:
            values["quiz_id"] = quiz_ids[spec.quiz_code]
    return ModuleContent.model_validate(values)


def _same(
    session: Session, version: ModuleVersion, content: ModuleContent, spec: VersionSpec
) -> bool:
    if content.as_dict() != authoring.content_of(version):
        return False
    lessons = [
        authoring.lesson_content(each)
        for each in service.lessons_of(session, version_id=version.id or 0)
    ]
    return lessons == [lesson.model_dump() for lesson in spec.lessons]


def _check_statuses(spec: ModuleSpec, errors: list[ImportProblem]) -> None:
    versions = spec.versions
    for index, version in enumerate(versions):
        last = index == len(versions) - 1
        if version.status == VersionStatus.draft and not last:
            errors.append(problem(version.line, N_("Only the last version can be a draft.")))
        last_kept = last or (
            index == len(versions) - 2 and versions[-1].status == VersionStatus.draft
        )
        if version.status == VersionStatus.superseded and last_kept:
            errors.append(
                problem(version.line, N_("The latest published version cannot be superseded."))
            )
        if version.status in (VersionStatus.published, VersionStatus.archived) and not last_kept:
            errors.append(
                problem(
                    version.line,
                    N_("Only the latest version can be in force; earlier ones are superseded."),
                )
            )


def _check_standards(session: Session, spec: VersionSpec, errors: list[ImportProblem]) -> None:
    if spec.status == VersionStatus.draft:
        return
    for code in spec.content.standard_codes:
        standard = standards_service.get_by_code(session, code=code)
        if standard is None or standard.current_version_id is None:
            errors.append(
                problem(
                    spec.line, N_("A covered standard is not in the library: %(code)s"), code=code
                )
            )


def _plan_module(
    session: Session, spec: ModuleSpec, quiz_ids: dict[str, int], errors: list[ImportProblem]
) -> ModulePlan:
    module = service.get_by_code(session, code=spec.code)
    stored = {v.number: v for v in service.versions(session, module=module)} if module else {}
    plan = ModulePlan(code=spec.code, exists=module is not None)
    next_number = max(stored, default=0) + 1
    _check_statuses(spec, errors)
    for version_spec in spec.versions:
        content = _with_quiz(version_spec, quiz_ids, errors)
        _check_standards(session, version_spec, errors)
        existing = stored.get(version_spec.number)
        if existing is None:
            if version_spec.number != next_number:
                errors.append(
                    problem(
                        version_spec.line,
                        N_(
                            "Version %(number)s of %(code)s comes after %(last)s: "
                            "add it as version %(next)s."
                        ),
                        number=version_spec.number,
                        code=spec.code,
                        last=next_number - 1,
                        next=next_number,
                    )
                )
            next_number = version_spec.number + 1
            action = Action.create
        elif existing.status != VersionStatus.draft:
            if not _same(session, existing, content, version_spec):
                errors.append(
                    problem(
                        version_spec.line,
                        N_(
                            "Version %(number)s of %(code)s is published and never changes; "
                            "put the changes in a new version."
                        ),
                        number=version_spec.number,
                        code=spec.code,
                    )
                )
            action = Action.unchanged
        elif version_spec.status == VersionStatus.draft:
            action = Action.update_draft
        else:
            action = Action.publish_draft
        plan.steps.append(VersionStep(spec=version_spec, action=action, content=content))
    return plan


def plan_import(
    session: Session, *, specs: list[ModuleSpec], errors: list[ImportProblem]
) -> ImportPlan:
    """What importing would do; writes nothing. Any error means nothing may be imported."""
    errors = list(errors)
    quiz_ids = _quiz_ids(session) if any(v.quiz_code for s in specs for v in s.versions) else {}
    plans = [_plan_module(session, spec, quiz_ids, errors) for spec in specs]
    errors.sort(key=lambda p: p.line)
    return ImportPlan(modules=plans, errors=errors)


class ImportRefused(service.TrainingError):
    pass


def _replace_lessons(
    session: Session,
    module: Module,
    version: ModuleVersion,
    step: VersionStep,
    actor_id: int | None,
) -> None:
    for old in reversed(service.lessons_of(session, version_id=version.id or 0)):
        authoring.delete_lesson(
            session, module=module, version=version, lesson=old, actor_id=actor_id
        )
    for lesson in step.spec.lessons:
        authoring.add_lesson(
            session, module=module, version=version, content=lesson, actor_id=actor_id
        )


def _finish(
    session: Session,
    module: Module,
    version: ModuleVersion,
    step: VersionStep,
    actor_id: int | None,
) -> None:
    status = step.spec.status
    if status == VersionStatus.draft:
        return
    authoring.publish(
        session,
        module=module,
        version=version,
        change_note=step.spec.change_note or "",
        actor_id=actor_id,
    )
    if status == VersionStatus.archived:
        authoring.archive(
            session, module=module, reason=step.spec.change_note or "", actor_id=actor_id
        )


def _apply_step(
    session: Session, module: Module | None, step: VersionStep, code: str, actor_id: int | None
) -> Module:
    if step.action == Action.unchanged:
        assert module is not None
        return module
    if module is None:
        module, version = authoring.create_module(
            session, code=code, content=step.content, actor_id=actor_id
        )
        for lesson in step.spec.lessons:
            authoring.add_lesson(
                session, module=module, version=version, content=lesson, actor_id=actor_id
            )
    elif step.action == Action.create:
        version = authoring.new_draft(
            session,
            module=module,
            actor_id=actor_id,
            content=step.content,
            lessons=step.spec.lessons,
        )
    else:
        found = service.get_version(session, module=module, number=step.spec.number)
        assert found is not None
        version = found
        authoring.update_draft(
            session, module=module, version=version, content=step.content, actor_id=actor_id
        )
        _replace_lessons(session, module, version, step, actor_id)
    _finish(session, module, version, step, actor_id)
    return module


def apply_import(session: Session, *, plan: ImportPlan, actor_id: int | None) -> None:
    """Carry out a plan that has no errors (the caller's transaction makes it all or nothing)."""
    if not plan.ok:
        raise ImportRefused(N_("The file has problems; nothing was imported."))
    for module_plan in plan.modules:
        module = service.get_by_code(session, code=module_plan.code)
        for step in module_plan.steps:
            module = _apply_step(session, module, step, module_plan.code, actor_id)
