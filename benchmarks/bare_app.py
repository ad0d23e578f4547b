"""The floor: a bare FastAPI + Jinja2 page that reads 31 rows from SQLite (TechEmpower's
"fortunes" shape), served the same way as Frontline so the two compare.

    BENCH_SQLITE=/tmp/bench.db uvicorn benchmarks.bare_app:app --workers 2
"""

import os
import sqlite3
import threading

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape

DATABASE = os.environ.get("BENCH_SQLITE", "bench.db")
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
