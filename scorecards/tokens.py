"""API tokens for HR systems: issued once, stored as a hash, used with a scope, revoked.

A token is `flt_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is kept: a
plain hash suffices for a random secret this long (nothing to guess), and lets a request find
its token with one indexed lookup. The prefix is kept so an admin can tell tokens apart.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from scorecards.models import SCOPE_SCORECARDS_READ, ApiToken
from staff import service as staff_service

TOKEN_PREFIX = "flt_"  # noqa: S105 - a label, not a secret
SHOWN_PREFIX = 12  # "flt_" and 8 random characters
# The longest life an admin may give a token when it is created, in days.
MAX_VALID_DAYS = 3650
# Like a login session's touch: a GET writes "last used" at most this often.
TOUCH_EVERY = timedelta(minutes=1)


class TokenRefused(Exception):
    """A token cannot be created or revoked as asked; the message is a msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session,
    *,
    name: str,
    actor_id: int | None,
    scope: str = SCOPE_SCORECARDS_READ,
    valid_days: int | None = None,
    ip: str = "",
) -> IssuedToken:
    """A new token; with `valid_days` the API refuses it that many days from now."""
    name = name.strip()
    if not name:
        raise TokenRefused(N_("Give the token a name that says who uses it."))
    if valid_days is not None and not 1 <= valid_days <= MAX_VALID_DAYS:
        raise TokenRefused(N_("A token is valid for 1 to 3650 days."))
    expires_at = None if valid_days is None else utcnow() + timedelta(days=valid_days)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        scope=scope,
        prefix=secret[:SHOWN_PREFIX],
        token_hash=hash_token(secret),
        created_by_id=actor_id,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit_trail.record(
        session,
        action="api_token.create",
        actor_id=actor_id,
        target_type="api_token",
        target_id=id_of(token),
        detail={
            "name": name,
            "scope": scope,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
        ip=ip,
    )
    return IssuedToken(token=token, secret=secret)


def list_tokens(session: Session) -> list[ApiToken]:
    """Live tokens first, then revoked ones; newest first within each."""
    return list(
        session.exec(
            select(ApiToken).order_by(
                col(ApiToken.revoked_at).is_not(None), col(ApiToken.created_at).desc()
            )
        ).all()
    )


def get_token(session: Session, *, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def revoke_token(session: Session, *, token: ApiToken, actor_id: int, ip: str = "") -> None:
    if token.revoked_at is not None:
        raise TokenRefused(N_("This token is already revoked."))
    token.revoked_at = utcnow()
    token.revoked_by_id = actor_id
    session.add(token)
    session.flush()
    audit_trail.record(
        session,
        action="api_token.revoke",
        actor_id=actor_id,
        target_type="api_token",
        target_id=id_of(token),
        detail={"name": token.name, "prefix": token.prefix},
        ip=ip,
    )


def is_expired(token: ApiToken, *, now: datetime | None = None) -> bool:
    return token.expires_at is not None and (now or utcnow()) >= token.expires_at


def find_live(session: Session, *, secret: str) -> ApiToken | None:
    """The unrevoked, unexpired token this secret is, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    digest = hash_token(secret)
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    # The lookup is by hash (equal hashes or nothing); compare_digest guards the equality.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return None if token.revoked_at is not None or is_expired(token) else token


def needs_touch(token: ApiToken, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY


def touch(session: Session, *, token_id: int) -> None:
    session.execute(
        update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=utcnow())
    )


def people_named(session: Session, tokens: list[ApiToken]) -> dict[int, str]:
    """Names of those who created or revoked these tokens."""
    ids = {t.created_by_id for t in tokens} | {t.revoked_by_id for t in tokens}
    found = staff_service.people_by_id(session, ids={i for i in ids if i is not None})
    return {person_id: person.name for person_id, person in found.items()}
