"""What importing a library file would do, worked out without writing anything.

Importing never changes a published version: where the file's content differs from a version
that is no longer a draft, that content becomes the standard's draft, for an author to review
and publish in the app. Standards that are not in the database yet are created with their whole
history. Every description is a translatable message, shown in the reader's language.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from frontline.i18n import N_
from standards import service
from standards.library_file.file_format import StandardSpec, VersionSpec
from standards.library_file.problems import ImportProblem, Msg, msg, problem
from standards.models import CONTENT_FIELDS, Kind, Standard, StandardVersion, VersionStatus


class Action(StrEnum):
    create = "create"
    update_draft = "update draft"
    new_draft = "new draft"
    unchanged = "unchanged"
    untouched = "untouched"
    error = "error"


# The key each action is counted under in ImportPlan.totals (and the audit trail).
TOTAL_KEYS = {
    Action.create: "created",
    Action.update_draft: "drafts_updated",
    Action.new_draft: "drafts_created",
    Action.unchanged: "unchanged",
    Action.untouched: "untouched",
    Action.error: "errors",
}
# What an import changes; the rest is summarised as counts.
CHANGING_ACTIONS = (Action.create, Action.new_draft, Action.update_draft, Action.error)


@dataclass
class StandardPlan:
    code: str
    action: Action
    description: Msg
    notes: list[Msg] = field(default_factory=list)
    spec: StandardSpec | None = None
    # For update/new draft: the content the draft gets, and the draft's number.
    draft_content: dict[str, Any] | None = None
    draft_number: int | None = None

    @property
    def title(self) -> str:
        """The (Chinese) title of the content the import brings."""
        content = self.draft_content
        if content is None and self.spec is not None:
            content = self.spec.versions[-1].content
        return str((content or {}).get("title_zh", ""))

    @property
    def url(self) -> str:
        """Where the author reviews what the import made: the draft, else the standard."""
        number = self.draft_number
        if number is None and self.spec is not None:
            last = self.spec.versions[-1]
            number = last.number if last.status == VersionStatus.draft else None
        if number is None:
            return f"/standards/{self.code}"
        return f"/standards/{self.code}/v/{number}"


@dataclass
class ImportPlan:
    standards: list[StandardPlan] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    specs: list[StandardSpec] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(TOTAL_KEYS.values(), 0)
        for item in self.standards:
            totals[TOTAL_KEYS[item.action]] += 1
        return totals

    @property
    def changes(self) -> list[StandardPlan]:
        """What the import changes, and anything else with a note worth reading."""
        return [s for s in self.standards if s.action in CHANGING_ACTIONS or s.notes]

    def codes(self, action: Action) -> list[str]:
        return [s.code for s in self.standards if s.action == action]

    def summary(self) -> str:
        t = self.totals
        return (
            f"{t['created']} created, {t['drafts_updated']} drafts updated, "
            f"{t['drafts_created']} new drafts, {t['unchanged']} unchanged, "
            f"{t['untouched']} not in the file (left as they are), {t['errors']} errors"
        )

    def lines(self) -> list[str]:
        """The plan for people, in English: the changes first, the rest counted."""
        out: list[str] = []
        for item in self.changes:
            out.append(f"{item.code}: {item.action.value} - {item.description.render()}")
            out.extend(f"    note: {note.render()}" for note in item.notes)
        listed = {item.code for item in self.changes}
        for action, label in (
            (Action.unchanged, "Unchanged"),
            (Action.untouched, "Not in the file"),
        ):
            codes = [code for code in self.codes(action) if code not in listed]
            if codes:
                out.append(f"{label} ({len(codes)}): {', '.join(codes)}")
        out.append("Total: " + self.summary())
        return out


def plan_import(
    session: Session, *, specs: Sequence[StandardSpec], errors: Sequence[ImportProblem] = ()
) -> ImportPlan:
    """What importing the specs would do, without writing anything.

    `errors` are the file's problems from parse_library, carried so the plan refuses to apply.
    """
    plan = ImportPlan(errors=list(errors), specs=list(specs))
    in_file = set()
    for spec in sorted(specs, key=lambda s: s.code):
        in_file.add(spec.code)
        standard = service.get_by_code(session, code=spec.code)
        if standard is None:
            plan.standards.append(_plan_new(spec))
            continue
        item, refusal = _plan_existing(session, spec, standard)
        plan.standards.append(item)
        if refusal is not None:
            plan.errors.append(refusal)
    for code in session.exec(select(Standard.code).order_by(col(Standard.code))):
        if code not in in_file:
            plan.standards.append(
                StandardPlan(
                    code,
                    Action.untouched,
                    msg(N_("in the database but not in the file; left as it is")),
                )
            )
    plan.standards.sort(key=lambda s: s.code)
    plan.errors.sort(key=lambda p: p.line)
    return plan


def _plan_new(spec: StandardSpec) -> StandardPlan:
    history = tuple(f"v{v.number} {v.status.value}" for v in spec.versions)
    description = msg(
        N_("new %(kind)s with %(count)s version(s): %(history)s"),
        kind=spec.kind.value,
        count=len(spec.versions),
        history=history,
    )
    return StandardPlan(spec.code, Action.create, description, spec=spec)


def _plan_existing(
    session: Session, spec: StandardSpec, standard: Standard
) -> tuple[StandardPlan, ImportProblem | None]:
    """The plan for a standard the database has, and the refusal if it cannot be imported."""
    if standard.kind != spec.kind:
        return _kind_changed(spec, standard)
    existing = {v.number: v for v in service.versions(session, standard=standard)}
    candidates, notes = _draft_candidates(spec, existing)
    if not candidates:
        if len(spec.versions) > 1:
            description = msg(
                N_("the file matches the database (all %(count)s versions)"),
                count=len(spec.versions),
            )
        else:
            description = msg(N_("the file matches the database"))
        return StandardPlan(spec.code, Action.unchanged, description, notes=notes, spec=spec), None
    return _plan_draft(spec, existing, candidates, notes), None


def _kind_changed(spec: StandardSpec, standard: Standard) -> tuple[StandardPlan, ImportProblem]:
    description = msg(
        N_(
            "kind: the file says %(file_kind)s but in the database %(code)s is a "
            "%(db_kind)s; the kind of a standard cannot change."
        ),
        file_kind=spec.kind.value,
        code=spec.code,
        db_kind=Kind(standard.kind).value,
    )
    plan = StandardPlan(spec.code, Action.error, description, spec=spec)
    return plan, problem(
        spec.kind_line, N_("%(code)s: %(problem)s"), code=spec.code, problem=description
    )


# A file version whose content should end up in the draft, and why.
Candidate = tuple[VersionSpec, Msg]


def _draft_candidates(
    spec: StandardSpec, existing: dict[int, StandardVersion]
) -> tuple[list[Candidate], list[Msg]]:
    """The file versions whose content should end up in the draft (in file order), and notes."""
    candidates: list[Candidate] = []
    notes: list[Msg] = []
    for version in spec.versions:
        db = existing.get(version.number)
        if db is None:
            candidates.append(
                (version, msg(N_("version %(number)s is new"), number=version.number))
            )
            if version.status != VersionStatus.draft:
                notes.append(
                    msg(
                        N_(
                            "version %(number)s is %(status)s in the file; the import makes it "
                            "a draft, to be published in the app"
                        ),
                        number=version.number,
                        status=version.status.value,
                    )
                )
            continue
        candidate, note = _compare_version(version, db)
        candidates.extend(candidate)
        notes.extend(note)
    return candidates, notes


def _compare_version(
    version: VersionSpec, db: StandardVersion
) -> tuple[list[Candidate], list[Msg]]:
    """A file version against the database's version of the same number."""
    same = service.content_of(db) == version.content
    candidates: list[Candidate] = []
    notes: list[Msg] = []
    if db.status == VersionStatus.draft:
        candidates.append(
            (version, msg(N_("version %(number)s is the draft"), number=version.number))
        )
    elif not same:
        reason = msg(
            N_(
                "version %(number)s differs from %(status)s version %(number)s, which never changes"
            ),
            number=version.number,
            status=VersionStatus(db.status).value,
        )
        candidates.append((version, reason))
    if db.status != version.status and (same or db.status == VersionStatus.draft):
        notes.append(
            msg(
                N_(
                    "version %(number)s is %(status)s in the file but %(db_status)s in the "
                    "database; the import does not change statuses (publish or retire in "
                    "the app)"
                ),
                number=version.number,
                status=version.status.value,
                db_status=VersionStatus(db.status).value,
            )
        )
    return candidates, notes


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f for f in CONTENT_FIELDS if before.get(f) != after.get(f)]


