"""Static files that browsers keep: URLs that name the file's content, and the cache rules.

A page links `static_url("css/app.css")`, which is `/static/css/app.css?v=<hash of its bytes>`.
Such a URL always names the same bytes, so browsers keep it a year without asking again; a new
release changes the bytes, hence the URL. Any other static request (no `?v=`, or a stale one)
is answered with `no-cache`: the browser revalidates it with its ETag, as before.
"""

import hashlib
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from frontline.settings import ROOT

STATIC_DIR = ROOT / "static"
URL_PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class Fingerprints:
    """The first 10 hex digits of each static file's SHA-256, read at its first use and kept
    for the life of the process (a release restarts it). With `recheck` (developers, like
    FRONTLINE_RELOAD_TEMPLATES) a file edited on disk gets its new hash at the next page."""

    def __init__(self, directory: Path, *, recheck: bool = False) -> None:
        self.directory = directory.resolve()
        self.recheck = recheck
        # path → (modification time and size when read, hash); None for no such file.
        self._known: dict[str, tuple[tuple[int, int], str] | None] = {}

    def of(self, path: str) -> str | None:
        """The hash of the file at `path` (relative to the directory), None if there is none."""
        if path in self._known and not self.recheck:
            known = self._known[path]
            return known[1] if known else None
        file = self._file(path)
        stamp = _stamp(file) if file else None
        entry = self._known.get(path)
        if file is None or stamp is None:
            entry = None
        elif entry is None or entry[0] != stamp:
            entry = (stamp, _digest(file))
        self._known[path] = entry
        return entry[1] if entry else None

    def is_cached(self, path: str) -> bool:
        return path in self._known and not self.recheck

    def url(self, path: str) -> str:
        """`/static/<path>?v=<hash>`; without `?v=` for a file that does not exist."""
        version = self.of(path)
        return f"{URL_PREFIX}{path}?v={version}" if version else f"{URL_PREFIX}{path}"

    def _file(self, path: str) -> Path | None:
        """The regular file `path` names inside the directory, never one outside it."""
        file = (self.directory / path).resolve()
        if not file.is_relative_to(self.directory) or not file.is_file():
            return None
        return file


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        status = file.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def _digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10]


class CachedStaticFiles(StaticFiles):
    """Starlette's StaticFiles (ETag, Last-Modified, HEAD, no way out of its directory) with
    the one header it lacks: `immutable` for the current `?v=`, `no-cache` for the rest."""

    def __init__(self, fingerprints: Fingerprints) -> None:
        super().__init__(directory=fingerprints.directory)
        self.fingerprints = fingerprints

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)  # raises 404 for no such file
        asked = QueryParams(scope.get("query_string", b"")).get("v")
        response.headers["Cache-Control"] = (
            IMMUTABLE if asked and asked == await self._current(path) else REVALIDATE
        )
        return response

    async def _current(self, path: str) -> str | None:
        if self.fingerprints.is_cached(path):
            return self.fingerprints.of(path)
        # The first request for a file no page has linked yet reads it off the event loop.
        return await anyio.to_thread.run_sync(self.fingerprints.of, path)


STATIC = Fingerprints(STATIC_DIR)


def static_url(path: str) -> str:
    """The template global: `static_url("css/app.css")` → `/static/css/app.css?v=…`."""
    return STATIC.url(path)


def versioned(href: str) -> str:
    """A `/static/…` address as declared (a domain's stylesheets) made versioned; others as is."""
    if href.startswith(URL_PREFIX):
        return STATIC.url(href.removeprefix(URL_PREFIX))
    return href
