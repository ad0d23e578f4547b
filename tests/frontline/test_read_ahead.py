"""frontline.read_ahead: the producer's items in order, its errors raised to the consumer,
and a consumer that stops early stops the producer."""

import threading
from collections.abc import Iterator

import pytest

from frontline.read_ahead import read_ahead


def test_items_arrive_in_order_from_another_thread():
    threads = set()

    def produce() -> Iterator[int]:
        for number in range(50):
            threads.add(threading.current_thread().name)
            yield number

    assert list(read_ahead(produce, depth=2)) == list(range(50))
    assert threads == {"read-ahead"}


def test_an_error_in_the_producer_is_raised_to_the_consumer_after_what_came_before():
    def produce() -> Iterator[int]:
        yield 1
        raise ValueError("broken chunk")

    received = []
    with pytest.raises(ValueError, match="broken chunk"):
        for item in read_ahead(produce):
            received.append(item)
    assert received == [1]


def test_stopping_early_stops_the_producer():
    made = []
    finished = threading.Event()

    def produce() -> Iterator[int]:
        try:
            for number in range(1_000_000):
                made.append(number)
                yield number
        finally:
            finished.set()

    for item in read_ahead(produce, depth=1):
        if item == 3:
            break
    assert finished.wait(5)
    assert len(made) <= 6  # at most the queue's depth and one in hand beyond what was taken
