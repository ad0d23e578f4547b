"""The standards library: browse and search, author and publish, history and diff, print."""

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import Field
from sqlmodel import Session

from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.paging import paged
from frontline.web import (
    locale_of,
    redirect,
    render,
    render_page_or_fragment,
    translate,
)
from staff.dependencies import CurrentUser
from staff.models import POSITION_LABELS, Person, Position
from standards import acknowledgments, diff, reading_evidence, search, service
from standards.acknowledgment_views import router as acknowledgment_router
from standards.dependencies import AuthorUser, DraftDep, StandardDep, VersionDep, can_author
from standards.done_messages import DISCARDED, DRAFT_STARTED, PUBLISHED, RETIRED
from standards.forms import (
    NewStandardForm,
    PublishForm,
    RetireForm,
    form_values,
    parse_content,
    submitted_values,
)
from standards.import_views import router as import_router
from standards.kept_bodies import version_body
from standards.models import (
    Category,
    Channel,
    Kind,
    Severity,
    Standard,
    StandardVersion,
    VersionStatus,
)
from standards.reading import Lang, reading_language, version_text
from standards.supervision_views import router as supervision_router

router = APIRouter()
# Fixed paths (/standards/new, /standards/import) before /standards/{code}.
router.include_router(import_router)
router.include_router(acknowledgment_router)
router.include_router(supervision_router)
PAGE_SIZE = 25

# ---- library ----------------------------------------------------------------------------------


class LibraryQuery(forms.QueryFilters):
    q: str = Field(default="", max_length=200)
    kind: Kind | None = None
    category: Category | None = None
    channel: Channel | None = None
    position: Position | None = None
    severity: Severity | None = None
    status: Literal["in_force", "retired", "drafts"] = "in_force"
    page: int = Field(default=1, ge=1)


@router.get("/standards")
def library(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    query: Annotated[LibraryQuery, Query()],
) -> Response:
    q, page, status = query.q, query.page, query.status
    if status == "drafts" and not can_author(user):
        status = "in_force"
    kind, category, channel = query.kind, query.category, query.channel
    position, severity = query.position, query.severity
    filters = search.LibraryFilters(
        text=q,
        kind=kind,
        category=category,
        channel=channel,
        position=position.value if position else None,
        severity=severity,
        status=status,
    )
    listed = paged(
        page,
        PAGE_SIZE,
        lambda number: search.search(
            session, filters=filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        ),
    )
    rows = listed.rows
    context = {
        "rows": rows,
        "total": listed.total,
        "listed": listed,
        "filters": filters,
        "base_query": urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        ),
        "position_labels": POSITION_LABELS,
        "is_author": can_author(user),
        "unread_ids": acknowledgments.unread_among(
            session, person=user, version_ids=[v.id for _, v in rows if v.id is not None]
        ),
    }
    return render_page_or_fragment(
        request, "standards/library.html", "standards/_results.html", context, target="results"
    )


# ---- authoring --------------------------------------------------------------------------------


def _editor_context(
    *,
    kind: Kind,
    values: dict[str, Any],
    errors: dict[str, str],
    standard: Standard | None = None,
    version: StandardVersion | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "values": values,
        "errors": errors,
        "standard": standard,
        "version": version,
        "positions": POSITION_LABELS,
    }


@router.get("/standards/new")
def new_standard_page(
    request: Request, _author: AuthorUser, kind: Annotated[Kind, Query()] = Kind.script
) -> Response:
    values: dict[str, Any] = {"kind": kind.value, "channels": [], "positions": []}
    return render(
        request, "standards/editor.html", _editor_context(kind=kind, values=values, errors={})
    )


@router.post("/standards/new")
async def create_standard(request: Request, session: SessionDep, author: AuthorUser) -> Response:
    values = submitted_values(await request.form())
    head, errors = forms.parse(NewStandardForm, values)
    kind = head.kind if head else Kind.script
    content, content_errors = parse_content(values, kind=kind)
    errors.update(content_errors)
    if head and service.get_by_code(session, code=head.code):
        errors["code"] = N_("A standard with this code already exists.")
    if head is not None and content is not None and not errors:
        try:
            standard, version = service.create_standard(
                session,
                code=head.code,
                kind=head.kind,
                content=content,
                actor_id=author.id,
                ip=client_ip(request),
            )
        except service.CodeTaken as taken:  # created by another author at the same moment
            errors["code"] = str(taken)
        else:
            return redirect(request, f"/standards/{standard.code}/v/{version.number}?saved=1")
    context = _editor_context(kind=kind, values=values, errors=errors)
    return render(request, "standards/editor.html", context, status_code=400)


