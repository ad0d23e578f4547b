"""Taking a quiz: the attempt page (questions while open, the review once graded), saving
answers as they go, and submitting."""

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline.access import access_rule
from frontline.deps import DatabaseDep, SessionDep
from frontline.models import id_of
from frontline.web import redirect, render, translate
from quizzes import attempts, closing
from quizzes.attempt_view import review_of, shown_items
from quizzes.models import Attempt, Layout, Quiz
from quizzes.take_dependencies import (
    AttemptId,
    FormDep,
    NowDep,
    ViewableAttemptDep,
)
from staff.dependencies import CurrentUser, PolicyDep, as_signed_in_writer
from staff.models import Person

router = APIRouter()
Position = Annotated[int, Path(ge=1, le=500)]
_ANSWER_KEY = re.compile(r"q(\d{1,3})-")


def _quiz(session: Session, attempt: Attempt) -> Quiz:
    quiz = session.get(Quiz, attempt.quiz_id)
    assert quiz is not None
    return quiz


@router.get("/quizzes/attempts/{attempt_id}")
def attempt_page(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    attempt: ViewableAttemptDep,
    user: CurrentUser,
    now: NowDep,
    q: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> Response:
    """While open: the questions (one per screen at ?q=N, or all). Once graded: the result."""
    if attempt.submitted_at is None and closing.is_expired(attempt, now):
        # Closed in a write transaction of its own, so this GET's session stays read-only.
        with database.session(write=True) as writing:
            found = writing.get(Attempt, attempt.id)
            assert found is not None
            closing.close_if_expired(writing, attempt=found, now=now)  # reads it locked
        return redirect(request, f"/quizzes/attempts/{attempt.id}")
    quiz = _quiz(session, attempt)
    if attempt.submitted_at is not None:
        review = review_of(
            session, attempt=attempt, quiz=quiz, now=now, owner=attempt.person_id == user.id
        )
        context = {"attempt": attempt, "quiz": quiz, "review": review}
        return render(request, "quizzes/take/result.html", context)
    items = shown_items(session, attempt=attempt)
    current = None
    if quiz.layout == Layout.one_per_screen and items:
        first_open = next((i.item.position for i in items if not i.answered), 1)
        current = min(q or first_open, len(items))
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "items": items,
        "current": current,
        "seconds_left": int((attempt.deadline - now).total_seconds()) if attempt.deadline else None,
    }
    return render(request, "quizzes/take/attempt.html", context)


@dataclass(frozen=True)
class _Saved:
    closed: bool  # time was up or it was submitted: the answer was not kept
    count: int  # the attempt's items
    position: int
    answered: bool = False  # this item has an answer now (a cleared one has not)
    open: int = 0  # the attempt's items still without an answer
    steps: bool = False  # one question a screen: the page shows the steps and what is open


def _keep(
    request: Request,
    session: Session,
    person: Person,
    attempt_id: int,
    position: int,
    form: dict[str, list[str]],
    now: datetime,
) -> attempts.Kept:
    """Keep the answer (a 400 for one that does not fit; LookupError: no such item)."""
    try:
        return attempts.keep_answer(
            session,
            attempt_id=attempt_id,
            person_id=id_of(person),
            position=position,
            form=form,
            now=now,
        )
    except attempts.AnswerRejected:
        raise HTTPException(
            status_code=400, detail=translate(request, "This answer does not fit the question.")
        ) from None


def _save_one(
    request: Request,
    session: Session,
    person: Person,
    *,
    attempt_id: int,
    position: int,
    form: dict[str, list[str]],
    now: datetime,
) -> _Saved:
    """Who is asking, their attempt and the answer in one short transaction
    (`as_signed_in_writer`): a whole branch answering an exam at once would otherwise queue
    on SQLite's write lock, held from the sign-in check across every hop of the request."""
    try:
        kept = _keep(request, session, person, attempt_id, position, form, now)
    except LookupError:
        raise HTTPException(status_code=404) from None
    except attempts.AttemptClosed:
        # Closing it and grading are kept; the page goes to the result.
        return _Saved(closed=True, count=0, position=position)
    return _Saved(
        closed=False,
        count=kept.count,
        position=position,
        answered=kept.answered,
        open=kept.open,
        steps=kept.one_per_screen,
    )


@access_rule("signed in: the attempt's own taker, checked in the write's transaction")
async def taker_checked_in_write() -> None:
    """Marks the routes; the check itself runs inside the write's one transaction."""


@router.post(
    "/quizzes/attempts/{attempt_id}/items/{position}",
    dependencies=[Depends(taker_checked_in_write)],
)
async def save_answer(
    request: Request,
    attempt_id: AttemptId,
    position: Position,
    now: NowDep,
    form: FormDep,
    policy: PolicyDep,
) -> Response:
    """Keep one answer. htmx gets a short 'saved' note; a plain form goes to the next question."""
    saved = await as_signed_in_writer(
        request,
        policy,
        partial(_save_one, request, attempt_id=attempt_id, position=position, form=form, now=now),
    )
    if saved.closed:
        return _closed(request, attempt_id)
    if request.headers.get("HX-Request") == "true":
        return render(request, "quizzes/take/_saved.html", {"now": now, "saved": saved})
    go = (form.get("go") or ["next"])[-1]
    target = position - 1 if go == "previous" else position + 1
    if go == "review" or target < 1 or target > saved.count:
        return redirect(request, f"/quizzes/attempts/{attempt_id}?q={saved.count}#submit")
    return redirect(request, f"/quizzes/attempts/{attempt_id}?q={target}")


def _closed(request: Request, attempt_id: int) -> Response:
    """Time ran out or it was already submitted: show the result; the answer was not kept."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=409, headers={"HX-Redirect": f"/quizzes/attempts/{attempt_id}"})
    return redirect(request, f"/quizzes/attempts/{attempt_id}")


def _submit_one(
    request: Request,
    session: Session,
    person: Person,
    *,
    attempt_id: int,
    form: dict[str, list[str]],
    now: datetime,
) -> None:
    """Grade once, in one short transaction as an answer is saved (a whole branch submits an
    exam at its closing time). The answers on the page (all on one page, without script) are
    saved first, while time allows; a second submit changes nothing."""
    attempt = closing.locked(session, attempt_id=attempt_id)
    if attempt is None or attempt.person_id != person.id:
        raise HTTPException(status_code=404)
    if attempt.submitted_at is None and not closing.is_expired(attempt, now):
        for position in sorted({int(m[1]) for key in form if (m := _ANSWER_KEY.match(key))}):
            with suppress(LookupError):  # a position the attempt does not have
                _keep(request, session, person, attempt_id, position, form, now)
    closing.submit(session, attempt=attempt, now=now)


@router.post(
    "/quizzes/attempts/{attempt_id}/submit", dependencies=[Depends(taker_checked_in_write)]
)
async def submit_attempt(
    request: Request,
    attempt_id: AttemptId,
    now: NowDep,
    form: FormDep,
    policy: PolicyDep,
) -> Response:
    submit = partial(_submit_one, request, attempt_id=attempt_id, form=form, now=now)
    await as_signed_in_writer(request, policy, submit)
    return redirect(request, f"/quizzes/attempts/{attempt_id}")
