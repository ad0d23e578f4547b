"""The demo bank's standards library (filled in by the standards work)."""

from sqlmodel import Session


def load(session: Session) -> None:
    """Nothing yet."""