def _fields(names: list[str]) -> Msg | str:
    return ", ".join(names) if names else msg(N_("nothing"))


def _plan_draft(
    spec: StandardSpec,
    existing: dict[int, StandardVersion],
    candidates: list[Candidate],
    notes: list[Msg],
) -> StandardPlan:
    """The draft gets the content of the last candidate: update the draft or start one."""
    source, reason = candidates[-1]
    if len(candidates) > 1:
        notes.append(
            msg(
                N_(
                    "a standard has at most one draft: the content of file version %(number)s "
                    "is used; that of version(s) %(others)s is not imported"
                ),
                number=source.number,
                others=", ".join(str(v.number) for v, _ in candidates[:-1]),
            )
        )
    draft = next((v for v in existing.values() if v.status == VersionStatus.draft), None)
    if draft is not None:
        return _plan_draft_update(spec, draft, source, reason, notes)
    latest = max(existing.values(), key=lambda v: v.number)
    number = latest.number + 1
    description = msg(
        N_(
            "new draft version %(draft)s from file version %(number)s (%(reason)s); "
            "changed from version %(latest)s: %(fields)s"
        ),
        draft=number,
        number=source.number,
        reason=reason,
        latest=latest.number,
        fields=_fields(_changed_fields(service.content_of(latest), source.content)),
    )
    return StandardPlan(
        spec.code,
        Action.new_draft,
        description,
        notes=notes,
        spec=spec,
        draft_content=source.content,
        draft_number=number,
    )


def _plan_draft_update(
    spec: StandardSpec, draft: StandardVersion, source: VersionSpec, reason: Msg, notes: list[Msg]
) -> StandardPlan:
    changed = _changed_fields(service.content_of(draft), source.content)
    if not changed:
        description = msg(
            N_("draft version %(draft)s already has the content of file version %(number)s"),
            draft=draft.number,
            number=source.number,
        )
        return StandardPlan(spec.code, Action.unchanged, description, notes=notes, spec=spec)
    description = msg(
        N_(
            "update draft version %(draft)s from file version %(number)s (%(reason)s); "
            "changed: %(fields)s"
        ),
        draft=draft.number,
        number=source.number,
        reason=reason,
        fields=_fields(changed),
    )
    return StandardPlan(
        spec.code,
        Action.update_draft,
        description,
        notes=notes,
        spec=spec,
        draft_content=source.content,
        draft_number=draft.number,
    )
