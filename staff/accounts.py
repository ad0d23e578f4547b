"""A person's own way in: signing in (throttled, audited) and changing their own password.

The rules live here, not in the login and account pages, so any other way in (an API, a
kiosk) obeys the same ones.
"""

import dataclasses
from enum import StrEnum

from sqlmodel import Session

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of
from staff import passwords, service, sessions
from staff.models import Person


class SignInRefusal(StrEnum):
    incomplete = "incomplete"
    throttled = "throttled"
    wrong = "wrong"


# Said the same for an unknown number, a wrong password and an inactive account, so the
# answer tells a guesser nothing.
REFUSAL_MESSAGES = {
    SignInRefusal.incomplete: N_("Enter your employee number and password."),
    SignInRefusal.throttled: N_("Too many failed attempts. Try again in %(seconds)s seconds."),
    SignInRefusal.wrong: N_("The employee number or password is not correct."),
}


@dataclasses.dataclass(frozen=True)
class SignIn:
    """What a sign-in came to: the person and their new session's token, or a refusal.

    A result rather than an exception: the refusal is itself recorded (the attempt counts
    for throttling, the audit trail keeps it), so the caller's transaction must commit."""

    person: Person | None = None
    token: str = ""
    refusal: SignInRefusal | None = None
    wait_seconds: int = 0


def sign_in(
    *,
    session: Session,
    employee_no: str,
    password: str,
    policy: sessions.SessionPolicy,
    ip: str,
    user_agent: str,
    previous_token: str = "",
) -> SignIn:
    """Check the credentials within the throttling rules; on success end the browser's
    previous session (`previous_token`) and start a new one."""
    employee_no = employee_no.strip()[:32]
    if not employee_no or not password:
        return SignIn(refusal=SignInRefusal.incomplete)
    wait = sessions.seconds_to_wait(session, employee_no=employee_no, ip=ip)
    if wait:
        _record(session, "login.throttled", employee_no=employee_no, ip=ip)
        return SignIn(refusal=SignInRefusal.throttled, wait_seconds=wait)
    person = service.authenticate(session, employee_no=employee_no, password=password)
    sessions.record_attempt(session, employee_no=employee_no, ip=ip, succeeded=person is not None)
    if person is None:
        _record(session, "login.failed", employee_no=employee_no, ip=ip)
        return SignIn(refusal=SignInRefusal.wrong)
    previous = sessions.find(session, token=previous_token, policy=policy)
    if previous is not None:
        sessions.end(session, login_id=previous[0].id)
    token = sessions.start(session, person=person, policy=policy, ip=ip, user_agent=user_agent)
    audit_trail.record(session, action="login.succeeded", actor_id=person.id, ip=ip)
    return SignIn(person=person, token=token)


def _record(session: Session, action: str, *, employee_no: str, ip: str) -> None:
    audit_trail.record(
        session, action=action, actor_id=None, detail={"employee_no": employee_no}, ip=ip
    )


@dataclasses.dataclass
class PasswordChangeRefused(Exception):
    """The new password is not taken; `field` is the form field at fault, `message` a msgid."""

    field: str
    message: str


def change_own_password(
    *,
    session: Session,
    person: Person,
    current_password: str,
    new_password: str,
    confirm_password: str,
    policy: sessions.SessionPolicy,
    ip: str,
    user_agent: str,
) -> str:
    """Change a person's own password and return the token of a new session for the browser
    that asked; every other session of theirs ends. Raises PasswordChangeRefused, having
    changed nothing, for a wrong current password, a mistyped confirmation, a password the
    policy refuses or the same password again."""
    ok, _ = passwords.verify(current_password, person.password_hash)
    if not ok:
        raise PasswordChangeRefused("current_password", N_("Your current password is not correct."))
    if new_password != confirm_password:
        raise PasswordChangeRefused("confirm_password", N_("The two new passwords differ."))
    if problem := passwords.policy_problem(new_password, employee_no=person.employee_no):
        raise PasswordChangeRefused("new_password", problem)
    if new_password == current_password:
        raise PasswordChangeRefused(
            "new_password", N_("Choose a password different from the current one.")
        )
    service.set_password(
        session,
        person=person,
        password=new_password,
        actor_id=person.id,
        ip=ip,
        end_sessions=False,
    )
    person.must_change_password = False
    sessions.end_all_for(session, person_id=id_of(person))
    return sessions.start(session, person=person, policy=policy, ip=ip, user_agent=user_agent)
