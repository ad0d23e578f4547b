"""Time Frontline's heavier pages against a "fortunes"-shaped floor page, in one process.

    python -m benchmarks.bench_pages --url sqlite:///bench.db [--runs 40]

Run benchmarks.generate on the URL first. Each page is requested through the ASGI test client
(no network, one worker), warmed up, then timed `runs` times; the table gives the median and
the ratio to the floor page measured in the same run, which is what stays comparable on a
shared, noisy machine. Results go to stdout as a Markdown table.
"""

import argparse
import statistics
import time
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from frontline.access import public
from frontline.app import create_app
from frontline.deps import SessionDep
from frontline.settings import Settings
from frontline.web import templates
from staff import passwords
from staff.models import Person, Role
from standards.models import Standard, StandardVersion
from tests.client import FrontlineClient

PASSWORD = "Bench-password-1"
FORTUNES = templates.env.from_string(
    "<!doctype html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
    "{% for p in rows %}<tr><td>{{ p.id }}</td><td>{{ p.name }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def _add_floor_page(app) -> None:  # type: ignore[no-untyped-def]
    @app.get("/bench/fortunes", dependencies=[public])
    def fortunes(request: Request, session: SessionDep) -> HTMLResponse:
        rows = session.exec(select(Person).order_by(Person.id).limit(31)).all()  # type: ignore[arg-type]
        return HTMLResponse(FORTUNES.render(rows=rows))


def _prepare(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Give three people a password; return their employee numbers by role, and ids to visit."""
    database = app.state.database
    with database.session() as session:
        hashed = passwords.hash_password(PASSWORD)
        hr = session.exec(select(Person).where(Person.employee_no == "P-HR")).first()
        if hr is None:
            session.add(Person(employee_no="P-HR", name="HR", role=Role.hr, password_hash=hashed))
        supervisor = session.exec(select(Person).where(Person.role == Role.supervisor)).first()
        employee = session.exec(
            select(Person).where(Person.role == Role.employee, Person.position == "teller")
        ).first()
        assert supervisor and employee, "run benchmarks.generate first"
        supervisor.password_hash = hashed
        employee.password_hash = hashed
        session.add_all([supervisor, employee])
        version_id = session.exec(
            select(StandardVersion.id)
            .join(Standard, Standard.current_version_id == StandardVersion.id)  # type: ignore[arg-type]
            .where(Standard.code == "GRT-01")
        ).one()
        return {
            "hr": "P-HR",
            "supervisor": supervisor.employee_no,
            "employee": employee.employee_no,
            "version_id": str(version_id),
        }


def _time(fetch: Callable[[], int], runs: int) -> float:
    for _ in range(3):
        assert fetch() == 200
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        status = fetch()
        samples.append(time.perf_counter() - started)
        assert status == 200
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    app = create_app(Settings(database_url=args.url, secret_key="bench"))
    _add_floor_page(app)
    ids = _prepare(app)
    clients = {}
    for role in ("hr", "supervisor", "employee"):
        client = FrontlineClient(app)
        client.__enter__()
        client.login(ids[role], PASSWORD)
        clients[role] = client
    anonymous = FrontlineClient(app)
    pages = [
        ("floor: fortunes (31 rows, Jinja2)", anonymous, "/bench/fortunes"),
        ("library, first page", clients["employee"], "/standards"),
        (
            "library, text search 联网核查",
            clients["employee"],
            "/standards?q=%E8%81%94%E7%BD%91%E6%A0%B8%E6%9F%A5",
        ),
        (
            "library, channel + position filter",
            clients["employee"],
            "/standards?channel=phone&position=call_agent",
        ),
        ("a standard version page", clients["employee"], "/standards/GRT-01/v/2"),
        ("my list to acknowledge", clients["employee"], "/acknowledgments"),
        ("coverage report, HR (whole region)", clients["hr"], "/acknowledgments/report"),
        (
            "coverage report, supervisor (own team)",
            clients["supervisor"],
            "/acknowledgments/report",
        ),
        (
            "coverage detail, HR (everyone, one standard)",
            clients["hr"],
            f"/acknowledgments/report/{ids['version_id']}",
        ),
    ]
    results = []
    for label, client, path in pages:
        results.append((label, _time(lambda c=client, p=path: c.get(p).status_code, args.runs)))
    floor = results[0][1]
    print("| page | median ms | × floor |\n|---|---:|---:|")
    for label, median in results:
        print(f"| {label} | {median:.1f} | {median / floor:.1f} |")


if __name__ == "__main__":
    main()
