"""Taking quizzes through real servers: starting an attempt, saving an answer, submitting,
each side by side with the bare floor page measured in the same run.

    python -m benchmarks.generate --url sqlite:////tmp/bench.db --staff 5000
    python -m benchmarks.serve_quizzes --db /tmp/bench.db [--seconds 10] [--connections 20]

Every request does the real work: each "start" is a (person, practice quiz) pair with no
open attempt, so it draws and stores a new attempt; each "submit" grades a different open
attempt; "save" keeps an answer on open attempts in turn. wrk sends them from a generated
Lua script that walks a table of (path, cookie, CSRF token) rows; the people are signed in
by sessions made directly in the database (no password hashing or login throttle involved).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlmodel import col, func, select

from benchmarks.serve_pages import Result, _free_port, _ms, _server, _wrk
from frontline.db import Database
from frontline.models import id_of
from frontline.security import SESSION_COOKIE, csrf_token_for
from quizzes import attempts
from quizzes.models import Attempt, Quiz, QuizPosition, Status
from staff import sessions
from staff.models import Person, Role
from staff.sessions import SessionPolicy

SECRET = "bench-secret"
POLICY = SessionPolicy(idle=timedelta(hours=8), absolute=timedelta(hours=8), secret_key=SECRET)


def _sign_in(database: Database, people: int) -> list[tuple[int, str, str, str]]:
    """(person id, position, cookie, csrf token) for front-line employees."""
    rows = []
    with database.session() as session:
        found = session.exec(
            select(Person)
            .where(Person.role == Role.employee)
            .order_by(col(Person.id))
            .limit(people)
        ).all()
        for person in found:
            token = sessions.start(
                session, person=person, policy=POLICY, ip="127.0.0.1", user_agent="wrk"
            )
            cookie = f"{SESSION_COOKIE}={token}"
            rows.append(
                (
                    id_of(person),
                    person.position.value if person.position else "",
                    cookie,
                    csrf_token_for(token, secret_key=SECRET),
                )
            )
    return rows


def _practice_quizzes(database: Database) -> dict[str, list[int]]:
    with database.session(write=False) as session:
        pairs = session.exec(
            select(QuizPosition.position, QuizPosition.quiz_id)
            .join(Quiz, col(Quiz.id) == QuizPosition.quiz_id)
            .where(Quiz.status == Status.published, col(Quiz.practice).is_(True))
        ).all()
    found: dict[str, list[int]] = {}
    for position, quiz_id in pairs:
        found.setdefault(position, []).append(quiz_id)
    return found


def _open_attempts(
    database: Database, signed: dict[int, tuple[str, str]]
) -> list[tuple[int, str, str]]:
    with database.session(write=False) as session:
        rows = session.exec(select(Attempt).where(col(Attempt.submitted_at).is_(None))).all()
    return [(id_of(a), *signed[a.person_id]) for a in rows if a.person_id in signed]


def _open_more(database: Database, quizzes: dict[str, list[int]], *, at_least: int) -> None:
    """Start practice attempts in-process until `at_least` are open."""
    with database.session() as session:
        open_now = session.exec(
            select(func.count()).select_from(Attempt).where(col(Attempt.submitted_at).is_(None))
        ).one()
        people = session.exec(
            select(Person).where(Person.role == Role.employee).order_by(col(Person.id))
        ).all()
        pairs = (
            (person, quiz_id)
            for person in people
            for quiz_id in quizzes.get(person.position.value if person.position else "", [])
        )
        for person, quiz_id in pairs:
            if open_now >= at_least:
                break
            if attempts.open_attempt(session, quiz_id=quiz_id, person_id=id_of(person)) is None:
                attempts.start_attempt(session, quiz_id=quiz_id, person=person, seed=open_now)
                open_now += 1


def _lua(data_file: str, threads: int) -> str:
    """A wrk script that POSTs the rows of a tab-separated file (path, cookie, CSRF token,
    body), each thread taking every `threads`-th row in turn. The rows are read from a file:
    as a Lua table literal, tens of thousands of them exceed LuaJIT's constant limit."""
    return f"""
local rows = {{}}
for line in io.lines("{data_file}") do
  local path, cookie, csrf, body = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)")
  rows[#rows + 1] = {{path, cookie, csrf, body}}
end
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  n = 0
end
function request()
  local row = rows[(n * {threads} + tid) % #rows + 1]
  n = n + 1
  return wrk.format("POST", row[1], {{
    ["Cookie"] = row[2], ["X-CSRF-Token"] = row[3], ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded"
  }}, row[4])
end
"""


