"""The shell knows the domains only through frontline.domains: it imports none of them, and a
domain declared in a test is picked up everywhere (routes, header, home panel, template
globals, tables, commands, events) without touching the shell."""

import ast
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from frontline import domains
from frontline.app import create_app
from frontline.models_registry import import_all_models
from frontline.settings import ROOT, Settings
from frontline.web import templates
from staff.models import Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person, make_standard

SHELL = [*sorted((ROOT / "frontline").rglob("*.py")), ROOT / "migrations" / "env.py"]


def _domain_packages() -> set[str]:
    """Every top-level package that declares itself (has a domain.py), listed or not."""
    return {path.parent.name for path in ROOT.glob("*/domain.py")} | set(domains.DOMAINS)


def domain_imports(source: str, packages: set[str]) -> list[str]:
    """Modules of `packages` that this source imports, at module level or inside functions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in packages]
    return found


def test_the_shell_imports_no_domain_module():
    packages = _domain_packages()
    assert {"staff", "standards"} <= packages
    offenders = {
        str(path.relative_to(ROOT)): imports
        for path in SHELL
        if (imports := domain_imports(path.read_text(encoding="utf-8"), packages))
    }
    assert offenders == {}


def test_the_import_check_can_fail():
    source = "import os\ndef f():\n    from standards.views import router\nimport staff.models\n"
    assert sorted(domain_imports(source, {"staff", "standards"})) == [
        "staff.models",
        "standards.views",
    ]


def test_base_html_names_no_domain():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    for word in ("standards", "acknowledg", "people", "/org", "audit-trail"):
        assert word not in base


def test_domain_template_globals_live_under_the_domain_name(app):
    assert "status_labels" not in templates.env.globals
    assert "status_labels" in templates.env.globals["standards"]
    assert "role_labels" in templates.env.globals["staff"]


# ---- a domain declared by the test ------------------------------------------------------------

KIOSK_DOMAIN = '''
    import click
    from fastapi import APIRouter, Request
    from fastapi.responses import Response

    from frontline.domains import Domain, NavEntry
    from frontline.events import subscription
    from frontline.home import Panel
    from frontline.web import render
    from staff.dependencies import CurrentUser
    from standards.events import StandardVersionPublished

    router = APIRouter()
    HEARD = []


    @router.get("/kiosk")
    def kiosk_page(request: Request, user: CurrentUser) -> Response:
        return render(request, "kiosk/page.html")


    def kiosk_panel(session, user):
        return Panel("kiosk/_panel.html", {"name": user.name}, order=1)


    def on_published(session, event):
        HEARD.append(event.code)


    @click.command("kiosk-hello")
    def hello():
        """Say hello from the kiosk."""


    domain = Domain(
        name="kiosk",
        routers=(router,),
        model_modules=("kiosk.models",),
        cli_commands=(hello,),
        nav=(
            NavEntry(label="Kiosk", href="/kiosk", order=15, roles=frozenset({"hr", "admin"})),
            NavEntry(label="Kiosk setup", href="/kiosk/setup", order=1, menu="manage",
                     roles=frozenset({"admin"})),
        ),
        home_panels=(kiosk_panel,),
        template_globals={"motto": "Serve with a smile"},
        subscriptions=(subscription(StandardVersionPublished, on_published),),
        stylesheets=("/static/css/kiosk.css",),
    )
'''
KIOSK_TEMPLATES = {
    "kiosk/page.html": '{% extends "base.html" %}{% block title %}Kiosk{% endblock %}'
    "{% block content %}<h1>{{ kiosk.motto }}</h1>{% endblock %}",
    "kiosk/_panel.html": '<article class="kiosk-panel">Kiosk for {{ ctx.name }}</article>',
}


@pytest.fixture
def kiosk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    package = tmp_path / "kiosk"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("LOADED = True\n")
    (package / "domain.py").write_text(textwrap.dedent(KIOSK_DOMAIN))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(domains, "DOMAINS", (*domains.DOMAINS, "kiosk"))
    monkeypatch.setattr(
        templates.env, "loader", ChoiceLoader([DictLoader(KIOSK_TEMPLATES), templates.env.loader])
    )
    domains.installed.cache_clear()
    yield
    domains.installed.cache_clear()  # the next caller loads the real list again
    templates.env.globals.pop("kiosk", None)
    for name in [name for name in sys.modules if name.split(".")[0] == "kiosk"]:
        del sys.modules[name]


@pytest.fixture
def kiosk_client(kiosk: None, settings: Settings) -> Iterator[FrontlineClient]:
    app = create_app(settings)
    with FrontlineClient(app) as c:
        yield c
    app.state.database.dispose()


def test_a_declared_domain_gets_its_page_header_link_panel_and_globals(kiosk_client):
    database = kiosk_client.app.state.database  # type: ignore[attr-defined]
    hr = make_person(database, role=Role.hr, name="人事")
    kiosk_client.login(hr.employee_no, PASSWORD)
    page = kiosk_client.get("/kiosk")
    assert page.status_code == 200
    assert "<h1>Serve with a smile</h1>" in page.text
    assert '<a href="/kiosk" aria-current="page">Kiosk</a>' in page.text
    assert '<link rel="stylesheet" href="/static/css/kiosk.css">' in page.text
    assert "/kiosk/setup" not in page.text  # the admin's menu entry
    home = kiosk_client.get("/").text
    assert "Kiosk for 人事" in home
    # Ordered among the other domains' links: after Standards (10), before To acknowledge (20).
    assert home.index('href="/standards"') < home.index('href="/kiosk"')
    assert home.index('href="/kiosk"') < home.index('href="/training"')


def test_a_declared_domain_link_is_shown_only_to_its_roles(kiosk_client):
    database = kiosk_client.app.state.database  # type: ignore[attr-defined]
    employee = make_person(database, role=Role.employee)
    kiosk_client.login(employee.employee_no, PASSWORD)
    home = kiosk_client.get("/").text
    assert 'href="/kiosk"' not in home
    assert "Kiosk for" in home  # its panel asks no role


def test_a_declared_domain_in_the_admins_manage_menu(kiosk_client):
    database = kiosk_client.app.state.database  # type: ignore[attr-defined]
    admin = make_person(database, role=Role.admin)
    kiosk_client.login(admin.employee_no, PASSWORD)
    home = kiosk_client.get("/").text
    menu = home[home.index('class="dropdown nav-menu nav-manage"') :]
    assert menu.index('href="/kiosk/setup"') < menu.index('href="/people-import"')


def test_a_declared_domain_subscribes_tables_and_commands(kiosk_client):
    from frontline import cli

    database = kiosk_client.app.state.database  # type: ignore[attr-defined]
    make_standard(database, code="KSK-01")  # published by the standards service
    assert sys.modules["kiosk.domain"].HEARD == ["KSK-01"]
    import_all_models()
    assert sys.modules["kiosk.models"].LOADED
    commands = dict(cli.main.commands)
    try:
        cli._register_domain_commands()
        assert "kiosk-hello" in cli.main.commands
    finally:
        cli.main.commands = commands
