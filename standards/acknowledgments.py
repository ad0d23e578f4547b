"""Read-and-acknowledge: what a person must acknowledge, and recording that they have."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, text
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.db import insert_once, read_columns
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff.models import Person
from standards.models import (
    CARD_STANDARD,
    CARD_VERSION,
    Acknowledgment,
    AcknowledgmentReminder,
    Card,
    Severity,
    Standard,
    StandardVersion,
    VersionPosition,
    VersionStatus,
)


class AcknowledgmentRefused(Exception):
    """This person may not acknowledge this version; the message is a msgid to translate."""


class NotInForce(AcknowledgmentRefused):
    """Only the version in force is acknowledged: a draft, superseded or retired one is not."""


class NotApplicable(AcknowledgmentRefused):
    """The version does not name this person's position."""


_APPLIES = select(col(VersionPosition.version_id)).where(
    col(VersionPosition.version_id) == bindparam("version_id"),
    col(VersionPosition.position) == bindparam("position"),
)


def applies_to(session: Session, *, version: StandardVersion, person: Person) -> bool:
    if person.position is None:
        return False
    params = {"version_id": version.id, "position": person.position.value}
    return read_columns(session, _APPLIES, params).first() is not None


def check_may_acknowledge(session: Session, *, version: StandardVersion, person: Person) -> None:
    """Raise AcknowledgmentRefused unless this is the version in force and applies to them."""
    if version.status != VersionStatus.published:
        raise NotInForce(N_("Only the version in force can be acknowledged."))
    if not applies_to(session, version=version, person=person):
        raise NotApplicable(N_("This standard does not apply to your position."))


_ACKNOWLEDGMENT = select(Acknowledgment).where(
    col(Acknowledgment.version_id) == bindparam("version_id"),
    col(Acknowledgment.person_id) == bindparam("person_id"),
)


def acknowledgment_of(
    session: Session, *, version_id: int, person_id: int
) -> Acknowledgment | None:
    params = {"version_id": version_id, "person_id": person_id}
    return session.exec(_ACKNOWLEDGMENT, params=params).first()


@dataclass
class Outstanding:
    standard: Card  # models.CARD_STANDARD
    version: Card  # models.CARD_VERSION
    last_reminded_at: datetime | None


# Critical first: a person with little time should read what an examiner would check first.
_SEVERITY_RANK = case(
    (col(StandardVersion.severity) == Severity.critical, 0),
    (col(StandardVersion.severity) == Severity.major, 1),
    else_=2,
)


# The statements below run on every list a person opens, so each is built once with
# parameters (:person_id, :position): building and cache-keying a select of a few joins cost
# several times what SQLite takes to answer it.
_PUBLISHED_FOR_POSITION = (
    col(StandardVersion.status) == VersionStatus.published,
    col(VersionPosition.position) == bindparam("position"),
)
_ACKNOWLEDGED_BY_PERSON = and_(
    col(Acknowledgment.version_id) == StandardVersion.id,
    col(Acknowledgment.person_id) == bindparam("person_id"),
)
_OUTSTANDING_ORDER = (
    _SEVERITY_RANK,
    col(StandardVersion.effective_date).is_(None),
    col(StandardVersion.effective_date),
    col(Standard.code),
)
_REMINDED = (
    select(
        AcknowledgmentReminder.version_id,
        func.max(AcknowledgmentReminder.reminded_at).label("last"),
    )
    .where(col(AcknowledgmentReminder.person_id) == bindparam("person_id"))
    .group_by(col(AcknowledgmentReminder.version_id))
    .subquery()
)
_OUTSTANDING = (
    select(CARD_STANDARD, CARD_VERSION, _REMINDED.c.last)
    .select_from(Standard)
    .join(StandardVersion, col(StandardVersion.standard_id) == Standard.id)
    .join(VersionPosition, col(VersionPosition.version_id) == StandardVersion.id)
    .outerjoin(Acknowledgment, _ACKNOWLEDGED_BY_PERSON)
    .outerjoin(_REMINDED, _REMINDED.c.version_id == StandardVersion.id)
    .where(*_PUBLISHED_FOR_POSITION, col(Acknowledgment.id).is_(None))
    .order_by(*_OUTSTANDING_ORDER)
)
_OUTSTANDING_FIRST = _OUTSTANDING.limit(bindparam("limit"))


def _person_params(person: Person) -> dict[str, object] | None:
    if person.position is None:
        return None
    return {"person_id": id_of(person), "position": person.position.value}


def outstanding_for(
    session: Session, *, person: Person, limit: int | None = None
) -> list[Outstanding]:
    """Published versions for this person's position that they have not acknowledged,
    critical first, then the longest in force."""
    params = _person_params(person)
    if params is None:
        return []
    if limit is None:
        rows = session.execute(_OUTSTANDING, params).all()
    else:
        rows = session.execute(_OUTSTANDING_FIRST, {**params, "limit": limit}).all()
    return [Outstanding(s, v, last) for s, v, last in rows]


@dataclass(frozen=True)
class OutstandingLink:
    """A version still to acknowledge, as a link names it (no card, no content read)."""

    code: str
    number: int
    title_zh: str
    title_en: str


