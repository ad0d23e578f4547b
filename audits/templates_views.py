"""Checklist template pages for authors: the list, a template and its versions, the editor,
publish / retire / discard, and the templates file (export, import with a dry run).

Upload routes are plain `def`: reading and parsing run in the thread pool.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from audits import templates as service
from audits import templates_file
from audits.models import (
    SCORING_LABELS,
    SUBJECT_LABELS,
    TEMPLATE_STATUS_LABELS,
    AuditTemplate,
    Subject,
    TemplateStatus,
    TemplateVersion,
)
from audits.taking_pages import reading_lang
from audits.template_content import check_content
from audits.templates_forms import (
    BLANK_ROWS,
    CODE_PATTERN,
    content_from_form,
    form_rows,
    with_veto_check_english,
)
from frontline import status
from frontline.deps import SessionDep, client_ip, reads
from frontline.i18n import N_
from frontline.uploads import UploadError, decode_text, read_upload
from frontline.web import redirect, render, translate
from staff.dependencies import require_role
from staff.models import Person, Role
from standards import service as standards_service
from standards.library_file.problems import shown

router = APIRouter()
LangQuery = Annotated[Literal["zh", "en"] | None, Query()]
AuthorUser = Annotated[Person, require_role(Role.author)]
CODE_PATH = r"^[A-Z0-9][A-Z0-9-]{1,31}$"
SAVED = status.define("audit-template-saved", N_("Draft saved."))
PUBLISHED = status.define("audit-template-published", N_("Version published: new audits use it."))
RETIRED = status.define(
    "audit-template-retired", N_("Template retired: no new audits start on it.")
)
DISCARDED = status.define("audit-template-discarded", N_("Draft discarded."))


def template_from_path(
    code: Annotated[str, Path(pattern=CODE_PATH)], session: SessionDep, _author: AuthorUser
) -> AuditTemplate:
    template = service.get_by_code(session, code=code)
    if template is None:
        raise HTTPException(status_code=404)
    return template


TemplateDep = Annotated[AuditTemplate, Depends(reads(template_from_path))]


def _standards(session: Session) -> tuple[list[Any], dict[str, dict[str, str]]]:
    """Published standards for the item picker, and every veto check by its Chinese text."""
    checks: dict[str, dict[str, str]] = {}
    options = []
    for standard in standards_service.in_force_with_veto_checks(session):
        vetoes = [dict(check) for check in standard.veto_checks]
        for check in vetoes:
            checks[check.get("zh", "")] = {"zh": check.get("zh", ""), "en": check.get("en", "")}
        options.append(
            {
                "code": standard.code,
                "zh": standard.title_zh,
                "en": standard.title_en,
                "vetoes": vetoes,
            }
        )
    return options, checks


@router.get("/audits/templates")
def list_templates(
    request: Request, session: SessionDep, _author: AuthorUser, lang: LangQuery = None
) -> Response:
    context = {
        "rows": service.list_templates(session),
        "labels": _labels(),
        "lang": reading_lang(request, lang),
    }
    return render(request, "audits/templates_list.html", context)


def _labels() -> dict[str, Any]:
    return {"status": TEMPLATE_STATUS_LABELS, "scoring": SCORING_LABELS, "subject": SUBJECT_LABELS}


def _editor(
    request: Request,
    session: Session,
    *,
    template: AuditTemplate | None,
    version: TemplateVersion | None,
    content: dict[str, Any] | None,
    values: dict[str, Any],
    problems: list[str] | None = None,
    extra_rows: int = 0,
    extra_section: bool = False,
) -> Response:
    sections, rows = form_rows(content)
    if extra_section:
        sections.append({"number": sections[-1]["number"] + 1, "zh": "", "en": ""})
        rows += [{"section": sections[-1]["number"]} for _ in range(BLANK_ROWS)]
    rows += [{"section": sections[-1]["number"]} for _ in range(extra_rows)]
    options, _checks = _standards(session)
    context = {
        "template": template,
        "version": version,
        "values": values,
        "sections": sections,
        "rows": rows,
        "standards_options": options,
        "problems": problems or [],
        "labels": _labels(),
    }
    return render(
        request, "audits/template_editor.html", context, status_code=400 if problems else 200
    )


def _values(content: dict[str, Any] | None, **more: Any) -> dict[str, Any]:
    content = content or {}
    title = content.get("title") or {}
    description = content.get("description") or {}
    return {
        "title_zh": title.get("zh", ""),
        "title_en": title.get("en", ""),
        "scoring": content.get("scoring", "deduction"),
        "description_zh": description.get("zh", ""),
        "description_en": description.get("en", ""),
        **more,
    }


@router.get("/audits/templates.yaml")
def export_file(session: SessionDep, _author: AuthorUser) -> Response:
    return Response(
        templates_file.export_templates(session),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-templates.yaml"'},
    )


def _import_page(
    request: Request,
    *,
    lines: list[str] | None = None,
    problems: list[tuple[int, str]] | None = None,
    applied: bool = False,
) -> Response:
    context = {"lines": lines or [], "problems": problems or [], "applied": applied}
    return render(
        request, "audits/templates_import.html", context, status_code=400 if problems else 200
    )


@router.get("/audits/templates/import")
def import_page(request: Request, _author: AuthorUser) -> Response:
    return _import_page(request)


@router.post("/audits/templates/import")
def import_file(
    request: Request,
    session: SessionDep,
    author: AuthorUser,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Check the file; apply it unless this is a dry run. A bad file changes nothing."""
    try:
        text = decode_text(
            read_upload(file, max_bytes=request.app.state.settings.max_library_bytes)
        )
    except UploadError as exc:
        return _import_page(request, problems=[(0, translate(request, exc.message, **exc.params))])
    specs, errors = templates_file.parse_templates(session, text)
    plan = templates_file.plan_import(session, specs=specs, errors=errors)
    if not plan.ok:
        listed, _more = shown(sorted(plan.errors, key=lambda e: e.line))
        say = [(e.line, e.render(lambda t: translate(request, t))) for e in listed]
        return _import_page(request, problems=say)
    if not dry_run:
        try:
            with session.begin_nested():
                templates_file.apply_import(session, plan=plan, actor_id=author.id)
        except service.CodeTaken as taken:  # the same file applied at the same moment
            return _import_page(
                request, problems=[(0, translate(request, taken.message, **taken.params))]
            )
    return _import_page(request, lines=plan.lines(), applied=not dry_run)


