"""Logging in and out, sessions, throttling and passwords, through HTTP as a browser would."""

from datetime import timedelta

from passlib.context import CryptContext
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from frontline.models import utcnow
from frontline.security import SESSION_COOKIE
from staff import passwords, sessions
from staff.models import LoginSession, Person, Role
from tests.factories import PASSWORD, make_person


def test_login_lands_on_home_and_shows_name(db, client):
    person = make_person(db, name="张伟")
    response = client.login(person.employee_no, PASSWORD)
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "张伟" in home.text


def test_login_redirects_to_safe_next_only(db, client):
    person = make_person(db)
    ok = client.submit(
        "/login", {"employee_no": person.employee_no, "password": PASSWORD, "next": "/account"}
    )
    assert ok.headers["location"] == "/account"
    client.cookies.clear()
    evil = client.submit(
        "/login",
        {"employee_no": person.employee_no, "password": PASSWORD, "next": "//evil.example/x"},
    )
    assert evil.headers["location"] == "/"


def test_wrong_password_and_unknown_user_get_the_same_answer(db, client):
    person = make_person(db)
    wrong = client.submit("/login", {"employee_no": person.employee_no, "password": "nope-12345"})
    unknown = client.submit("/login", {"employee_no": "NOBODY", "password": "nope-12345"})
    assert wrong.status_code == unknown.status_code == 401
    assert "not correct" in wrong.text and "not correct" in unknown.text
    assert SESSION_COOKIE not in client.cookies


def test_empty_login_form_gets_a_clear_message(client):
    response = client.submit("/login", {"employee_no": "", "password": ""})
    assert response.status_code == 400
    assert "Enter your employee number and password" in response.text


def test_inactive_person_cannot_log_in(db, client):
    person = make_person(db, active=False)
    response = client.submit("/login", {"employee_no": person.employee_no, "password": PASSWORD})
    assert response.status_code == 401


def test_pages_need_login_and_remember_where_you_were(client):
    response = client.get("/people")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/people"


