"""Self-study: the Practice list and starting a quiz, daily practice, the wrong-answer book."""

from datetime import date, datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline.deps import SessionDep
from frontline.models import id_of
from frontline.settings import Settings
from frontline.web import redirect, render, translate
from quizzes import attempts, daily, practice, wrong_book
from quizzes.attempt_view import ShownItem, shown_item
from quizzes.take_dependencies import FormDep, NowDep
from staff.dependencies import (
    CurrentUser,
    PolicyDep,
    as_signed_in_writer,
    signed_in_checked_in_write,
)
from staff.models import Person

router = APIRouter()
QuizId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Position = Annotated[int, Path(ge=1, le=50)]


def bank_today(request: Request, now: datetime) -> date:
    settings: Settings = request.app.state.settings
    return settings.today(now)


@router.get("/quizzes/practice")
def practice_list(
    request: Request, session: SessionDep, user: CurrentUser, now: NowDep
) -> Response:
    context = {
        "entries": practice.practice_quizzes(session, person=user),
        "today": daily.todays(session, person_id=id_of(user), today=bank_today(request, now)),
        "book_size": wrong_book.book_size(session, person_id=id_of(user)),
    }
    return render(request, "quizzes/take/practice.html", context)


def _start_one(
    request: Request, session: Session, person: Person, *, quiz_id: int, now: datetime
) -> int:
    """The drawn attempt, in one short transaction with the sign-in as an answer is saved
    (quizzes/take_views.py): a whole branch starts an exam at its opening time."""
    try:
        attempt = attempts.start_attempt(
            session, quiz_id=quiz_id, person=person, return_to="/quizzes/practice", now=now
        )
    except attempts.QuizRefused as refused:
        message = translate(request, refused.message, **refused.params)
        raise HTTPException(status_code=409, detail=message) from None
    return id_of(attempt)


@router.post(
    "/quizzes/practice/{quiz_id}/start", dependencies=[Depends(signed_in_checked_in_write)]
)
async def start_practice(
    request: Request, quiz_id: QuizId, now: NowDep, policy: PolicyDep
) -> Response:
    start = partial(_start_one, request, quiz_id=quiz_id, now=now)
    attempt_id = await as_signed_in_writer(request, policy, start)
    return redirect(request, f"/quizzes/attempts/{attempt_id}")


@router.get("/quizzes/daily")
def daily_page(request: Request, session: SessionDep, user: CurrentUser, now: NowDep) -> Response:
    today = daily.todays(session, person_id=id_of(user), today=bank_today(request, now))
    items = daily.items_of(session, practice=today) if today else []
    context = {
        "practice": today,
        "items": [_shown(entry) for entry in items],
        "has_position": user.position is not None,
    }
    return render(request, "quizzes/take/daily.html", context)


@router.post("/quizzes/daily")
def start_daily(request: Request, session: SessionDep, user: CurrentUser, now: NowDep) -> Response:
    found = daily.start(session, person=user, today=bank_today(request, now), now=now)
    if found is None:
        detail = translate(request, "There are no practice questions for your position yet.")
        raise HTTPException(status_code=409, detail=detail)
    return redirect(request, "/quizzes/daily")


@router.post("/quizzes/daily/items/{position}")
def answer_daily(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    position: Position,
    now: NowDep,
    form: FormDep,
) -> Response:
    today = daily.todays(session, person_id=id_of(user), today=bank_today(request, now))
    if today is None:
        raise HTTPException(status_code=404)
    try:
        found = daily.answer(session, practice=today, position=position, form=form, now=now)
    except attempts.AnswerRejected:
        detail = translate(request, "Choose or write an answer first.")
        raise HTTPException(status_code=400, detail=detail) from None
    except daily.PracticeClosed:
        return redirect(request, f"/quizzes/daily#daily-{position}")
    if found is None:
        raise HTTPException(status_code=404)
    if request.headers.get("HX-Request") == "true":
        context = {
            "shown": _shown(found),
            "total": len(daily.items_of(session, practice=today)),
            "oob_done": today if today.completed_at else None,  # the last one: say so
        }
        return render(request, "quizzes/take/_daily_item.html", context)
    return redirect(request, f"/quizzes/daily#daily-{position}")


def _shown(entry: daily.DailyItem) -> ShownItem:
    """A question of the day; once answered, with the key, feedback and explanation."""
    return shown_item(entry.item, entry.version, with_key=entry.item.answered_at is not None)


@router.get("/quizzes/wrong-answers")
def wrong_answers(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    entries = wrong_book.entries(session, person_id=id_of(user))
    return render(request, "quizzes/take/wrong_answers.html", {"entries": entries})
