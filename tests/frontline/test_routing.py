"""Domain routes sit on the app's own router and keep their paths, rules and options."""

from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from starlette.routing import Match, Mount

from frontline.routing import PrefixRoute, RoutesByFirstSegment, include_flat


def _refuse_without_header(request: Request) -> None:
    if request.headers.get("X-Allowed") != "yes":
        raise HTTPException(status_code=403)


def _app() -> FastAPI:
    calls: list[str] = []

    def app_wide() -> None:
        calls.append("app")

    app = FastAPI(dependencies=[Depends(app_wide)])
    app.state.calls = calls
    inner = APIRouter()

    @inner.get("/items/{item_id}", response_class=PlainTextResponse)
    def item(item_id: int) -> str:
        return f"item {item_id}"

    @inner.get("/items/new", response_class=PlainTextResponse)
    def new_item() -> str:  # declared after the parameter route: the earlier route wins
        return "new"

    outer = APIRouter()

    @outer.get("/", response_class=PlainTextResponse)
    def home() -> str:
        return "home"

    @outer.post("/things", status_code=201, response_class=PlainTextResponse)
    def make_thing() -> str:
        return "made"

    outer.include_router(inner, prefix="/shop", dependencies=[Depends(_refuse_without_header)])
    include_flat(app, outer)
    return app


def test_nested_routers_are_flattened_onto_the_app_with_prefixes_and_dependencies():
    app = _app()
    assert not [route for route in app.router.routes if hasattr(route, "original_router")]
    paths = [route.path for route in app.router.routes if isinstance(route, PrefixRoute)]
    assert paths == ["/", "/things", "/shop/items/{item_id}", "/shop/items/new"]
    client = TestClient(app)
    allowed = {"X-Allowed": "yes"}
    assert client.get("/shop/items/7", headers=allowed).text == "item 7"
    # The inclusion's dependency still guards its routes; the app-wide one runs for all.
    assert client.get("/shop/items/7").status_code == 403
    assert client.get("/shop/items/new", headers=allowed).status_code == 422
    assert client.get("/").text == "home"
    assert "app" in app.state.calls
    assert client.post("/things").status_code == 201
    assert client.get("/things").status_code == 405
    assert client.get("/shop/item/7", headers=allowed).status_code == 404
    assert client.get("/nothing").status_code == 404


def test_a_route_refuses_other_paths_by_their_fixed_part():
    route = PrefixRoute("/standards/{code}/v/{number}", lambda: None)
    scope = {"type": "http", "path": "", "root_path": "", "method": "GET"}
    assert route.matches({**scope, "path": "/people/1/v/2"})[0].name == "NONE"
    assert route.matches({**scope, "path": "/standards/A/v/2"})[0].name == "FULL"
    exact = PrefixRoute("/standards", lambda: None)
    assert exact.matches({**scope, "path": "/standards/x"})[0].name == "NONE"
    assert exact.matches({**scope, "path": "/standards"})[0].name == "FULL"


def _sample_path(path_format: str, convertors: dict) -> str:
    """A concrete path a route's pattern matches: each parameter filled with a value its
    convertor accepts."""
    values = {"int": "7", "float": "7.5", "path": "a/b", "uuid": str(UUID(int=7))}
    path = path_format
    for name, convertor in convertors.items():
        kind = type(convertor).__name__.removesuffix("Convertor").lower()
        path = path.replace("{" + name + "}", values.get(kind, "x7"))
    return path


def _first_full_match(routes, scope):  # type: ignore[no-untyped-def]
    return next((r for r in routes if r.matches(scope)[0] is Match.FULL), None)


def test_the_app_finds_each_route_among_its_first_segment_as_a_scan_of_all_would(app):
    """For every route and method of the real app, the route found among the routes of the
    path's first segment is the one Starlette's scan of every route finds."""
    index = app.router.middleware_stack
    assert isinstance(index, RoutesByFirstSegment)
    checked = 0
    for route in app.router.routes:
        path_format = getattr(route, "path_format", None)
        if path_format is None or isinstance(route, Mount):
            continue
        path = _sample_path(path_format, route.param_convertors)
        for method in getattr(route, "methods", None) or {"GET"}:
            scope = {"type": "http", "path": path, "root_path": "", "method": method}
            expected = _first_full_match(app.router.routes, scope)
            assert expected is not None, path
            candidates = index._candidates(path.split("/", 2)[1])
            assert _first_full_match(candidates, scope) is expected, (method, path)
            checked += 1
    assert checked > 150


def test_routes_outside_a_full_match_answer_as_before(app):
    """405, 404 and routes added after the app was made (a test's own) still answer."""

    @app.get("/zz-added-later", response_class=PlainTextResponse)
    def added() -> str:
        return "added"

    client = TestClient(app)
    assert client.get("/zz-added-later").text == "added"
    assert client.get("/no-such-page").status_code == 404
    assert client.put("/login").status_code == 405
    assert client.get("/static/css/app.css").status_code == 200