@router.get("/audits/templates/new")
def new_template_page(request: Request, session: SessionDep, _author: AuthorUser) -> Response:
    values = _values(None, code="", subject=Subject.employee.value)
    return _editor(request, session, template=None, version=None, content=None, values=values)


def _checked(request: Request, session: Session, form: Any, where: str) -> tuple[Any, list[str]]:
    content = content_from_form(form)
    _options, checks = _standards(session)
    with_veto_check_english(content, checks)
    checked, problems = check_content(session, content, where=where)
    say = [problem.render(lambda text: translate(request, text)) for problem in problems]
    return (checked if not problems else content), say


@router.post("/audits/templates/new")
async def create_template(request: Request, session: SessionDep, author: AuthorUser) -> Response:
    form = await request.form()
    code = str(form.get("code") or "").strip().upper()
    subject = str(form.get("subject") or "")
    content, problems = _checked(request, session, form, code or "?")
    if not CODE_PATTERN.match(code):
        problems.insert(
            0,
            translate(
                request, N_("The code is 2–32 capital letters, digits and dashes, such as CTR-01.")
            ),
        )
    elif service.get_by_code(session, code=code) is not None:
        problems.insert(
            0,
            translate(request, N_("A template with the code %(code)s already exists."), code=code),
        )
    if subject not in {s.value for s in Subject}:
        problems.insert(
            0, translate(request, N_("Choose whether the template checks an employee or a branch."))
        )
    action = str(form.get("action") or "save")
    values = _values(content, code=code, subject=subject)
    if action == "save" and not problems:
        try:
            template, _version = service.create_template(
                session,
                code=code,
                subject=Subject(subject),
                content=content,
                actor_id=author.id,
                ip=client_ip(request),
            )
        except service.CodeTaken as taken:  # created by another author at the same moment
            problems.insert(0, translate(request, taken.message, **taken.params))
        else:
            url = status.url_with(request, f"/audits/templates/{template.code}", SAVED)
            return redirect(request, url)
    return _editor(
        request,
        session,
        template=None,
        version=None,
        content=content,
        values=values,
        problems=problems if action == "save" else None,
        extra_rows=BLANK_ROWS if action == "add_items" else 0,
        extra_section=action == "add_section",
    )


