"""X-Forwarded-For counts only from configured proxies: the audit trail and the login
throttle see the real address of anyone else."""

import pytest
from click.testing import CliRunner
from pydantic import ValidationError
from sqlmodel import select

from frontline import cli
from frontline import settings as settings_module
from frontline.app import create_app
from frontline.audit_trail import AuditTrailEvent
from frontline.proxies import client_address, parse_networks
from frontline.settings import Settings
from tests.client import FrontlineClient
from tests.factories import make_person

ATTACKER = "203.0.113.9"
PROXY = "10.0.0.2"


def _failed_login(c: FrontlineClient, employee_no: str, forwarded_for: str) -> int:
    token = c.csrf_token()
    response = c.post(
        "/login",
        data={"csrf_token": token, "employee_no": employee_no, "password": "wrong-password-1"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


def _audit_ips(db) -> list[str]:
    with db.session() as session:
        events = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "login.failed")
        ).all()
        return [event.ip for event in events]


@pytest.fixture
def proxied_app(settings):
    app = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/8, ::1"}))
    yield app
    app.state.database.dispose()


def test_a_spoofed_header_from_a_client_is_ignored_by_audit_trail_and_throttle(app, db):
    person = make_person(db)
    with FrontlineClient(app, client=(ATTACKER, 4000)) as c:
        statuses = [_failed_login(c, person.employee_no, f"198.51.100.{n}") for n in range(6)]
    # Five free failures per account and address, then a wait: the made-up addresses
    # did not make each try look like a new address.
    assert statuses == [401] * 5 + [429]
    assert set(_audit_ips(db)) == {ATTACKER}


def test_a_client_outside_the_trusted_proxies_is_not_believed_either(proxied_app):
    db = proxied_app.state.database
    person = make_person(db)
    with FrontlineClient(proxied_app, client=(ATTACKER, 4000)) as c:
        _failed_login(c, person.employee_no, "198.51.100.1")
    assert _audit_ips(db) == [ATTACKER]


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_counts(proxied_app):
    db = proxied_app.state.database
    person = make_person(db)
    with FrontlineClient(proxied_app, client=(PROXY, 4000)) as c:
        # The client made up the first hop; our proxies appended the real one and themselves.
        _failed_login(c, person.employee_no, "1.1.1.1, 198.51.100.7, 10.0.0.3")
        assert c.get("/login", headers={"X-Forwarded-Proto": "https"}).headers[
            "Strict-Transport-Security"
        ]
    assert _audit_ips(db) == ["198.51.100.7"]


def test_client_address_rules():
    trusted = parse_networks("10.0.0.0/8,2001:db8::/32, 192.0.2.1")
    assert client_address(ATTACKER, ["1.2.3.4"], trusted) == ATTACKER
    assert client_address("10.1.1.1", [], trusted) == "10.1.1.1"
    assert client_address("10.1.1.1", ["1.2.3.4, 5.6.7.8"], trusted) == "5.6.7.8"
    assert client_address("10.1.1.1", ["1.2.3.4", "5.6.7.8:4430, 10.9.9.9"], trusted) == "5.6.7.8"
    assert client_address("192.0.2.1", ["[2001:db9::5]:80"], trusted) == "2001:db9::5"
    assert client_address("10.1.1.1", ["10.2.2.2, 10.3.3.3"], trusted) == "10.2.2.2"
    # A hop our own proxy wrote that is not an address: fall back to the proxy itself.
    assert client_address("10.1.1.1", ["1.2.3.4, <script>"], trusted) == "10.1.1.1"
    assert parse_networks("") == ()


def test_the_setting_is_validated_and_empty_by_default(monkeypatch):
    monkeypatch.delenv("FRONTLINE_TRUSTED_PROXIES", raising=False)
    assert Settings().trusted_proxies == ""
    monkeypatch.setenv("FRONTLINE_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    assert len(Settings().trusted_proxy_networks()) == 2
    monkeypatch.setenv("FRONTLINE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(ValidationError, match="addresses or CIDRs"):
        Settings()


def test_serve_leaves_forwarded_headers_to_the_app(tmp_path, monkeypatch):
    """uvicorn's own proxy handling believes any local client; it must stay off."""
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    calls: list[dict] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    try:
        runner = CliRunner()
        assert runner.invoke(cli.main, ["db", "upgrade"]).exit_code == 0
        result = runner.invoke(cli.main, ["serve"])
    finally:
        settings_module.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["proxy_headers"] is False
