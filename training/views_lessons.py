"""Authors write a draft's lessons (add, edit, reorder, delete), preview them as learners see
them, and upload the images lessons show."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from frontline import status
from frontline.deps import SessionDep, client_ip
from frontline.uploads import UploadError, read_upload
from frontline.web import locale_of, redirect, render, translate
from staff.dependencies import CurrentUser
from standards.reading import Lang, reading_language
from training import authoring, images, service
from training.dependencies import AuthorUser, DraftDep, LessonDep, ModuleDep, VersionDep
from training.done_messages import IMAGE_UPLOADED
from training.forms import parse_lesson
from training.lesson_text import lesson_parts
from training.models import Lesson, Module, ModuleVersion
from training.reading import module_text
from training.views_authoring import version_page_response

router = APIRouter()


def _lesson_editor(
    request: Request,
    session: Session,
    *,
    module: Module,
    version: ModuleVersion,
    values: dict[str, Any],
    errors: dict[str, str],
    lesson: Lesson | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "module": module,
        "version": version,
        "lesson": lesson,
        "values": values,
        "errors": errors,
        "images": images.images_of(session, module_id=module.id or 0),
    }
    return render(request, "training/lesson_editor.html", context, status_code=status_code)


def _back(module: Module, version: ModuleVersion) -> str:
    return f"/training/modules/{module.code}/v/{version.number}"


@router.get("/training/modules/{code}/v/{number}/lessons/new")
def new_lesson_page(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, _a: AuthorUser
) -> Response:
    return _lesson_editor(request, session, module=module, version=version, values={}, errors={})


@router.post("/training/modules/{code}/v/{number}/lessons/new")
async def add_lesson(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, author: AuthorUser
) -> Response:
    values = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    content, errors = parse_lesson(values)
    if content is None:
        return _lesson_editor(
            request,
            session,
            module=module,
            version=version,
            values=values,
            errors=errors,
            status_code=400,
        )
    authoring.add_lesson(
        session,
        module=module,
        version=version,
        content=content,
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, _back(module, version) + "#lessons")


@router.get("/training/modules/{code}/v/{number}/lessons/{position}/edit")
def edit_lesson_page(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: DraftDep,
    lesson: LessonDep,
    _a: AuthorUser,
) -> Response:
    values = authoring.lesson_content(lesson)
    return _lesson_editor(
        request, session, module=module, version=version, values=values, errors={}, lesson=lesson
    )


@router.post("/training/modules/{code}/v/{number}/lessons/{position}/edit")
async def save_lesson(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: DraftDep,
    lesson: LessonDep,
    author: AuthorUser,
) -> Response:
    values = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    content, errors = parse_lesson(values)
    if content is None:
        return _lesson_editor(
            request,
            session,
            module=module,
            version=version,
            values=values,
            errors=errors,
            lesson=lesson,
            status_code=400,
        )
    authoring.update_lesson(
        session,
        module=module,
        version=version,
        lesson=lesson,
        content=content,
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, _back(module, version) + "#lessons")


@router.post("/training/modules/{code}/v/{number}/lessons/{position}/delete")
def delete_lesson(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: DraftDep,
    lesson: LessonDep,
    author: AuthorUser,
) -> Response:
    authoring.delete_lesson(
        session,
        module=module,
        version=version,
        lesson=lesson,
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, _back(module, version) + "#lessons")


@router.post("/training/modules/{code}/v/{number}/lessons/{position}/move")
def move_lesson(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: DraftDep,
    lesson: LessonDep,
    author: AuthorUser,
    direction: Annotated[str, Form(pattern="^(up|down)$")],
) -> Response:
    authoring.move_lesson(
        session,
        module=module,
        version=version,
        lesson=lesson,
        up=direction == "up",
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, _back(module, version) + "#lessons")


@router.get("/training/modules/{code}/v/{number}/lessons/{position}")
def preview_lesson(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: VersionDep,
    lesson: LessonDep,
    _user: CurrentUser,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    """A lesson as learners see it, without progress: for authors and anyone browsing."""
    reading_lang = reading_language(locale=locale_of(request), requested=lang)
    text = module_text(lesson, lang=reading_lang)
    context = {
        "module": module,
        "version": version,
        "lesson": lesson,
        "reading": text,
        "parts": lesson_parts(session, body=text.body.text, lang=reading_lang),
        "count": len(service.lessons_of(session, version_id=version.id or 0)),
    }
    return render(request, "training/lesson_preview.html", context)


@router.post("/training/modules/{code}/images")
def upload_image(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    author: AuthorUser,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Plain `def`: the image is read and decoded in the thread pool, off the event loop."""
    shown = service.draft_of(session, module=module) or service.current_version(
        session, module=module
    )
    assert shown is not None
    try:
        data = read_upload(file, max_bytes=images.MAX_IMAGE_BYTES)
        image = images.save_image(
            session,
            module=module,
            data=data,
            original_name=file.filename or "",
            actor_id=author.id,
            ip=client_ip(request),
        )
    except UploadError as refused:
        message = translate(request, refused.message, **refused.params)
        return version_page_response(
            request, session, author, module, shown, status_code=400, image_error=message
        )
    url = f"/training/modules/{module.code}/v/{shown.number}#images"
    path = f"/training/images/{image.name}"
    return redirect(request, status.url_with(request, url, IMAGE_UPLOADED, path=path))


@router.get("/training/images/{name}")
def show_image(
    session: SessionDep,
    _user: CurrentUser,
    name: Annotated[str, Path(pattern=images.NAME_PATTERN)],
) -> Response:
    image = images.get_image(session, name=name)
    if image is None:
        raise HTTPException(status_code=404)
    headers = {
        # The name is random and the bytes never change under it.
        "Cache-Control": "private, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
    }
    return Response(content=image.data, media_type=image.content_type, headers=headers)
