"""YAML import (with a preview of what would change) and export, for authors."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.web import render
from standards import yaml_io
from standards.dependencies import AuthorUser

router = APIRouter()


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
    plan = yaml_io.plan_import(session, specs) if not errors else None
    if plan is not None and plan.errors:
        errors = plan.errors
        plan = None
    context = {"errors": errors, "plan": plan, "applied": None, "yaml_text": text}
    return render(request, "standards/import.html", context, status_code=400 if errors else 200)


@router.post("/standards/import")
async def preview_import(
    request: Request, session: SessionDep, _author: AuthorUser, file: Annotated[UploadFile, File()]
) -> Response:
    """Check the file and show what importing it would change; nothing is written yet."""
    limit = request.app.state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        errors = [yaml_io.ImportProblem(line=0, message="The file is larger than 5 MB.")]
        return render(request, "standards/import.html", {"errors": errors, "plan": None, "applied": None}, status_code=400)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors = [yaml_io.ImportProblem(line=0, message="The file is not UTF-8 text.")]
        return render(request, "standards/import.html", {"errors": errors, "plan": None, "applied": None}, status_code=400)
    return _preview_or_errors(request, session, text)


@router.post("/standards/import/apply")
def apply_import(
    request: Request, session: SessionDep, author: AuthorUser, yaml_text: Annotated[str, Form()]
) -> Response:
    """Apply a previewed file; it is checked again, and a bad file changes nothing."""
    specs, errors = yaml_io.parse_library(yaml_text)
    if errors:
        return _preview_or_errors(request, session, yaml_text)
    plan = yaml_io.apply_import(session, specs, actor_id=author.id, ip=client_ip(request))
    return render(request, "standards/import.html", {"errors": [], "plan": None, "applied": plan})
