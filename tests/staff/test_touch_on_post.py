"""A form posted after a minute's pause: the session's "last seen" is touched in the post's own
transaction. (A second write transaction waited for the request's own SQLite write lock until
the busy timeout, then failed the post with a 500: every tap on an audit tablet after a pause.)"""

import time
from datetime import timedelta

import pytest
from sqlmodel import select

from staff.models import LoginSession
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person


def test_a_post_touches_the_session_in_its_own_transaction(app, db):
    person = make_person(db)
    with FrontlineClient(app, raise_server_exceptions=False) as client:
        client.login(person.employee_no, PASSWORD)
        token = client.csrf_token("/")
        with db.session() as session:
            login = session.exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()  # type: ignore[union-attr]
            login.last_seen_at -= timedelta(minutes=2)
            before = login.last_seen_at
            session.add(login)
        response = client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/"})
        assert response.status_code == 303
    with db.session(write=False) as session:
        login = session.exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()  # type: ignore[union-attr]
        assert login.last_seen_at > before + timedelta(minutes=1)


def _age_the_session(db) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        login = session.exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()  # type: ignore[union-attr]
        login.last_seen_at -= timedelta(minutes=2)
        session.add(login)
        return login.id, login.last_seen_at


def _last_seen(db, login_id: int):  # type: ignore[no-untyped-def]
    with db.session(write=False) as session:
        return session.get(LoginSession, login_id).last_seen_at  # type: ignore[union-attr]


def test_a_page_does_not_wait_for_a_long_write_to_note_its_session(app, db):
    """A GET notes "last seen" in a short write of its own; while an import holds SQLite's
    write turn, the page is served at once and a later request notes it."""
    if not db.is_sqlite:
        pytest.skip("SQLite's write turn; PostgreSQL's touch locks only its own row")
    person = make_person(db)
    with FrontlineClient(app) as client:
        client.login(person.employee_no, PASSWORD)
        login_id, before = _age_the_session(db)
        with db.session() as long_write:
            long_write.exec(select(LoginSession).limit(1)).all()  # holds the write turn
            started = time.monotonic()
            assert client.get("/account").status_code == 200
            assert time.monotonic() - started < 5  # not SQLite's 15-second busy timeout
        assert _last_seen(db, login_id) == before
        assert client.get("/account").status_code == 200
    assert _last_seen(db, login_id) > before + timedelta(minutes=1)
