"""The demo bank's organisation and people (loaded by `frontline demo`)."""

from sqlmodel import Session

from staff import service, units
from staff.models import Position, Role

DEMO_PASSWORD = "Frontline2026"  # noqa: S105 - printed for the demo on purpose

BRANCHES = [
    ("BJ-CY01", "北京朝阳支行 Chaoyang Sub-branch", "北京分行 Beijing"),
    ("SH-PD02", "上海浦东支行 Pudong Sub-branch", "上海分行 Shanghai"),
]
TEAMS = [
    ("BJ-CY01", "柜面一组 Counter team 1"),
    ("BJ-CY01", "大堂与理财 Lobby & wealth"),
    ("SH-PD02", "远程客服 Call centre"),
]
# employee_no, name, role, position, team index (into TEAMS) or None, supervises (team indexes)
PEOPLE: list[tuple[str, str, Role, Position | None, int | None, tuple[int, ...]]] = [
    ("A0001", "系统管理员 Admin", Role.admin, None, None, ()),
    ("H0001", "人力 王芳 Wang Fang", Role.hr, None, None, ()),
    ("Q0001", "服务质量部 陈静 Chen Jing", Role.author, None, None, ()),
    ("Q0002", "培训中心 Li Ming", Role.author, None, None, ()),
    ("S1001", "刘建国", Role.supervisor, Position.branch_manager, 0, (0, 1)),
    ("S1002", "赵敏 Zhao Min", Role.supervisor, Position.team_leader, 1, (1,)),
    ("S2001", "孙丽 Sun Li", Role.supervisor, Position.team_leader, 2, (2,)),
    ("E1001", "张伟", Role.employee, Position.teller, 0, ()),
    ("E1002", "李娜", Role.employee, Position.teller, 0, ()),
    ("E1003", "王磊 Wang Lei", Role.employee, Position.teller, 0, ()),
    ("E1004", "刘洋", Role.employee, Position.teller, 0, ()),
    ("E1005", "陈晨 Chen Chen", Role.employee, Position.lobby_manager, 1, ()),
    ("E1006", "杨帆", Role.employee, Position.lobby_manager, 1, ()),
    ("E1007", "黄磊 Huang Lei", Role.employee, Position.relationship_manager, 1, ()),
    ("E1008", "周杰", Role.employee, Position.relationship_manager, 1, ()),
    ("E2001", "吴婷 Wu Ting", Role.employee, Position.call_agent, 2, ()),
    ("E2002", "郑浩", Role.employee, Position.call_agent, 2, ()),
    ("E2003", "何静 He Jing", Role.employee, Position.call_agent, 2, ()),
    ("E2004", "Emily Xu 徐艾米", Role.employee, Position.call_agent, 2, ()),
    ("E2005", "马超", Role.employee, Position.call_agent, 2, ()),
]


def is_loaded(session: Session) -> bool:
    return service.get_by_employee_no(session, employee_no=PEOPLE[0][0]) is not None


def load(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo organisation unless it is there; returns (employee_no, name, role)."""
    logins = [(no, name, role.value) for no, name, role, *_ in PEOPLE]
    if is_loaded(session):
        return logins
    branch_ids: dict[str, int] = {}
    for code, name, region in BRANCHES:
        branch = units.save_branch(
            session, branch=None, code=code, name=name, region=region, active=True, actor_id=None
        )
        branch_ids[code] = _id(branch.id)
    teams = [
        units.save_team(
            session,
            team=None,
            branch_id=branch_ids[code],
            name=name,
            active=True,
            supervisor_ids=[],
            actor_id=None,
        )
        for code, name in TEAMS
    ]
    supervisors: dict[int, list[int]] = {}
    for no, name, role, position, team_index, supervises in PEOPLE:
        person = service.create_person(
            session,
            employee_no=no,
            name=name,
            role=role,
            position=position,
            team_id=teams[team_index].id if team_index is not None else None,
            password=DEMO_PASSWORD,
            locale="zh_CN" if no.startswith("E1") else None,
            actor_id=None,
        )
        for index in supervises:
            supervisors.setdefault(index, []).append(_id(person.id))
    for index, person_ids in supervisors.items():
        team = teams[index]
        units.save_team(
            session,
            team=team,
            branch_id=team.branch_id,
            name=team.name,
            active=True,
            supervisor_ids=person_ids,
            actor_id=None,
        )
    return logins


def _id(value: int | None) -> int:
    assert value is not None, "flushed rows have ids"
    return value
