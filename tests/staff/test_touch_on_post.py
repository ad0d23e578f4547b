"""A form posted after a minute's pause: the session's "last seen" is touched in the post's own
transaction. (A second write transaction waited for the request's own SQLite write lock until
the busy timeout, then failed the post with a 500: every tap on an audit tablet after a pause.)"""

from datetime import timedelta

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
