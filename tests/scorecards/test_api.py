"""The JSON API and its tokens: created once (page and command line), only a hash stored,
last use shown, revoked or wrong-scope tokens refused, never logged; errors are JSON."""

import logging
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from frontline.cli import main
from frontline.models import utcnow
from scorecards import tokens
from scorecards.models import ApiToken
from tests.client import FrontlineClient
from tests.factories import PASSWORD
from tests.scorecards import dataset

SECRET_RE = re.compile(r'<code id="api-token-value"[^>]*>(flt_[A-Za-z0-9_-]+)</code>')


@pytest.fixture
def bank(db):
    return dataset.build(db)


@pytest.fixture
def admin(app, bank):
    with FrontlineClient(app) as c:
        c.login(bank.admin.employee_no, PASSWORD)
        yield c


def _create(admin, name="HR 系统"):
    return _create_with(admin, {"name": name})


def _create_with(admin, form):
    response = admin.submit("/admin/api-tokens", form, token_page="/admin/api-tokens")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    match = SECRET_RE.search(response.text)
    assert match
    return match.group(1)


INVALID_CHALLENGE = 'Bearer realm="frontline", error="invalid_token"'


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_token_life_cycle(app, db, admin):
    secret = _create(admin)
    with db.session() as session:
        (stored,) = session.exec(select(ApiToken)).all()
        assert stored.token_hash == tokens.hash_token(secret) and secret not in stored.token_hash
        assert stored.prefix == secret[:12] and stored.last_used_at is None
    listing = admin.get("/admin/api-tokens")
    assert secret not in listing.text  # shown once, never again
    assert secret[:12] in listing.text and "Never" in listing.text

    with FrontlineClient(app) as hr_system:
        answer = hr_system.get(
            "/api/v1/scorecards/E0001", params=dataset.PERIOD, headers=_bearer(secret)
        )
        assert answer.status_code == 200
        assert answer.json()["acknowledgments"] == {"due": 2, "acknowledged": 2, "outstanding": 0}
        assert "Never" not in admin.get("/admin/api-tokens").text  # last use shown

        token_id = stored.id
        revoke = admin.submit(
            f"/admin/api-tokens/{token_id}/revoke", token_page="/admin/api-tokens"
        )
        assert revoke.status_code == 303
        refused = hr_system.get("/api/v1/scorecards", headers=_bearer(secret))
        assert refused.status_code == 401 and refused.json() == {"error": "invalid_token"}
        assert refused.headers["www-authenticate"] == INVALID_CHALLENGE
    again = admin.submit(f"/admin/api-tokens/{token_id}/revoke", token_page="/admin/api-tokens")
    assert again.status_code == 409
    with db.session() as session:
        actions = session.exec(
            select(AuditTrailEvent.action).where(AuditTrailEvent.target_type == "api_token")
        ).all()
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]


def test_a_token_of_another_scope_is_refused(app, db, bank):
    with db.session() as session:
        issued = tokens.create_token(session, name="other", actor_id=None, scope="audits:read")
    with FrontlineClient(app) as c:
        answer = c.get("/api/v1/scorecards", headers=_bearer(issued.secret))
    assert answer.status_code == 403
    assert answer.json() == {"error": "insufficient_scope"}
    assert answer.headers["www-authenticate"] == (
        'Bearer realm="frontline", error="insufficient_scope", scope="scorecards:read"'
    )


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Basic abc", "Token flt_x"])
def test_a_request_without_a_bearer_token_gets_a_plain_challenge(app, bank, header):
    with FrontlineClient(app) as c:
        answer = c.get("/api/v1/scorecards", headers={"Authorization": header} if header else {})
    assert answer.status_code == 401
    assert answer.json() == {"error": "not_authenticated"}
    # RFC 6750 3.1: no error code when the request carried no token at all.
    assert answer.headers["www-authenticate"] == 'Bearer realm="frontline"'


@pytest.mark.parametrize("secret", ["flt_wrong", "nonsense", "x" * 5000, "flt_" + "a" * 43])
def test_a_wrong_token_gets_invalid_token(app, bank, secret):
    with FrontlineClient(app) as c:
        for path in ("/api/v1/scorecards", "/api/v1/scorecards/E0001"):
            answer = c.get(path, headers=_bearer(secret))
            assert answer.status_code == 401
            assert answer.json() == {"error": "invalid_token"}
            assert answer.headers["www-authenticate"] == INVALID_CHALLENGE


def test_an_expired_token_gets_invalid_token(app, db, bank):
    with db.session() as session:
        issued = tokens.create_token(session, name="t", actor_id=None, valid_days=1)
        token_id = issued.token.id
    with FrontlineClient(app) as c:
        assert c.get("/api/v1/scorecards", headers=_bearer(issued.secret)).status_code == 200
        with db.session() as session:
            stored = session.get(ApiToken, token_id)
            stored.expires_at = utcnow() - timedelta(seconds=1)
            session.add(stored)
        answer = c.get("/api/v1/scorecards/E0001", headers=_bearer(issued.secret))
    assert answer.status_code == 401
    assert answer.json() == {"error": "invalid_token"}
    assert answer.headers["www-authenticate"] == INVALID_CHALLENGE