@router.get("/audits/templates/{code}/edit")
def edit_template_page(request: Request, session: SessionDep, template: TemplateDep) -> Response:
    newest = service.newest_version(session, template=template)
    content = service.content_of(session, version=newest) if newest else None
    values = _values(content, code=template.code, subject=template.subject.value)
    draft = newest if newest and newest.status == TemplateStatus.draft else None
    return _editor(
        request, session, template=template, version=draft, content=content, values=values
    )


@router.post("/audits/templates/{code}/edit")
async def save_template(
    request: Request, session: SessionDep, template: TemplateDep, author: AuthorUser
) -> Response:
    form = await request.form()
    content, problems = _checked(request, session, form, template.code)
    action = str(form.get("action") or "save")
    if action != "save" or problems:
        draft = service.draft_of(session, template=template)
        values = _values(content, code=template.code, subject=template.subject.value)
        return _editor(
            request,
            session,
            template=template,
            version=draft,
            content=content,
            values=values,
            problems=problems if action == "save" else None,
            extra_rows=BLANK_ROWS if action == "add_items" else 0,
            extra_section=action == "add_section",
        )
    service.save_draft(
        session, template=template, content=content, actor_id=author.id, ip=client_ip(request)
    )
    return redirect(request, status.url_with(request, f"/audits/templates/{template.code}", SAVED))


def _template_page(
    request: Request,
    session: Session,
    template: AuditTemplate,
    version: TemplateVersion | None,
    *,
    problem: str = "",
    lang: Literal["zh", "en"] | None = None,
) -> Response:
    shown_version = version or service.newest_version(session, template=template)
    content = service.content_of(session, version=shown_version) if shown_version else None
    context = {
        "template": template,
        "version": shown_version,
        "versions": service.versions(session, template=template),
        "draft": service.draft_of(session, template=template),
        "current_id": template.current_version_id,
        "content": content,
        "labels": _labels(),
        "problem": problem,
        "message": status.message(request),
        "lang": reading_lang(request, lang),
    }
    return render(request, "audits/template.html", context, status_code=409 if problem else 200)


@router.get("/audits/templates/{code}")
def template_page(
    request: Request, session: SessionDep, template: TemplateDep, lang: LangQuery = None
) -> Response:
    return _template_page(request, session, template, None, lang=lang)


@router.get("/audits/templates/{code}/versions/{number}")
def version_page(
    request: Request,
    session: SessionDep,
    template: TemplateDep,
    number: Annotated[int, Path(ge=1, le=100_000)],
    lang: LangQuery = None,
) -> Response:
    version = service.get_version(session, template=template, number=number)
    if version is None:
        raise HTTPException(status_code=404)
    return _template_page(request, session, template, version, lang=lang)


@router.post("/audits/templates/{code}/publish")
def publish_template(
    request: Request,
    session: SessionDep,
    template: TemplateDep,
    author: AuthorUser,
    change_note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    draft = service.draft_of(session, template=template)
    try:
        if draft is None:
            raise service.TemplateError(N_("This template has no draft."))
        service.publish(
            session,
            template=template,
            version=draft,
            change_note=change_note.strip(),
            actor_id=author.id,
            ip=client_ip(request),
        )
    except service.TemplateError as refused:
        problem = translate(request, refused.message, **refused.params)
        return _template_page(request, session, template, None, problem=problem)
    return redirect(
        request, status.url_with(request, f"/audits/templates/{template.code}", PUBLISHED)
    )


@router.post("/audits/templates/{code}/retire")
def retire_template(
    request: Request, session: SessionDep, template: TemplateDep, author: AuthorUser
) -> Response:
    try:
        service.retire(session, template=template, actor_id=author.id, ip=client_ip(request))
    except service.TemplateError as refused:
        return _template_page(
            request, session, template, None, problem=translate(request, refused.message)
        )
    return redirect(
        request, status.url_with(request, f"/audits/templates/{template.code}", RETIRED)
    )


@router.post("/audits/templates/{code}/discard")
def discard_draft(
    request: Request, session: SessionDep, template: TemplateDep, author: AuthorUser
) -> Response:
    try:
        gone = service.discard_draft(
            session, template=template, actor_id=author.id, ip=client_ip(request)
        )
    except service.TemplateError as refused:
        return _template_page(
            request, session, template, None, problem=translate(request, refused.message)
        )
    target = "/audits/templates" if gone else f"/audits/templates/{template.code}"
    return redirect(request, status.url_with(request, target, DISCARDED))
