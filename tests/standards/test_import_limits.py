"""A standards file cannot hurt the server: bombs, deep nesting, odd characters and huge numbers
get a short 400 page (or exit 1 on the command line), and parsing never holds the event loop."""

import threading

import pytest
from click.testing import CliRunner

from frontline import cli
from frontline import settings as settings_module
from staff.models import Role
from standards import library_file
from standards.library_file.reader import MAX_DEPTH
from tests.factories import PASSWORD, make_person
from tests.standards.test_library_file import library, row_counts, standard_yaml

# The classic "billion laughs": nine levels of nine aliases, 9**9 strings once expanded.
LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = 'format: *i\na: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
BOMB = BOMB.replace("format: *i\n", "") + LAUGHS + "format: *i\nstandards: *i\n"


def _bad_files() -> list[tuple[str, str, str]]:
    """(test id, file text, part of the message it must get)."""
    return [
        ("alias-bomb", BOMB, "values once its aliases are expanded"),
        (  # libyaml stops at its own limit; "nest" is in both its words and ours
            "1000-levels",
            "format: frontline-standards/1\nstandards: " + "[" * 1000 + "]" * 1000 + "\n",
            "nest",
        ),
        (
            "30-levels",
            "format: frontline-standards/1\nstandards: " + "[" * 30 + "]" * 30 + "\n",
            f"Lists and mappings are nested more than {MAX_DEPTH} levels deep",
        ),
        (
            "escaped-nul",
            library(standard_yaml(versions=[{"title_zh": '"柜面\\0迎客"'}])),
            "control characters (here U+0000)",
        ),
        (
            "escaped-escape",
            library(standard_yaml(versions=[{"title_en": '"Greeting\\e[31m"'}])),
            "control characters (here U+001B)",
        ),
        (
            "raw-bell",
            library(standard_yaml(versions=[{"title_en": "Greeting\x07"}])),
            "This is not valid YAML: control characters are not allowed",
        ),
        (
            "lone-surrogate",
            library(standard_yaml(versions=[{"title_en": '"\\ud800"'}])),
            "invalid Unicode character escape",
        ),
        (
            "5000-digit-number",
            library(standard_yaml(versions=[{"version": "1" * 5000}])),
            "A number may have at most 100 digits (this one has 5000)",
        ),
        (
            "impossible-date",
            library(standard_yaml(versions=[{"effective_date": "2025-02-30"}])),
            "effective_date: 2025-02-30 is not a date",
        ),
        (
            "unreadable-float",
            library(standard_yaml(versions=[{"severity": "!!float abc"}])),
            "abc cannot be read as float",
        ),
        (
            "alias-inside-itself",
            "format: frontline-standards/1\nstandards: &s [*s]\n",
            "refers to the list or mapping it is in",
        ),
        (
            "too-many-aliases",
            "x: &x 1\nformat: frontline-standards/1\nstandards: [" + "*x, " * 101 + "]\n",
            "more than 100 aliases",
        ),
    ]


CASES = [pytest.param(body, expected, id=name) for name, body, expected in _bad_files()]


def _author(db, client) -> None:  # type: ignore[no-untyped-def]
    author = make_person(db, role=Role.author)
    client.login(author.employee_no, PASSWORD)


def _upload(client, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/standards/import",
        data={"csrf_token": client.csrf_token("/standards/import")},
        files={"file": ("library.yaml", data, "application/yaml")},
    )


def test_the_bomb_is_the_classic_size():
    assert len(BOMB.encode()) < 450


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_a_hostile_file_gets_a_short_400_page(db, client, body, expected):
    _author(db, client)
    before = row_counts(db)
    response = _upload(client, body.encode())
    assert response.status_code == 400
    assert len(response.content) < 50_000
    assert expected in response.text
    assert row_counts(db)[:2] == before[:2]
    applied = client.submit(
        "/standards/import/apply", {"yaml_text": body}, token_page="/standards/import"
    )
    # The shell refuses a form with raw control characters before this route sees it.
    assert applied.status_code == 400 and len(applied.content) < 50_000
    assert expected in applied.text or "control characters" in applied.text


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_a_hostile_file_on_the_command_line_exits_1_with_a_message(cli_env, db, body, expected):
    path = cli_env / "hostile.yaml"
    path.write_text(body, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(cli.main, ["standards", "import", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert expected in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr) < 10_000


def test_a_file_over_the_library_cap_is_refused(app, db, client, cli_env, monkeypatch):
    _author(db, client)
    app.state.settings.max_library_bytes = 2048
    big = library(standard_yaml(versions=[{"body_zh": "长" * 1000}]))
    response = _upload(client, big.encode())
    assert response.status_code == 400 and "The file is larger than 2 KB." in response.text
    applied = client.submit(
        "/standards/import/apply", {"yaml_text": big}, token_page="/standards/import"
    )
    assert applied.status_code == 400 and "The file is larger than 2 KB." in applied.text

    monkeypatch.setenv("FRONTLINE_MAX_LIBRARY_BYTES", "2048")
    settings_module.get_settings.cache_clear()
    path = cli_env / "big.yaml"
    path.write_text(big, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["standards", "import", str(path)])
    assert result.exit_code == 1 and "The file is larger than 2 KB." in result.stderr


def test_long_values_are_cut_short_in_messages(db, client):
    _author(db, client)
    long_status = "x" * 5000
    body = library(standard_yaml(versions=[{"status": long_status}]))
    response = _upload(client, body.encode())
    assert response.status_code == 400
    assert f"status: {'x' * 40}… is not a status" in response.text
    assert "x" * 41 not in response.text


def test_at_most_100_problems_are_listed_and_the_rest_counted(db, client):
    _author(db, client)
    body = library(*(standard_yaml(f"GRT-{n:03d}", kind="poem") for n in range(150)))
    response = _upload(client, body.encode())
    assert response.status_code == 400
    assert response.text.count("is not a kind of standard") == 100
    assert "…and 50 more problems not listed." in response.text

    specs, errors = library_file.parse_library(body)
    assert specs == [] and len(errors) == 150  # the service keeps them all; pages cut


def test_the_server_answers_while_a_file_is_parsed(db, client, monkeypatch):
    """Parsing runs in the thread pool: /healthz is answered while an upload is being parsed."""
    _author(db, client)
    parsing, answered = threading.Event(), threading.Event()
    seen: dict[str, object] = {}
    real_parse = library_file.parse_library

    def slow_parse(text: str):  # type: ignore[no-untyped-def]
        parsing.set()
        # On the event loop this wait would hold /healthz until it times out.
        seen["answered_meanwhile"] = answered.wait(timeout=15)
        return real_parse(text)

    monkeypatch.setattr(library_file, "parse_library", slow_parse)
    token = client.csrf_token("/standards/import")
    upload = threading.Thread(
        target=lambda: seen.update(
            response=client.post(
                "/standards/import",
                data={"csrf_token": token},
                files={"file": ("l.yaml", library(standard_yaml()).encode(), "application/yaml")},
            )
        )
    )
    upload.start()
    assert parsing.wait(timeout=15)
    health = client.get("/healthz")
    answered.set()
    upload.join()
    assert health.status_code == 200
    assert seen["answered_meanwhile"] is True
    assert seen["response"].status_code == 200  # type: ignore[attr-defined]
