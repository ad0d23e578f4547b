"""One page of a long list: its rows, where it is, and how many there are in all."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

from fastapi import Query
from sqlalchemy import Select, func
from sqlmodel import Session, select

T = TypeVar("T")
U = TypeVar("U")
Columns = TypeVarTuple("Columns")

# `?page=N` of a list page.
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int  # 1-based
    size: int
    total: int  # rows on every page

    def shown_as(self, rows: list[U]) -> "Page[U]":
        """The same page, its rows made into what the list shows."""
        return Page(rows, self.number, self.size, self.total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The 1-based place of the page's first row (0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def page_of(session: Session, query: Any, *, number: int, size: int) -> Page[Any]:
    """Page `number` of an ordered SQLModel SELECT (of one entity or more), with the total;
    a page past the end is the last one. The order must be total (end on a unique column), or
    a row could show on two pages and another on none."""
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery()))
    count = int(total.scalar_one())
    number = min(number, max(1, -(-count // size)))
    rows = list(session.exec(query.limit(size).offset((number - 1) * size)).all())
    return Page(rows, number, size, count)


def paged(number: int, size: int, fetch: Callable[[int], tuple[list[T], int]]) -> Page[T]:
    """Page `number` of a list its service pages itself: `fetch(number)` gives that page's rows
    and the total. A page past the end is the last one (fetched again: an old link to page 9
    of what is now 3 pages)."""
    rows, total = fetch(number)
    last = max(1, -(-total // size))
    if number > last:
        number = last
        rows, total = fetch(number)
    return Page(rows, number, size, total)


def with_total(page: Select[*Columns]) -> Select[Any]:
    """A page's statement whose every row also carries how many rows match in all
    (`count(*) OVER ()`): counted in the scan that finds them, not by running the filter
    again. Read it with `counted_rows`."""
    return page.add_columns(func.count().over().label("matches"))


def counted_rows(
    session: Session,
    page: Select[Any],
    count: Select[Any],
    parameters: dict[str, Any],
    *,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of a `with_total` statement (limit and offset bound), without that column,
    and the total. Only a page past the end, whose rows carry no total, runs `count`."""
    rows = session.execute(page, {**parameters, "limit": limit, "offset": offset}).all()
    if rows:
        return [tuple(row)[:-1] for row in rows], rows[0][-1]
    return [], session.execute(count, parameters).scalar_one() if offset else 0
