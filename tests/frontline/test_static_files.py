"""Static files browsers keep: pages link them with `?v=<hash>`, and that URL is cached a
year as immutable, while any other static request revalidates (`no-cache`)."""

import hashlib
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from frontline.domains import installed
from frontline.static_files import (
    IMMUTABLE,
    REVALIDATE,
    STATIC,
    STATIC_DIR,
    CachedStaticFiles,
    Fingerprints,
)
from frontline.web import TEMPLATES_DIR
from staff.models import Role
from tests.factories import PASSWORD, make_person, make_standard

STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]*)"')
VERSIONED = re.compile(r"^/static/(?P<path>[^?]+)\?v=(?P<version>[0-9a-f]{10})$")
LITERAL_IN_TEMPLATE = re.compile(r"""(?:href|src)=["']/static/""")


def _hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]


def _assert_all_versioned(html: str) -> list[str]:
    links = STATIC_LINK.findall(html)
    assert links, "the page links no static file"
    for link in links:
        match = VERSIONED.match(link)
        assert match, f"not versioned: {link}"
        assert match["version"] == _hash(match["path"]), link
    return links


def test_no_template_links_a_static_file_but_through_static_url():
    literal = [
        str(path.relative_to(TEMPLATES_DIR))
        for path in TEMPLATES_DIR.rglob("*.html")
        if LITERAL_IN_TEMPLATE.search(path.read_text(encoding="utf-8"))
    ]
    assert literal == []


def test_every_file_templates_and_domains_link_exists_so_it_gets_a_version():
    named = {
        name
        for path in TEMPLATES_DIR.rglob("*.html")
        for name in re.findall(r"static_url\('([^']+)'\)", path.read_text(encoding="utf-8"))
    }
    named |= {href.removeprefix("/static/") for d in installed() for href in d.stylesheets}
    assert {"css/app.css", "js/header.js", "css/standards.css"} <= named
    assert [name for name in sorted(named) if STATIC.of(name) is None] == []


def test_pages_link_every_static_file_with_its_version(db, client):
    _assert_all_versioned(client.get("/login").text)
    make_standard(db, code="STA-01")
    person = make_person(db, role=Role.employee, locale="en")
    client.login(person.employee_no, PASSWORD)
    links = _assert_all_versioned(client.get("/").text)
    # base.html's own links and every domain's stylesheets
    assert any(link.startswith("/static/css/app.css?v=") for link in links)
    assert any(link.startswith("/static/vendor/htmx/htmx.min.js?v=") for link in links)
    assert any(link.startswith("/static/css/standards.css?v=") for link in links)
    printed = _assert_all_versioned(client.get("/standards/STA-01/v/1/print").text)
    assert any(link.startswith("/static/css/print.css?v=") for link in printed)


def test_a_versioned_url_is_kept_a_year_and_an_unversioned_one_revalidates(client):
    versioned = client.get(f"/static/css/app.css?v={_hash('css/app.css')}")
    assert versioned.status_code == 200
    assert versioned.headers["cache-control"] == IMMUTABLE
    assert versioned.content == (STATIC_DIR / "css/app.css").read_bytes()
    assert "set-cookie" not in versioned.headers  # a public response carries nobody's cookie
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.headers["cache-control"] == REVALIDATE
    assert plain.headers["etag"]
    again = client.get("/static/css/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == REVALIDATE


def test_a_stale_or_garbage_version_gets_the_current_file_but_no_long_cache(client):
    current = (STATIC_DIR / "js/app.js").read_bytes()
    for version in ("0123456789", "", "x" * 300, _hash("css/app.css")):
        response = client.get("/static/js/app.js", params={"v": version})
        assert response.status_code == 200, version
        assert response.content == current
        assert response.headers["cache-control"] == REVALIDATE, version


def test_head_answers_like_get_without_a_body(client):
    url = f"/static/js/header.js?v={_hash('js/header.js')}"
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["cache-control"] == IMMUTABLE
    assert head.headers["content-length"] == str((STATIC_DIR / "js/header.js").stat().st_size)


@pytest.mark.parametrize(
    "url",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/css/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static/css/missing.css?v=0123456789",
        "/static/css",
    ],
)
def test_nothing_outside_the_static_files_is_served(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "[project]" not in response.text
    assert response.headers.get("cache-control") not in (IMMUTABLE,)


def test_only_get_and_head(client):
    response = client.post("/static/css/app.css", headers={"X-CSRF-Token": client.csrf_token()})
    assert response.status_code == 405


@pytest.fixture
def statics(tmp_path: Path) -> Path:
    directory = tmp_path / "static"
    (directory / "css").mkdir(parents=True)
    (directory / "css" / "site.css").write_text("body { color: black; }\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    return directory


def test_the_version_changes_with_the_bytes_and_only_then(statics: Path):
    first = Fingerprints(statics).url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{10}", first)
    assert Fingerprints(statics).url("css/site.css") == first
    (statics / "css" / "site.css").write_text("body { color: navy; }\n", encoding="utf-8")
    assert Fingerprints(statics).url("css/site.css") != first


def test_a_process_keeps_the_version_it_read_unless_told_to_recheck(statics: Path):
    kept, rechecked = Fingerprints(statics), Fingerprints(statics, recheck=True)
    before = kept.of("css/site.css")
    assert rechecked.of("css/site.css") == before
    (statics / "css" / "site.css").write_text("body { color: teal; margin: 0; }\n")
    assert kept.of("css/site.css") == before  # read once per process
    assert rechecked.of("css/site.css") not in (None, before)  # developers see the edit


def test_no_version_for_a_file_that_is_not_there_or_not_inside(statics: Path):
    fingerprints = Fingerprints(statics)
    assert fingerprints.url("css/none.css") == "/static/css/none.css"
    assert fingerprints.of("../secret.txt") is None
    assert fingerprints.of("css") is None


def test_the_served_directory_follows_its_own_fingerprints(statics: Path):
    fingerprints = Fingerprints(statics)
    app = Starlette(routes=[Mount("/static", CachedStaticFiles(fingerprints))])
    with TestClient(app) as c:
        url = fingerprints.url("css/site.css")
        assert c.get(url).headers["cache-control"] == IMMUTABLE
        (statics / "css" / "site.css").write_text("body { color: red; }\n")
        new = Fingerprints(statics).url("css/site.css")  # the next release's process
        assert c.get(new).headers["cache-control"] == REVALIDATE  # not this process's file
        assert c.get("/static/../secret.txt").status_code == 404
