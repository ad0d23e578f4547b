"""YAML import (with a preview of what would change) and export, for authors."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.web import render, templates
from standards import yaml_io
from standards.dependencies import AuthorUser

router = APIRouter()

ACTION_LABELS = {
    "create": N_("Create"),
    "update draft": N_("Update draft"),
    "new draft": N_("New draft"),
    "unchanged": N_("Unchanged"),
    "untouched": N_("Not in the file"),
    "error": N_("Error"),
}
templates.env.globals["action_labels"] = ACTION_LABELS


@router.get("/standards/import")
def import_page(request: Request, _author: AuthorUser) -> Response:
    return render(request, "standards/import.html", {"errors": [], "plan": None, "applied": None})


@router.get("/standards/export.yaml")
def export_library(session: SessionDep, _author: AuthorUser) -> Response:
    return Response(
        yaml_io.export_library(session),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="frontline-standards.yaml"'},
    )


def _preview_or_errors(request: Request, session: SessionDep, text: str) -> Response:
    specs, errors = yaml_io.parse_library(text)
    plan = yaml_io.plan_import(session, specs, errors=errors)
    context = {
        "errors": plan.errors,
        "plan": plan if plan.ok else None,
        "applied": None,
        "yaml_text": text,
    }
    return render(request, "standards/import.html", context, status_code=200 if plan.ok else 400)


@router.post("/standards/import")
async def preview_import(
    request: Request, session: SessionDep, _author: AuthorUser, file: Annotated[UploadFile, File()]
) -> Response:
    """Check the file and show what importing it would change; nothing is written yet."""
    limit = request.app.state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        errors = [yaml_io.ImportProblem(line=0, message="The file is larger than 5 MB.")]
        return render(
            request,
            "standards/import.html",
            {"errors": errors, "plan": None, "applied": None},
            status_code=400,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors = [yaml_io.ImportProblem(line=0, message="The file is not UTF-8 text.")]
        return render(
            request,
            "standards/import.html",
            {"errors": errors, "plan": None, "applied": None},
            status_code=400,
        )
    return _preview_or_errors(request, session, text)


@router.post("/standards/import/apply")
def apply_import(
    request: Request, session: SessionDep, author: AuthorUser, yaml_text: Annotated[str, Form()]
) -> Response:
    """Apply a previewed file; it is checked again, and a bad file changes nothing."""
    specs, errors = yaml_io.parse_library(yaml_text)
    try:
        if errors:
            raise yaml_io.ImportRefused(yaml_io.plan_import(session, specs, errors=errors))
        plan = yaml_io.apply_import(session, specs, actor_id=author.id, ip=client_ip(request))
    except yaml_io.ImportRefused:
        return _preview_or_errors(request, session, yaml_text)
    return render(request, "standards/import.html", {"errors": [], "plan": None, "applied": plan})
