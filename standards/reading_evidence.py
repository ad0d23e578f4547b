"""Evidence that an acknowledgment followed reading: a signed "opened at" and the reach time.

The version page embeds when it was rendered, signed with the app's secret key (HMAC) for
this person and this version, so the time cannot be forged, moved to another version or
borrowed by a colleague. The browser reports how long after opening the attestation at the
end of the page scrolled into view, as an offset rather than a clock time, because a
tablet's clock may be wrong while the server's is not.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

# Long enough for any real token; refuse anything else before parsing it.
MAX_TOKEN_LENGTH = 100


def _mac(*, secret_key: str, person_id: int, version_id: int, epoch: int) -> str:
    message = f"ack-opened:{person_id}:{version_id}:{epoch}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def sign_opened_at(*, secret_key: str, person_id: int, version_id: int, opened_at: datetime) -> str:
    epoch = int(opened_at.timestamp())
    mac = _mac(secret_key=secret_key, person_id=person_id, version_id=version_id, epoch=epoch)
    return f"{epoch}.{mac}"


def verify_opened_at(
    token: str, *, secret_key: str, person_id: int, version_id: int, now: datetime
) -> datetime | None:
    """The opening time this token proves, or None when it is missing, forged or impossible."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    epoch_text, _, mac = token.partition(".")
    if not epoch_text.isdigit() or not mac:
        return None
    epoch = int(epoch_text)
    expected = _mac(secret_key=secret_key, person_id=person_id, version_id=version_id, epoch=epoch)
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        opened_at = datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    # A token from the future means the key leaked or the clocks of two workers disagree.
    if opened_at > now + timedelta(minutes=1):
        return None
    return opened_at


def reached_at_from_offset(
    offset_ms: int | None, *, opened_at: datetime, now: datetime
) -> datetime | None:
    """When the attestation came into view, kept between opening and confirming."""
    if offset_ms is None:
        return None
    return min(opened_at + timedelta(milliseconds=offset_ms), now)
