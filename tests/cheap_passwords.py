"""Cheap argon2 parameters for tests: the suite and the browser tests' live server log in
hundreds of times. Production keeps passlib's defaults (test_production_hashes_are_argon2);
nothing here is reachable from a setting or an environment variable."""

from passlib.context import CryptContext

from staff import passwords

FAST_CONTEXT = CryptContext(
    schemes=["argon2"],
    deprecated="auto",
    argon2__memory_cost=1024,
    argon2__time_cost=1,
    argon2__parallelism=1,
)
FAST_DUMMY_HASH = FAST_CONTEXT.hash("dummy-password-1")


def use_cheap_passwords() -> None:
    """For a process that serves the browser tests: hash and verify with FAST_CONTEXT."""
    passwords.pwd_context = FAST_CONTEXT
    passwords._DUMMY_HASH = FAST_DUMMY_HASH