@router.get("/standards/{code}/v/{number}/edit")
def edit_draft_page(
    request: Request, standard: StandardDep, version: DraftDep, _author: AuthorUser
) -> Response:
    values = form_values(service.content_of(version))
    context = _editor_context(
        kind=standard.kind, values=values, errors={}, standard=standard, version=version
    )
    return render(request, "standards/editor.html", context)


@router.post("/standards/{code}/v/{number}/edit")
async def save_draft(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    version: DraftDep,
    author: AuthorUser,
) -> Response:
    values = submitted_values(await request.form())
    content, errors = parse_content(values, kind=standard.kind)
    if content is None:
        context = _editor_context(
            kind=standard.kind, values=values, errors=errors, standard=standard, version=version
        )
        return render(request, "standards/editor.html", context, status_code=400)
    service.update_draft(
        session,
        standard=standard,
        version=version,
        content=content,
        actor_id=author.id,
        ip=client_ip(request),
    )
    return redirect(request, f"/standards/{standard.code}/v/{version.number}?saved=1")


@router.post("/standards/{code}/drafts")
def start_draft(
    request: Request, session: SessionDep, standard: StandardDep, author: AuthorUser
) -> Response:
    existing = service.draft_of(session, standard=standard)
    target = f"/standards/{standard.code}/v/{existing.number}/edit" if existing else ""
    if existing is None:
        existing = service.new_draft(
            session, standard=standard, actor_id=author.id, ip=client_ip(request)
        )
        target = status.url_with(
            request,
            f"/standards/{standard.code}/v/{existing.number}/edit",
            DRAFT_STARTED,
            code=standard.code,
            number=existing.number,
        )
    return redirect(request, target)


@router.post("/standards/{code}/v/{number}/publish")
async def publish_version(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    version: DraftDep,
    author: AuthorUser,
) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(PublishForm, values)
    if form is None:
        return _version_page(
            request,
            session,
            author,
            standard,
            version,
            status_code=400,
            publish_errors=errors,
            publish_values=values,
        )
    service.publish(
        session,
        standard=standard,
        version=version,
        effective_date=form.effective_date,
        change_note=form.change_note,
        actor_id=author.id,
        ip=client_ip(request),
    )
    url = f"/standards/{standard.code}/v/{version.number}"
    done: dict[str, str | int] = {"code": standard.code, "number": version.number}
    return redirect(request, status.url_with(request, url, PUBLISHED, **done))


@router.post("/standards/{code}/v/{number}/discard")
def discard_draft(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    version: DraftDep,
    author: AuthorUser,
) -> Response:
    number = version.number
    service.discard_draft(
        session, standard=standard, version=version, actor_id=author.id, ip=client_ip(request)
    )
    url = "/standards?status=drafts" if number == 1 else f"/standards/{standard.code}"
    done: dict[str, str | int] = {"code": standard.code, "number": number}
    return redirect(request, status.url_with(request, url, DISCARDED, **done))


@router.post("/standards/{code}/retire")
async def retire_standard(
    request: Request, session: SessionDep, standard: StandardDep, author: AuthorUser
) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(RetireForm, values)
    if form is None:
        shown = service.current_version(session, standard=standard) or service.draft_of(
            session, standard=standard
        )
        assert shown is not None  # a standard always has a version in force or a draft
        return _version_page(
            request, session, author, standard, shown, status_code=400, retire_errors=errors
        )
    try:
        current = service.retire(
            session,
            standard=standard,
            change_note=form.change_note,
            actor_id=author.id,
            ip=client_ip(request),
        )
    except service.StandardsError as refused:
        raise HTTPException(status_code=409, detail=translate(request, str(refused))) from None
    url = f"/standards/{standard.code}/v/{current.number}"
    done: dict[str, str | int] = {"code": standard.code, "number": current.number}
    return redirect(request, status.url_with(request, url, RETIRED, **done))


