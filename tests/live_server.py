"""`frontline serve` in a child process, for tests that need a real server: the browser
tests' demo bank and the roster upload that must not block /healthz."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30.0

# The `frontline` command, run with the suite's cheap argon2 parameters: the demo load hashes a
# password per person and every browser test logs in. Production hashing is unaffected.
FRONTLINE_COMMAND = [
    sys.executable,
    "-c",
    "from tests.cheap_passwords import use_cheap_passwords; use_cheap_passwords(); "
    "from frontline.cli import main; main()",
]


class ServerFailed(RuntimeError):
    """The server did not start, or its command failed; the message carries its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def environment(*, database_url: str, secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "FRONTLINE_DATABASE_URL": database_url,
        "FRONTLINE_SECRET_KEY": secret_key,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }


def run_frontline(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [*FRONTLINE_COMMAND, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def serving(*, env: dict[str, str], cwd: Path) -> Iterator[str]:
    """`frontline serve` on a free port until the block ends; yields its base URL once
    /healthz answers, raises ServerFailed with the server's log if it never does."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = cwd / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own CLI
            [*FRONTLINE_COMMAND, "serve", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise ServerFailed(
                    f"`frontline serve` did not answer /healthz within {START_TIMEOUT}s:\n"
                    + log_path.read_text()
                )
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
