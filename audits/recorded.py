"""Recorded audits: results that mystery-shopper firms and call-QA teams deliver as files,
stored as submitted audits and scored exactly as if tapped in.

Every entry is checked (template, version, subject, auditor, method, time, one result per
item) and every problem is reported with its place (a YAML line, or a spreadsheet row and
column); when there is any, nothing is stored. An entry whose audit was already imported
(same template, subject, auditor and time) is refused, so importing a file twice adds nothing.
The file shapes are read in audits/recorded_files.py; this module checks and stores entries.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, select

from audits import templates as template_service
from audits.models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    BusinessType,
    Channel,
    ItemResult,
    Method,
    Source,
    Subject,
    TemplateItem,
    TemplateStatus,
    TemplateVersion,
)
from audits.recorded_entry import Answer, Entry, EntryProblem, Place, answers_of
from audits.scoring import write_score
from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.settings import get_settings
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person
from standards.library_file.problems import short

MAX_ENTRIES = 5000
ENTRY_KEYS = (
    "template",
    "template_version",
    "employee",
    "branch",
    "method",
    "observed_at",
    "auditor",
    "channel",
    "business_type",
    "wait_minutes",
    "satisfaction",
    "notes",
    "results",
)


@dataclass
class RecordedAudit:
    """One entry, checked: everything needed to store it."""

    place: Place
    template: AuditTemplate
    version: TemplateVersion
    items: list[TemplateItem]
    subject_person: Person | None
    branch_id: int | None
    auditor: Person
    method: Method
    observed_at: datetime
    channel: Channel | None
    business_type: BusinessType | None
    wait_minutes: int | None
    satisfaction: int | None
    notes: str
    answers: dict[int, Answer]


@dataclass
class Checked:
    audits: list[RecordedAudit] = field(default_factory=list)
    problems: list[EntryProblem] = field(default_factory=list)


def check_entries(
    session: Session, entries: list[tuple[dict[str, Any], Place, dict[str, Place]]]
) -> Checked:
    """Check every entry; `places` maps a key (or an item code) to where its value is."""
    out = Checked()
    if len(entries) > MAX_ENTRIES:
        out.problems.append(
            EntryProblem(Place(1), N_("At most %(max)s audits in one file."), {"max": MAX_ENTRIES})
        )
        return out
    if not entries:
        out.problems.append(EntryProblem(Place(1), N_("The file has no audits.")))
        return out
    seen: dict[tuple[Any, ...], Place] = {}
    for raw, place, places in entries:
        recorded = _check_entry(session, Entry(raw, place, places, out.problems))
        if recorded is None:
            continue
        key = _identity(recorded)
        if key in seen or _already_recorded(session, recorded):
            out.problems.append(
                EntryProblem(
                    place,
                    N_(
                        "This audit is already recorded (same template, subject, auditor and time)."
                    ),
                )
            )
            continue
        seen[key] = place
        out.audits.append(recorded)
    out.problems.sort(key=lambda found: found.place.line)
    return out


def _check_entry(session: Session, entry: Entry) -> RecordedAudit | None:
    for key in entry.raw:
        if key not in ENTRY_KEYS:
            entry.problem(
                str(key),
                N_("%(name)s: unknown field (the fields are: %(allowed)s)."),
                name=short(key),
                allowed=", ".join(ENTRY_KEYS),
            )
    found = _template_version(session, entry)
    subject = _subject(session, entry, found[0] if found else None)
    auditor = _person(session, entry, "auditor", required=True)
    method = entry.choice("method", Method, required=True)
    observed_at = _observed_at(entry)
    channel = entry.choice("channel", Channel, required=False)
    business_type = entry.choice("business_type", BusinessType, required=False)
    wait_minutes = entry.whole("wait_minutes", 0, 1440)
    satisfaction = entry.whole("satisfaction", 1, 5)
    notes = entry.text("notes", limit=4000)
    if found is None:
        return None
    template, version, items = found
    answers = answers_of(entry, items)
    if entry.failed or subject is None or auditor is None or method is None:
        return None
    if observed_at is None:
        return None
    person, branch_id = subject
    return RecordedAudit(
        entry.place,
        template,
        version,
        items,
        person,
        branch_id,
        auditor,
        method,
        observed_at,
        channel,
        business_type,
        wait_minutes,
        satisfaction,
        notes,
        answers,
    )


def _template_version(
    session: Session, entry: Entry
) -> tuple[AuditTemplate, TemplateVersion, list[TemplateItem]] | None:
    code = entry.text("template", required=True, limit=32)
    if not code:
        return None
    template = template_service.get_by_code(session, code=code)
    if template is None:
        entry.problem("template", N_("There is no template %(code)s."), code=short(code))
        return None
    number = entry.raw.get("template_version")
    if number is None or number == "":
        version = template_service.current_version(session, template=template)
    else:
        try:
            version = template_service.get_version(
                session, template=template, number=int(str(number))
            )
        except ValueError:
            version = None
    usable = version is not None and version.status != TemplateStatus.draft
    if version is None or not usable:
        entry.problem(
            "template_version" if number else "template",
            N_("%(code)s has no published version %(number)s."),
            code=code,
            number=number or "",
        )
        return None
    return template, version, template_service.items_of(session, version_id=id_of(version))


def _subject(
    session: Session, entry: Entry, template: AuditTemplate | None
) -> tuple[Person | None, int | None] | None:
    if template is None:
        return None
    if template.subject == Subject.branch:
        code = entry.text("branch", required=True, limit=16)
        if entry.raw.get("employee"):
            entry.problem(
                "employee",
                N_("%(code)s checks a branch: give branch, not employee."),
                code=template.code,
            )
        branch = staff_units.get_branch_by_code(session, code=code) if code else None
        if code and branch is None:
            entry.problem("branch", N_("There is no branch %(code)s."), code=short(code))
        return (None, branch.id) if branch else None
    if entry.raw.get("branch"):
        entry.problem(
            "branch",
            N_("%(code)s checks an employee: give employee, not branch."),
            code=template.code,
        )
    person = _person(session, entry, "employee", required=True)
    if person is None:
        return None
    team = staff_units.get_team(session, team_id=person.team_id) if person.team_id else None
    return person, team.branch_id if team else None


def _person(session: Session, entry: Entry, key: str, *, required: bool) -> Person | None:
    number = entry.text(key, required=required, limit=32)
    if not number:
        return None
    person = staff_service.get_by_employee_no(session, employee_no=number)
    if person is None:
        entry.problem(
            key, N_("There is no employee with the number %(number)s."), number=short(number)
        )
    return person


def _observed_at(entry: Entry) -> datetime | None:
    value = entry.raw.get("observed_at")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(12, 0))
    if not isinstance(value, datetime):
        entry.problem(
            "observed_at",
            N_("observed_at must be a date and time such as 2026-11-20T10:30:00+08:00."),
        )
        return None
    if value.tzinfo is None:  # a local time at the bank
        value = value.replace(tzinfo=get_settings().zone())
    value = value.astimezone(UTC)
    if value > utcnow():
        entry.problem("observed_at", N_("observed_at is in the future."))
        return None
    return value


def _identity(recorded: RecordedAudit) -> tuple[Any, ...]:
    person_id = recorded.subject_person.id if recorded.subject_person else None
    return (
        recorded.template.id,
        person_id,
        recorded.branch_id,
        recorded.auditor.id,
        recorded.observed_at,
    )


def _already_recorded(session: Session, recorded: RecordedAudit) -> bool:
    person_id = recorded.subject_person.id if recorded.subject_person else None
    query = select(Audit.id).where(
        Audit.template_id == recorded.template.id,
        Audit.subject_person_id == person_id,
        Audit.auditor_id == recorded.auditor.id,
        Audit.observed_at == recorded.observed_at,
    )
    if person_id is None:
        query = query.where(Audit.branch_id == recorded.branch_id)
    return session.exec(query).first() is not None


def store(session: Session, *, checked: Checked, actor_id: int | None, ip: str = "") -> list[Audit]:
    """Store checked entries as submitted audits (the caller's transaction: all or nothing)."""
    assert not checked.problems
    stored = []
    for recorded in checked.audits:
        audit = _store_one(session, recorded)
        audit_trail.record(
            session,
            action="audit.import",
            actor_id=actor_id,
            target_type="audit",
            target_id=audit.id,
            detail={
                "template": recorded.template.code,
                "version": recorded.version.number,
                "score": audit.score,
                "veto_breached": audit.veto_breached,
            },
            ip=ip,
        )
        stored.append(audit)
    return stored


def _store_one(session: Session, recorded: RecordedAudit) -> Audit:
    person = recorded.subject_person
    now = utcnow()
    audit = Audit(
        template_id=id_of(recorded.template),
        template_version_id=id_of(recorded.version),
        subject_person_id=person.id if person else None,
        team_id=person.team_id if person else None,
        branch_id=recorded.branch_id,
        auditor_id=id_of(recorded.auditor),
        method=recorded.method,
        channel=recorded.channel,
        business_type=recorded.business_type,
        observed_at=recorded.observed_at,
        wait_minutes=recorded.wait_minutes,
        satisfaction=recorded.satisfaction,
        notes=recorded.notes,
        status=AuditStatus.submitted,
        source=Source.imported,
        submitted_at=now,
    )
    session.add(audit)
    session.flush()
    results = [
        ItemResult(
            audit_id=id_of(audit),
            item_id=item_id,
            outcome=answer.outcome,
            occurrences=answer.occurrences,
            note=answer.note,
            saved_at=now,
        )
        for item_id, answer in recorded.answers.items()
    ]
    write_score(audit, scoring=recorded.version.scoring, items=recorded.items, results=results)
    session.add_all([audit, *results])
    session.flush()
    return audit
