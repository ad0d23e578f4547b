"""The demo bank's checklists and six months of submitted audits (loaded by `frontline demo`).

Templates come from demo_templates.yaml through the templates file import: a counter service
sheet (deduction, per-occurrence and veto items), a lobby morning check whose subject is the
branch, and a phone-banking call check (weighted). Audits are drawn with a fixed seed so the
demo is the same every time: some people improve, some decline, a few breach a veto item.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session

from audits import templates as template_service
from audits.models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    BusinessType,
    Channel,
    ItemResult,
    Method,
    Outcome,
    Source,
    TemplateItem,
    TemplateVersion,
)
from audits.scoring import write_score
from audits.templates_file import apply_import, parse_templates, plan_import
from frontline.models import id_of, utcnow
from frontline.settings import get_settings
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person

TEMPLATES_FILE = Path(__file__).with_name("demo_templates.yaml")
DAYS = 182
SEED = 20261129


@dataclass(frozen=True)
class Plan:
    """Who is audited on what, how often, by whom, and how their failure rate moves."""

    employee_no: str
    template: str
    per_month: int
    auditor: str
    fail_start: float  # chance an item fails six months ago
    fail_end: float  # … and today
    veto_rate: float = 0.0


PLANS = (
    Plan("E1001", "CTR-01", 3, "S1001", 0.40, 0.03),  # improving
    Plan("E1002", "CTR-01", 3, "S1001", 0.10, 0.08),
    Plan("E1003", "CTR-01", 3, "S1001", 0.03, 0.38, veto_rate=0.15),  # declining
    Plan("E1004", "CTR-01", 2, "S1001", 0.12, 0.10, veto_rate=0.08),
    Plan("E1005", "CTR-01", 2, "S1002", 0.15, 0.10),
    Plan("E1006", "CTR-01", 2, "S1002", 0.08, 0.06),
    Plan("E1007", "CTR-01", 2, "S1002", 0.20, 0.12, veto_rate=0.1),
    Plan("E1008", "CTR-01", 2, "S1002", 0.10, 0.20),
    Plan("E2001", "PHN-QA", 5, "S2001", 0.35, 0.08),  # improving
    Plan("E2002", "PHN-QA", 4, "S2001", 0.10, 0.10),
    Plan("E2003", "PHN-QA", 4, "S2001", 0.04, 0.35, veto_rate=0.12),  # declining
    Plan("E2004", "PHN-QA", 4, "S2001", 0.15, 0.12),
    Plan("E2005", "PHN-QA", 4, "S2001", 0.20, 0.15),
)
# Branch, its lobby check's auditor, checks a month, failure chance.
BRANCH_PLANS = (("BJ-CY01", "S1001", 4, 0.12), ("SH-PD02", "S2001", 4, 0.18))
CHANNEL_OF = {"CTR-01": Channel.counter, "PHN-QA": Channel.phone, "LBY-01": Channel.lobby}
COUNTER_BUSINESS = (
    BusinessType.deposit_withdrawal,
    BusinessType.deposit_withdrawal,
    BusinessType.transfer,
    BusinessType.account_opening,
    BusinessType.card,
    BusinessType.wealth_product,
)
PHONE_BUSINESS = (
    BusinessType.enquiry,
    BusinessType.card,
    BusinessType.complaint,
    BusinessType.transfer,
)
NOTES = ("三次说“不知道”", "未二次征询", "离柜未致歉", "客户等候较久", "未唱收唱付")


def is_loaded(session: Session) -> bool:
    return template_service.get_by_code(session, code="CTR-01") is not None


def load(session: Session) -> list[str]:
    """The demo templates and audits, unless they are there already."""
    if is_loaded(session):
        return []
    specs, errors = parse_templates(session, TEMPLATES_FILE.read_text(encoding="utf-8"))
    plan = plan_import(session, specs=specs, errors=errors)
    if not plan.ok:
        raise RuntimeError("demo_templates.yaml: " + "; ".join(str(e) for e in plan.errors))
    apply_import(session, plan=plan, actor_id=None)
    count = load_audits(session)
    return [f"Audits: 3 checklist templates, {count} submitted audits over six months."]


@dataclass
class _Checklist:
    template: AuditTemplate
    version: TemplateVersion
    items: list[TemplateItem]


def _checklists(session: Session) -> dict[str, _Checklist]:
    found = {}
    for template, version in template_service.published_templates(session):
        items = template_service.items_of(session, version_id=id_of(version))
        found[template.code] = _Checklist(template, version, items)
    return found


def load_audits(session: Session) -> int:
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    checklists = _checklists(session)
    now = utcnow()
    count = 0
    for plan in PLANS:
        person = staff_service.get_by_employee_no(session, employee_no=plan.employee_no)
        auditor = staff_service.get_by_employee_no(session, employee_no=plan.auditor)
        if person is None or auditor is None:
            continue
        team = staff_units.get_team(session, team_id=person.team_id) if person.team_id else None
        for when in _moments(rng, plan.per_month, now):
            progress = 1 - (now - when).days / DAYS
            fail = plan.fail_start + (plan.fail_end - plan.fail_start) * progress
            _add_audit(
                session,
                rng,
                checklists[plan.template],
                when=when,
                auditor=auditor,
                person=person,
                branch_id=team.branch_id if team else None,
                fail=fail,
                # veto breaches follow the person's trend
                veto_rate=plan.veto_rate * fail / max(plan.fail_start, plan.fail_end),
            )
            count += 1
    for code, auditor_no, per_month, fail in BRANCH_PLANS:
        branch = staff_units.get_branch_by_code(session, code=code)
        auditor = staff_service.get_by_employee_no(session, employee_no=auditor_no)
        if branch is None or auditor is None:
            continue
        for when in _moments(rng, per_month, now, opening=True):
            _add_audit(
                session,
                rng,
                checklists["LBY-01"],
                when=when,
                auditor=auditor,
                person=None,
                branch_id=branch.id,
                fail=fail,
                veto_rate=0.0,
            )
            count += 1
    session.flush()
    return count


def _moments(
    rng: random.Random, per_month: int, now: datetime, *, opening: bool = False
) -> list[datetime]:
    """Weekday times at the branch over the last six months, about per_month a month."""
    zone = get_settings().zone()
    total = round(per_month * DAYS / 30)
    moments = []
    for _ in range(total):
        day = (now - timedelta(days=rng.randint(1, DAYS))).astimezone(zone).date()
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        hour = 8 if opening else rng.randint(9, 16)
        local = datetime.combine(day, time(hour, rng.choice((0, 10, 20, 30, 40, 50))), zone)
        moments.append(local.astimezone(UTC))
    return sorted(moments)


def _add_audit(
    session: Session,
    rng: random.Random,
    checklist: _Checklist,
    *,
    when: datetime,
    auditor: Person,
    person: Person | None,
    branch_id: int | None,
    fail: float,
    veto_rate: float,
) -> None:
    code = checklist.template.code
    method = _method(rng, code)
    audit = Audit(
        template_id=id_of(checklist.template),
        template_version_id=id_of(checklist.version),
        subject_person_id=person.id if person else None,
        team_id=person.team_id if person else None,
        branch_id=branch_id,
        auditor_id=id_of(auditor),
        method=method,
        channel=CHANNEL_OF.get(code),
        business_type=_business(rng, code),
        observed_at=when,
        wait_minutes=rng.randint(0, 25) if code == "CTR-01" else None,
        satisfaction=rng.choice((None, 3, 4, 4, 5, 5)) if person else None,
        status=AuditStatus.submitted,
        source=Source.imported if method == Method.mystery_shopper else Source.tapped,
        created_at=when,
        updated_at=when + timedelta(minutes=12),
        submitted_at=when + timedelta(minutes=12),
        acknowledged_at=when + timedelta(days=2) if person and rng.random() < 0.8 else None,
    )
    session.add(audit)
    session.flush()
    # veto_rate is the chance of a breach per audit, spread over the checklist's veto items
    per_veto_item = veto_rate / max(1, sum(item.veto for item in checklist.items))
    results = [
        _result(rng, id_of(audit), item, when, fail, per_veto_item) for item in checklist.items
    ]
    write_score(audit, scoring=checklist.version.scoring, items=checklist.items, results=results)
    session.add_all([audit, *results])


def _method(rng: random.Random, code: str) -> Method:
    if code == "PHN-QA":
        return Method.call_recording
    if code == "LBY-01":
        return Method.on_site
    return rng.choice((Method.on_site, Method.on_site, Method.cctv, Method.mystery_shopper))


def _business(rng: random.Random, code: str) -> BusinessType | None:
    if code == "CTR-01":
        return rng.choice(COUNTER_BUSINESS)
    if code == "PHN-QA":
        return rng.choice(PHONE_BUSINESS)
    return None


def _result(
    rng: random.Random,
    audit_id: int,
    item: TemplateItem,
    when: datetime,
    fail: float,
    veto_rate: float,
) -> ItemResult:
    occurrences = 0
    note = ""
    if item.veto:
        outcome = Outcome.failed if rng.random() < veto_rate else Outcome.passed
    elif item.na_allowed and rng.random() < 0.3:
        outcome = Outcome.na
    else:
        outcome = Outcome.failed if rng.random() < fail else Outcome.passed
    if outcome == Outcome.failed:
        note = rng.choice(NOTES)
        if item.per_occurrence is not None:
            occurrences = rng.choice((1, 1, 2, 3))
    return ItemResult(
        audit_id=audit_id,
        item_id=id_of(item),
        outcome=outcome,
        occurrences=occurrences,
        note=note,
        seq=1,
        saved_at=when,
    )
