"""Certificates: the holder's page, print and PDF; public verification by number; revocation
by HR."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline import forms, status
from frontline.access import public
from frontline.deps import SessionDep, client_ip, reads
from frontline.settings import get_settings
from frontline.web import markup, redirect, render, translate
from staff import service as staff_service
from staff.dependencies import CurrentUser, HRUser
from staff.models import Person, Role
from training import certificates, service
from training.certificate_pdf import CertificateText, qr_svg
from training.certificate_pdf import render as render_pdf
from training.certificates import NUMBER_PATTERN, VALIDITY_LABELS, CertificateView, Validity
from training.done_messages import REVOKED
from training.enrollment import bank_today
from training.forms import ReasonForm
from training.service import bank_date

router = APIRouter()


def may_see_holder(
    session: Session, *, viewer: Person, holder_id: int, team_id: int | None
) -> bool:
    """The holder, HR and admins; a supervisor for the people of their teams."""
    if viewer.id == holder_id or viewer.role in (Role.hr, Role.admin):
        return True
    if viewer.role != Role.supervisor:
        return False
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    return team_ids is None or team_id in team_ids


def certificate_from_path(
    number: Annotated[str, Path(pattern=NUMBER_PATTERN)],
    session: SessionDep,
    user: CurrentUser,
) -> CertificateView:
    found = certificates.get_by_number(session, number=number)
    if found is None or not may_see_holder(
        session, viewer=user, holder_id=found.person.id or 0, team_id=found.person.team_id
    ):
        raise HTTPException(status_code=404)
    return found


CertificateDep = Annotated[CertificateView, Depends(reads(certificate_from_path))]


def verify_url(request: Request, number: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/certificates/{number}"


def _context(request: Request, found: CertificateView) -> dict[str, object]:
    today = bank_today()
    url = verify_url(request, found.certificate.number)
    return {
        "found": found,
        "validity": certificates.validity(found.certificate, today=today),
        "validity_labels": VALIDITY_LABELS,
        "verify_url": url,
        "qr": markup(qr_svg(url)),
        "issued_on": found.certificate.issued_at,
    }


@router.get("/training/certificates/{number}")
def certificate_page(request: Request, found: CertificateDep, user: CurrentUser) -> Response:
    context = {**_context(request, found), "is_hr": user.role in (Role.hr, Role.admin)}
    context["revoke_errors"] = {}
    return render(request, "training/certificate.html", context)


@router.get("/training/certificates/{number}/print")
def certificate_print(request: Request, found: CertificateDep) -> Response:
    return render(request, "training/certificate_print.html", _context(request, found))


@router.get("/training/certificates/{number}/pdf")
def certificate_pdf(request: Request, found: CertificateDep) -> Response:
    """Plain `def`: the PDF is drawn in the thread pool."""
    certificate, validity = (
        found.certificate,
        certificates.validity(found.certificate, today=bank_today()),
    )
    status_line = {Validity.revoked: "已撤销 Revoked", Validity.expired: "已过期 Expired"}.get(
        validity, ""
    )
    text = CertificateText(
        number=certificate.number,
        name=found.person.name,
        employee_no=found.person.employee_no,
        module_code=found.module.code,
        title_zh=found.version.title_zh,
        title_en=found.version.title_en,
        version=found.version.number,
        issued_on=bank_date(certificate.issued_at, get_settings().zone()),
        expires_on=certificate.expires_on,
        verify_url=verify_url(request, certificate.number),
        status_line=status_line,
    )
    headers = {"Content-Disposition": f'inline; filename="{certificate.number}.pdf"'}
    return Response(content=render_pdf(text), media_type="application/pdf", headers=headers)


@router.post("/training/certificates/{number}/revoke")
async def revoke_certificate(
    request: Request, session: SessionDep, found: CertificateDep, hr: HRUser
) -> Response:
    form, errors = forms.parse(ReasonForm, dict(await request.form()))
    if form is None:
        context = {**_context(request, found), "is_hr": True, "revoke_errors": errors}
        return render(request, "training/certificate.html", context, status_code=400)
    try:
        certificates.revoke(
            session,
            certificate=found.certificate,
            reason=form.reason,
            actor_id=hr.id or 0,
            ip=client_ip(request),
        )
    except service.TrainingError as refused:
        raise HTTPException(status_code=409, detail=translate(request, str(refused))) from None
    number = found.certificate.number
    url = f"/training/certificates/{number}"
    return redirect(request, status.url_with(request, url, REVOKED, number=number))


@router.get("/certificates/{number}", dependencies=[public])
def verify_certificate(request: Request, session: SessionDep, number: str) -> Response:
    """For anyone holding the number, signed in or not: only what verification needs."""
    found = None
    if len(number) <= 32:
        found = certificates.get_by_number(session, number=number.strip().upper())
    if found is None:
        return render(
            request, "training/verify.html", {"found": None, "number": number[:32]}, status_code=404
        )
    context = {
        "found": found,
        "masked_name": certificates.masked_name(found.person.name),
        "validity": certificates.validity(found.certificate, today=bank_today()),
        "validity_labels": VALIDITY_LABELS,
    }
    return render(request, "training/verify.html", context)
