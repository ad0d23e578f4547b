"""Item analysis and results of one quiz through real servers, beside the bare floor page.

    python -m benchmarks.generate --url sqlite:////tmp/bench.db --staff 5000
    python -m benchmarks.serve_quiz_analysis --db /tmp/bench.db [--seconds 10] [--connections 4]

The quiz with the most graded attempts is measured (3,750 attempts, 37,500 answered items in
the region profile). The issue's target is a latency: item analysis p95 ≤ 250 ms; wrk runs
with a few connections and a Lua `done` hook that prints p95, after each worker has computed
the figures once. The uncached computation (the first visit after an attempt is graded) is
timed separately, in-process, with the cache cleared.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col

from benchmarks.bench_pages import _prepare
from benchmarks.serve_pages import _free_port, _login, _server
from frontline.app import create_app
from frontline.db import Database
from frontline.settings import Settings
from quizzes import analysis, figure_cache
from quizzes.models import Attempt

P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95 %d\\n", latency:percentile(95)))
  io.write(string.format("P50 %d\\n", latency:percentile(50)))
end
"""


def _busiest_quiz(url: str) -> tuple[int, int]:
    database = Database(url)
    with database.session(write=False) as session:
        row = session.execute(
            sa_select(col(Attempt.quiz_id), func.count())
            .where(col(Attempt.submitted_at).is_not(None))
            .group_by(col(Attempt.quiz_id))
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    database.dispose()
    return int(row[0]), int(row[1])


def _uncached_ms(url: str, quiz_id: int, runs: int = 5) -> tuple[float, float]:
    """Median and worst time of the item analysis computed from the database (cache cleared)."""
    database = Database(url)
    samples = []
    with database.session(write=False) as session:
        for _ in range(runs):
            figure_cache.clear()
            started = time.perf_counter()
            analysis.item_analysis(session, quiz_id=quiz_id)
            analysis.summary(session, quiz_id=quiz_id)
            samples.append((time.perf_counter() - started) * 1000)
    database.dispose()
    return statistics.median(samples), max(samples)


def _wrk_p95(
    url: str, *, cookie: str, seconds: int, connections: int, script: Path
) -> dict[str, float]:
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    args += ["--timeout", "5s", "-s", str(script), "-H", f"Cookie: {cookie}", url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p95 = int(re.search(r"P95 (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]
    p50 = int(re.search(r"P50 (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(match.group(1))
    return {"rps": rps, "p50": p50, "p95": p95, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file made by benchmarks.generate")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = f"sqlite:///{os.path.abspath(args.db)}"
    ids = _prepare(create_app(Settings(database_url=url, secret_key="bench")))
    quiz_id, attempts = _busiest_quiz(url)
    median, worst = _uncached_ms(url, quiz_id)
    script = Path(tempfile.mkdtemp()) / "p95.lua"
    script.write_text(P95_SCRIPT, encoding="utf-8")
    app_port, bare_port = _free_port(), _free_port()
    app_env = {"FRONTLINE_DATABASE_URL": url, "FRONTLINE_SECRET_KEY": "bench-secret"}
    frontline_cmd = [sys.executable, "-c", "from frontline.cli import main; main()", "serve"]
    frontline_cmd += ["--port", str(app_port), "--workers", str(args.workers)]
    bare_cmd = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port"]
    bare_cmd += [str(bare_port), "--workers", str(args.workers), "--log-level", "warning"]
    with (
        _server(frontline_cmd, app_env, app_port) as app,
        _server(bare_cmd, {"BENCH_SQLITE": os.path.abspath(args.db)}, bare_port) as bare,
    ):
        hr = _login(app, ids["hr"])
        pages = [
            ("floor: bare FastAPI + Jinja2, 31 rows", bare + "/fortunes"),
            ("quiz page with item analysis, HR", f"{app}/quizzes/manage/{quiz_id}"),
            ("results by person (first page), HR", f"{app}/quizzes/manage/{quiz_id}/results"),
            ("results by team, HR", f"{app}/quizzes/manage/{quiz_id}/results?by=team"),
        ]
        # The figures are cached per worker until the next grading; the first visit after one
        # pays the uncached time (measured above). Warm both workers before measuring.
        for _, page_url in pages[1:]:
            for _ in range(2 * args.workers + 2):
                httpx.get(page_url, headers={"Cookie": hr}, timeout=60)
        rows = []
        for label, page_url in pages:
            rows.append(
                (
                    label,
                    _wrk_p95(
                        page_url,
                        cookie=hr,
                        seconds=args.seconds,
                        connections=args.connections,
                        script=script,
                    ),
                )
            )
            print(f"  {label}: {rows[-1][1]}", file=sys.stderr)
    floor = rows[0][1]["rps"]
    print(
        f"quiz {quiz_id}: {attempts} graded attempts; {args.connections} connections, "
        f"{args.seconds} s a page, {args.workers} workers each\n"
    )
    print(
        f"item analysis computed uncached (in-process): median {median:.0f} ms, "
        f"worst {worst:.0f} ms of 5\n"
    )
    print("| page | req/s | p50 ms | p95 ms | errors | × floor throughput |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} "
            f"| {r['rps'] / floor:.2f} |"
        )


if __name__ == "__main__":
    main()
