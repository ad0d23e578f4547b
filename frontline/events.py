"""Facts one domain announces and others act on, synchronously inside the same transaction.

A lower domain announces ("a standard version was published") without knowing who listens;
a higher domain subscribes in its `domain.py`, so nothing ever imports upward. Handlers run in
the announcing request's session, in registration order: what they write commits or rolls
back with the change that caused it, and an exception in a handler undoes both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every announced fact: a frozen dataclass named in the past tense."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Session, E], None]


@dataclass(frozen=True)
class Subscription:
    """One handler for one event type, as a domain declares it."""

    event_type: type[Event]
    handler: Callable[[Session, Any], None]


def subscription(event_type: type[E], handler: Handler[E]) -> Subscription:
    """A typed declaration: the handler must accept exactly this event type."""
    return Subscription(event_type, handler)


_subscriptions: list[Subscription] = []


def subscribe(event_type: type[E], handler: Handler[E]) -> None:
    """Subscribe outside a domain declaration (tests, scripts); the same pair only once."""
    entry = subscription(event_type, handler)
    if entry not in _subscriptions:
        _subscriptions.append(entry)


def unsubscribe(event_type: type[E], handler: Handler[E]) -> None:
    entry = subscription(event_type, handler)
    if entry in _subscriptions:
        _subscriptions.remove(entry)


def handlers_for(event_type: type[Event]) -> list[Callable[[Session, Any], None]]:
    """The installed domains' handlers in dependency order, then those subscribed directly."""
    from frontline.domains import installed  # the registry imports domains, which import us

    declared = [entry for domain in installed() for entry in domain.subscriptions]
    return [
        entry.handler for entry in (*declared, *_subscriptions) if entry.event_type is event_type
    ]


def announce(*, session: Session, event: Event) -> None:
    """Call every subscriber of this event's type now, in the caller's transaction."""
    for handler in handlers_for(type(event)):
        handler(session, event)
