"""Small helpers that build rows through the services, as the app itself would."""

from itertools import count

from frontline.db import Database
from staff import service, units
from staff.models import Branch, Person, Position, Role, Team

PASSWORD = "Correct-horse-42"
_seq = count(1)


def make_branch(db: Database, *, code: str | None = None, name: str = "测试支行") -> Branch:
    with db.session() as session:
        return units.save_branch(
            session,
            branch=None,
            code=code or f"BR{next(_seq):04d}",
            name=name,
            region="",
            active=True,
            actor_id=None,
        )


def make_team(
    db: Database,
    *,
    branch: Branch | None = None,
    name: str | None = None,
    supervisors: list[Person] | None = None,
) -> Team:
    branch = branch or make_branch(db)
    with db.session() as session:
        return units.save_team(
            session,
            team=None,
            branch_id=branch.id,  # type: ignore[arg-type]
            name=name or f"Team {next(_seq)}",
            active=True,
            supervisor_ids=[p.id for p in supervisors or []],  # type: ignore[misc]
            actor_id=None,
        )


def make_person(
    db: Database,
    *,
    role: Role = Role.employee,
    position: Position | None = None,
    team: Team | None = None,
    employee_no: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    active: bool = True,
    locale: str | None = None,
) -> Person:
    number = next(_seq)
    with db.session() as session:
        return service.create_person(
            session,
            employee_no=employee_no or f"T{number:05d}",
            name=name or f"员工{number}",
            role=role,
            position=position,
            team_id=team.id if team else None,
            password=password,
            locale=locale,
            active=active,
            actor_id=None,
        )


def supervise(db: Database, *, supervisor: Person, team: Team) -> None:
    with db.session() as session:
        current = units.supervisor_ids(session, team_id=team.id)  # type: ignore[arg-type]
        units.save_team(
            session,
            team=units.get_team(session, team_id=team.id),  # type: ignore[arg-type]
            branch_id=team.branch_id,
            name=team.name,
            active=team.active,
            supervisor_ids=[*current, supervisor.id],  # type: ignore[list-item]
            actor_id=None,
        )


def standard_content(**overrides: object) -> dict[str, object]:
    """Valid content for a service script; override any field."""
    content: dict[str, object] = {
        "category": "greeting",
        "channels": ["counter"],
        "positions": ["teller"],
        "severity": "major",
        "title_zh": "柜面迎客",
        "title_en": "Greeting at the counter",
        "body_zh": "客户走近时主动问候。",
        "body_en": "Greet the customer first.",
        "steps": [{"zh": "举手招迎", "en": "Raise a hand"}],
        "required_phrases": [{"text": "您好!", "en": "Hello!", "variants": ["您好"]}],
        "forbidden_phrases": [{"text": "没看见我忙吗?", "en": "Can't you see I'm busy?"}],
        "good_practice_zh": "",
        "good_practice_en": "",
        "bad_practice_zh": "",
        "bad_practice_en": "",
    }
    content.update(overrides)
    return content


def make_standard(
    db: Database,
    *,
    code: str | None = None,
    kind: str = "script",
    publish: bool = True,
    effective: str = "2026-01-01",
    **overrides: object,
):  # type: ignore[no-untyped-def]
    """A standard with version 1, published unless publish=False; returns (standard, version)."""
    from datetime import date

    from standards import service as standards_service
    from standards.models import Kind
    from standards.schemas import VersionContent

    if kind == "rule":
        overrides.setdefault("category", "attitude")
    content = VersionContent.model_validate(standard_content(**overrides), context={"kind": kind})
    with db.session() as session:
        standard, version = standards_service.create_standard(
            session,
            code=code or f"TST-{next(_seq):03d}",
            kind=Kind(kind),
            content=content,
            actor_id=None,
        )
        if publish:
            standards_service.publish(
                session,
                standard=standard,
                version=version,
                effective_date=date.fromisoformat(effective),
                change_note="首次发布",
                actor_id=None,
            )
        return standard, version


def publish_new_version(
    db: Database,
    code: str,
    *,
    effective: str = "2026-06-01",
    change_note: str = "改版",
    **overrides: object,
):  # type: ignore[no-untyped-def]
    """The next version of standard `code`, published: a copy of the one in force, or with
    `overrides` the content `standard_content(**overrides)`. Returns the new version."""
    from datetime import date

    from standards import service as standards_service
    from standards.schemas import VersionContent

    with db.session() as session:
        standard = standards_service.get_by_code(session, code=code)
        assert standard is not None, code
        content = None
        if overrides:
            context = {"kind": standard.kind.value}
            content = VersionContent.model_validate(standard_content(**overrides), context=context)
        draft = standards_service.new_draft(
            session, standard=standard, actor_id=None, content=content
        )
        standards_service.publish(
            session,
            standard=standard,
            version=draft,
            effective_date=date.fromisoformat(effective),
            change_note=change_note,
            actor_id=None,
        )
        return draft
