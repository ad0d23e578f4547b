"""Domain routes sit on the app's own router and keep their paths, rules and options."""

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from frontline.routing import PrefixRoute, include_flat


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
