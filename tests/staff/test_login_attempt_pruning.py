"""Login attempts are kept only as long as a throttling rule can use them."""

from datetime import timedelta

from sqlmodel import select

from frontline.models import utcnow
from staff import sessions
from staff.models import LoginAttempt
from tests.factories import PASSWORD, make_person


def _add_attempts(db, *, count: int, age: timedelta, employee_no: str = "E9999") -> None:
    with db.session() as session:
        for i in range(count):
            session.add(
                LoginAttempt(employee_no=employee_no, ip=f"198.51.100.{i % 250}", at=utcnow() - age)
            )


def _ages(db) -> list[timedelta]:
    with db.session() as session:
        now = utcnow()
        return sorted(now - at for at in session.exec(select(LoginAttempt.at)))


def test_logging_in_prunes_attempts_older_than_the_throttle_window(db, client):
    _add_attempts(db, count=3, age=sessions.WINDOW + timedelta(minutes=1))
    _add_attempts(db, count=2, age=sessions.WINDOW - timedelta(minutes=1))
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    ages = _ages(db)
    # The two attempts still inside the window and the new one stay; the old three are gone.
    assert len(ages) == 3
    assert all(age < sessions.WINDOW for age in ages)


def test_a_failed_login_prunes_too(db, client):
    _add_attempts(db, count=2, age=timedelta(days=30))
    response = client.submit("/login", {"employee_no": "E0404", "password": "wrong-pass-1"})
    assert response.status_code == 401
    assert len(_ages(db)) == 1


def test_each_attempt_deletes_a_bounded_batch(db, client):
    """A backlog (months of attempts before pruning existed) drains over several logins."""
    _add_attempts(db, count=sessions.PRUNE_BATCH + 30, age=timedelta(days=90))
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    assert len(_ages(db)) == 30 + 1
    client.cookies.clear()
    client.login(person.employee_no, PASSWORD)
    assert len(_ages(db)) == 2


def test_pruning_keeps_what_throttling_still_counts(db, client):
    """Failures inside the window still throttle after other logins pruned the old rows."""
    person = make_person(db)
    _add_attempts(db, count=5, age=timedelta(days=1), employee_no=person.employee_no)
    for _ in range(sessions.PER_ACCOUNT_AND_ADDRESS.free):
        client.submit("/login", {"employee_no": person.employee_no, "password": "wrong-pass-1"})
    blocked = client.submit("/login", {"employee_no": person.employee_no, "password": PASSWORD})
    assert blocked.status_code == 429
    assert len(_ages(db)) == sessions.PER_ACCOUNT_AND_ADDRESS.free