def _wrk_script(
    url: str, script: str, *, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    """wrk with a Lua script; the same figures as serve_pages._wrk reads."""
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    args += ["--timeout", "5s", "--latency", "-s", script, url]
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {k: _ms(n, u) for k, n, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", out)}
    errors = sum(int(m) for m in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors += sum(int(m) for m in re.findall(r"Socket errors:.*timeout (\d+)", out))
    return rps, latency.get("50", float("nan")), latency.get("99", float("nan")), errors


def _run(
    label: str, base: str, rows: list[tuple[str, str, str, str]], args: argparse.Namespace
) -> Result:
    if not rows:
        sys.exit(f"{label}: nothing to request")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as data:
        data.write("".join("\t".join(row) + "\n" for row in rows))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(data.name, threads=min(2, args.connections)))
    try:
        rps, p50, p99, errors = _wrk_script(
            base + "/", script.name, seconds=args.seconds, connections=args.connections
        )
    finally:
        Path(script.name).unlink()
        Path(data.name).unlink()
    print(f"  {label}: {rps:.0f} req/s ({len(rows)} distinct requests)", file=sys.stderr)
    if rps * args.seconds > len(rows):
        # A start repeated resumes its open attempt, a submit repeated changes nothing: the
        # figure would flatter. More people (--people) give more distinct requests.
        print(f"  {label}: WARNING rows repeated, raise --people", file=sys.stderr)
    return Result(label, rps, p50, p99, errors, share_of_floor=float("nan"))  # set when printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file made by benchmarks.generate")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = f"sqlite:///{os.path.abspath(args.db)}"
    database = Database(url)
    people = _sign_in(database, args.people)
    quizzes = _practice_quizzes(database)
    starts = [
        (f"/quizzes/practice/{quiz_id}/start", cookie, csrf, "")
        for quiz_index in range(max((len(q) for q in quizzes.values()), default=0))
        for _, position, cookie, csrf in people
        if quiz_index < len(quizzes.get(position, []))
        for quiz_id in [quizzes[position][quiz_index]]
    ]
    app_port, bare_port = _free_port(), _free_port()
    app_env = {"FRONTLINE_DATABASE_URL": url, "FRONTLINE_SECRET_KEY": SECRET}
    frontline_cmd = [sys.executable, "-c", "from frontline.cli import main; main()", "serve"]
    bare_cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.bare_app:app",
        "--port",
        str(bare_port),
    ]
    workers = str(args.workers)
    with (
        _server(
            [*frontline_cmd, "--port", str(app_port), "--workers", workers], app_env, app_port
        ) as app,
        _server(
            [*bare_cmd, "--workers", workers, "--log-level", "warning"],
            {"BENCH_SQLITE": os.path.abspath(args.db)},
            bare_port,
        ) as bare,
    ):
        for warm in (bare + "/fortunes", app + "/login"):  # both measured warm
            _wrk(warm, cookie=None, seconds=2, connections=args.connections)
        rps, p50, p99, errors = _wrk(
            bare + "/fortunes", cookie=None, seconds=args.seconds, connections=args.connections
        )
        results = [Result("floor: bare FastAPI + Jinja2, 31 rows", rps, p50, p99, errors, 1.0)]
        results.append(_run("start an attempt (draw 10 questions, store them)", app, starts, args))
        signed = {pid: (cookie, csrf) for pid, _, cookie, csrf in people}
        # Every submit grades an attempt of its own: open more than the starts did.
        _open_more(database, quizzes, at_least=1_000 * args.seconds)
        opened = _open_attempts(database, signed)
        saves = [
            (f"/quizzes/attempts/{attempt_id}/items/{n}", cookie, csrf, f"q{n}-pick={n % 2}")
            for n in range(1, 11)
            for attempt_id, cookie, csrf in opened
        ]
        results.append(_run("save an answer (htmx)", app, saves, args))
        submits = [
            (f"/quizzes/attempts/{a}/submit", cookie, csrf, "") for a, cookie, csrf in opened
        ]
        results.append(_run("submit (grade 10 items, wrong-answer book)", app, submits, args))
    floor = results[0].requests_per_second
    print(f"{args.connections} connections, {args.seconds} s each, {args.workers} workers each\n")
    print("| request | req/s | p50 ms | p99 ms | errors | × floor throughput |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.label} | {r.requests_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.errors} | {r.requests_per_second / floor:.2f} |"
        )
    print(f"\nstarts available {len(starts)}, open attempts for saves/submits {len(opened)}")


if __name__ == "__main__":
    main()
