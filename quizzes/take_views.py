"""Taking a quiz: the attempt page (questions while open, the review once graded), saving
answers as they go, and submitting."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline.deps import DatabaseDep, SessionDep
from frontline.web import redirect, render, translate
from quizzes import attempts
from quizzes.attempt_view import review_of, shown_items
from quizzes.models import Attempt, AttemptItem, Layout, QuestionVersion, Quiz
from quizzes.take_dependencies import FormDep, NowDep, OwnAttemptDep, ViewableAttemptDep
from staff.dependencies import CurrentUser

router = APIRouter()
Position = Annotated[int, Path(ge=1, le=500)]


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
    if attempt.submitted_at is None and attempts.is_expired(attempt, now):
        # Closed in a write transaction of its own, so this GET's session stays read-only.
        with database.session(write=True) as writing:
            found = writing.get(Attempt, attempt.id)
            assert found is not None
            attempts.close_if_expired(writing, attempt=found, now=now)
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


def _item(session: Session, attempt: Attempt, position: int) -> tuple[AttemptItem, QuestionVersion]:
    for item, version in attempts.items_of(session, attempt=attempt):
        if item.position == position:
            return item, version
    raise HTTPException(status_code=404)


def _save(
    request: Request,
    session: Session,
    attempt: Attempt,
    form: dict[str, list[str]],
    item: AttemptItem,
    version: QuestionVersion,
    now: datetime,
) -> None:
    prefix = f"q{item.position}-"
    try:
        answer = attempts.parse_answer(version.type, item.option_order, form, prefix)
    except attempts.AnswerRejected:
        raise HTTPException(
            status_code=400, detail=translate(request, "This answer does not fit the question.")
        ) from None
    attempts.save_answer(session, attempt=attempt, item=item, answer=answer, now=now)


@router.post("/quizzes/attempts/{attempt_id}/items/{position}")
def save_answer(
    request: Request,
    session: SessionDep,
    attempt: OwnAttemptDep,
    position: Position,
    now: NowDep,
    form: FormDep,
) -> Response:
    """Keep one answer. htmx gets a short 'saved' note; a plain form goes to the next question."""
    item, version = _item(session, attempt, position)
    try:
        _save(request, session, attempt, form, item, version, now)
    except attempts.AttemptClosed:
        return _closed(request, attempt)
    if request.headers.get("HX-Request") == "true":
        return render(request, "quizzes/take/_saved.html", {"item": item, "now": now})
    go = (form.get("go") or ["next"])[-1]
    target = position - 1 if go == "previous" else position + 1
    count = len(attempts.items_of(session, attempt=attempt))
    if go == "review" or target < 1 or target > count:
        return redirect(request, f"/quizzes/attempts/{attempt.id}?q={count}#submit")
    return redirect(request, f"/quizzes/attempts/{attempt.id}?q={target}")


def _closed(request: Request, attempt: Attempt) -> Response:
    """Time ran out or it was already submitted: show the result; the answer was not kept."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=409, headers={"HX-Redirect": f"/quizzes/attempts/{attempt.id}"})
    return redirect(request, f"/quizzes/attempts/{attempt.id}")


@router.post("/quizzes/attempts/{attempt_id}/submit")
def submit_attempt(
    request: Request,
    session: SessionDep,
    attempt: OwnAttemptDep,
    now: NowDep,
    form: FormDep,
) -> Response:
    """Grade once. The answers on the page (all on one page, without script) are saved first,
    while time allows; a second submit changes nothing."""
    if attempt.submitted_at is None and not attempts.is_expired(attempt, now):
        for item, version in attempts.items_of(session, attempt=attempt):
            if any(key.startswith(f"q{item.position}-") for key in form):
                _save(request, session, attempt, form, item, version, now)
    attempts.submit(session, attempt=attempt, now=now)
    return redirect(request, f"/quizzes/attempts/{attempt.id}")
