"""frontline.figure_cache: a value is computed once per key however many ask together, other
keys are computed side by side, a failure is not kept, the oldest values make room, and two
databases never share a value. Scoped markers follow who is in the unit."""

import threading

import pytest
from sqlalchemy import create_engine, update
from sqlmodel import Session, col, select

from frontline.figure_cache import FigureCache, ScopedMarkers, fingerprint
from frontline.models import id_of
from scorecards import families
from staff.models import Person
from tests.factories import make_person, make_team


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_many_asking_together_compute_once(session):
    cache: FigureCache[int] = FigureCache(size=4)
    calls = []
    release = threading.Event()

    def compute() -> int:
        calls.append(1)
        release.wait(5)
        return 42

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get(session, ("k",), compute)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == [42] * 8
    assert len(calls) == 1


def test_different_keys_compute_side_by_side(session):
    cache: FigureCache[str] = FigureCache(size=4)
    both = threading.Barrier(2, timeout=5)  # broken unless both computations run at once

    def compute(name: str) -> str:
        both.wait()
        return name

    results = {}

    def ask(name: str) -> None:
        results[name] = cache.get(session, (name,), lambda: compute(name))

    threads = [threading.Thread(target=ask, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert results == {"a": "a", "b": "b"}


def test_a_failure_is_not_kept(session):
    cache: FigureCache[int] = FigureCache(size=4)

    def broken() -> int:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.get(session, ("k",), broken)
    assert cache.get(session, ("k",), lambda: 7) == 7


def test_the_least_recently_used_value_makes_room(session):
    cache: FigureCache[str] = FigureCache(size=2)
    cache.get(session, ("a",), lambda: "a")
    cache.get(session, ("b",), lambda: "b")
    cache.get(session, ("a",), lambda: "not computed again")  # a is now the most recent
    cache.get(session, ("c",), lambda: "c")  # b makes room
    assert cache.get(session, ("a",), lambda: "a again") == "a"
    assert cache.get(session, ("b",), lambda: "b again") == "b again"


def test_two_databases_never_share_a_value(session):
    cache: FigureCache[str] = FigureCache(size=4)
    other_engine = create_engine("sqlite://")
    with Session(other_engine) as other:
        assert cache.get(session, ("k",), lambda: "first") == "first"
        assert cache.get(other, ("k",), lambda: "second") == "second"
    other_engine.dispose()


def _team_fingerprint(db, team) -> tuple[object, ...]:
    people = select(col(Person.id)).where(col(Person.team_id) == id_of(team))
    with db.session() as session:
        return fingerprint(session, ScopedMarkers(people, families.change_markers))


def _move(db, *moves: tuple[Person, object]) -> None:
    """Bare UPDATEs, in one transaction, that leave updated_at as it was."""
    with db.session() as session:
        for person, team in moves:
            moving = update(Person).where(col(Person.id) == id_of(person))
            session.execute(moving.values(team_id=id_of(team)))


def test_scoped_markers_follow_who_is_in_the_unit(db):
    """A person joining or leaving a team changes its fingerprint even when nothing about
    them records the change: on PostgreSQL the team's ids are part of it, on SQLite their
    count."""
    team, other = make_team(db), make_team(db)
    make_person(db, team=team)
    mover = make_person(db, team=other)
    before = _team_fingerprint(db, team)
    assert _team_fingerprint(db, team) == before
    _move(db, (mover, team))
    assert _team_fingerprint(db, team) != before
    _move(db, (mover, other))
    assert _team_fingerprint(db, team) == before  # left again: as it was


def test_on_postgresql_a_swap_changes_the_fingerprint(db):
    """One person leaving as another joins keeps the team's count and, when the one staying
    changed last, its latest change: the ids tell them apart. (SQLite reads the markers in one
    statement; there every write's updated_at tells.)"""
    if db.is_sqlite:
        pytest.skip("SQLite reads scoped markers in one statement, without the ids")
    team, other = make_team(db), make_team(db)
    leaver = make_person(db, team=team)
    joiner = make_person(db, team=other)
    make_person(db, team=team)  # changed last
    before = _team_fingerprint(db, team)
    _move(db, (leaver, other), (joiner, team))
    assert _team_fingerprint(db, team) != before
