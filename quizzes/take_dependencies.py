"""Loading an attempt for a route, who may see it, and the server's clock.

The clock is a dependency so that tests move time: `app.dependency_overrides[request_now]`.
"""

from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from frontline.deps import SessionDep, reads
from frontline.models import utcnow
from quizzes.models import Attempt
from staff import service as staff_service
from staff.dependencies import CurrentUser
from staff.models import Role

AttemptId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def request_now() -> datetime:
    return utcnow()


NowDep = Annotated[datetime, Depends(request_now)]


async def posted_form(request: Request) -> dict[str, list[str]]:
    """The posted form as lists of values, read on the event loop so the route itself can
    be a plain `def` (its database work then runs in the thread pool, not on the loop)."""
    data = await request.form()
    return {key: [str(v) for v in data.getlist(key)] for key in data}


FormDep = Annotated[dict[str, list[str]], Depends(posted_form)]


def viewable_attempt(attempt_id: AttemptId, session: SessionDep, user: CurrentUser) -> Attempt:
    """An attempt the signed-in person may look at: their own; a graded one of someone in a
    team they supervise; any graded one for HR and admin."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise HTTPException(status_code=404)
    if attempt.person_id == user.id:
        return attempt
    if attempt.submitted_at is None or user.role not in (Role.supervisor, Role.hr, Role.admin):
        raise HTTPException(status_code=404)
    visible = staff_service.visible_team_ids(session, person=user)
    if visible is None:
        return attempt
    subject = staff_service.get_person(session, person_id=attempt.person_id)
    if subject is None or subject.team_id not in visible:
        raise HTTPException(status_code=404)
    return attempt


ViewableAttemptDep = Annotated[Attempt, Depends(reads(viewable_attempt))]
