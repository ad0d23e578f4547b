"""The count beside "To acknowledge" in the navigation, on every page a signed-in person sees.

base.html is rendered by every domain's pages: the count is read in the request's own
session (a second session cost a fifth of a small page); error pages render after that
session rolled back, so they read it in a short read-only session of their own. One indexed
COUNT, only for people with a position, at most once per request.
"""

from fastapi import Request
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from frontline.db import Database
from frontline.deps import open_request_session
from standards import acknowledgments


def remember_outstanding(request: Request, count: int) -> None:
    """A route that just changed the count (inside its own uncommitted transaction) says so."""
    request.state.outstanding_count = count


def badge(request: Request, *, out_of_band: bool = False) -> Markup:
    """The count as the header shows it; `out_of_band` for htmx to swap it after a change."""
    count = outstanding_count(request)
    swap = ' hx-swap-oob="true"' if out_of_band else ""
    hidden = "" if count else " hidden"
    return Markup(  # noqa: S704 - a number and fixed text
        f'<span id="nav-outstanding" class="badge badge-critical nav-count"{swap}{hidden}>'
        f"{count}</span>"
    )


def outstanding_count(request: Request) -> int:
    cached = getattr(request.state, "outstanding_count", None)
    if cached is not None:
        return int(cached)
    user = getattr(request.state, "user", None)
    if user is None or user.position is None:
        return 0
    try:
        session = open_request_session(request)
        if session is not None:
            count = _count(session, user.id, user.position.value)
        else:
            database: Database = request.app.state.database
            with database.session(write=False) as own_session:
                count = _count(own_session, user.id, user.position.value)
    except SQLAlchemyError:
        # The navigation must never stop an error page from rendering.
        return 0
    remember_outstanding(request, count)
    return count


def _count(session: Session, person_id: int, position: str) -> int:
    return acknowledgments.count_outstanding(session, person_id=person_id, position=position)
