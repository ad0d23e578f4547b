"""Password hashing (argon2 through passlib) and the password policy."""

from passlib.context import CryptContext

from frontline.i18n import N_

# deprecated="auto" makes verify_and_update hand back a new hash whenever the scheme's
# parameters change, so stored hashes are upgraded at the next login.
pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Checked against when the employee number is unknown, so the answer takes as long either way.
# Made at first use, not at import: a full-strength hash costs ~0.5 s at every process start
# (each CLI command, each server worker).
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = pwd_context.hash("frontline-dummy-password")
    return _DUMMY_HASH


MIN_LENGTH = 10
POLICY_TEXT = N_("At least 10 characters, with letters and digits, and not your employee number.")


def hash_password(password: str) -> str:
    return pwd_context.hash(password)


def verify(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """(matches, new hash to store or None). Takes the same time for a missing hash."""
    if not password_hash:
        pwd_context.verify(password, _dummy_hash())
        return False, None
    return pwd_context.verify_and_update(password, password_hash)


def policy_problem(password: str, *, employee_no: str = "") -> str | None:
    """Why the password is not acceptable (a message to translate), or None."""
    if len(password) < MIN_LENGTH:
        return N_("The password must be at least 10 characters long.")
    if len(password) > 128:
        return N_("The password must be at most 128 characters long.")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return N_("The password must contain both letters and digits.")
    if employee_no and employee_no.lower() in password.lower():
        return N_("The password must not contain your employee number.")
    return None
