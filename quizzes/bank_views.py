"""The question bank for authors: list and filter, write and edit, publish and retire, drafts
from a standard."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.paging import paged
from frontline.web import redirect, render, render_page_or_fragment, translate
from quizzes import analysis, bank
from quizzes.authoring_dependencies import AuthorUser, QuestionDep
from quizzes.bank_forms import form_values, parse_question, submitted_values
from quizzes.done_messages import DRAFTS_MADE, QUESTION_SAVED, QUESTION_STATUS
from quizzes.models import Question, QuestionType, Status
from standards.dependencies import CODE_PATH

router = APIRouter()
PAGE_SIZE = 30


class BankQuery(forms.QueryFilters):
    q: str = Field(default="", max_length=200)
    type: QuestionType | None = None
    standard: str = Field(default="", max_length=16)
    tag: str = Field(default="", max_length=64)
    status: Status | None = None
    page: int = Field(default=1, ge=1, le=100000)


@router.get("/quizzes/bank")
def bank_page(
    request: Request,
    session: SessionDep,
    _author: AuthorUser,
    query: Annotated[BankQuery, Query()],
) -> Response:
    filters = bank.BankFilters(
        text=query.q,
        type=query.type,
        standard_code=query.standard.strip().upper() or None,
        tag=query.tag.strip() or None,
        status=query.status,
    )
    listed = paged(
        query.page,
        PAGE_SIZE,
        lambda number: bank.search(
            session, filters=filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        ),
    )
    context = {
        "rows": listed.rows,
        "total": listed.total,
        "listed": listed,
        "query": query,
        "tags": bank.all_tags(session),
        "base_query": urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        ),
    }
    return render_page_or_fragment(
        request, "quizzes/bank/list.html", "quizzes/bank/_results.html", context, target="results"
    )


def _editor(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    question: Question | None = None,
    answered: bool = False,
    status_code: int = 200,
) -> Response:
    context = {"values": values, "errors": errors, "question": question, "answered": answered}
    return render(request, "quizzes/bank/editor.html", context, status_code=status_code)


@router.get("/quizzes/bank/new")
def new_question_page(
    request: Request,
    _author: AuthorUser,
    type: Annotated[QuestionType, Query()] = QuestionType.single,
) -> Response:
    return _editor(request, values=form_values(None, kind=type), errors={})


@router.post("/quizzes/bank/new")
async def create_question(request: Request, session: SessionDep, author: AuthorUser) -> Response:
    values = submitted_values(await request.form())
    content, errors = parse_question(values)
    if content is None:
        return _editor(request, values=values, errors=errors, status_code=400)
    try:
        question, version = bank.create_question(
            session, content=content, actor_id=author.id, ip=client_ip(request)
        )
    except bank.BankError as refused:
        return _editor(
            request, values=values, errors={"standard_code": str(refused)}, status_code=400
        )
    done: dict[str, str | int] = {"code": question.code, "number": version.number}
    url = status.url_with(request, f"/quizzes/bank/{question.id}", QUESTION_SAVED, **done)
    return redirect(request, url)


@router.get("/quizzes/bank/{question_id}/edit")
def edit_question_page(
    request: Request, session: SessionDep, question: QuestionDep, _author: AuthorUser
) -> Response:
    version = bank.current_version(session, question=question)
    values = form_values(version, kind=QuestionType(version.type))
    answered = bank.is_answered(session, version_id=version.id or 0)
    return _editor(request, values=values, errors={}, question=question, answered=answered)


@router.post("/quizzes/bank/{question_id}/edit")
async def save_question(
    request: Request, session: SessionDep, question: QuestionDep, author: AuthorUser
) -> Response:
    values = submitted_values(await request.form())
    content, errors = parse_question(values)
    if content is None:
        return _editor(request, values=values, errors=errors, question=question, status_code=400)
    try:
        version = bank.save_question(
            session, question=question, content=content, actor_id=author.id, ip=client_ip(request)
        )
    except bank.BankError as refused:
        field = "standard_code" if "standard" in str(refused) else "__all__"
        return _editor(
            request, values=values, errors={field: str(refused)}, question=question, status_code=400
        )
    done: dict[str, str | int] = {"code": question.code, "number": version.number}
    url = status.url_with(request, f"/quizzes/bank/{question.id}", QUESTION_SAVED, **done)
    return redirect(request, url)


@router.get("/quizzes/bank/{question_id}")
def question_page(
    request: Request, session: SessionDep, question: QuestionDep, _author: AuthorUser
) -> Response:
    context = {
        "question": question,
        "version": bank.current_version(session, question=question),
        "history": bank.versions(session, question=question),
        "items": analysis.item_analysis(session, question_id=question.id),
    }
    return render(request, "quizzes/bank/question.html", context)


@router.post("/quizzes/bank/{question_id}/status")
def change_question_status(
    request: Request,
    session: SessionDep,
    question: QuestionDep,
    author: AuthorUser,
    to: Annotated[Status, Form()],
) -> Response:
    bank.set_status(
        session, question=question, status=to, actor_id=author.id, ip=client_ip(request)
    )
    url = status.url_with(
        request, f"/quizzes/bank/{question.id}", QUESTION_STATUS[to], code=question.code
    )
    return redirect(request, url)


@router.post("/quizzes/bank/generate/{code}")
def generate_questions(
    request: Request,
    session: SessionDep,
    author: AuthorUser,
    code: Annotated[str, Path(pattern=CODE_PATH)],
) -> Response:
    """Draft questions from a standard in force, for the author to edit and publish."""
    try:
        made, skipped = bank.generate_drafts(
            session, code=code, actor_id=author.id, ip=client_ip(request)
        )
    except bank.BankError as refused:
        raise HTTPException(status_code=409, detail=translate(request, str(refused))) from None
    target = "/quizzes/bank?" + urlencode({"standard": code, "status": "draft"})
    done: dict[str, str | int] = {"made": len(made), "skipped": skipped, "code": code}
    return redirect(request, status.url_with(request, target, DRAFTS_MADE, **done))
