"""The ids (of people, of branches) every domain's reporting functions accept, made one form."""

from typing import Any

from sqlalchemy import BindParameter, Select, select


def ids_of(ids: Any) -> Any:
    """What `column.in_()` takes, from ids in any form the reporting functions accept: a
    SELECT of ids, a subquery of one column, ids listed in an expanding parameter
    (scorecards.people.listed) or a plain list."""
    if isinstance(ids, (Select, BindParameter, list, tuple, set)):
        return ids
    return select(*ids.c)
