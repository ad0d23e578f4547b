"""The floor: a bare FastAPI + Jinja2 page that reads 31 rows from SQLite (TechEmpower's
"fortunes" shape), served the same way as Frontline so the two compare.

    BENCH_SQLITE=/tmp/bench.db uvicorn benchmarks.bare_app:app --workers 2

Beside it, `/signed-in`: the leanest signed-in page the client's stack can serve, to show
what the aims' ratios leave for a real page. The same stack (FastAPI, SQLAlchemy's session,
Jinja2), nothing of Frontline: no middleware, no dependency, one thread-pool trip; the cookie's
session looked up by its keyed hash (one indexed join), and a page with a header (five links,
the user's name, a sign-out form with its CSRF token), a heading and a language form. What it
leaves out that every Frontline page does: CSRF and security headers, the same-origin check,
locale negotiation, the session's idle and absolute expiry and its touch, access rules,
translations, the per-domain navigation and its counts, an audit-trail-safe transaction.
"""

import hashlib
import hmac
import os
import sqlite3
import threading

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

DATABASE = os.environ.get("BENCH_SQLITE", "bench.db")
SECRET = os.environ.get("BENCH_SECRET", "bench-secret")
PAGE = Environment(autoescape=select_autoescape(default=True)).from_string(
    "<!doctype html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
    "{% for id, name in rows %}<tr><td>{{ id }}</td><td>{{ name }}</td></tr>{% endfor %}"
    "</table></body></html>"
)
_local = threading.local()

app = FastAPI()


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "connection"):
        _local.connection = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True)
    return _local.connection


@app.get("/fortunes", response_class=HTMLResponse)
def fortunes() -> str:
    rows = _connection().execute("SELECT id, name FROM person ORDER BY id LIMIT 31").fetchall()
    return PAGE.render(rows=rows)


_engine = create_engine(f"sqlite:///{DATABASE}")
_FIND = text(
    "SELECT person.name, login_session.id FROM person JOIN login_session"
    " ON login_session.person_id = person.id WHERE login_session.token_hash = :token_hash"
)
SIGNED_IN = Environment(autoescape=select_autoescape(default=True)).from_string(
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>Account</title>"
    "<meta name='csrf-token' content='{{ csrf }}'></head><body>"
    "<header><nav><a href='/'>Frontline</a><ul>"
    "{% for href, label in links %}<li><a href='{{ href }}'>{{ label }}</a></li>{% endfor %}"
    "</ul><a href='/account'>{{ name }}</a><form method='post' action='/logout'>"
    "<input type='hidden' name='csrf_token' value='{{ csrf }}'><button>Log out</button></form>"
    "</nav></header><main><h1>{{ name }}</h1><p>{{ session_id }}</p></main><footer>"
    "<form method='post' action='/language'><input type='hidden' name='csrf_token'"
    " value='{{ csrf }}'><button name='locale' value='zh_CN'>中文</button>"
    "<button name='locale' value='en'>English</button></form></footer></body></html>"
)
LINKS = [("/standards", "标准库"), ("/training", "我的培训"), ("/quizzes/practice", "练习"),
         ("/audits", "检查"), ("/scorecards/me", "我的积分")]  # fmt: skip


@app.get("/signed-in", response_class=HTMLResponse)
def signed_in(request: Request) -> HTMLResponse:
    token = request.cookies.get("frontline_session", "")
    digest = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
    with Session(_engine) as session:
        row = session.execute(_FIND, {"token_hash": digest}).first()
    if row is None:
        return HTMLResponse("signed out", status_code=401)
    csrf = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
    page = SIGNED_IN.render(name=row[0], session_id=row[1], csrf=csrf, links=LINKS)
    return HTMLResponse(page)
