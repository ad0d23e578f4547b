"""Coverage of acknowledgments: who must acknowledge the standards in force and who has."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import Session, col, select

from frontline.figure_cache import FigureCache, fingerprint, markers_statement
from frontline.models import id_of
from staff import service as staff_service
from staff.models import Person, Team
from standards import reporting
from standards.models import (
    Acknowledgment,
    Standard,
    StandardVersion,
    VersionPosition,
    VersionStatus,
)


@dataclass
class Coverage:
    applicable: int
    acknowledged: int

    @property
    def outstanding(self) -> int:
        return self.applicable - self.acknowledged

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.applicable) if self.applicable else 100

    def worst_first(self) -> tuple[float, int]:
        """Sort key: the lowest share done first, then the most still outstanding."""
        share = self.acknowledged / self.applicable if self.applicable else 1.0
        return (share, -self.outstanding)


@dataclass
class TeamCoverage:
    team: Team
    # People who have acknowledged everything in force for their position, of those with any.
    people: Coverage
    # Acknowledgments given, of those due (people × versions), to size the remaining work.
    acknowledgments: Coverage


@dataclass
class CoverageReport:
    by_version: list[tuple[Standard, StandardVersion, Coverage]]
    by_team: list[TeamCoverage]


# Acknowledgments count only while they apply: to a version in force, for the person's position.
_STILL_APPLIES = and_(
    col(VersionPosition.version_id) == Acknowledgment.version_id,
    col(VersionPosition.position) == Person.position,
)


# The whole-region report reads every acknowledgment (a quarter of a million in a 5,000-staff
# region: ~0.4 s on SQLite), yet changes only when someone acknowledges, a person or team
# changes, or a version is published or retired: each worker keeps the last few reports.
_reports: FigureCache["CoverageReport"] = FigureCache(size=32)
_MARKERS = markers_statement([*staff_service.change_markers(), *reporting.change_markers()])


def report_key(session: Session, *, team_ids: Sequence[int] | None) -> tuple[Hashable, ...]:
    """What a coverage report depends on: its scope and the markers of its inputs."""
    scope = None if team_ids is None else tuple(sorted(team_ids))
    return (scope, fingerprint(session, _MARKERS))


def coverage(
    session: Session, *, team_ids: Sequence[int] | None, key: tuple[Hashable, ...] | None = None
) -> CoverageReport:
    """Who must acknowledge the standards in force and who has: per standard and per team.

    `key`: the report's `report_key`, when the caller has read it already. The report objects
    are shared between requests: read them, never change them.
    """
    key = key or report_key(session, team_ids=team_ids)
    return _reports.get(session, key, lambda: _compute(session, team_ids=team_ids))


def _compute(session: Session, *, team_ids: Sequence[int] | None) -> CoverageReport:
    """Who must acknowledge the standards in force and who has: per standard and per team.

    Grouped queries (people per team and position, positions per version in force,
    acknowledgments per version and team and per person, each still applicable to the
    person's current position) and a small roll-up of their results. Both tables are
    sorted worst first, so the teams and standards that need a push come first.
    """
    in_scope = [col(Person.active).is_(True)]
    if team_ids is not None:
        in_scope.append(col(Person.team_id).in_(list(team_ids)))
    people = _People.count(session, in_scope=in_scope)
    versions = session.exec(
        select(Standard, StandardVersion)
        .join(StandardVersion, col(StandardVersion.id) == Standard.current_version_id)
        .where(StandardVersion.status == VersionStatus.published)
        .order_by(col(Standard.code))
    ).all()
    in_force = {id_of(version): version for _, version in versions}
    done_by_version, done_by_team = _acknowledgments_by_version_and_team(
        session, in_scope=in_scope, in_force=in_force
    )
    by_version = []
    versions_naming: dict[str, int] = {}
    for standard, version in versions:
        for position in version.positions:
            versions_naming[position] = versions_naming.get(position, 0) + 1
        due = sum(people.by_position.get(p, 0) for p in version.positions)
        if due:
            by_version.append(
                (standard, version, Coverage(due, done_by_version.get(id_of(version), 0)))
            )
    by_version.sort(key=lambda row: (row[2].worst_first(), row[0].code))
    people_done_by_team = _people_done_by_team(
        session, in_scope=in_scope, in_force=in_force, versions_naming=versions_naming
    )
    by_team = _by_team(session, people, versions_naming, done_by_team, people_done_by_team)
    return CoverageReport(by_version=by_version, by_team=by_team)


@dataclass
class _People:
    """Active people with a position, counted per position and per team and position."""

    by_position: dict[str, int]
    by_team_position: dict[int | None, dict[str, int]]

    @classmethod
    def count(cls, session: Session, *, in_scope: Sequence[ColumnElement[bool]]) -> "_People":
        rows = session.exec(
            select(Person.team_id, Person.position, func.count())
            .where(*in_scope, col(Person.position).is_not(None))
            .group_by(col(Person.team_id), col(Person.position))
        ).all()
        people = cls(by_position={}, by_team_position={})
        for team_id, position, n in rows:
            key = str(getattr(position, "value", position))
            people.by_position[key] = people.by_position.get(key, 0) + n
            people.by_team_position.setdefault(team_id, {})[key] = n
        return people


def _acknowledgments_by_version_and_team(
    session: Session,
    *,
    in_scope: Sequence[ColumnElement[bool]],
    in_force: dict[int, StandardVersion],
) -> tuple[dict[int, int], dict[int | None, int]]:
    """Acknowledgments of the versions in force that still apply, per version and per team."""
    acknowledged = session.exec(
        select(Acknowledgment.version_id, Person.team_id, func.count())
        .join(Person, col(Person.id) == Acknowledgment.person_id)
        .join(VersionPosition, _STILL_APPLIES)
        .where(*in_scope)
        # Team first: SQLite then walks people by the team index and each person's
        # acknowledgments by the (person_id, version_id) index, 3× faster than the other way.
        .group_by(col(Person.team_id), col(Acknowledgment.version_id))
    ).all()
    done_by_version: dict[int, int] = {}
    done_by_team: dict[int | None, int] = {}
    for version_id, team_id, n in acknowledged:
        if version_id in in_force:
            done_by_version[version_id] = done_by_version.get(version_id, 0) + n
            done_by_team[team_id] = done_by_team.get(team_id, 0) + n
    return done_by_version, done_by_team


def _people_done_by_team(
    session: Session,
    *,
    in_scope: Sequence[ColumnElement[bool]],
    in_force: dict[int, StandardVersion],
    versions_naming: dict[str, int],
) -> dict[int | None, int]:
    """Per team, the people who have acknowledged every version in force for their position."""
    acknowledged_by_person = session.exec(
        select(Person.team_id, Person.position, func.count())
        .select_from(Acknowledgment)
        .join(Person, col(Person.id) == Acknowledgment.person_id)
        .join(VersionPosition, _STILL_APPLIES)
        .where(*in_scope, col(Acknowledgment.version_id).in_(list(in_force)))
        .group_by(col(Person.team_id), col(Person.id))
    ).all()
    people_done_by_team: dict[int | None, int] = {}
    for team_id, position, n in acknowledged_by_person:
        key = str(getattr(position, "value", position))
        if n >= versions_naming.get(key, 0) > 0:
            people_done_by_team[team_id] = people_done_by_team.get(team_id, 0) + 1
    return people_done_by_team


def _by_team(
    session: Session,
    people: _People,
    versions_naming: dict[str, int],
    done_by_team: dict[int | None, int],
    people_done_by_team: dict[int | None, int],
) -> list[TeamCoverage]:
    """Each team with anything due, worst first."""
    due_by_team = {
        team_id: sum(n * versions_naming.get(p, 0) for p, n in positions.items())
        for team_id, positions in people.by_team_position.items()
    }
    people_due_by_team = {
        team_id: sum(n for p, n in positions.items() if versions_naming.get(p))
        for team_id, positions in people.by_team_position.items()
    }
    teams = session.exec(
        select(Team).where(col(Team.id).in_([t for t, due in due_by_team.items() if t and due]))
    ).all()
    by_team = [
        TeamCoverage(
            team=team,
            people=Coverage(people_due_by_team[team.id], people_done_by_team.get(team.id, 0)),
            acknowledgments=Coverage(due_by_team[team.id], done_by_team.get(team.id, 0)),
        )
        for team in teams
    ]
    by_team.sort(
        key=lambda tc: (tc.people.worst_first(), tc.acknowledgments.worst_first(), tc.team.name)
    )
    return by_team


def applicable_count(session: Session, *, person: Person) -> int:
    """How many versions in force apply to this person's position."""
    if person.position is None:
        return 0
    return session.exec(
        select(func.count())
        .select_from(StandardVersion)
        .join(VersionPosition, col(VersionPosition.version_id) == StandardVersion.id)
        .where(
            StandardVersion.status == VersionStatus.published,
            VersionPosition.position == person.position.value,
        )
    ).one()
