"""Who is asking: the signed-in person, role rules and scope guards."""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Path, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from frontline.access import access_rule
from frontline.db import Database, WritersBusy
from frontline.deps import SessionDep, read_now, reads
from frontline.i18n import normalize
from frontline.models import id_of
from frontline.security import SESSION_COOKIE, UNSAFE_METHODS
from staff import service, sessions
from staff.models import Person, Position, Role

# How long a page waits to note that its session is still in use (seconds).
TOUCH_WAIT = 0.1


@dataclass(frozen=True)
class SignedIn:
    id: int
    employee_no: str
    name: str
    role: Role
    position: Position | None


def policy_of(request: Request) -> sessions.SessionPolicy:
    """The app's session policy, made once from its settings."""
    state = request.app.state
    policy: sessions.SessionPolicy | None = getattr(state, "session_policy", None)
    if policy is None:
        settings = state.settings
        policy = state.session_policy = sessions.SessionPolicy(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_max_hours),
            secret_key=state.secret_key,
        )
    return policy


async def session_policy(request: Request) -> sessions.SessionPolicy:
    return policy_of(request)


PolicyDep = Annotated[sessions.SessionPolicy, Depends(session_policy)]


async def current_login(
    request: Request, session: SessionDep
) -> tuple[sessions.LiveLogin, Person] | None:
    """The live session behind the cookie, if any; also sets the request's locale.

    Every signed-in page solves this, so it depends on nothing but the session: each
    further dependency costs FastAPI's solver time on every request."""
    token = request.cookies.get(SESSION_COOKIE, "")
    found = await read_now(
        request, session, sessions.find, session, token=token, policy=policy_of(request)
    )
    if found is None:
        return None
    login, person = found
    if sessions.needs_touch(login):
        await run_in_threadpool(_touch, request, session, login)
    _remember(request, login, person)
    return found


def _touch(request: Request, session: Session, login: sessions.LiveLogin) -> None:
    if request.method in UNSAFE_METHODS:
        # The request's own transaction writes already (on SQLite it holds the write lock
        # since its first statement): a second writer would wait for it until the busy
        # timeout and fail the request.
        sessions.touch(session, login_id=id_of(login))
        return
    # A short write transaction of its own, so GET requests stay read-only. Only
    # bookkeeping for the idle timeout: if a long write (an import) holds SQLite's
    # write turn, the page does not wait for it; a later request touches.
    database: Database = request.app.state.database
    with suppress(WritersBusy), database.session(write=True, wait=TOUCH_WAIT) as touch:
        sessions.touch(touch, login_id=id_of(login))


def _remember(request: Request, login: sessions.LiveLogin, person: Person) -> None:
    # A plain snapshot for templates: error pages render after the session has rolled back.
    request.state.user = SignedIn(
        id=id_of(person),
        employee_no=person.employee_no,
        name=person.name,
        role=person.role,
        position=person.position,
    )
    request.state.login_id = login.id
    request.state.locale = normalize(person.locale) or request.state.locale


LoginDep = Annotated[tuple[sessions.LiveLogin, Person] | None, Depends(current_login)]

# Pages a person who must change their password may still open.
PASSWORD_CHANGE_PATHS = ("/account", "/logout", "/language")


def _cleared(request: Request, person: Person) -> Person:
    """Someone who must change their password does that before anything else."""
    if person.must_change_password and not request.url.path.startswith(PASSWORD_CHANGE_PATHS):
        raise HTTPException(status_code=303, headers={"Location": "/account?must_change=1"})
    return person


@access_rule("signed in")
async def require_user(request: Request, login: LoginDep) -> Person:
    if login is None:
        raise HTTPException(status_code=401)
    return _cleared(request, login[1])


CurrentUser = Annotated[Person, Depends(require_user)]


@access_rule("signed in, checked in the write's own transaction (signed_in_writer)")
async def signed_in_checked_in_write() -> None:
    """Marks a route whose sign-in check runs inside its one transaction."""


def signed_in_writer(session: Session, request: Request, policy: sessions.SessionPolicy) -> Person:
    """The signed-in person, checked inside the one short transaction of a write that many
    make at once (a tap, an answer saved): the rules of `current_login` and `require_user`
    without their thread-pool hops, during which SQLite's write lock would be held."""
    found = sessions.find(session, token=request.cookies.get(SESSION_COOKIE, ""), policy=policy)
    if found is None:
        raise HTTPException(status_code=401)
    login, person = found
    _remember(request, login, person)
    if sessions.needs_touch(login):
        sessions.touch(session, login_id=id_of(login))
    return _cleared(request, person)


W = TypeVar("W")


async def as_signed_in_writer(
    request: Request, policy: sessions.SessionPolicy, act: Callable[[Session, Person], W]
) -> W:
    """`act(session, person)` in one thread-pool trip and one short write transaction, the
    sign-in checked inside it (`signed_in_writer`): for writes many people make at once (a
    tap, an answer saved, a branch starting an exam). Routes using it carry
    `signed_in_checked_in_write` or an access rule of their own saying so."""
    database: Database = request.app.state.database

    def one() -> W:
        with database.session(write=True) as session:
            return act(session, signed_in_writer(session, request, policy))

    return await run_in_threadpool(one)


def require_role(*roles: Role) -> object:
    """A dependency letting only these roles through (admins always pass)."""
    allowed = {*roles, Role.admin}

    @access_rule("roles: " + ", ".join(sorted(r.value for r in allowed)))
    async def guard(user: CurrentUser) -> Person:
        if user.role not in allowed:
            raise HTTPException(status_code=403, detail="role")
        return user

    return Depends(guard)


AdminUser = Annotated[Person, require_role(Role.admin)]
HRUser = Annotated[Person, require_role(Role.hr)]
StaffViewer = Annotated[Person, require_role(Role.supervisor, Role.hr)]


def person_in_scope(
    person_id: Annotated[int, Path()], session: SessionDep, viewer: StaffViewer
) -> Person:
    """The person at this URL, if the viewer may see them (supervisors: their teams only)."""
    person = service.get_person(session, person_id=person_id)
    if person is None:
        raise HTTPException(status_code=404)
    team_ids = service.visible_team_ids(session, person=viewer)
    if team_ids is not None and person.team_id not in team_ids:
        raise HTTPException(status_code=404)
    return person


PersonInScope = Annotated[Person, Depends(reads(person_in_scope))]
