"""Training's pages through real servers, beside the bare floor page measured in the same run.

    python -m benchmarks.generate --url sqlite:////tmp/bench.db --staff 5000
    python -m benchmarks.serve_training --db /tmp/bench.db [--seconds 10] [--connections 20]

Reuses benchmarks.serve_pages (servers, login, wrk). wrk reports p50/p99 itself; a small Lua
script adds p95, the figure the issue sets for the region dashboard (≤ 250 ms).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import httpx
from sqlmodel import col, select

from benchmarks.bench_pages import _prepare
from benchmarks.serve_pages import _free_port, _login, _server
from frontline.app import create_app
from frontline.settings import Settings
from training.models import Enrollment, Module

P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
end
"""


def _wrk(url: str, *, cookie: str | None, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(P95_SCRIPT)
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    args += ["--timeout", "5s", "--latency", "-s", script.name]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(script.name)
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {
        k: float(v) * units[u] for k, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", out)
    }
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": latency.get("50", float("nan")),
        "p95": int(re.search(r"P95_US (\d+)", out).group(1)) / 1000,  # type: ignore[union-attr]
        "p99": latency.get("99", float("nan")),
        "errors": errors,
    }


def _targets(url: str, employee_no: str) -> dict[str, str]:
    """A module the measured employee is enrolled in, with lessons, for their lesson page."""
    app = create_app(Settings(database_url=url, secret_key="bench"))
    with app.state.database.session(write=False) as session:
        from staff.models import Person

        person_id = session.exec(select(Person.id).where(Person.employee_no == employee_no)).one()
        code = session.exec(
            select(Module.code)
            .join(Enrollment, col(Enrollment.module_id) == Module.id)
            .where(Enrollment.person_id == person_id, col(Module.code) < "BM-027")
            .order_by(col(Module.code))
        ).first()
    app.state.database.dispose()
    return {"module": code or "BM-000"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file made by benchmarks.generate")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = f"sqlite:///{os.path.abspath(args.db)}"
    ids = _prepare(create_app(Settings(database_url=url, secret_key="bench")))
    target = _targets(url, ids["employee"])
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
        cookies = {role: _login(app, ids[role]) for role in ("hr", "supervisor", "employee")}
        lesson = f"/training/learn/{target['module']}/lessons/1"
        overdue = "/training/dashboard/people?status=overdue"
        pages = [
            ("floor: bare FastAPI + Jinja2, 31 rows", bare + "/fortunes", None),
            ("My training, employee", app + "/training", "employee"),
            ("a lesson page, employee", app + lesson, "employee"),
            ("home, employee", app + "/", "employee"),
            ("region dashboard by module, HR", app + "/training/dashboard", "hr"),
            ("region dashboard by team, HR", app + "/training/dashboard?group=team", "hr"),
            ("region dashboard by branch, HR", app + "/training/dashboard?group=branch", "hr"),
            ("overdue people, HR (first page)", app + overdue, "hr"),
            ("team dashboard, supervisor", app + "/training/dashboard", "supervisor"),
            ("exams, HR", app + "/training/exams", "hr"),
            ("home, supervisor", app + "/", "supervisor"),
        ]  # fmt: skip
        results = []
        for label, page_url, role in pages:
            cookie = cookies[role] if role else None
            headers = {"Cookie": cookie} if cookie else {}
            # Warm both workers (a report is computed once per worker, then served from its
            # cache until something it counts changes).
            for _ in range(6):
                status = httpx.get(page_url, headers=headers, timeout=30).status_code
                assert status == 200, f"{label}: {status}"
            figures = _wrk(
                page_url, cookie=cookie, seconds=args.seconds, connections=args.connections
            )
            results.append((label, figures))
            print(f"  {label}: {figures['rps']:.0f} req/s", file=sys.stderr)
    floor = results[0][1]["rps"]
    print(f"{args.connections} connections, {args.seconds} s a page, {args.workers} workers each\n")
    print("| page | req/s | p50 ms | p95 ms | p99 ms | errors | × floor throughput |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, f in results:
        print(
            f"| {label} | {f['rps']:.0f} | {f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} "
            f"| {f['errors']:.0f} | {f['rps'] / floor:.2f} |"
        )


if __name__ == "__main__":
    main()
