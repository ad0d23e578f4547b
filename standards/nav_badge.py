"""The count beside "To acknowledge" in the navigation, on every page a signed-in person sees.

base.html is rendered by every domain's pages (and by error pages, after the request's
transaction has rolled back), so the count is read in a short read-only session of its own:
one indexed COUNT, only for people with a position, at most once per request.
"""

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError

from frontline.db import Database
from standards import acknowledgments


def remember_outstanding(request: Request, count: int) -> None:
    """A route that just changed the count (inside its own uncommitted transaction) says so."""
    request.state.outstanding_count = count


def outstanding_count(request: Request) -> int:
    cached = getattr(request.state, "outstanding_count", None)
    if cached is not None:
        return int(cached)
    user = getattr(request.state, "user", None)
    if user is None or user.position is None:
        return 0
    database: Database = request.app.state.database
    try:
        with database.session(write=False) as session:
            count = acknowledgments.count_outstanding(
                session, person_id=user.id, position=user.position.value
            )
    except SQLAlchemyError:
        # The navigation must never stop an error page from rendering.
        return 0
    remember_outstanding(request, count)
    return count
