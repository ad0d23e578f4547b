"""The app factory: settings, database, middleware, error pages and every domain's router."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontline import health
from frontline.admission import ReadGate
from frontline.db import Database
from frontline.domains import installed
from frontline.i18n import N_
from frontline.migrate import ensure_current
from frontline.request_checks import number_too_large, reject_unusable_input
from frontline.routing import RoutesByFirstSegment, include_flat
from frontline.security import SecurityMiddleware, csrf_protect
from frontline.settings import Settings, get_settings
from frontline.static_files import STATIC, CachedStaticFiles
from frontline.web import is_htmx, render, templates

log = logging.getLogger("frontline")


def create_app(
    settings: Settings | None = None,
    *,
    check_migrations: bool = True,
    freeze_startup_heap: bool = False,
) -> FastAPI:
    settings = settings or get_settings()
    database = Database(settings.database_url)
    if check_migrations:
        ensure_current(database.engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        database.checkpoint_in_background()
        if freeze_startup_heap:
            _freeze_startup_heap()
        yield
        database.dispose()

    app = FastAPI(
        title="Frontline",
        lifespan=lifespan,
        dependencies=[Depends(check_request)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    templates.env.auto_reload = settings.reload_templates
    STATIC.recheck = settings.reload_templates  # an edited stylesheet gets a new ?v= at once
    app.state.database = database
    app.state.secret_key = settings.resolved_secret_key()
    # Reads the real client address and scheme first, so every later layer sees them.
    app.add_middleware(
        SecurityMiddleware,
        secret_key=app.state.secret_key,
        trusted=settings.trusted_proxy_networks(),
    )
    # Outside the security layer: a read waiting its turn has had no work done for it yet.
    app.add_middleware(ReadGate, at_once=settings.reads_at_once)
    app.mount("/static", CachedStaticFiles(STATIC), name="static")

    include_flat(app, health.router)
    # The shell knows the domains only through their declarations, in dependency order.
    for domain in installed():
        for router in domain.routers:
            include_flat(app, router)
        templates.env.globals[domain.name] = domain.template_globals
    app.router.middleware_stack = RoutesByFirstSegment(app.router)
    _install_error_pages(app)
    return app


def create_served_app() -> FastAPI:
    """The app as each worker of `frontline serve` runs it."""
    return create_app(freeze_startup_heap=True)


def _freeze_startup_heap() -> None:
    """Keep what startup built out of the garbage collector's full passes. A worker starts with
    ~240,000 tracked objects (modules, ORM mappings, validators, translations) that live as
    long as it does, yet a full collection scans them all: under load one ran about every
    minute and stopped every request of the worker for 100-150 ms (a tap's p99). Frozen, they
    are never scanned again; reference counting still frees any of them let go. Not for the
    apps tests build by the hundred in one process."""
    gc.collect()
    gc.freeze()


async def check_request(request: Request) -> None:
    """The app-wide checks of every request, as one dependency: FastAPI's solver spends time
    on every dependency of every request."""
    await csrf_protect(request)
    await reject_unusable_input(request)


ERROR_TITLES = {
    400: N_("Request not accepted"),
    403: N_("You may not open this page"),
    404: N_("Page not found"),
    409: N_("This can no longer be changed"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        location = (exc.headers or {}).get("Location")
        if 300 <= exc.status_code < 400 and location:
            if is_htmx(request):
                return Response(status_code=204, headers={"HX-Redirect": location})
            return RedirectResponse(location, status_code=303)
        if exc.status_code == 401:
            if _wants_json(request):
                # An API's own code (such as RFC 6750's invalid_token) and challenge header.
                code = exc.detail if exc.detail != HTTPStatus.UNAUTHORIZED.phrase else None
                body = {"error": code or "not_authenticated"}
                return JSONResponse(body, status_code=401, headers=exc.headers)
            target = "/login?next=" + quote(request.url.path)
            if is_htmx(request):
                return Response(status_code=204, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
        if _wants_json(request):
            return JSONResponse(
                {"error": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return _error_page(request, exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # An address whose parts do not fit the route (`/people/abc`) names nothing.
        status = 404 if all(error["loc"][:1] == ("path",) for error in exc.errors()) else 400
        if _wants_json(request):
            return JSONResponse({"error": "invalid_request", "detail": exc.errors()}, status)
        return _error_page(request, status, "bad_request")

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        # An id beyond PostgreSQL's 32-bit integer in a form or filter (numeric value out of
        # range): the database refused it before changing anything, so it is bad input.
        if getattr(exc.orig, "sqlstate", None) != "22003":
            raise exc
        log.warning("number out of range on %s %s", request.method, request.url.path)
        return await http_error(request, number_too_large(request))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_page(request, 500, None)


def _error_page(request: Request, status: int, detail: object) -> Response:
    title = ERROR_TITLES.get(status, ERROR_TITLES[400])
    context = {"status": status, "title": title, "detail": detail}
    if is_htmx(request):
        return render(request, "errors/_message.html", context, status_code=status)
    return render(request, "errors/page.html", context, status_code=status)


__all__ = ["HTTPException", "create_app", "create_served_app"]
