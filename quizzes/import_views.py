"""Questions and quizzes in and out as files, for authors: the bank file (YAML) and spreadsheets.

Upload routes are plain `def`: reading and parsing run in the thread pool, never on the event
loop. "Check" applies the file in the request's transaction and rolls it back, so what it shows
is exactly what importing would do; "Import" applies it for real. A bad file changes nothing.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.uploads import UploadError, decode_text, read_upload
from frontline.web import render, translate
from quizzes.authoring_dependencies import AuthorUser
from quizzes.files.bank_file import BankFile, parse_bank
from quizzes.files.bank_import import BankPlan, ImportRefused, apply_bank, export_bank
from quizzes.files.spreadsheet import parse_spreadsheet, template_csv, template_xlsx
from standards.library_file.problems import MORE_PROBLEMS, ImportProblem, shown

router = APIRouter()
SPREADSHEETS = (".csv", ".xlsx")


def _page(
    request: Request,
    *,
    errors: list[ImportProblem] | None = None,
    plan: BankPlan | None = None,
    applied: bool = False,
) -> Response:
    listed, more = shown(errors or [])
    context = {
        "errors": [(e.line, e.render(lambda text: translate(request, text))) for e in listed],
        "more_errors": translate(request, MORE_PROBLEMS, count=more) if more else "",
        "plan": plan,
        "applied": applied,
        "say": lambda m: m.render(lambda text: translate(request, text)),
    }
    return render(request, "quizzes/bank/import.html", context, status_code=400 if errors else 200)


@router.get("/quizzes/bank/import")
def import_page(request: Request, _author: AuthorUser) -> Response:
    return _page(request)


def _read(request: Request, file: UploadFile) -> BankFile:
    name = (file.filename or "").lower()
    settings = request.app.state.settings
    if name.endswith(SPREADSHEETS):
        data = read_upload(file, max_bytes=settings.max_upload_bytes)
        return parse_spreadsheet(data, filename=name)
    return parse_bank(decode_text(read_upload(file, max_bytes=settings.max_library_bytes)))


@router.post("/quizzes/bank/import")
def import_file(
    request: Request,
    session: SessionDep,
    author: AuthorUser,
    file: Annotated[UploadFile, File()],
    action: Annotated[Literal["check", "import"], Form()] = "check",
) -> Response:
    try:
        parsed = _read(request, file)
    except UploadError as exc:
        return _page(request, errors=[ImportProblem(0, exc.message, exc.params)])
    try:
        plan = apply_bank(session, parsed=parsed, actor_id=author.id, ip=client_ip(request))
    except ImportRefused as refused:
        session.rollback()
        return _page(request, errors=refused.errors)
    if action == "check":
        session.rollback()
    return _page(request, plan=plan, applied=action == "import")


@router.get("/quizzes/bank/export.yaml")
def export_file(session: SessionDep, _author: AuthorUser) -> Response:
    return Response(
        export_bank(session),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="frontline-quizzes.yaml"'},
    )


@router.get("/quizzes/bank/template.csv")
def template_csv_file(_author: AuthorUser) -> Response:
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="question-template.csv"'},
    )


@router.get("/quizzes/bank/template.xlsx")
def template_xlsx_file(_author: AuthorUser) -> Response:
    return Response(
        template_xlsx(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="question-template.xlsx"'},
    )
