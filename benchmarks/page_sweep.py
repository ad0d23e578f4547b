"""Find the slow pages no benchmark asks for: follow every link from the home page as an
employee, a supervisor and HR, and time each page in one process.

    python -m benchmarks.page_sweep --url sqlite:///bench.db [--pages 250] [--top 30]

Run benchmarks.generate on the URL first. Each role signs in (benchmarks.bench_pages gives
them a password), then pages are visited breadth first from `/` through the links they show,
at most two of each shape (`/audits/N`), up to `--pages` a role; each page is requested three
times through the ASGI test client and the fastest is kept. The test client adds a few
milliseconds a request and one process serves everything, so the figures only rank pages:
a page far above the others is worth a look (HR's list of every audit took 270 ms, found so).
Measure what you change through real servers (`serve_pages` and the like).
"""

import argparse
import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urljoin, urlparse

from benchmarks.bench_pages import PASSWORD, _prepare
from frontline.app import create_app
from frontline.settings import Settings
from tests.client import FrontlineClient

ROLES = ("employee", "supervisor", "hr")
# Downloads, sign-out, the API and language switches are not pages to rank.
SKIP = ("/logout", "/static", ".csv", ".xlsx", ".yaml", ".pdf", "/export", "/api/", "/openapi")
SKIP_QUERY = ("lang=",)
LINK = re.compile(r'href="([^"#]+)')
SAME_SHAPE = 2


def _links(path: str, html: str) -> Iterator[str]:
    for href in LINK.findall(html):
        target = urlparse(urljoin(path, href.replace("&amp;", "&")))
        if target.netloc or any(part in target.path for part in SKIP):
            continue
        if any(part in target.query for part in SKIP_QUERY):
            continue
        yield target.path + (f"?{target.query}" if target.query else "")


def _fastest(client: FrontlineClient, path: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def sweep(client: FrontlineClient, *, pages: int) -> list[tuple[float, str]]:
    """(ms, path) of each HTML page reached from `/`, as the client's user."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = deque(["/"])
    timed = []
    while queue and len(seen) < pages:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "N", path)
        shapes[shape] += 1
        if shapes[shape] > SAME_SHAPE:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        timed.append((_fastest(client, path), path))
        queue.extend(link for link in _links(path, response.text) if link not in seen)
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="database made by benchmarks.generate")
    parser.add_argument("--pages", type=int, default=250, help="pages visited a role, at most")
    parser.add_argument("--top", type=int, default=30, help="slowest pages listed")
    args = parser.parse_args()
    app = create_app(Settings(database_url=args.url, secret_key="bench"))
    employee_numbers = _prepare(app)
    found = []
    for role in ROLES:
        with FrontlineClient(app) as client:
            client.login(employee_numbers[role], PASSWORD)
            found += [(ms, role, path) for ms, path in sweep(client, pages=args.pages)]
    print(f"{len(found)} pages, slowest first (ms, fastest of three, test client)\n")
    print("| ms | role | page |\n|---:|---|---|")
    for ms, role, path in sorted(found, reverse=True)[: args.top]:
        print(f"| {ms:.1f} | {role} | `{path}` |")


if __name__ == "__main__":
    main()
