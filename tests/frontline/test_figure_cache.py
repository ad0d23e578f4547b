"""frontline.figure_cache: a value is computed once per key however many ask together, other
keys are computed side by side, a failure is not kept, the oldest values make room, and two
databases never share a value."""

import threading

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session

from frontline.figure_cache import FigureCache


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
