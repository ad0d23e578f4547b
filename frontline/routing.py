"""Every domain route registered on the app's own router, not behind included routers.

FastAPI (since 0.120) keeps an included router as one entry of the app's route list and
matches it by scanning every route inside it, twice a request (once to find the router, once
to pick the route), at about 2 µs a route: 230-340 µs of every page at 60 routes, growing with
each domain. Registered on the app itself, each route is tried once; `PrefixRoute` turns a
route down by comparing the path's fixed start before any regular expression (0.3 µs instead
of 3.5 µs), so the last of 60 routes is found in ~20 µs. The routes keep their paths,
dependencies (the app-wide ones are added by the app's router, as `include_router` did) and
options; nothing else changes for a domain.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.params import Depends
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Mount, Router
from starlette.types import Receive, Scope, Send

# What add_api_route takes that an APIRoute keeps under the same name.
ROUTE_OPTIONS = (
    "response_model",
    "status_code",
    "tags",
    "summary",
    "description",
    "response_description",
    "responses",
    "deprecated",
    "methods",
    "operation_id",
    "response_model_include",
    "response_model_exclude",
    "response_model_by_alias",
    "response_model_exclude_unset",
    "response_model_exclude_defaults",
    "response_model_exclude_none",
    "include_in_schema",
    "response_class",
    "name",
    "callbacks",
    "openapi_extra",
    "generate_unique_id_function",
)


class PrefixRoute(APIRoute):
    """An APIRoute that refuses a path not starting with its fixed part without a regex."""

    def __init__(self, path: str, endpoint: Any, **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        self.fixed_part = self.path_format.split("{", 1)[0]
        self.has_parameters = "{" in self.path_format

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and not scope.get("root_path"):
            path = scope["path"]
            if self.has_parameters:
                if not path.startswith(self.fixed_part):
                    return Match.NONE, {}
            elif path != self.fixed_part:
                return Match.NONE, {}
        return super().matches(scope)


def _flat(
    routes: Sequence[Any], prefix: str, dependencies: tuple[Depends, ...]
) -> Iterator[tuple[str, APIRoute, tuple[Depends, ...]]] | None:
    """(path, route, dependencies its inclusions add) for each route, or None for anything
    else (a mount, a websocket, a FastAPI whose inclusions look different)."""
    found: list[tuple[str, APIRoute, tuple[Depends, ...]]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route, dependencies))
            continue
        included = getattr(route, "original_router", None)
        context = getattr(route, "include_context", None)
        if not isinstance(included, APIRouter) or context is None:
            return None
        inner = _flat(
            included.routes,
            prefix + str(context.prefix),
            (*dependencies, *(context.dependencies or ())),
        )
        if inner is None:
            return None
        found.extend(inner)
    return iter(found)


def include_flat(app: FastAPI, router: APIRouter) -> None:
    """Like `app.include_router(router)`, with every route of it (and of the routers it
    includes) on the app's own router; routers of other shapes are included as they are."""
    entries = _flat(router.routes, "", ())
    if entries is None:
        app.include_router(router)
        return
    for path, route, dependencies in entries:
        options = {name: getattr(route, name) for name in ROUTE_OPTIONS}
        app.router.add_api_route(
            path,
            route.endpoint,
            dependencies=[*dependencies, *route.dependencies],
            route_class_override=PrefixRoute if type(route) is APIRoute else type(route),
            **options,
        )


class RoutesByFirstSegment:
    """The app's router, finding a request's route among those whose path starts with the
    request's first segment (`/training/...` among the `/training` routes) instead of trying
    every route in turn: with 190 routes, a tap on `/audits/{id}/items/{n}` was tried against
    some 180 of them (~100 µs) before its own. Only a full match is found here, the first in
    the app's order as Starlette would find it (no route of another first segment can match);
    anything else (405, 404, a trailing-slash redirect) goes to Starlette's own scan of every
    route. Routes added later (a test's) are indexed on the next request."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.scan_all = router.middleware_stack
        self._indexed = -1
        self._by_segment: dict[str, list[BaseRoute]] = {}
        self._anywhere: list[BaseRoute] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            for route in self._candidates(_segment(scope["path"])):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self.router)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await self.scan_all(scope, receive, send)

    def _candidates(self, segment: str | None) -> list[BaseRoute]:
        routes = self.router.routes
        if len(routes) != self._indexed:
            segments = [_route_segment(route) for route in routes]
            self._by_segment = {
                name: [r for r, s in zip(routes, segments, strict=True) if s in (name, None)]
                for name in {s for s in segments if s is not None}
            }
            self._anywhere = [r for r, s in zip(routes, segments, strict=True) if s is None]
            self._indexed = len(routes)
        if segment is None:
            return self._anywhere
        return self._by_segment.get(segment, self._anywhere)


def _segment(path: str) -> str | None:
    """`training` of `/training/learn/x`; `` of `/`."""
    return path.split("/", 2)[1] if path.startswith("/") else None


def _route_segment(route: BaseRoute) -> str | None:
    """The fixed first segment a route's path starts with; None when it could match any
    (a parameter there, a mount at the root, a route without a path)."""
    path = getattr(route, "path_format", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    if isinstance(route, Mount) and path in ("", "/"):
        return None
    first = path.split("/", 2)[1]
    return None if "{" in first else first
