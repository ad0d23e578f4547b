"""Scorecards through real servers: pages beside the bare floor page, a branch rollup's p95,
the API, and the region's CSV and XLSX exports (time and the server's memory growth).

    python -m benchmarks.generate --url sqlite:////tmp/bench.db --staff 5000
    python -m benchmarks.serve_scorecards --db /tmp/bench.db [--seconds 8] [--larger /tmp/big.db]
    python -m benchmarks.serve_scorecards --url postgresql+psycopg://... --exports-only

Pages are loaded by `wrk` (20 connections, 2 workers each, as serve_pages.py); the p95 and the
exports are timed one request at a time. Exports run on a server of one worker, whose peak
resident memory (VmRSS, sampled from /proc while the export streams) is compared with
its memory before. `--larger` names a bank with
ten times the data: the scorecard page is timed on both.
"""

import argparse
import os
import shutil
import statistics
import sys
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

from benchmarks.bench_pages import _prepare
from benchmarks.data_scorecards import BENCH_TOKEN
from benchmarks.serve_pages import _free_port, _login, _server, _wrk
from frontline.app import create_app
from frontline.settings import Settings


def _frontline(url: str, workers: int, port: int) -> Any:
    command = [sys.executable, "-c", "from frontline.cli import main; main()", "serve"]
    env = {"FRONTLINE_DATABASE_URL": url, "FRONTLINE_SECRET_KEY": "bench-secret"}
    return _server([*command, "--port", str(port), "--workers", str(workers)], env, port)


def _ids(url: str) -> dict[str, Any]:
    app = create_app(Settings(database_url=url, secret_key="bench"))
    ids: dict[str, Any] = dict(_prepare(app))
    from sqlalchemy import text

    with app.state.database.session() as session:
        employee = session.execute(
            text("SELECT id, team_id FROM person WHERE employee_no = :no"), {"no": ids["employee"]}
        ).one()
        branch_id = session.execute(
            text("SELECT branch_id FROM team WHERE id = :id"), {"id": employee.team_id}
        ).scalar_one()
        region = session.execute(
            text("SELECT region FROM branch WHERE id = :id"), {"id": branch_id}
        ).scalar_one()
        # The supervisor's own team: another team's rollup is refused (403), not measured.
        supervised = session.execute(
            text(
                "SELECT ts.team_id FROM team_supervisor ts JOIN person p ON p.id = ts.person_id"
                " WHERE p.employee_no = :no ORDER BY ts.team_id"
            ),
            {"no": ids["supervisor"]},
        ).scalar_one()
    app.state.database.dispose()
    ids.update(person_id=employee.id, team_id=supervised, branch_id=branch_id, region=region)
    return ids


def _timed(client: httpx.Client, url: str, runs: int, **kwargs: Any) -> list[float]:
    for _ in range(2):
        assert client.get(url, **kwargs).status_code == 200, url
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **kwargs)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class RssSampler(threading.Thread):
    """The server's largest resident memory while an export streams (sampled every 20 ms)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, _rss_kib(pid), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, _rss_kib(self.pid))


def _server_pid(port: int) -> int:
    """The pid listening on the port (uvicorn with one worker serves in its own process)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
                    inode = fields[9]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return int(pid)
        except OSError:
            continue
    raise RuntimeError(f"nobody listens on {port}")


