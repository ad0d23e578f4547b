"""A small bank whose every scorecard figure is worked out by hand in the tests.

Period: November 2026 in Asia/Shanghai (UTC+8), so 2026-11-30 23:59 local is 15:59 UTC and
2026-12-01 00:00 local is 2026-11-30 16:00 UTC: the edges below sit on either side.

Region 华北: branch 一支行 (teams 柜面一组 T1, 大堂组 T2). Region 华东: branch 二支行 (team T3).
People: 甲 (teller, T1), 乙 (teller, T1), 丙 (lobby manager, T2), 丁 (teller, T3),
移 (teller, moved from T3 to T1 on 2026-11-15), 主管 (supervisor of T1), HR, admin.

Standards (positions): V1 teller, published 2026-10-05; V2 teller, published 2026-11-30
23:59 local (due in November); V3 teller, published 2026-12-01 00:00 local (not due);
V4 lobby manager, published 2026-10-01.
Acknowledgments: 甲 V1 (Oct) and V2 (11-30 23:59:30 local: in time); 乙 V1 at 12-01 00:00:30
local (too late for November); 丙 V4; 移 V1 (Nov 20). 丁 none.

So for November, acknowledgments (due, given): 甲 (2, 2) 100; 乙 (2, 0) 0; 丙 (1, 1) 100;
丁 (2, 0) 0; 移 (2, 1) 50.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from frontline.db import Database
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person, Position, Role, Team
from standards import acknowledgments
from standards.models import StandardVersion
from tests.factories import make_branch, make_person, make_standard, make_team, supervise

ZONE = ZoneInfo("Asia/Shanghai")
PERIOD = {"period": "2026-11"}


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).astimezone(UTC)


@dataclass
class Bank:
    t1: Team
    t2: Team
    t3: Team
    jia: Person
    yi: Person
    bing: Person
    ding: Person
    mover: Person
    supervisor: Person
    hr: Person
    admin: Person
    branch1_id: int
    branch2_id: int


def _published_at(db: Database, version: StandardVersion, when: datetime) -> None:
    with db.session() as session:
        row = session.get(StandardVersion, version.id)
        assert row is not None
        row.published_at = when
        session.add(row)


def _acknowledged(db: Database, person: Person, version: StandardVersion, when: datetime) -> None:
    with db.session() as session:
        ack = acknowledgments.acknowledge(
            session, person=person, version=version, opened_at=when, reached_at=None
        )
        ack.acknowledged_at = when
        session.add(ack)


def _standard(db: Database, code: str, position: str, published: str) -> StandardVersion:
    _, version = make_standard(db, code=code, positions=[position])
    _published_at(db, version, local(published))
    return version


def build(db: Database) -> Bank:
    b1 = make_branch(db, code="HB01", name="一支行")
    b2 = make_branch(db, code="HD01", name="二支行")
    with db.session() as session:
        for branch, region in ((b1, "华北"), (b2, "华东")):
            staff_units.save_branch(
                session,
                branch=session.merge(branch),
                code=branch.code,
                name=branch.name,
                region=region,
                active=True,
                actor_id=None,
            )
    t1 = make_team(db, branch=b1, name="柜面一组")
    t2 = make_team(db, branch=b1, name="大堂组")
    t3 = make_team(db, branch=b2, name="柜面三组")
    teller = Position.teller
    jia = make_person(db, position=teller, team=t1, name="甲", employee_no="E0001")
    yi = make_person(db, position=teller, team=t1, name="乙", employee_no="E0002")
    bing = make_person(db, position=Position.lobby_manager, team=t2, name="丙", employee_no="E0003")
    ding = make_person(db, position=teller, team=t3, name="丁", employee_no="E0004")
    mover = make_person(db, position=teller, team=t3, name="移", employee_no="E0005")
    supervisor = make_person(db, role=Role.supervisor, team=t1, name="主管", employee_no="S0001")
    supervise(db, supervisor=supervisor, team=t1)
    hr = make_person(db, role=Role.hr, name="人力", employee_no="H0001")
    admin = make_person(db, role=Role.admin, name="管理员", employee_no="A0001")

    v1 = _standard(db, "SCA-01", "teller", "2026-10-05 09:00")
    v2 = _standard(db, "SCA-02", "teller", "2026-11-30 23:59")
    v3 = _standard(db, "SCA-03", "teller", "2026-12-01 00:00")
    v4 = _standard(db, "SCA-04", "lobby_manager", "2026-10-01 09:00")
    _acknowledged(db, jia, v1, local("2026-10-10 10:00"))
    _acknowledged(db, jia, v2, local("2026-11-30 23:59:30"))
    _acknowledged(db, yi, v1, local("2026-12-01 00:00:30"))
    _acknowledged(db, bing, v4, local("2026-10-02 10:00"))
    _acknowledged(db, mover, v1, local("2026-11-20 10:00"))
    del v3  # published after November: due for nobody in the period
    _moved(db, mover, t1)
    return Bank(t1, t2, t3, jia, yi, bing, ding, mover, supervisor, hr, admin, b1.id, b2.id)  # type: ignore[arg-type]


def _moved(db: Database, person: Person, team: Team) -> None:
    with db.session() as session:
        staff_service.update_person(
            session, person=session.merge(person), changes={"team_id": team.id}, actor_id=None
        )


def more_acknowledgments(db: Database, bank: Bank) -> None:
    """More rows of every kind the figures read: a new teller standard, acknowledged by some."""
    version = _standard(db, "SCA-09", "teller", "2026-11-02 09:00")
    for person in (bank.yi, bank.ding):
        _acknowledged(db, person, version, local("2026-11-03 10:00"))
