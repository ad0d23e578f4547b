"""The demo bank's standards library, loaded from demo_library.yaml beside this module, with a
history of who acknowledged what, so the coverage figures have something to show."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from frontline.models import id_of, utcnow
from staff.models import Person
from standards.library_file import apply_import, parse_library, plan_import
from standards.models import Acknowledgment, Standard, StandardVersion, VersionStatus

DEMO_LIBRARY = Path(__file__).with_name("demo_library.yaml")
# Fixed, so every demo bank tells the same story.
ACKNOWLEDGMENT_SEED = 2026
# The correction published last: nobody has read it yet, so one coverage bar shows 0 %.
NOT_YET_READ = ("TXN-02", 2)
# A bank publishes a version about a week before it takes effect, during office hours
# (10:00 in Beijing).
PUBLISHED_BEFORE_EFFECTIVE = timedelta(days=7)
PUBLISH_TIME_UTC = time(2, 0, tzinfo=UTC)
# Staff read in office hours, 08:30-17:30 in Beijing.
WORKDAY_START_UTC = timedelta(minutes=30)
WORKDAY_MINUTES = 9 * 60


def load(session: Session) -> int:
    """Import the demo library and its acknowledgments unless the database has standards.

    Returns how many standards were created (0 when the library was there already, in which
    case nothing is written, so running the demo twice is safe).
    """
    if session.exec(select(Standard.id).limit(1)).first() is not None:
        return 0
    specs, errors = parse_library(DEMO_LIBRARY.read_text(encoding="utf-8"))
    if errors:
        details = "\n".join(f"{DEMO_LIBRARY.name}:{e.line}: {e.message}" for e in errors)
        raise RuntimeError(f"The demo standards library has errors:\n{details}")
    plan = apply_import(session, plan=plan_import(session, specs=specs), actor_id=None)
    now = utcnow()
    _date_the_history(session, now=now)
    _acknowledge(session, now=now)
    return plan.totals["created"]


@dataclass
class _Issued:
    code: str
    version: StandardVersion
    # When the next version replaced it (None while in force).
    replaced_at: datetime | None


def _published_at(effective: date, now: datetime) -> datetime:
    return min(datetime.combine(effective - PUBLISHED_BEFORE_EFFECTIVE, PUBLISH_TIME_UTC), now)


def _date_the_history(session: Session, *, now: datetime) -> None:
    """Give each issued version the day it was published rather than the moment of loading.

    published_at is not content, so the immutability trigger allows it.
    """
    for version in session.exec(
        select(StandardVersion).where(col(StandardVersion.status) != VersionStatus.draft)
    ):
        assert version.effective_date is not None, "issued versions have an effective date"
        version.published_at = _published_at(version.effective_date, now)
        session.add(version)
    session.flush()


def _issued_versions(session: Session) -> list[_Issued]:
    rows = session.exec(
        select(Standard.code, StandardVersion)
        .join(StandardVersion, col(StandardVersion.standard_id) == Standard.id)
        .where(col(StandardVersion.status).in_([VersionStatus.published, VersionStatus.superseded]))
        .order_by(col(Standard.code), col(StandardVersion.number))
    ).all()
    issued: list[_Issued] = []
    for code, version in rows:
        if issued and issued[-1].code == code:
            issued[-1].replaced_at = version.published_at
        issued.append(_Issued(code, version, None))
    return issued


def _acknowledge(session: Session, *, now: datetime) -> None:
    """A realistic spread: old versions read by nearly everyone, recent ones by most, some
    people behind, and the newest correction by nobody. Seeded, so it is the same each time."""
    rng = random.Random(ACKNOWLEDGMENT_SEED)  # noqa: S311 - demo data, not a secret
    people = session.exec(
        select(Person)
        .where(col(Person.active).is_(True), col(Person.position).is_not(None))
        .order_by(col(Person.employee_no))
    ).all()
    # Some people are quick to read new versions, a few fall behind.
    diligence = {person.id: rng.uniform(0.88, 1.0) for person in people}
    if people:
        diligence[people[len(people) // 3].id] = 0.5
    for item in _issued_versions(session):
        version = item.version
        assert version.published_at is not None
        published_at = version.published_at
        until = item.replaced_at or now
        # Staff have 7 days to read a new version (PRC-02); a few are late.
        recent = now - published_at < timedelta(days=14)
        base = 0.97 if item.replaced_at else 0.6 if recent else 0.95
        for person in people:
            position = person.position.value if person.position else ""
            if position not in version.positions:
                continue
            # Every draw is made, whatever is kept, so the spread never depends on today's date.
            reads = rng.random() < base * diligence[person.id]
            days = min(int(rng.expovariate(1 / 3)), 30)
            minute = rng.randrange(WORKDAY_MINUTES)
            seconds_open = rng.randint(50, 480)
            scrolled_for = rng.randint(20, max(21, seconds_open - 5))
            has_script = rng.random() > 0.05
            if not reads or (item.code, version.number) == NOT_YET_READ:
                continue
            day = max(published_at.date() + timedelta(days=days), published_at.date())
            acknowledged_at = (
                datetime.combine(day, time(0, tzinfo=UTC))
                + WORKDAY_START_UTC
                + timedelta(minutes=minute)
            )
            if acknowledged_at - timedelta(seconds=seconds_open) <= published_at:
                # read on the day it came out: after it came out
                acknowledged_at = published_at + timedelta(
                    seconds=seconds_open, minutes=minute % 120 + 1
                )
            if acknowledged_at >= until:
                continue  # not got round to it (yet, or before the next version came)
            opened_at = acknowledged_at - timedelta(seconds=seconds_open)
            session.add(
                Acknowledgment(
                    person_id=id_of(person),
                    version_id=id_of(version),
                    acknowledged_at=acknowledged_at,
                    opened_at=opened_at,
                    reached_at=opened_at + timedelta(seconds=scrolled_for) if has_script else None,
                    seconds_open=seconds_open,
                )
            )
    session.flush()
