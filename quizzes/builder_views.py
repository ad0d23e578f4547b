"""Quizzes for authors (build, publish, archive), item analysis for authors and HR, results for
HR and supervisors (their own teams)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from frontline import status
from frontline.deps import SessionDep, client_ip
from frontline.paging import PageNumber, paged
from frontline.web import redirect, render, translate
from quizzes import analysis, quiz_builder, results
from quizzes.authoring_dependencies import AuthorUser, QuizDep, QuizViewer, ResultsViewer
from quizzes.builder_forms import form_values, parse_settings, submitted_values
from quizzes.done_messages import QUIZ_SAVED, QUIZ_STATUS
from quizzes.models import Quiz, Status
from quizzes.quiz_builder import QuizSettings
from staff import service as staff_service
from staff.models import POSITION_LABELS, Person, Role

router = APIRouter()


def _is_author(person: Person) -> bool:
    return person.role in (Role.author, Role.admin)


@router.get("/quizzes/manage")
def quizzes_page(request: Request, session: SessionDep, viewer: QuizViewer) -> Response:
    context = {"quiz_list": quiz_builder.list_quizzes(session), "is_author": _is_author(viewer)}
    return render(request, "quizzes/manage/list.html", context)


def _editor(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    quiz: Quiz | None = None,
    status_code: int = 200,
) -> Response:
    context = {"values": values, "errors": errors, "quiz": quiz, "positions": POSITION_LABELS}
    return render(request, "quizzes/manage/editor.html", context, status_code=status_code)


def _zone(request: Request) -> Any:
    return request.app.state.settings.zone()


@router.get("/quizzes/manage/new")
def new_quiz_page(request: Request, _author: AuthorUser) -> Response:
    blank = QuizSettings.model_construct(title_zh="")  # the defaults, not yet valid
    values = form_values(blank, code="", zone=_zone(request))
    return _editor(request, values=values, errors={})


@router.post("/quizzes/manage/new")
async def create_quiz(request: Request, session: SessionDep, author: AuthorUser) -> Response:
    values = submitted_values(await request.form())
    settings, errors = parse_settings(values, zone=_zone(request))
    code = values["code"].strip().upper()
    if settings is None:
        return _editor(request, values=values, errors=errors, status_code=400)
    try:
        quiz = quiz_builder.create_quiz(
            session, code=code, settings=settings, actor_id=author.id, ip=client_ip(request)
        )
    except quiz_builder.BuilderError as refused:
        field = "questions" if "question" in refused.message else "code"
        message = translate(request, refused.message, **refused.params)
        return _editor(request, values=values, errors={field: message}, status_code=400)
    url = status.url_with(request, f"/quizzes/manage/{quiz.id}", QUIZ_SAVED, code=quiz.code)
    return redirect(request, url)


@router.get("/quizzes/manage/{quiz_id}/edit")
def edit_quiz_page(
    request: Request, session: SessionDep, quiz: QuizDep, _author: AuthorUser
) -> Response:
    settings = quiz_builder.settings_of(session, quiz=quiz)
    values = form_values(settings, code=quiz.code, zone=_zone(request))
    return _editor(request, values=values, errors={}, quiz=quiz)


@router.post("/quizzes/manage/{quiz_id}/edit")
async def save_quiz(
    request: Request, session: SessionDep, quiz: QuizDep, author: AuthorUser
) -> Response:
    values = submitted_values(await request.form())
    values["code"] = quiz.code
    settings, errors = parse_settings(values, zone=_zone(request))
    if settings is None:
        return _editor(request, values=values, errors=errors, quiz=quiz, status_code=400)
    try:
        quiz_builder.update_quiz(
            session, quiz=quiz, settings=settings, actor_id=author.id, ip=client_ip(request)
        )
    except quiz_builder.BuilderError as refused:
        message = translate(request, refused.message, **refused.params)
        return _editor(
            request, values=values, errors={"questions": message}, quiz=quiz, status_code=400
        )
    url = status.url_with(request, f"/quizzes/manage/{quiz.id}", QUIZ_SAVED, code=quiz.code)
    return redirect(request, url)


@router.post("/quizzes/manage/{quiz_id}/status")
def change_quiz_status(
    request: Request,
    session: SessionDep,
    quiz: QuizDep,
    author: AuthorUser,
    to: Annotated[Status, Form()],
) -> Response:
    try:
        quiz_builder.set_status(
            session, quiz=quiz, status=to, actor_id=author.id, ip=client_ip(request)
        )
    except quiz_builder.BuilderError as refused:
        detail = translate(request, refused.message, **refused.params)
        raise HTTPException(status_code=409, detail=detail) from None
    url = status.url_with(request, f"/quizzes/manage/{quiz.id}", QUIZ_STATUS[to], code=quiz.code)
    return redirect(request, url)


@router.get("/quizzes/manage/{quiz_id}")
def quiz_page(request: Request, session: SessionDep, quiz: QuizDep, viewer: QuizViewer) -> Response:
    """The quiz's settings; item analysis for authors and HR; problems before publishing."""
    sees_analysis = viewer.role in (Role.author, Role.hr, Role.admin)
    context = {
        "quiz": quiz,
        "settings": quiz_builder.settings_of(session, quiz=quiz),
        "is_author": _is_author(viewer),
        "sees_results": viewer.role in (Role.supervisor, Role.hr, Role.admin),
        "summary": analysis.summary(session, quiz_id=quiz.id or 0) if sees_analysis else None,
        "items": analysis.item_analysis(session, quiz_id=quiz.id) if sees_analysis else [],
        "problems": quiz_builder.publication_problems(session, quiz=quiz)
        if quiz.status == Status.draft
        else [],
    }
    return render(request, "quizzes/manage/quiz.html", context)


@router.get("/quizzes/manage/{quiz_id}/results")
def results_page(
    request: Request,
    session: SessionDep,
    quiz: QuizDep,
    viewer: ResultsViewer,
    by: Annotated[Literal["person", "team", "branch"], Query()] = "person",
    page: PageNumber = 1,
) -> Response:
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    context: dict[str, Any] = {"quiz": quiz, "by": by}
    if by == "person":
        listed = paged(
            page,
            results.PAGE_SIZE,
            lambda number: results.person_results(
                session,
                quiz_id=quiz.id or 0,
                team_ids=team_ids,
                offset=(number - 1) * results.PAGE_SIZE,
            ),
        )
        context.update(rows=listed.rows, total=listed.total, listed=listed)
    else:
        groups = results.group_results(session, quiz_id=quiz.id or 0, by=by, team_ids=team_ids)
        context.update(groups=groups)
    return render(request, "quizzes/manage/results.html", context)


@router.get("/quizzes/manage/{quiz_id}/results.csv")
def results_csv(session: SessionDep, quiz: QuizDep, viewer: ResultsViewer) -> Response:
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    rows, _ = results.person_results(session, quiz_id=quiz.id or 0, team_ids=team_ids, limit=None)
    return StreamingResponse(
        results.results_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{quiz.code}-results.csv"'},
    )
