"""Where each figure family comes from: one grouped query in the owning domain's reporting
module, for all the people of a page or export chunk (`people`, a SELECT of their ids, or
the ids listed: frontline.reporting.listed).

Each family has a loader for one period and, where the domain can answer for several months
at once, a loader for a trend (keyed by person id and the month's index); without one the
trend asks month by month (a fixed number of queries, whatever the data).

A domain that does not offer its `reporting` module (not built yet in this installation) is
left out: its family is absent from FAMILIES, and pages, exports and the API leave out its
figures rather than show zeros.
"""

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Select, func, select
from sqlmodel import Session

from frontline.figure_cache import Marker
from scorecards.models import CompositeWeights
from scorecards.periods import Period
from staff import service as staff_service
from standards import reporting as standards_reporting


def optional_module(name: str) -> ModuleType | None:
    """The module, or None if its domain does not offer it (yet)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise
        return None


quizzes_reporting: Any = optional_module("quizzes.reporting")
training_reporting: Any = optional_module("training.reporting")
audits_reporting: Any = optional_module("audits.reporting")

# `people`: a SELECT of ids, or ids listed (frontline.reporting.listed).
Loader = Callable[[Session, Any, Period, ZoneInfo], dict[int, Any]]
MonthlyLoader = Callable[[Session, Any, list[Period], ZoneInfo], dict[tuple[int, int], Any]]


def acknowledgments(
    session: Session, people: Any, period: Period, zone: ZoneInfo
) -> dict[int, Any]:
    return standards_reporting.acknowledgments(
        session, people=people, start=period.start, end=period.end, zone=zone
    )


def acknowledgments_by_month(
    session: Session, people: Any, months: list[Period], zone: ZoneInfo
) -> dict[tuple[int, int], Any]:
    ends = [month.end for month in months]
    return standards_reporting.acknowledgments_by_month(
        session, people=people, month_ends=ends, zone=zone
    )


def training(session: Session, people: Any, period: Period, zone: ZoneInfo) -> dict[int, Any]:
    return training_reporting.figures(session, people=people, start=period.start, end=period.end)


def training_by_month(
    session: Session, people: Any, months: list[Period], zone: ZoneInfo
) -> dict[tuple[int, int], Any]:
    spans = [(month.start, month.end) for month in months]
    return training_reporting.figures_by_month(session, people=people, months=spans)


def quizzes(session: Session, people: Any, period: Period, zone: ZoneInfo) -> dict[int, Any]:
    return quizzes_reporting.quiz_figures(
        session, people=people, start=period.start, end=period.end, zone=zone
    )


def quizzes_by_month(
    session: Session, people: Any, months: list[Period], zone: ZoneInfo
) -> dict[tuple[int, int], Any]:
    spans = [(month.start, month.end) for month in months]
    return quizzes_reporting.quiz_figures_by_month(session, people=people, months=spans, zone=zone)


def audits(session: Session, people: Any, period: Period, zone: ZoneInfo) -> dict[int, Any]:
    return audits_reporting.audit_figures(
        session, people=people, start=period.start, end=period.end
    )


def audits_by_month(
    session: Session, people: Any, months: list[Period], zone: ZoneInfo
) -> dict[tuple[int, int], Any]:
    """The trend's audit figures from the monthly scores (count and average; veto breaches and
    open actions are not part of the trend)."""
    index = {month.name: i for i, month in enumerate(months)}
    rows = audits_reporting.monthly_scores(
        session, people=people, start=months[0].start, end=months[-1].end
    )
    figures = audits_reporting.AuditFigures
    return {
        (row.person_id, index[row.month]): figures(row.audits, row.average_score, 0, 0)
        for row in rows
        if row.month in index
    }


_OFFERED = {
    "training": training_reporting,
    "quizzes": quizzes_reporting,
    "audits": audits_reporting,
    "acknowledgments": standards_reporting,
}
# The Scorecard attribute each family fills, and its queries.
FAMILIES: dict[str, Loader] = {
    name: loader
    for name, loader in (
        ("training", training),
        ("quizzes", quizzes),
        ("audits", audits),
        ("acknowledgments", acknowledgments),
    )
    if _OFFERED[name] is not None
}
MONTHLY: dict[str, MonthlyLoader] = {
    name: loader
    for name, loader in (
        ("training", training_by_month),
        ("quizzes", quizzes_by_month),
        ("audits", audits_by_month),
        ("acknowledgments", acknowledgments_by_month),
    )
    if name in FAMILIES
}
AVAILABLE = frozenset(FAMILIES)


def change_markers(people: Select[Any] | BindParameter[Any] | None) -> list[Marker]:
    """What every figure of the scorecards of `people` (a SELECT of ids; PEOPLE of
    frontline/figure_cache.py: their ids, listed when read; None: anyone's) is read from, as
    reports' cache markers: the people, teams and branches, their acknowledgments and the
    versions in force, each family offered, and HR's composite weights. Changes about other
    people leave them as they are, so a busy bank does not empty every unit's cache."""
    markers = [
        *staff_service.change_markers(people),
        *standards_reporting.change_markers(people),
    ]
    for module in (quizzes_reporting, training_reporting, audits_reporting):
        if module is not None:
            markers.extend(module.change_markers(people))
    markers.append(select(func.max(CompositeWeights.id)).scalar_subquery())
    return markers
