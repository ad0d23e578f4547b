"""Login, logout, the home page, the user's own account and language."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from frontline import audit_trail, forms, home
from frontline.access import public
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_, normalize
from frontline.models import id_of
from frontline.security import LANG_COOKIE, SESSION_COOKIE
from frontline.web import redirect, render, safe_next, translate
from staff import passwords, service, sessions
from staff.admin_views import router as admin_router
from staff.dependencies import CurrentUser, LoginDep, PolicyDep
from staff.forms import PasswordChangeForm
from staff.models import LOCALES

router = APIRouter()
router.include_router(admin_router)


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
    ip = client_ip(request)
    employee_no = employee_no.strip()[:32]
    context = {"next": safe_next(next), "employee_no": employee_no, "errors": {}}
    if not employee_no or not password:
        context["error"] = translate(request, "Enter your employee number and password.")
        return render(request, "staff/login.html", context, status_code=400)
    wait = sessions.seconds_to_wait(session, employee_no=employee_no, ip=ip)
    if wait:
        audit_trail.record(
            session,
            action="login.throttled",
            actor_id=None,
            detail={"employee_no": employee_no},
            ip=ip,
        )
        context["error"] = translate(
            request, "Too many failed attempts. Try again in %(seconds)s seconds.", seconds=wait
        )
        return render(
            request,
            "staff/login.html",
            context,
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    person = service.authenticate(session, employee_no=employee_no, password=password)
    sessions.record_attempt(session, employee_no=employee_no, ip=ip, succeeded=person is not None)
    if person is None:
        audit_trail.record(
            session,
            action="login.failed",
            actor_id=None,
            detail={"employee_no": employee_no},
            ip=ip,
        )
        context["error"] = translate(request, "The employee number or password is not correct.")
        return render(request, "staff/login.html", context, status_code=401)
    old_token = request.cookies.get(SESSION_COOKIE, "")
    old = sessions.find(session, token=old_token, policy=policy) if old_token else None
    if old is not None:
        sessions.end(session, login_id=id_of(old[0]))
    token = sessions.start(
        session,
        person=person,
        policy=policy,
        ip=ip,
        user_agent=request.headers.get("user-agent", ""),
    )
    audit_trail.record(session, action="login.succeeded", actor_id=person.id, ip=ip)
    target = "/account?must_change=1" if person.must_change_password else safe_next(next)
    response = redirect(request, target)
    _set_session_cookie(request, response, token, policy)
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
        ok, _ = passwords.verify(form.current_password, user.password_hash)
        if not ok:
            errors["current_password"] = N_("Your current password is not correct.")
        elif form.new_password != form.confirm_password:
            errors["confirm_password"] = N_("The two new passwords differ.")
        elif problem := passwords.policy_problem(form.new_password, employee_no=user.employee_no):
            errors["new_password"] = problem
        elif form.new_password == form.current_password:
            errors["new_password"] = N_("Choose a password different from the current one.")
    if errors:
        context = {"errors": errors, "must_change": user.must_change_password}
        return render(request, "staff/account.html", context, status_code=400)
    service.set_password(
        session,
        person=user,
        password=new_password,
        actor_id=user.id,
        ip=client_ip(request),
        end_sessions=False,
    )
    user.must_change_password = False
    # Other browsers signed in as this person end; this one carries on.
    sessions.end_all_for(session, person_id=id_of(user))
    token = sessions.start(
        session,
        person=user,
        policy=policy,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    response = redirect(request, "/account?changed=1")
    _set_session_cookie(request, response, token, policy)
    return response


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
    if chosen not in LOCALES:
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
