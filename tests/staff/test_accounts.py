"""Signing in and changing one's own password through the service, as any way in other than the
login and account pages would (those pages are tested through HTTP in test_auth.py)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from staff import accounts, passwords, sessions
from staff.models import LoginSession, Person
from tests.factories import PASSWORD, make_person

POLICY = sessions.SessionPolicy(
    idle=timedelta(minutes=30), absolute=timedelta(hours=8), secret_key="test-key"
)
NEW_PASSWORD = "Another-horse-43"


def _sign_in(db, employee_no: str, password: str, **kwargs) -> accounts.SignIn:
    with db.session() as session:
        return accounts.sign_in(
            session=session,
            employee_no=employee_no,
            password=password,
            policy=POLICY,
            ip="10.0.0.9",
            user_agent="test",
            **kwargs,
        )


def _actions(db) -> list[str]:
    with db.session() as session:
        return [
            e.action for e in session.exec(select(AuditTrailEvent).order_by(AuditTrailEvent.id))
        ]


def test_sign_in_opens_a_session_and_ends_the_browsers_previous_one(db):
    person = make_person(db)
    first = _sign_in(db, f"  {person.employee_no} ", PASSWORD)
    assert first.person is not None and first.person.id == person.id and first.token
    second = _sign_in(db, person.employee_no, PASSWORD, previous_token=first.token)
    assert second.refusal is None and second.token != first.token
    with db.session() as session:
        assert sessions.find(session, token=first.token, policy=POLICY) is None
        assert sessions.find(session, token=second.token, policy=POLICY) is not None
    assert _actions(db).count("login.succeeded") == 2


@pytest.mark.parametrize(("employee_no", "password"), [("", PASSWORD), ("T-known", "")])
def test_sign_in_without_both_fields_is_incomplete(db, employee_no, password):
    make_person(db, employee_no="T-known")
    result = _sign_in(db, employee_no, password)
    assert result.refusal == accounts.SignInRefusal.incomplete and result.person is None


def test_wrong_password_unknown_number_and_inactive_account_are_one_refusal(db):
    make_person(db, employee_no="T-right")
    make_person(db, employee_no="T-gone", active=False)
    for employee_no, password in (
        ("T-right", "wrong-1234"),
        ("T-nobody", PASSWORD),
        ("T-gone", PASSWORD),
    ):
        result = _sign_in(db, employee_no, password)
        assert result.refusal == accounts.SignInRefusal.wrong and not result.token
    assert _actions(db).count("login.failed") == 3


def test_sign_in_is_throttled_after_repeated_failures(db):
    person = make_person(db)
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free + 1):
        _sign_in(db, person.employee_no, "wrong-1234")
    throttled = _sign_in(db, person.employee_no, PASSWORD)  # even the right password waits
    assert throttled.refusal == accounts.SignInRefusal.throttled
    assert 0 < throttled.wait_seconds <= sessions.PER_ACCOUNT_AND_ADDRESS.cap
    assert _actions(db)[-1] == "login.throttled"


def _change(db, person: Person, current: str, new: str, confirm: str | None = None) -> str:
    with db.session() as session:
        stored = session.get(Person, person.id)
        return accounts.change_own_password(
            session=session,
            person=stored,
            current_password=current,
            new_password=new,
            confirm_password=new if confirm is None else confirm,
            policy=POLICY,
            ip="10.0.0.9",
            user_agent="test",
        )


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field"),
    [
        ("not-my-password-1", NEW_PASSWORD, None, "current_password"),
        (PASSWORD, NEW_PASSWORD, "Another-horse-44", "confirm_password"),
        (PASSWORD, "short1", None, "new_password"),
        (PASSWORD, PASSWORD, None, "new_password"),
    ],
    ids=["wrong current", "confirmation differs", "policy", "same again"],
)
def test_own_password_change_refusals_change_nothing(db, current, new, confirm, field):
    person = make_person(db)
    with pytest.raises(accounts.PasswordChangeRefused) as refused:
        _change(db, person, current, new, confirm)
    assert refused.value.field == field
    with db.session() as session:
        stored = session.get(Person, person.id)
        assert passwords.verify(PASSWORD, stored.password_hash)[0]


def test_own_password_change_ends_other_sessions_and_opens_one_for_this_browser(db):
    person = make_person(db)
    elsewhere = _sign_in(db, person.employee_no, PASSWORD).token
    with db.session() as session:
        session.get(Person, person.id).must_change_password = True
    token = _change(db, person, PASSWORD, NEW_PASSWORD)
    with db.session() as session:
        stored = session.get(Person, person.id)
        assert passwords.verify(NEW_PASSWORD, stored.password_hash)[0]
        assert not stored.must_change_password
        assert sessions.find(session, token=elsewhere, policy=POLICY) is None
        assert sessions.find(session, token=token, policy=POLICY) is not None
        live = session.exec(select(LoginSession).where(LoginSession.ended_at == None)).all()  # noqa: E711
        assert len(live) == 1
    assert "person.password_change" in _actions(db)
