"""YAML import (with a preview of what would change) and export, for authors.

Upload routes are plain `def`: reading and parsing run in the thread pool, never on the event
loop. Applying re-reads the previewed text from the form (it never trusts a plan it showed
earlier) and parses it once: the caps of library_file.reader keep that cheap.
"""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.uploads import UploadError, decode_text, human_size, read_upload
from frontline.web import render, translate
from standards import library_file
from standards.dependencies import AuthorUser, StandardDep
from standards.library_file.problems import MORE_PROBLEMS, ImportProblem, Msg, shown

router = APIRouter()

ACTION_LABELS = {
    "create": N_("Create"),
    "update draft": N_("Update draft"),
    "new draft": N_("New draft"),
    "unchanged": N_("Unchanged"),
    "untouched": N_("Not in the file"),
    "error": N_("Error"),
}


def _page(
    request: Request,
    *,
    errors: Sequence[ImportProblem] = (),
    plan: library_file.ImportPlan | None = None,
    applied: library_file.ImportPlan | None = None,
    yaml_text: str = "",
) -> Response:
    listed, more = shown(errors)

    def say(message: Msg) -> str:
        return message.render(lambda text: translate(request, text))

    context = {
        "errors": [(e.line, e.render(lambda text: translate(request, text))) for e in listed],
        "more_errors": translate(request, MORE_PROBLEMS, count=more) if more else "",
        "plan": plan,
        "applied": applied,
        "yaml_text": yaml_text,
        "say": say,
    }
    return render(request, "standards/import.html", context, status_code=400 if errors else 200)


@router.get("/standards/import")
def import_page(request: Request, _author: AuthorUser) -> Response:
    return _page(request)


def _download(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/standards/export.yaml")
def export_library(session: SessionDep, _author: AuthorUser) -> Response:
    return _download(library_file.export_library(session), "frontline-standards.yaml")


@router.get("/standards/{code}/export.yaml")
def export_standard(session: SessionDep, _author: AuthorUser, standard: StandardDep) -> Response:
    """One standard with its whole history, in the library file format."""
    text = library_file.export_library(session, codes=[standard.code])
    return _download(text, f"{standard.code}.yaml")


def _preview_or_errors(request: Request, session: SessionDep, text: str) -> Response:
    specs, errors = library_file.parse_library(text)
    plan = library_file.plan_import(session, specs=specs, errors=errors)
    if not plan.ok:
        return _page(request, errors=plan.errors)
    return _page(request, plan=plan, yaml_text=text)


@router.post("/standards/import")
def preview_import(
    request: Request, session: SessionDep, _author: AuthorUser, file: Annotated[UploadFile, File()]
) -> Response:
    """Check the file and show what importing it would change; nothing is written yet."""
    limit = request.app.state.settings.max_library_bytes
    try:
        text = decode_text(read_upload(file, max_bytes=limit))
    except UploadError as exc:
        return _page(request, errors=[ImportProblem(0, exc.message, exc.params)])
    return _preview_or_errors(request, session, text)


@router.post("/standards/import/apply")
def apply_import(
    request: Request, session: SessionDep, author: AuthorUser, yaml_text: Annotated[str, Form()]
) -> Response:
    """Apply a previewed file; it is checked again, and a bad file changes nothing."""
    limit = request.app.state.settings.max_library_bytes
    # A browser sends a textarea's line ends as \r\n.
    text = yaml_text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.encode()) > limit:
        too_big = ImportProblem(
            0, N_("The file is larger than %(limit)s."), {"limit": human_size(limit)}
        )
        return _page(request, errors=[too_big])
    specs, errors = library_file.parse_library(text)
    plan = library_file.plan_import(session, specs=specs, errors=errors)
    try:
        applied = library_file.apply_import(
            session, plan=plan, actor_id=author.id, ip=client_ip(request)
        )
    except library_file.ImportRefused as refused:
        return _page(request, errors=refused.plan.errors)
    return _page(request, applied=applied)
