"""Server-side login sessions and login throttling."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from frontline.models import id_of, utcnow
from staff.models import LoginAttempt, LoginSession, Person

# Touch last_seen_at at most this often: the idle timeout needs no finer grain, and every
# page view would otherwise be a write.
TOUCH_EVERY = timedelta(seconds=60)


def hash_token(token: str, *, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta
    secret_key: str


def start(
    session: Session, *, person: Person, policy: SessionPolicy, ip: str, user_agent: str
) -> str:
    """Open a session for the person and return the raw token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=hash_token(token, secret_key=policy.secret_key),
            person_id=id_of(person),
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.absolute,
            ip=ip[:64],
            user_agent=user_agent[:255],
        )
    )
    session.flush()
    return token


@dataclass(frozen=True)
class LiveLogin:
    """What a request needs of its login session: which one, and when it was last touched."""

    id: int
    last_seen_at: datetime


# Built once: building and caching-keying a select costs more than running it, and this one
# runs on every signed-in request. Only the times the checks need come with the person.
_FIND = (
    sql_select(
        Person,
        col(LoginSession.id),
        col(LoginSession.last_seen_at),
        col(LoginSession.expires_at),
        col(LoginSession.ended_at),
    )
    .join(LoginSession, col(LoginSession.person_id) == Person.id)
    .where(col(LoginSession.token_hash) == bindparam("token_hash"))
)


def find(session: Session, *, token: str, policy: SessionPolicy) -> tuple[LiveLogin, Person] | None:
    """The live session for a token and its active owner, or None if it has ended."""
    if not token:
        return None
    row = session.execute(
        _FIND, {"token_hash": hash_token(token, secret_key=policy.secret_key)}
    ).first()
    if row is None:
        return None
    person, login_id, last_seen_at, expires_at, ended_at = row
    now = utcnow()
    if (
        ended_at is not None
        or not person.active
        or now >= expires_at
        or now - last_seen_at >= policy.idle
    ):
        return None
    return LiveLogin(id=login_id, last_seen_at=last_seen_at), person


def needs_touch(login: LiveLogin) -> bool:
    return utcnow() - login.last_seen_at >= TOUCH_EVERY


def touch(session: Session, *, login_id: int) -> None:
    session.execute(
        update(LoginSession).where(col(LoginSession.id) == login_id).values(last_seen_at=utcnow())
    )


def end(session: Session, *, login_id: int) -> None:
    session.execute(
        update(LoginSession)
        .where(col(LoginSession.id) == login_id, col(LoginSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )


def end_all_for(session: Session, *, person_id: int) -> int:
    """End every live session of a person; returns how many were ended."""
    result = session.execute(
        update(LoginSession)
        .where(col(LoginSession.person_id) == person_id, col(LoginSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def live_count(session: Session, *, person_id: int, policy: SessionPolicy) -> int:
    now = utcnow()
    rows = session.exec(
        select(LoginSession).where(
            LoginSession.person_id == person_id,
            col(LoginSession.ended_at).is_(None),
            col(LoginSession.expires_at) > now,
            col(LoginSession.last_seen_at) > now - policy.idle,
        )
    )
    return len(list(rows))


# Throttling. Failures count until the key's last success, within WINDOW. Each rule says:
# after `free` failures, wait `base` seconds, doubling with each further failure, up to `cap`.
# The caps are short on purpose: a colleague typing someone's number wrongly from the same
# branch network must not lock them out for long, while guessing stays slow.
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class ThrottleRule:
    free: int
    base: int
    cap: int


PER_ACCOUNT_AND_ADDRESS = ThrottleRule(free=5, base=15, cap=300)
PER_ACCOUNT = ThrottleRule(free=10, base=5, cap=60)
PER_ADDRESS = ThrottleRule(free=30, base=15, cap=300)


def _failures(session: Session, *, where: list, now: datetime, limit: int) -> list[datetime]:
    """Newest-first times of failures since the last success in the window."""
    rows = session.exec(
        select(LoginAttempt.at, LoginAttempt.succeeded)
        .where(*where, col(LoginAttempt.at) > now - WINDOW)
        .order_by(col(LoginAttempt.at).desc())
        .limit(limit)
    )
    failures: list[datetime] = []
    for at, succeeded in rows:
        if succeeded:
            break
        failures.append(at)
    return failures


def _wait(failures: list[datetime], rule: ThrottleRule, now: datetime) -> int:
    extra = len(failures) - rule.free
    if extra < 0:
        return 0
    delay = min(rule.base * 2**extra, rule.cap)
    remaining = failures[0] + timedelta(seconds=delay) - now
    return max(0, int(remaining.total_seconds() + 0.999))


def seconds_to_wait(session: Session, *, employee_no: str, ip: str) -> int:
    """How long this account from this address must wait before another try (0: go ahead)."""
    now = utcnow()
    checks = [
        ([LoginAttempt.employee_no == employee_no, LoginAttempt.ip == ip], PER_ACCOUNT_AND_ADDRESS),
        ([LoginAttempt.employee_no == employee_no], PER_ACCOUNT),
        ([LoginAttempt.ip == ip], PER_ADDRESS),
    ]
    return max(
        _wait(_failures(session, where=where, now=now, limit=rule.free + 12), rule, now)
        for where, rule in checks
    )


def record_attempt(session: Session, *, employee_no: str, ip: str, succeeded: bool) -> None:
    session.add(LoginAttempt(employee_no=employee_no[:32], ip=ip[:64], succeeded=succeeded))
    session.flush()
    prune_attempts(session)


# Attempts older than WINDOW count for no rule (failed logins stay in the audit trail).
# Every recorded attempt deletes up to PRUNE_BATCH of them, so the table stays about one
# window long without a scheduled job, and no login waits on a large delete.
PRUNE_BATCH = 100


def prune_attempts(session: Session, *, limit: int = PRUNE_BATCH) -> None:
    """Delete attempts that no throttling rule can use any more, among the oldest `limit`.

    Ids grow with time, so the oldest rows by primary key are found without an index on `at`
    and without reading the rows still in use."""
    oldest = select(LoginAttempt.id).order_by(col(LoginAttempt.id)).limit(limit)
    session.execute(
        delete(LoginAttempt)
        .where(col(LoginAttempt.id).in_(oldest), col(LoginAttempt.at) <= utcnow() - WINDOW)
        .execution_options(synchronize_session=False)
    )
