"""Admins issue, list and revoke the API tokens HR systems use to read scorecards."""

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import redirect, render
from scorecards import tokens
from scorecards.models import SCOPE_LABELS
from staff.dependencies import AdminUser

router = APIRouter()

REVOKED = status.define(
    "api_token.revoked", N_("The token %(name)s is revoked: it no longer opens the API.")
)


class TokenForm(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    # Empty: valid until revoked.
    days: Annotated[int | None, BeforeValidator(forms.blank_to_none)] = Field(
        default=None, ge=1, le=tokens.MAX_VALID_DAYS
    )


def _list_page(
    request: Request,
    session: SessionDep,
    *,
    values: Mapping[str, object] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    listed = tokens.list_tokens(session)
    context = {
        "tokens": listed,
        "names": tokens.people_named(session, listed),
        "scope_labels": SCOPE_LABELS,
        "is_expired": tokens.is_expired,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "scorecards/api_tokens.html", context, status_code=status_code)


@router.get("/admin/api-tokens")
def list_api_tokens(request: Request, session: SessionDep, _admin: AdminUser) -> Response:
    return _list_page(request, session)


@router.post("/admin/api-tokens")
async def create_api_token(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(TokenForm, values)
    if form is None or errors:
        return _list_page(request, session, values=values, errors=errors, status_code=400)
    try:
        issued = tokens.create_token(
            session,
            name=form.name,
            actor_id=admin.id,
            valid_days=form.days,
            ip=client_ip(request),
        )
    except tokens.TokenRefused as refused:
        errors = {"name": refused.message}
        return _list_page(request, session, values=values, errors=errors, status_code=400)
    return render(
        request,
        "scorecards/api_token_created.html",
        {"token": issued.token, "secret": issued.secret, "scope_labels": SCOPE_LABELS},
        headers={"Cache-Control": "no-store"},
    )


@router.post("/admin/api-tokens/{token_id}/revoke")
def revoke_api_token(
    request: Request, session: SessionDep, admin: AdminUser, token_id: int
) -> Response:
    token = tokens.get_token(session, token_id=token_id)
    if token is None:
        raise HTTPException(status_code=404)
    try:
        tokens.revoke_token(session, token=token, actor_id=id_of(admin), ip=client_ip(request))
    except tokens.TokenRefused as refused:
        raise HTTPException(status_code=409, detail=refused.message) from refused
    done = status.url_with(request, "/admin/api-tokens", REVOKED, name=token.name)
    return redirect(request, done)