# ---- reading ----------------------------------------------------------------------------------


@router.get("/standards/{code}")
def standard_page(
    request: Request, session: SessionDep, standard: StandardDep, user: CurrentUser
) -> Response:
    """The version in force; for authors, the draft when nothing has been published yet."""
    version = service.current_version(session, standard=standard)
    if version is None:
        version = service.draft_of(session, standard=standard)
    assert version is not None
    # The reading language (?lang=) rides along.
    query = f"?{request.url.query}" if request.url.query else ""
    return redirect(request, f"/standards/{standard.code}/v/{version.number}{query}")


def _version_page(
    request: Request,
    session: Session,
    user: Person,
    standard: Standard,
    version: StandardVersion,
    *,
    status_code: int = 200,
    lang: Lang | None = None,
    **extra: Any,
) -> Response:
    every = service.history(session, standard=standard)
    history = [v for v in every if v.status != VersionStatus.draft or can_author(user)]
    ack = None
    must_acknowledge = False
    if version.status != VersionStatus.draft:
        ack = acknowledgments.acknowledgment_of(
            session, version_id=id_of(version), person_id=id_of(user)
        )
    if version.status == VersionStatus.published and ack is None:
        must_acknowledge = acknowledgments.applies_to(session, version=version, person=user)
    reading = version_text(
        version, lang=reading_language(locale=locale_of(request), requested=lang)
    )
    opened_token = None
    if must_acknowledge:
        opened_token = reading_evidence.sign_opened_at(
            secret_key=request.app.state.secret_key,
            person_id=id_of(user),
            version_id=id_of(version),
            opened_at=utcnow(),
        )
    context = {
        "standard": standard,
        "version": version,
        "history": history,
        "current_id": standard.current_version_id,
        "draft": next((v for v in every if v.status == VersionStatus.draft), None),
        "is_author": can_author(user),
        "ack": ack,
        "must_acknowledge": must_acknowledge,
        "opened_token": opened_token,
        "standing": acknowledgments.standing_of(session, person=user) if ack else None,
        "reading": reading,
        "body": version_body(request, session, standard=standard, version=version, reading=reading),
        "position_labels": POSITION_LABELS,
        "today": request.app.state.settings.today().isoformat(),  # the publish form's default
        "publish_errors": {},
        "publish_values": {},
        "retire_errors": {},
        **extra,
    }
    return render(request, "standards/version.html", context, status_code=status_code)


@router.get("/standards/{code}/v/{number}")
def version_page(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    version: VersionDep,
    user: CurrentUser,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    return _version_page(request, session, user, standard, version, lang=lang)


@router.get("/standards/{code}/v/{number}/print")
def print_version(
    request: Request,
    standard: StandardDep,
    version: VersionDep,
    _user: CurrentUser,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    reading = version_text(
        version, lang=reading_language(locale=locale_of(request), requested=lang)
    )
    context = {
        "standard": standard,
        "version": version,
        "reading": reading,
        "position_labels": POSITION_LABELS,
    }
    return render(request, "standards/print.html", context)


@router.get("/standards/{code}/diff")
def compare_versions(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    user: CurrentUser,
    a: Annotated[int | None, Query(ge=1)] = None,
    b: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    every = service.versions(session, standard=standard)
    history = [v for v in every if v.status != VersionStatus.draft or can_author(user)]
    by_number = {v.number: v for v in history}
    if len(history) < 2:
        return redirect(request, f"/standards/{standard.code}")
    b = b if b in by_number else history[-1].number
    a = (
        a
        if a in by_number
        else history[-2].number
        if history[-1].number == b
        else history[-1].number
    )
    left, right = by_number[a], by_number[b]
    sections = diff.diff(
        service.content_of(left), service.content_of(right), lambda s: translate(request, s)
    )
    context = {
        "standard": standard,
        "left": left,
        "right": right,
        "history": history,
        "sections": sections,
        "show_all": request.query_params.get("all") == "1",
    }
    return render(request, "standards/diff.html", context)
