"""Authors build modules: the catalogue, a module's versions, drafting, publishing, archiving."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.web import locale_of, redirect, render, translate
from staff.dependencies import CurrentUser
from staff.models import POSITION_LABELS, Person
from standards.reading import Lang, reading_language
from training import authoring, images, quiz_link, service
from training.dependencies import AuthorUser, DraftDep, ModuleDep, VersionDep, can_author
from training.done_messages import ARCHIVED, DISCARDED, DRAFT_STARTED, PUBLISHED
from training.forms import (
    PublishForm,
    ReasonForm,
    module_values,
    parse_code,
    parse_module,
    submitted_values,
)
from training.models import REFRESHER_POLICY_LABELS, Module, ModuleVersion, VersionStatus
from training.reading import module_text

router = APIRouter()


@router.get("/training/modules")
def catalogue(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    drafts: Annotated[bool, Query()] = False,
) -> Response:
    is_author = can_author(user)
    rows = service.catalogue(session, drafts=drafts and is_author)
    lang = reading_language(locale=locale_of(request), requested=None)
    context = {
        "rows": [(m, v, module_text(v, lang=lang)) for m, v in rows],
        "is_author": is_author,
        "drafts": drafts and is_author,
    }
    return render(request, "training/catalogue.html", context)


def _editor(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    module: Module | None = None,
    version: ModuleVersion | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "module": module,
        "version": version,
        "positions": POSITION_LABELS,
        "quizzes": quiz_link.quiz_choices(session),
        "refresher_policies": REFRESHER_POLICY_LABELS,
    }
    return render(request, "training/editor.html", context, status_code=status_code)


@router.get("/training/modules/new")
def new_module_page(request: Request, session: SessionDep, _author: AuthorUser) -> Response:
    values = {"positions": [], "refresher_policy": "confirm", "estimated_minutes": 20}
    return _editor(request, session, values=values, errors={})


@router.post("/training/modules/new")
async def create_module(request: Request, session: SessionDep, author: AuthorUser) -> Response:
    values = submitted_values(await request.form())
    code, errors = parse_code(values)
    content, content_errors = parse_module(values)
    errors.update(content_errors)
    if code and service.get_by_code(session, code=code):
        errors["code"] = N_("A module with this code already exists.")
    if code is not None and content is not None and not errors:
        try:
            module, version = authoring.create_module(
                session, code=code, content=content, actor_id=author.id, ip=client_ip(request)
            )
        except authoring.CodeTaken as taken:  # created by another author at the same moment
            errors["code"] = str(taken)
        else:
            return redirect(request, f"/training/modules/{module.code}/v/{version.number}")
    return _editor(request, session, values=values, errors=errors, status_code=400)


@router.get("/training/modules/{code}/v/{number}/edit")
def edit_draft_page(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, _a: AuthorUser
) -> Response:
    values = module_values(authoring.content_of(version))
    return _editor(request, session, values=values, errors={}, module=module, version=version)


@router.post("/training/modules/{code}/v/{number}/edit")
async def save_draft(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, author: AuthorUser
) -> Response:
    values = submitted_values(await request.form())
    content, errors = parse_module(values)
    if content is None:
        return _editor(
            request,
            session,
            values=values,
            errors=errors,
            module=module,
            version=version,
            status_code=400,
        )
    authoring.update_draft(
        session,
        module=module,
        version=version,
        content=content,
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, f"/training/modules/{module.code}/v/{version.number}")


@router.get("/training/modules/{code}")
def module_page(request: Request, session: SessionDep, module: ModuleDep) -> Response:
    """The version in force; for authors, the draft when nothing has been published yet."""
    version = service.current_version(session, module=module) or service.draft_of(
        session, module=module
    )
    assert version is not None  # a module always has a version in force or a draft
    return redirect(request, f"/training/modules/{module.code}/v/{version.number}")


def version_page_response(
    request: Request,
    session: Session,
    user: Person,
    module: Module,
    version: ModuleVersion,
    *,
    lang: Lang | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    is_author = can_author(user)
    history = [
        v
        for v in service.versions(session, module=module)
        if v.status != VersionStatus.draft or is_author
    ]
    reading_lang = reading_language(locale=locale_of(request), requested=lang)
    lessons = service.lessons_of(session, version_id=version.id or 0)
    context = {
        "module": module,
        "version": version,
        "reading": module_text(version, lang=reading_lang),
        "lessons": [(lesson, module_text(lesson, lang=reading_lang)) for lesson in lessons],
        "history": history,
        "draft": service.draft_of(session, module=module),
        "is_author": is_author,
        "quiz": quiz_link.get_quiz(session, quiz_id=version.quiz_id) if version.quiz_id else None,
        "problems": authoring.publish_problems(session, version=version)
        if is_author and version.status == VersionStatus.draft
        else [],
        "images": images.images_of(session, module_id=module.id or 0) if is_author else [],
        "positions": POSITION_LABELS,
        "refresher_policies": REFRESHER_POLICY_LABELS,
        "publish_errors": {},
        "archive_errors": {},
        "image_error": None,
        **extra,
    }
    return render(request, "training/version.html", context, status_code=status_code)


@router.get("/training/modules/{code}/v/{number}")
def version_page(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    version: VersionDep,
    user: CurrentUser,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    return version_page_response(request, session, user, module, version, lang=lang)


@router.post("/training/modules/{code}/drafts")
def start_draft(
    request: Request, session: SessionDep, module: ModuleDep, author: AuthorUser
) -> Response:
    existing = service.draft_of(session, module=module)
    if existing is not None:
        return redirect(request, f"/training/modules/{module.code}/v/{existing.number}")
    draft = authoring.new_draft(session, module=module, actor_id=author.id, ip=client_ip(request))
    url = f"/training/modules/{module.code}/v/{draft.number}"
    done: dict[str, str | int] = {"code": module.code, "number": draft.number}
    return redirect(request, status.url_with(request, url, DRAFT_STARTED, **done))


@router.post("/training/modules/{code}/v/{number}/publish")
async def publish_version(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, author: AuthorUser
) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(PublishForm, values)
    problems = authoring.publish_problems(session, version=version)
    if form is None or problems:
        return version_page_response(
            request, session, author, module, version, status_code=400, publish_errors=errors
        )
    authoring.publish(
        session,
        module=module,
        version=version,
        change_note=form.change_note,
        actor_id=author.id,
        ip=client_ip(request),
    )
    url = f"/training/modules/{module.code}/v/{version.number}"
    done: dict[str, str | int] = {"code": module.code, "number": version.number}
    return redirect(request, status.url_with(request, url, PUBLISHED, **done))


@router.post("/training/modules/{code}/v/{number}/discard")
def discard_draft(
    request: Request, session: SessionDep, module: ModuleDep, version: DraftDep, author: AuthorUser
) -> Response:
    number = version.number
    authoring.discard_draft(
        session, module=module, version=version, actor_id=author.id, ip=client_ip(request)
    )
    url = "/training/modules?drafts=1" if number == 1 else f"/training/modules/{module.code}"
    done: dict[str, str | int] = {"code": module.code, "number": number}
    return redirect(request, status.url_with(request, url, DISCARDED, **done))


@router.post("/training/modules/{code}/archive")
async def archive_module(
    request: Request, session: SessionDep, module: ModuleDep, author: AuthorUser
) -> Response:
    form, errors = forms.parse(ReasonForm, dict(await request.form()))
    current = service.current_version(session, module=module)
    if current is None or current.status != VersionStatus.published:
        detail = translate(request, N_("Only a published module can be archived."))
        raise HTTPException(status_code=409, detail=detail)
    if form is None:
        return version_page_response(
            request, session, author, module, current, status_code=400, archive_errors=errors
        )
    authoring.archive(
        session, module=module, reason=form.reason, actor_id=author.id, ip=client_ip(request)
    )
    url = f"/training/modules/{module.code}/v/{current.number}"
    return redirect(request, status.url_with(request, url, ARCHIVED, code=module.code))
