"""Generate a region-sized bank for benchmarks: branches, teams, people, the demo library
plus generated standards, and a realistic share of acknowledgments.

    python -m benchmarks.generate --url sqlite:///bench.db --staff 5000

Rows are inserted in bulk (Core inserts), not through the services, so a 5,000-person
region loads in seconds; the schema comes from the real migrations. Each domain after
standards adds its own months of data from `benchmarks/data_<domain>.py` (a
`generate(session, rng) -> dict[str, int]` there), in the registry's dependency order.
"""

import argparse
import importlib.util
import random
import sys
import time
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from frontline.db import Database
from frontline.domains import DOMAINS
from frontline.migrate import upgrade
from staff.models import Branch, Person, Position, Role, Team, TeamSupervisor
from standards import demo as standards_demo
from standards import search as library_search
from standards import service as standards_service
from standards.models import Acknowledgment, Kind, StandardVersion, VersionStatus
from standards.schemas import VersionContent

FRONT_LINE = [
    Position.teller,
    Position.lobby_manager,
    Position.relationship_manager,
    Position.call_agent,
]


def generate(
    url: str, *, staff: int, extra_standards: int, ack_share: float, seed: int = 7
) -> dict[str, int]:
    rng = random.Random(seed)
    upgrade(url)
    database = Database(url)
    now = datetime.now(UTC)
    teams_per_branch, people_per_team = 5, 25
    branches = max(1, staff // (teams_per_branch * people_per_team))
    with database.session() as session:
        standards_demo.load(session)
        library = library_search.search(
            session, filters=library_search.LibraryFilters(), limit=1000
        )[0]
        # Library rows are cards (no body): the template is the first script's full version.
        script_id = next(v.id for s, v in library if s.kind == Kind.script)
        template = standards_service.content_of(session.get_one(StandardVersion, script_id))
        for i in range(extra_standards):
            content = VersionContent.model_validate(
                {
                    **template,
                    "title_zh": f"生成标准 {i}",
                    "title_en": f"Generated standard {i}",
                    "positions": [rng.choice(FRONT_LINE).value],
                },
                context={"kind": Kind.script},
            )
            standard, version = standards_service.create_standard(
                session, code=f"GEN-{i:03d}", kind=Kind.script, content=content, actor_id=None
            )
            standards_service.publish(
                session,
                standard=standard,
                version=version,
                effective_date=date(2026, 1, 1),
                change_note="generated",
                actor_id=None,
            )
        session.execute(
            insert(Branch),
            [
                {
                    "code": f"B{b:04d}",
                    "name": f"网点 {b}",
                    "region": "华东",
                    "active": True,
                    "created_at": now,
                }
                for b in range(branches)
            ],
        )
        branch_ids = list(session.execute(select(Branch.id)).scalars())
        session.execute(
            insert(Team),
            [
                {"branch_id": b, "name": f"团队 {t}", "active": True, "created_at": now}
                for b in branch_ids
                for t in range(teams_per_branch)
            ],
        )
        team_ids = list(session.execute(select(Team.id)).scalars())
        people = []
        for n in range(staff):
            team = team_ids[n % len(team_ids)]
            supervisor = n < len(team_ids)
            people.append(
                {
                    "employee_no": f"P{n:06d}",
                    "name": f"员工{n}",
                    "email": "",
                    "role": (Role.supervisor if supervisor else Role.employee).value,
                    "position": (
                        Position.team_leader if supervisor else rng.choice(FRONT_LINE)
                    ).value,
                    "team_id": team,
                    "active": True,
                    "locale": None,
                    "password_hash": "",
                    "must_change_password": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        session.execute(insert(Person.__table__), people)
        rows = session.execute(select(Person.id, Person.team_id, Person.position)).all()
        session.execute(
            insert(TeamSupervisor.__table__),
            [
                {"team_id": team_id, "person_id": person_id}
                for person_id, team_id, position in rows
                if position == Position.team_leader
            ],
        )
        published = session.execute(
            select(StandardVersion.id, StandardVersion.positions).where(
                StandardVersion.status == VersionStatus.published
            )
        ).all()
        acks = [
            {"person_id": person_id, "version_id": version_id, "acknowledged_at": now}
            for person_id, _team, position in rows
            for version_id, positions in published
            if position in positions and rng.random() < ack_share
        ]
        for start in range(0, len(acks), 20_000):
            session.execute(insert(Acknowledgment.__table__), acks[start : start + 20_000])
        counts = {
            "branches": branches,
            "teams": len(team_ids),
            "people": staff,
            "published_versions": len(published),
            "acknowledgments": len(acks),
        }
        for name in DOMAINS:
            if importlib.util.find_spec(f"benchmarks.data_{name}") is not None:
                module = importlib.import_module(f"benchmarks.data_{name}")
                started = time.perf_counter()
                counts |= module.generate(session, rng)
                print(f"  {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    database.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--extra-standards", type=int, default=200)
    parser.add_argument("--ack-share", type=float, default=0.7)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(
        args.url, staff=args.staff, extra_standards=args.extra_standards, ack_share=args.ack_share
    )
    print(counts, f"in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