# The home page's first few, in outstanding_for's order: built once with parameters, as
# building and cache-keying it cost more than running it.
_FIRST_OUTSTANDING = (
    select(
        col(Standard.code),
        col(StandardVersion.number),
        col(StandardVersion.title_zh),
        col(StandardVersion.title_en),
    )
    .select_from(Standard)
    .join(StandardVersion, col(StandardVersion.standard_id) == Standard.id)
    .join(VersionPosition, col(VersionPosition.version_id) == StandardVersion.id)
    .outerjoin(Acknowledgment, _ACKNOWLEDGED_BY_PERSON)
    .where(*_PUBLISHED_FOR_POSITION, col(Acknowledgment.id).is_(None))
    .order_by(*_OUTSTANDING_ORDER)
    .limit(bindparam("shown"))
)


def first_outstanding(
    session: Session, *, person_id: int, position: str | None, shown: int
) -> tuple[int, list[OutstandingLink]]:
    """How many versions the person has still to acknowledge, and the first `shown` of them
    in outstanding_for's order (the home page's panel)."""
    if position is None:
        return 0, []
    total = count_outstanding(session, person_id=person_id, position=position)
    if not total:
        return 0, []
    params = {"person_id": person_id, "position": position, "shown": shown}
    rows = read_columns(session, _FIRST_OUTSTANDING, params).all()
    return total, [OutstandingLink(*row) for row in rows]


# Run on every page (the navigation's count), so written once as plain SQL: building and
# compiling the same ORM statement each time cost as much as executing it.
_COUNT_OUTSTANDING = text(
    "SELECT count(*) FROM standard_version_position AS vp"
    " JOIN standard_version AS v ON v.id = vp.version_id"
    " LEFT OUTER JOIN acknowledgment AS a ON a.version_id = v.id AND a.person_id = :person_id"
    " WHERE v.status = :published AND vp.position = :position AND a.id IS NULL"
)


def count_outstanding(session: Session, *, person_id: int, position: str | None) -> int:
    """How many versions this person has still to acknowledge, as one indexed COUNT: the
    navigation shows it on every page."""
    if position is None:
        return 0
    params = {"person_id": person_id, "position": position, "published": "published"}
    return int(session.connection().execute(_COUNT_OUTSTANDING, params).scalar_one())


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


_PROGRESS = (
    select(func.count(), func.count(col(Acknowledgment.id)))
    .select_from(VersionPosition)
    .join(StandardVersion, col(StandardVersion.id) == VersionPosition.version_id)
    .outerjoin(Acknowledgment, _ACKNOWLEDGED_BY_PERSON)
    .where(*_PUBLISHED_FOR_POSITION)
)


def progress_of(session: Session, *, person: Person) -> Progress:
    """Of the versions in force for this person's position, how many they have acknowledged."""
    params = _person_params(person)
    if params is None:
        return Progress(0, 0)
    total, done = read_columns(session, _PROGRESS, params).one()
    return Progress(done=done, total=total)


@dataclass(frozen=True)
class Standing:
    """Where a person stands after reading one: what to read next, and how far they are."""

    next_item: Outstanding | None
    progress: Progress

    @property
    def outstanding(self) -> int:
        return self.progress.total - self.progress.done


def standing_of(session: Session, *, person: Person) -> Standing:
    upcoming = outstanding_for(session, person=person, limit=1)
    return Standing(
        next_item=upcoming[0] if upcoming else None,
        progress=progress_of(session, person=person),
    )


_UNREAD_AMONG = (
    select(col(VersionPosition.version_id))
    .join(StandardVersion, col(StandardVersion.id) == VersionPosition.version_id)
    .outerjoin(Acknowledgment, _ACKNOWLEDGED_BY_PERSON)
    .where(
        *_PUBLISHED_FOR_POSITION,
        col(VersionPosition.version_id).in_(bindparam("version_ids", expanding=True)),
        col(Acknowledgment.id).is_(None),
    )
)


def unread_among(session: Session, *, person: Person, version_ids: Sequence[int]) -> set[int]:
    """Which of these versions apply to the person and are not yet acknowledged (the
    library marks them)."""
    params = _person_params(person)
    if params is None or not version_ids:
        return set()
    rows = read_columns(session, _UNREAD_AMONG, {**params, "version_ids": list(version_ids)})
    return set(rows.scalars())


def acknowledge(
    session: Session,
    *,
    person: Person,
    version: StandardVersion,
    opened_at: datetime,
    reached_at: datetime | None,
    ip: str = "",
) -> Acknowledgment:
    """Record the attestation once, with the evidence of reading; acknowledging again
    returns the first record. Refuses (AcknowledgmentRefused) a version that is not in force
    or does not apply to the person.

    `opened_at` must come from the server (a verified signature), `reached_at` from when
    the attestation at the end of the page came into view (None without JavaScript).
    """
    check_may_acknowledge(session, version=version, person=person)
    existing = acknowledgment_of(session, version_id=id_of(version), person_id=id_of(person))
    if existing:
        return existing
    now = utcnow()
    opened_at = min(opened_at, now)
    if reached_at is not None:
        reached_at = max(opened_at, min(reached_at, now))
    ack = Acknowledgment(
        person_id=id_of(person),
        version_id=id_of(version),
        acknowledged_at=now,
        opened_at=opened_at,
        reached_at=reached_at,
        seconds_open=int((now - opened_at).total_seconds()),
    )
    kept = insert_once(
        session,
        ack,
        lambda: acknowledgment_of(session, version_id=id_of(version), person_id=id_of(person)),
    )
    if kept is not ack:
        return kept  # the same confirmation, sent twice at once
    audit_trail.record(
        session,
        action="standard.acknowledge",
        actor_id=person.id,
        target_type="standard_version",
        target_id=version.id,
        detail={"seconds_open": ack.seconds_open, "reached_end": reached_at is not None},
        ip=ip,
    )
    return ack