def test_an_admin_gives_a_token_an_end_date(admin, db):
    secret = _create_with(admin, {"name": "payroll", "days": "30"})
    with db.session() as session:
        token = tokens.find_live(session, secret=secret)
        assert token is not None and token.expires_at is not None
        assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    assert "Expires" in admin.get("/admin/api-tokens").text
    for days in ("0", "3651", "soon"):
        refused = admin.submit(
            "/admin/api-tokens", {"name": "x", "days": days}, token_page="/admin/api-tokens"
        )
        assert refused.status_code == 400 and "field-error" in refused.text, days


def test_a_signed_in_session_does_not_open_the_api(admin):
    assert admin.get("/api/v1/scorecards").status_code == 401


def test_bad_filters_are_json_400(app, db, bank):
    with db.session() as session:
        secret = tokens.create_token(session, name="t", actor_id=None).secret
    with FrontlineClient(app) as c:
        for params in ({"period": "soon"}, {"page": "0"}, {"per_page": "501"}, {"team": "x"}):
            answer = c.get("/api/v1/scorecards", params=params, headers=_bearer(secret))
            assert answer.status_code == 400, params
            assert "error" in answer.json()
        missing = c.get("/api/v1/scorecards/NOBODY", headers=_bearer(secret))
        assert missing.status_code == 404 and missing.json() == {"error": "not_found"}
        # HR and admins have no scorecard (no team): not found either.
        assert c.get("/api/v1/scorecards/H0001", headers=_bearer(secret)).status_code == 404


def test_pages_and_filters(app, db, bank):
    with db.session() as session:
        secret = tokens.create_token(session, name="t", actor_id=None).secret
    with FrontlineClient(app) as c:
        first = c.get("/api/v1/scorecards", params={"per_page": 4}, headers=_bearer(secret)).json()
        second = c.get(
            "/api/v1/scorecards", params={"per_page": 4, "page": 2}, headers=_bearer(secret)
        ).json()
        team = c.get(
            "/api/v1/scorecards", params={"team": bank.t2.id}, headers=_bearer(secret)
        ).json()
    assert first["total"] == 6 and first["pages"] == 2
    numbers = [i["employee_no"] for i in first["items"] + second["items"]]
    assert len(numbers) == len(set(numbers)) == 6
    assert [i["employee_no"] for i in team["items"]] == ["E0003"]


def test_tokens_never_reach_the_logs(app, db, bank, caplog):
    caplog.set_level(logging.DEBUG)
    with db.session() as session:
        secret = tokens.create_token(session, name="t", actor_id=None).secret
    with FrontlineClient(app, raise_server_exceptions=False) as c:
        c.get("/api/v1/scorecards", headers=_bearer(secret))
        c.get("/api/v1/scorecards", headers=_bearer(secret + "x"))
        c.get("/api/v1/scorecards/%00", headers=_bearer(secret))
    assert caplog.records  # something was logged, so the check below can fail
    assert not any(secret in record.getMessage() for record in caplog.records)


def test_the_command_line_prints_the_token_once(database_url, monkeypatch, db):
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    from frontline.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["api-tokens", "create", "--name", "payroll"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("flt_")
    with db.session() as session:
        assert tokens.find_live(session, secret=secret) is not None
    timed = CliRunner().invoke(main, ["api-tokens", "create", "--name", "p", "--days", "7"])
    assert timed.exit_code == 0, timed.output
    assert "It expires at" in timed.stderr
    with db.session() as session:
        token = tokens.find_live(session, secret=timed.stdout.strip().splitlines()[-1])
        assert token is not None and token.expires_at is not None
    blank = CliRunner().invoke(main, ["api-tokens", "create", "--name", "  "])
    assert blank.exit_code != 0
    never = CliRunner().invoke(main, ["api-tokens", "create", "--name", "p", "--days", "0"])
    assert never.exit_code != 0


def test_only_admins_manage_tokens(app, bank):
    for person in (bank.hr, bank.supervisor, bank.jia):
        with FrontlineClient(app) as c:
            c.login(person.employee_no, PASSWORD)
            assert c.get("/admin/api-tokens").status_code == 403
            posted = c.submit("/admin/api-tokens", {"name": "mine"}, token_page="/")
            assert posted.status_code == 403


def test_the_openapi_document_describes_the_api_with_examples(app, bank):
    with FrontlineClient(app) as c:
        document = c.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert set(paths) == {"/api/v1/scorecards", "/api/v1/scorecards/{employee_no}"}
    listing = paths["/api/v1/scorecards"]["get"]
    assert {"401", "403", "400"} <= set(listing["responses"])
    params = {p["name"] for p in listing["parameters"]}
    assert {"period", "start", "end", "branch", "team", "page", "per_page"} <= params
    schema = document["components"]["schemas"]["ScorecardOut"]
    assert schema["examples"][0]["employee_no"] == "E1001"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_an_admin_with_an_empty_name_gets_the_form_back(admin):
    response = admin.submit("/admin/api-tokens", {"name": "  "}, token_page="/admin/api-tokens")
    assert response.status_code == 400
    assert "field-error" in response.text
