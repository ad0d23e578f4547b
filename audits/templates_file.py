"""Checklist templates as one YAML file (`frontline-audit-templates/1`): export, check, import.

Each template entry is its newest version: code, subject, version, status (draft, published or
retired), an optional change_note, then the content of audits/template_content.py. Importing
creates new templates (with the file's version number), rewrites a draft, or makes a new
version when a published one differs: a published version is never changed. A file exported
from an older version than the newest is refused rather than undo the later changes. Any problem in
the file means nothing is imported. An export imported into an empty database exports to the
same bytes.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from audits import templates as service
from audits.models import AuditTemplate, Subject, TemplateStatus, TemplateVersion
from audits.template_content import check_content
from frontline.i18n import N_
from standards.library_file.export import dump_library
from standards.library_file.problems import ImportProblem, problem, short
from standards.library_file.reader import LineDict, load

FORMAT = "frontline-audit-templates/1"
FILE_STATUSES = (TemplateStatus.draft, TemplateStatus.published, TemplateStatus.retired)
MAX_TEMPLATES = 500


class Action(StrEnum):
    create = "create"
    new_version = "new_version"
    update_draft = "update_draft"
    publish = "publish"
    retire = "retire"
    unchanged = "unchanged"


@dataclass
class TemplateSpec:
    code: str
    subject: Subject
    version: int | None
    status: TemplateStatus
    change_note: str
    content: dict[str, Any]
    line: int


@dataclass
class TemplatePlan:
    spec: TemplateSpec
    actions: list[Action]
    number: int  # the version the template will have after the import

    def line(self) -> str:
        words = {
            Action.create: "new template",
            Action.new_version: "new version",
            Action.update_draft: "draft updated",
            Action.publish: "published",
            Action.retire: "retired",
            Action.unchanged: "unchanged",
        }
        return (
            f"{self.spec.code}: "
            + ", ".join(words[a] for a in self.actions)
            + f" (version {self.number})"
        )


@dataclass
class ImportPlan:
    templates: list[TemplatePlan] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [plan.line() for plan in self.templates]


# ---- reading the file -------------------------------------------------------------------------


def parse_templates(session: Session, text: str) -> tuple[list[TemplateSpec], list[ImportProblem]]:
    data, problems = load(text)
    if data is None:
        return [], problems
    if not isinstance(data, dict) or not isinstance(data.get("templates"), list):
        return [], [*problems, problem(1, N_("The file needs a list named templates."))]
    if data.get("format", FORMAT) != FORMAT:
        line = data.lines.get("format", 1) if isinstance(data, LineDict) else 1
        problems.append(problem(line, N_("The format must be %(format)s."), format=FORMAT))
    entries = data["templates"]
    if len(entries) > MAX_TEMPLATES:
        return [], [
            *problems,
            problem(1, N_("At most %(max)s templates in one file."), max=MAX_TEMPLATES),
        ]
    specs: list[TemplateSpec] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = entries.item_lines[index] if hasattr(entries, "item_lines") else 1
        spec = _spec(session, entry, line, problems)
        if spec is None:
            continue
        if spec.code in seen:
            problems.append(
                problem(
                    line,
                    N_("%(code)s appears twice (also on line %(other)s)."),
                    code=spec.code,
                    other=seen[spec.code],
                )
            )
        seen[spec.code] = line
        specs.append(spec)
    return specs, problems


def _spec(
    session: Session, entry: Any, line: int, problems: list[ImportProblem]
) -> TemplateSpec | None:
    if not isinstance(entry, dict):
        problems.append(problem(line, N_("Each template must be a mapping.")))
        return None
    code = entry.get("code")
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 32:
        problems.append(problem(line, N_("Each template needs a code of at most 32 characters.")))
        return None
    code = code.strip()
    before = len(problems)
    subject = _choice(entry, "subject", [s.value for s in Subject], code, line, problems)
    status = _choice(
        entry, "status", [s.value for s in FILE_STATUSES], code, line, problems, default="draft"
    )
    version = entry.get("version")
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 10_000
    ):
        problems.append(
            problem(
                _at(entry, "version", line),
                N_("%(where)s: version must be a whole number from 1."),
                where=code,
            )
        )
    note = entry.get("change_note") or ""
    if not isinstance(note, str) or len(note) > 2000:
        problems.append(
            problem(
                _at(entry, "change_note", line),
                N_("%(where)s: change_note must be text of at most 2000 characters."),
                where=code,
            )
        )
    content, content_problems = check_content(session, entry, where=code, line=line)
    problems.extend(content_problems)
    if content is None or len(problems) > before:
        return None
    return TemplateSpec(
        code, Subject(subject), version, TemplateStatus(status), str(note).strip(), content, line
    )


def _at(entry: Any, key: str, line: int) -> int:
    return entry.lines.get(key, line) if isinstance(entry, LineDict) else line


def _choice(
    entry: dict[str, Any],
    key: str,
    allowed: list[str],
    where: str,
    line: int,
    problems: list[ImportProblem],
    default: str | None = None,
) -> str:
    value = entry.get(key, default)
    if value not in allowed:
        problems.append(
            problem(
                _at(entry, key, line),
                N_("%(where)s: %(name)s must be one of %(allowed)s (not %(value)s)."),
                where=where,
                name=key,
                allowed=", ".join(allowed),
                value=short(value),
            )
        )
        return allowed[0]
    return str(value)


# ---- planning and applying --------------------------------------------------------------------


def plan_import(
    session: Session, *, specs: list[TemplateSpec], errors: list[ImportProblem]
) -> ImportPlan:
    plan = ImportPlan(errors=list(errors))
    for spec in specs:
        template = service.get_by_code(session, code=spec.code)
        if template is None:
            actions = [Action.create]
            if spec.status != TemplateStatus.draft:
                actions.append(Action.publish)
            if spec.status == TemplateStatus.retired:
                actions.append(Action.retire)
            plan.templates.append(TemplatePlan(spec, actions, spec.version or 1))
            continue
        result = _plan_existing(session, template, spec, plan.errors)
        if result is not None:
            plan.templates.append(result)
    return plan


def _plan_existing(
    session: Session, template: AuditTemplate, spec: TemplateSpec, errors: list[ImportProblem]
) -> TemplatePlan | None:
    if template.subject != spec.subject:
        errors.append(
            problem(
                spec.line,
                N_("%(code)s: a template's subject cannot change (it is %(subject)s)."),
                code=spec.code,
                subject=template.subject.value,
            )
        )
        return None
    newest = service.newest_version(session, template=template)
    assert newest is not None  # a template always has a version
    same = service.content_of(session, version=newest) == spec.content
    if newest.status == TemplateStatus.draft:
        actions = [] if same else [Action.update_draft]
        if spec.status != TemplateStatus.draft:
            actions.append(Action.publish)
        if spec.status == TemplateStatus.retired:
            actions.append(Action.retire)
        return TemplatePlan(spec, actions or [Action.unchanged], newest.number)
    if same:
        actions = []
        if spec.status == TemplateStatus.retired and newest.status == TemplateStatus.published:
            actions.append(Action.retire)
        elif spec.status == TemplateStatus.draft:
            actions.append(Action.unchanged)
        return TemplatePlan(spec, actions or [Action.unchanged], newest.number)
    # The file's version is the one it was exported from: an edit of the newest published
    # version makes the next one; an edit of an older one would silently undo later changes.
    if spec.version is not None and spec.version < newest.number:
        errors.append(
            problem(
                spec.line,
                N_(
                    "%(code)s: the file changes version %(number)s, but the template is "
                    "already at version %(newest)s; export it again and make the change there."
                ),
                code=spec.code,
                number=spec.version,
                newest=newest.number,
            )
        )
        return None
    actions = [Action.new_version]
    if spec.status != TemplateStatus.draft:
        actions.append(Action.publish)
    return TemplatePlan(spec, actions, newest.number + 1)


def apply_import(session: Session, *, plan: ImportPlan, actor_id: int | None) -> None:
    """Carry out a checked plan (the caller's transaction makes it all or nothing)."""
    assert plan.ok
    for item in plan.templates:
        spec = item.spec
        if Action.create in item.actions:
            template, version = service.create_template(
                session,
                code=spec.code,
                subject=spec.subject,
                content=spec.content,
                actor_id=actor_id,
            )
            version.number = item.number
            session.add(version)
            session.flush()
        else:
            template = service.get_by_code(session, code=spec.code)  # type: ignore[assignment]
            if Action.update_draft in item.actions or Action.new_version in item.actions:
                service.save_draft(
                    session, template=template, content=spec.content, actor_id=actor_id
                )
        if Action.publish in item.actions:
            draft = service.draft_of(session, template=template)
            assert draft is not None
            service.publish(
                session,
                template=template,
                version=draft,
                change_note=spec.change_note,
                actor_id=actor_id,
            )
        if Action.retire in item.actions:
            service.retire(session, template=template, actor_id=actor_id)


# ---- writing the file -------------------------------------------------------------------------


def export_templates(session: Session, *, codes: list[str] | None = None) -> str:
    """Every template (by code) as its newest version; or only those of `codes`."""
    query = select(AuditTemplate).order_by(col(AuditTemplate.code))
    if codes:
        query = query.where(col(AuditTemplate.code).in_(codes))
    entries = []
    for template in session.exec(query):
        version = service.newest_version(session, template=template)
        if version is not None:
            entries.append(_entry(session, template, version))
    return dump_library({"format": FORMAT, "templates": entries})


def _entry(session: Session, template: AuditTemplate, version: TemplateVersion) -> dict[str, Any]:
    status = version.status
    if status == TemplateStatus.superseded:  # never the newest; kept for completeness
        status = TemplateStatus.published
    entry: dict[str, Any] = {
        "code": template.code,
        "subject": template.subject.value,
        "version": version.number,
        "status": status.value,
    }
    if version.change_note:
        entry["change_note"] = version.change_note
    entry.update(service.content_of(session, version=version))
    return entry