def test_htmx_request_without_login_gets_hx_redirect(client):
    response = client.get("/people", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/login")


def test_session_cookie_is_httponly_samesite_and_only_hashed_in_db(db, client):
    person = make_person(db)
    response = client.login(person.employee_no, PASSWORD)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # served over plain http in tests
    token = client.cookies[SESSION_COOKIE]
    with db.session() as session:
        stored = session.exec(select(LoginSession.token_hash)).all()
    assert token not in stored
    assert len(stored) == 1 and len(stored[0]) == 64


def test_session_cookie_is_secure_over_https(db, app):
    from tests.client import FrontlineClient

    person = make_person(db)
    with FrontlineClient(app, base_url="https://testserver") as c:
        response = c.login(person.employee_no, PASSWORD)
        assert "Secure" in response.headers["set-cookie"]
        assert "Strict-Transport-Security" in c.get("/").headers


def test_login_rotates_the_session_token(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    first = client.cookies[SESSION_COOKIE]
    client.login(person.employee_no, PASSWORD)
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    client.cookies.set(SESSION_COOKIE, first)
    assert client.get("/").status_code == 303  # the old token no longer works


def test_logout_ends_the_session_on_the_server(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    token = client.cookies[SESSION_COOKIE]
    response = client.submit("/logout", token_page="/")
    assert response.headers["location"] == "/login"
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/").status_code == 303


def _age_sessions(db, **changes):
    with db.session() as session:
        for login in session.exec(select(LoginSession)):
            for field, value in changes.items():
                setattr(login, field, value)
            session.add(login)


def test_idle_session_expires(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    assert client.get("/").status_code == 200
    _age_sessions(db, last_seen_at=utcnow() - timedelta(minutes=31))
    assert client.get("/").status_code == 303


def test_activity_keeps_the_session_alive(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    _age_sessions(db, last_seen_at=utcnow() - timedelta(minutes=20))
    assert client.get("/").status_code == 200
    with db.session() as session:
        login = session.exec(select(LoginSession)).one()
    assert utcnow() - login.last_seen_at < timedelta(minutes=1)


def test_absolute_lifetime_ends_even_an_active_session(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    _age_sessions(db, expires_at=utcnow() - timedelta(seconds=1))
    assert client.get("/").status_code == 303


def test_throttling_slows_repeated_failures_even_for_the_right_password(db, client):
    person = make_person(db)
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free):
        r = client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
        assert r.status_code == 401
    blocked = client.submit("/login", {"employee_no": person.employee_no, "password": PASSWORD})
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= sessions.PER_ACCOUNT_AND_ADDRESS.cap
    assert "Too many failed attempts" in blocked.text


def test_throttle_wait_is_short_and_ends(db, client):
    person = make_person(db)
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free):
        client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
    assert (
        client.submit(
            "/login", {"employee_no": person.employee_no, "password": PASSWORD}
        ).status_code
        == 429
    )
    # Move the failures into the past: after the wait the right password works again.
    from staff.models import LoginAttempt

    with db.session() as session:
        for attempt in session.exec(select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(minutes=6)
            session.add(attempt)
    assert (
        client.submit(
            "/login", {"employee_no": person.employee_no, "password": PASSWORD}
        ).status_code
        == 303
    )


def test_account_wide_throttle_is_capped_at_a_minute(db):
    """Someone guessing from many addresses cannot lock a colleague out for long."""
    person = make_person(db)
    with db.session() as session:
        for i in range(40):
            sessions.record_attempt(
                session, employee_no=person.employee_no, ip=f"10.0.0.{i}", succeeded=False
            )
    with db.session() as session:
        wait = sessions.seconds_to_wait(session, employee_no=person.employee_no, ip="192.0.2.1")
    assert 0 < wait <= 60


def test_success_resets_the_failure_count(db, client):
    person = make_person(db)
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free - 1):
        client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
    client.login(person.employee_no, PASSWORD)
    client.cookies.clear()
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free - 1):
        client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
    assert (
        client.submit(
            "/login", {"employee_no": person.employee_no, "password": PASSWORD}
        ).status_code
        == 303
    )


def test_failed_and_successful_logins_are_in_the_audit_trail(db, client):
    person = make_person(db)
    client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
    client.login(person.employee_no, PASSWORD)
    with db.session() as session:
        actions = [e.action for e in session.exec(select(AuditTrailEvent))]
    assert "login.failed" in actions and "login.succeeded" in actions


def test_hash_is_upgraded_at_login_when_parameters_change(db, client, monkeypatch):
    person = make_person(db)
    with db.session() as session:
        old_hash = session.get(Person, person.id).password_hash
    stronger = CryptContext(
        schemes=["argon2"],
        deprecated="auto",
        argon2__memory_cost=2048,
        argon2__time_cost=2,
        argon2__parallelism=1,
    )
    monkeypatch.setattr(passwords, "pwd_context", stronger)
    client.login(person.employee_no, PASSWORD)
    with db.session() as session:
        new_hash = session.get(Person, person.id).password_hash
    assert new_hash != old_hash and "m=2048" in new_hash
    assert stronger.verify(PASSWORD, new_hash)


def test_production_hashes_are_argon2():
    default = CryptContext(schemes=["argon2"], deprecated="auto")
    assert default.hash("x-123456789").startswith("$argon2")
    assert passwords.verify("anything-1", None) == (False, None)


def test_change_password_checks_current_policy_and_confirmation(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    cases = [
        (
            {
                "current_password": "wrong",
                "new_password": "Newpass-123",
                "confirm_password": "Newpass-123",
            },
            "current password is not correct",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short1", "confirm_password": "short1"},
            "at least 10 characters",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "onlyletters",
                "confirm_password": "onlyletters",
            },
            "both letters and digits",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "Newpass-123",
                "confirm_password": "Newpass-124",
            },
            "differ",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": f"abcd{person.employee_no}123",
                "confirm_password": f"abcd{person.employee_no}123",
            },
            "employee number",
        ),
    ]
    for data, message in cases:
        response = client.submit("/account/password", data, token_page="/account")
        assert response.status_code == 400, message
        assert message in response.text
        assert 'aria-invalid="true"' in response.text


def test_change_password_ends_other_devices_but_not_this_one(db, client, make_client):
    person = make_person(db)
    other = make_client()
    other.login(person.employee_no, PASSWORD)
    client.login(person.employee_no, PASSWORD)
    response = client.submit(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "Brand-new-pass-9",
            "confirm_password": "Brand-new-pass-9",
        },
        token_page="/account",
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 303
    client.cookies.clear()
    client.login(person.employee_no, "Brand-new-pass-9")


def test_temporary_password_must_be_changed_first(db, client, make_client):
    admin = make_person(db, role=Role.admin)
    person = make_person(db)
    client.login(admin.employee_no, PASSWORD)
    page = client.submit(f"/people/{person.id}/password", token_page="/")
    assert page.status_code == 200
    import re

    # Shown in groups of four (one <span> each) inside the password's <code>.
    shown = re.search(r'id="temp-password-value"[^>]*>(.*?)</code>', page.text).group(1)
    temporary = "".join(re.findall(r"<span>(\w+)</span>", shown))
    employee = make_client()
    response = employee.login(person.employee_no, temporary)
    assert response.headers["location"] == "/account?must_change=1"
    assert employee.get("/people").headers["location"] == "/account?must_change=1"
    assert employee.get("/").headers["location"] == "/account?must_change=1"
    employee.submit(
        "/account/password",
        {
            "current_password": temporary,
            "new_password": "Mine-at-last-7",
            "confirm_password": "Mine-at-last-7",
        },
        token_page="/account",
    )
    assert employee.get("/").status_code == 200
