"""Frontline's pages through real servers, side by side with the bare floor page.

    python -m benchmarks.generate --url sqlite:////tmp/bench.db --staff 5000
    python -m benchmarks.serve_pages --db /tmp/bench.db [--rounds 3] [--seconds 4]

Both apps run under uvicorn with 2 workers on localhost; `wrk` (Debian package `wrk`) loads
each page in turn for a bounded time. The table gives requests/s, p50 and p99 latency, errors
(non-2xx, timeouts) and throughput as a share of the floor page's — the number that stays
comparable on a shared, noisy machine. This machine's speed moves by half within a minute, so
each page is measured in `rounds` slices, each right after a slice of the floor page, and the
share is the median of those adjacent pairs; req/s and latencies are medians of the slices.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from benchmarks.bench_pages import PASSWORD, _prepare
from frontline.app import create_app
from frontline.settings import Settings

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


@dataclass
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    share_of_floor: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(args: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own programs
        args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not start: {args}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _login(base: str, employee_no: str) -> str:
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        page = client.get("/login")
        token = CSRF_RE.search(page.text)
        assert token, "no CSRF token on /login"
        response = client.post(
            "/login",
            data={"csrf_token": token.group(1), "employee_no": employee_no, "password": PASSWORD},
        )
        assert response.status_code == 303, response.text[:300]
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(
    url: str, *, cookie: str | None, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    args = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"\s(50|99)%\s+([\d.]+(?:us|ms|s))", out))

    def pct(key: str) -> float:
        if key not in latency:
            return float("nan")
        number, unit = re.match(r"([\d.]+)(us|ms|s)", latency[key]).groups()  # type: ignore[union-attr]
        return _ms(number, unit)

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors:.*timeout (\d+)", out):
        errors += int(match.group(1))
    return rps, pct("50"), pct("99"), errors


@dataclass
class Slice:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _measure(
    label: str, url: str, cookie: str | None, floor_url: str, args: argparse.Namespace
) -> tuple[Result, list[Slice]]:
    """`rounds` slices of this page, each right after a slice of the floor page."""
    pages: list[Slice] = []
    floors: list[Slice] = []
    _wrk(url, cookie=cookie, seconds=1, connections=args.connections)  # warm up, not counted
    for _ in range(args.rounds):
        for target, page_cookie, into in ((floor_url, None, floors), (url, cookie, pages)):
            into.append(
                Slice(
                    *_wrk(
                        target,
                        cookie=page_cookie,
                        seconds=args.seconds,
                        connections=args.connections,
                    )
                )
            )
    shares = [
        p.requests_per_second / f.requests_per_second for p, f in zip(pages, floors, strict=True)
    ]
    result = Result(
        label,
        statistics.median(p.requests_per_second for p in pages),
        statistics.median(p.p50_ms for p in pages),
        statistics.median(p.p99_ms for p in pages),
        sum(p.errors for p in pages),
        statistics.median(shares),
    )
    return result, floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file made by benchmarks.generate")
    parser.add_argument("--seconds", type=int, default=4, help="length of one slice")
    parser.add_argument("--rounds", type=int, default=3, help="slices per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="measure only pages whose label contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = f"sqlite:///{os.path.abspath(args.db)}"
    ids = _prepare(create_app(Settings(database_url=url, secret_key="bench")))
    app_port, bare_port = _free_port(), _free_port()
    app_env = {"FRONTLINE_DATABASE_URL": url, "FRONTLINE_SECRET_KEY": "bench-secret"}
    workers = str(args.workers)
    frontline_cmd = [sys.executable, "-c", "from frontline.cli import main; main()", "serve"]
    frontline_cmd += ["--port", str(app_port)]
    bare_cmd = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port"]
    with (
        _server([*frontline_cmd, "--workers", workers], app_env, app_port) as app,
        _server(
            [*bare_cmd, str(bare_port), "--workers", workers, "--log-level", "warning"],
            {"BENCH_SQLITE": os.path.abspath(args.db), "BENCH_SECRET": "bench-secret"},
            bare_port,
        ) as bare,
    ):
        cookies = {role: _login(app, ids[role]) for role in ("hr", "supervisor", "employee")}
        floor_url = bare + "/fortunes"
        pages = [
            ("leanest signed-in page of the stack (bare_app)", bare + "/signed-in", "employee"),
            ("healthz", app + "/healthz", None),
            ("login page (anonymous)", app + "/login", None),
            ("home, employee", app + "/", "employee"),
            ("account, employee", app + "/account", "employee"),
            ("library, first page", app + "/standards", "employee"),
            ("library, text search", app + "/standards?q=%E8%81%94%E7%BD%91", "employee"),
            ("a standard version page", app + "/standards/GRT-01/v/2", "employee"),
            ("my list to acknowledge", app + "/acknowledgments", "employee"),
            ("home, supervisor", app + "/", "supervisor"),
            ("coverage report, supervisor", app + "/acknowledgments/report", "supervisor"),
            ("coverage report, HR (whole region)", app + "/acknowledgments/report", "hr"),
            (
                "coverage detail, HR (one standard)",
                app + f"/acknowledgments/report/{ids['version_id']}",
                "hr",
            ),
        ]
        results = []
        floor_slices: list[Slice] = []
        for label, page_url, role in pages:
            if args.only and args.only not in label:
                continue
            cookie = cookies[role] if role else None
            headers = {"Cookie": cookie} if cookie else {}
            # The first request may build a cached report: slow on a busy machine.
            status = httpx.get(page_url, headers=headers, timeout=60).status_code
            assert status == 200, f"{label}: {status}"
            result, floors = _measure(label, page_url, cookie, floor_url, args)
            results.append(result)
            floor_slices += floors
            print(f"  {label}: {result.requests_per_second:.0f} req/s", file=sys.stderr)
    floor = Result(
        "floor: bare FastAPI + Jinja2, 31 rows",
        statistics.median(f.requests_per_second for f in floor_slices),
        statistics.median(f.p50_ms for f in floor_slices),
        statistics.median(f.p99_ms for f in floor_slices),
        sum(f.errors for f in floor_slices),
        1.0,
    )
    print(f"{args.connections} connections, {args.seconds} s a page, {args.workers} workers each\n")
    print("| page | req/s | p50 ms | p99 ms | errors | × floor throughput |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in [floor, *results]:
        print(
            f"| {r.label} | {r.requests_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.errors} | {r.share_of_floor:.2f} |"
        )


if __name__ == "__main__":
    main()
