"""Checklists and audits for the tablet-flow tests, built with the models as the template
service would publish them (the authoring pages have tests of their own)."""

from dataclasses import dataclass
from itertools import count
from typing import Any

from audits.models import (
    AuditTemplate,
    Scoring,
    Subject,
    TemplateItem,
    TemplateSection,
    TemplateStatus,
    TemplateVersion,
)
from frontline.db import Database
from frontline.models import utcnow
from staff.models import Person, Role, Team
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person, make_team

_seq = count(1)


def make_checklist(
    db: Database,
    *,
    code: str | None = None,
    subject: Subject = Subject.employee,
    scoring: Scoring = Scoring.deduction,
    sections: list[tuple[str, list[dict[str, Any]]]] | None = None,
) -> tuple[AuditTemplate, TemplateVersion, list[TemplateItem]]:
    """A published template; each item dict may set code, points, veto, na_allowed,
    per_occurrence, standard_code."""
    code = code or f"CHK-{next(_seq):02d}"
    sections = sections or [
        ("服务礼仪", [{"points": 3}, {"points": 10, "per_occurrence": 2}]),
        ("合规", [{"points": 5, "na_allowed": True}, {"veto": True}]),
    ]
    with db.session() as session:
        template = AuditTemplate(code=code, subject=subject)
        session.add(template)
        session.flush()
        version = TemplateVersion(
            template_id=template.id,  # type: ignore[arg-type]
            number=1,
            status=TemplateStatus.published,
            title_zh="柜面服务检查",
            title_en="Counter service check",
            scoring=scoring,
            published_at=utcnow(),
        )
        session.add(version)
        session.flush()
        items: list[TemplateItem] = []
        position = 0
        for s_index, (title, docs) in enumerate(sections):
            section = TemplateSection(
                version_id=version.id,  # type: ignore[arg-type]
                position=s_index,
                title_zh=title,
                title_en=f"Section {s_index + 1}",
            )
            session.add(section)
            session.flush()
            for doc in docs:
                item = TemplateItem(
                    version_id=version.id,  # type: ignore[arg-type]
                    section_id=section.id,  # type: ignore[arg-type]
                    position=position,
                    code=doc.get("code", f"{code}-{position + 1:02d}"),
                    text_zh=doc.get("text", f"检查项 {position + 1}"),
                    text_en=f"Check {position + 1}",
                    guidance_zh="看是否做到",
                    na_allowed=doc.get("na_allowed", False),
                    veto=doc.get("veto", False),
                    points=doc.get("points", 0.0),
                    per_occurrence=doc.get("per_occurrence"),
                    standard_code=doc.get("standard_code"),
                )
                session.add(item)
                items.append(item)
                position += 1
        session.flush()
        template.current_version_id = version.id
        session.add(template)
        return template, version, items


@dataclass
class Branch:
    supervisor: Person
    team: Team
    employee: Person
    stranger: Person  # in another supervisor's team


def make_branch_staff(db: Database) -> Branch:
    supervisor = make_person(db, role=Role.supervisor)
    team = make_team(db, supervisors=[supervisor])
    employee = make_person(db, team=team, name="张伟")
    stranger = make_person(db, team=make_team(db), name="别组员工")
    return Branch(supervisor, team, employee, stranger)


def signed_in(make_client: Any, person: Person) -> FrontlineClient:
    client = make_client()
    client.login(person.employee_no, PASSWORD)
    client.token = client.csrf_token("/")
    return client  # type: ignore[no-any-return]


def start(client: FrontlineClient, template: AuditTemplate, **fields: Any) -> int:
    """Start an audit through the form; returns its id."""
    data = {
        "template": template.code,
        "start_key": fields.pop("start_key", f"key-{next(_seq):06d}-abcdefghijkl"),
        "method": "on_site",
        "observed_at": "2026-11-20T10:30",
        **fields,
    }
    response = client.post("/audits/new", data={"csrf_token": client.token, **data})  # type: ignore[attr-defined]
    assert response.status_code == 303, response.text[:800]
    return int(response.headers["location"].rsplit("/", 1)[1])


def tap(
    client: FrontlineClient,
    audit_id: int,
    item_id: int,
    *,
    seq: int,
    outcome: str = "pass",
    occurrences: int = 0,
    note: str = "",
    op: str | None = None,
) -> Any:
    return client.post(
        f"/audits/{audit_id}/items/{item_id}",
        data={
            "outcome": outcome,
            "occurrences": str(occurrences),
            "note": note,
            "seq": str(seq),
            "op": op or f"op-{item_id}-{seq}",
        },
        headers={"X-CSRF-Token": client.token, "X-Audit-Client": "1"},  # type: ignore[attr-defined]
    )
