"""frontline.read_ahead.map_ahead: results in order from other threads, several at once, an
error raised to the consumer after what came before it, and a consumer that stops early stops
the work."""

import threading

import pytest

from frontline.read_ahead import map_ahead


def test_results_arrive_in_order_from_other_threads():
    threads = set()

    def square(number: int) -> int:
        threads.add(threading.current_thread().name)
        return number * number

    assert list(map_ahead(square, range(50), workers=2)) == [n * n for n in range(50)]
    assert threads and all(name.startswith("read-ahead") for name in threads)


def test_pieces_are_worked_on_at_once():
    # Two pieces that each wait for the other finish only if both run together.
    both_started = threading.Barrier(2, timeout=5)

    def meet(number: int) -> int:
        both_started.wait()
        return number

    assert list(map_ahead(meet, [1, 2], workers=2)) == [1, 2]


def test_an_error_is_raised_to_the_consumer_after_what_came_before():
    def work(number: int) -> int:
        if number == 2:
            raise ValueError("broken chunk")
        return number

    received = []
    with pytest.raises(ValueError, match="broken chunk"):
        for item in map_ahead(work, [1, 2, 3], workers=2):
            received.append(item)
    assert received == [1]


def test_stopping_early_stops_the_work():
    started = []

    def work(number: int) -> int:
        started.append(number)
        return number

    for item in map_ahead(work, range(1_000_000), workers=2):
        if item == 3:
            break
    # What was taken, and at most the workers' pieces beyond it.
    assert len(started) <= 6