def exports(url: str, hr: str) -> list[str]:
    lines = [
        "| export | seconds | bytes | rows | server peak memory growth (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ("csv", "xlsx"):
        port = _free_port()
        with _frontline(url, 1, port) as base:
            cookie = _login(base, hr)
            pid = _server_pid(port)
            with httpx.Client(base_url=base, headers={"Cookie": cookie}, timeout=600) as client:
                assert client.get("/scorecards/weights").status_code == 200  # warm the worker
                before = _rss_kib(pid)
                sampler = RssSampler(pid)
                sampler.start()
                started = time.perf_counter()
                size = rows = 0
                with client.stream("GET", f"/hr/scorecards.{name}?period=2026") as response:
                    assert response.status_code == 200
                    for block in response.iter_bytes():
                        size += len(block)
                        rows += block.count(b"\n") if name == "csv" else 0
                seconds = time.perf_counter() - started
                sampler.done.set()
                sampler.join()
                growth = (sampler.peak - before) / 1024
        shown_rows = str(rows - 1) if name == "csv" else "—"
        lines.append(f"| {name.upper()} | {seconds:.2f} | {size:,} | {shown_rows} | {growth:.1f} |")
    return lines


def pages(url: str, ids: dict[str, Any], seconds: int, connections: int) -> list[str]:
    port, bare_port = _free_port(), _free_port()
    bare_cmd = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port"]
    sqlite_path = url.removeprefix("sqlite:///")
    with (
        _frontline(url, 2, port) as app,
        _server(
            [*bare_cmd, str(bare_port), "--workers", "2", "--log-level", "warning"],
            {"BENCH_SQLITE": sqlite_path},
            bare_port,
        ) as bare,
    ):
        cookies = {role: _login(app, ids[role]) for role in ("hr", "supervisor", "employee")}
        period = "?period=2026-11"
        measured = [
            ("floor: bare FastAPI + Jinja2, 31 rows", bare + "/fortunes", None),
            ("my scorecard, employee", app + "/scorecards/me" + period, "employee"),
            ("a scorecard, HR", app + f"/scorecards/people/{ids['person_id']}" + period, "hr"),
            (
                "team rollup, supervisor",
                app + f"/scorecards/teams/{ids['team_id']}" + period,
                "supervisor",
            ),
            ("branch rollup, HR", app + f"/scorecards/branches/{ids['branch_id']}" + period, "hr"),
            (
                "region rollup, HR (5,000 people)",
                app + f"/scorecards/regions/{quote(ids['region'])}" + period,
                "hr",
            ),
        ]
        lines = [
            "| page | req/s | p50 ms | p99 ms | errors | × floor throughput |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        floor = 0.0
        for label, page_url, role in measured:
            cookie = cookies[role] if role else None
            rps, p50, p99, errors = _wrk(
                page_url, cookie=cookie, seconds=seconds, connections=connections
            )
            floor = floor or rps
            lines.append(
                f"| {label} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {errors} | {rps / floor:.2f} |"
            )
            print(f"  {label}: {rps:.0f} req/s", file=sys.stderr)
        lines += ["", "One request at a time (p50 / p95 ms, 40 requests):", ""]
        with httpx.Client(base_url=app, timeout=60) as client:
            for label, path, headers in (
                (
                    "branch rollup, HR",
                    f"/scorecards/branches/{ids['branch_id']}{period}",
                    {"Cookie": cookies["hr"]},
                ),
                (
                    "my scorecard, employee",
                    f"/scorecards/me{period}",
                    {"Cookie": cookies["employee"]},
                ),
                (
                    "API, 100 scorecards a page",
                    f"/api/v1/scorecards{period}&per_page=100",
                    {"Authorization": f"Bearer {BENCH_TOKEN}"},
                ),
            ):
                samples = _timed(client, path, 40, headers=headers)
                lines.append(f"- {label}: {statistics.median(samples):.1f} / {_p95(samples):.1f}")
    return lines


def scorecard_time(url: str, ids: dict[str, Any]) -> float:
    port = _free_port()
    with _frontline(url, 1, port) as app:
        cookie = _login(app, ids["employee"])
        with httpx.Client(base_url=app, headers={"Cookie": cookie}, timeout=60) as client:
            return statistics.median(_timed(client, "/scorecards/me?period=2026-11", 60))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file made by benchmarks.generate")
    parser.add_argument("--url", help="or a database URL (PostgreSQL for the whole bank)")
    parser.add_argument("--larger", help="a SQLite bank with ten times the data")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--exports-only", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk") and not args.exports_only:
        sys.exit("wrk is missing: apt-get install wrk")
    url = args.url or f"sqlite:///{os.path.abspath(args.db)}"
    ids = _ids(url)
    report: list[str] = []
    if not args.exports_only:
        report += [*pages(url, ids, args.seconds, args.connections), ""]
    report += exports(url, ids["hr"])
    if args.larger:
        larger = f"sqlite:///{os.path.abspath(args.larger)}"
        small, big = scorecard_time(url, ids), scorecard_time(larger, _ids(larger))
        report += [
            "",
            f"Scorecard page p50: {small:.1f} ms; with ten times the data {big:.1f} ms "
            f"({big / small:.2f}×).",
        ]
    print("\n".join(report))


if __name__ == "__main__":
    main()
