"""Login, logout, the home page, the user's own account and language."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from frontline import audit_trail, forms, home
from frontline.access import public
from frontline.deps import SessionDep, client_ip
from frontline.i18n import SUPPORTED, normalize
from frontline.security import LANG_COOKIE, SESSION_COOKIE
from frontline.web import redirect, render, safe_next, translate
from staff import accounts, service, sessions
from staff.admin_views import router as admin_router
from staff.dependencies import CurrentUser, LoginDep, PolicyDep
from staff.forms import PasswordChangeForm

router = APIRouter()
router.include_router(admin_router)

SIGN_IN_REFUSAL_STATUS = {
    accounts.SignInRefusal.incomplete: 400,
    accounts.SignInRefusal.throttled: 429,
    accounts.SignInRefusal.wrong: 401,
}


@router.get("/login", dependencies=[public])
def login_page(request: Request, login: LoginDep, next: str = "/") -> Response:
    if login is not None:
        return redirect(request, safe_next(next))
    return render(request, "staff/login.html", {"next": safe_next(next), "errors": {}})


@router.post("/login", dependencies=[public])
def login(
    request: Request,
    session: SessionDep,
    policy: PolicyDep,
    employee_no: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    result = accounts.sign_in(
        session=session,
        employee_no=employee_no,
        password=password,
        policy=policy,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
        previous_token=request.cookies.get(SESSION_COOKIE, ""),
    )
    if result.person is None:
        refusal = result.refusal or accounts.SignInRefusal.wrong
        message = accounts.REFUSAL_MESSAGES[refusal]
        context = {
            "next": safe_next(next),
            "employee_no": employee_no.strip()[:32],
            "errors": {},
            "error": translate(request, message, seconds=result.wait_seconds),
        }
        headers = {"Retry-After": str(result.wait_seconds)} if result.wait_seconds else {}
        return render(
            request,
            "staff/login.html",
            context,
            status_code=SIGN_IN_REFUSAL_STATUS[refusal],
            headers=headers,
        )
    person = result.person
    target = "/account?must_change=1" if person.must_change_password else safe_next(next)
    response = redirect(request, target)
    _set_session_cookie(request, response, result.token, policy)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    sessions.end(session, login_id=request.state.login_id)
    audit_trail.record(session, action="logout", actor_id=user.id, ip=client_ip(request))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "staff/home.html", {"panels": home.panels_for(session, user)})


@router.get("/account")
def account_page(request: Request, user: CurrentUser, must_change: int = 0) -> Response:
    return render(
        request,
        "staff/account.html",
        {"errors": {}, "must_change": must_change or user.must_change_password},
    )


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    policy: PolicyDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    data = {
        "current_password": current_password,
        "new_password": new_password,
        "confirm_password": confirm_password,
    }
    form, errors = forms.parse(PasswordChangeForm, data)
    if form is not None:
        try:
            token = accounts.change_own_password(
                session=session,
                person=user,
                current_password=form.current_password,
                new_password=form.new_password,
                confirm_password=form.confirm_password,
                policy=policy,
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except accounts.PasswordChangeRefused as refused:
            errors[refused.field] = refused.message
        else:
            response = redirect(request, "/account?changed=1")
            _set_session_cookie(request, response, token, policy)
            return response
    context = {"errors": errors, "must_change": user.must_change_password}
    return render(request, "staff/account.html", context, status_code=400)


@router.post("/language", dependencies=[public])
def set_language(
    request: Request,
    session: SessionDep,
    login: LoginDep,
    locale: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Choose the UI language: stored on the account when signed in, else in a cookie."""
    chosen = normalize(locale)
    if chosen not in SUPPORTED:
        return redirect(request, safe_next(next))
    if login is not None:
        person = login[1]
        service.update_person(
            session,
            person=person,
            changes={"locale": chosen},
            actor_id=person.id,
            ip=client_ip(request),
        )
    response = redirect(request, safe_next(next))
    response.set_cookie(
        LANG_COOKIE,
        chosen,
        max_age=365 * 24 * 3600,
        samesite="lax",
        secure=request.state.https,
        path="/",
    )
    return response


def _set_session_cookie(
    request: Request, response: Response, token: str, policy: sessions.SessionPolicy
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(policy.absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.state.https,
        path="/",
    )
