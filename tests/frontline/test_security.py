"""CSRF, same-origin checks, security headers and the CSP, for forms and htmx alike."""

import re

from frontline.security import CSRF_HEADER
from tests.factories import PASSWORD, make_person


def test_post_without_csrf_token_is_refused_and_changes_nothing(db, client):
    person = make_person(db)
    response = client.post("/login", data={"employee_no": person.employee_no, "password": PASSWORD})
    assert response.status_code == 403
    assert "expired" in response.text
    assert client.get("/").status_code == 303  # still not logged in


def test_post_with_wrong_csrf_token_is_refused(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    response = client.post("/logout", data={"csrf_token": "0" * 64})
    assert response.status_code == 403
    assert client.get("/").status_code == 200  # still logged in


def test_token_from_before_login_does_not_work_after_login(db, client):
    person = make_person(db)
    before = client.csrf_token()
    client.login(person.employee_no, PASSWORD)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 403


def test_htmx_requests_send_the_token_in_a_header(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    token = client.csrf_token("/")
    assert client.post("/logout", headers={"HX-Request": "true"}).status_code == 403
    ok = client.post("/logout", headers={"HX-Request": "true", CSRF_HEADER: token})
    assert ok.status_code == 204
    assert ok.headers["HX-Redirect"] == "/login"


def test_cross_site_posts_are_refused_even_with_a_token(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    token = client.csrf_token("/")
    evil_origin = client.post(
        "/logout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert evil_origin.status_code == 403
    cross_site = client.post(
        "/logout", data={"csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status_code == 403
    same = client.post(
        "/logout",
        data={"csrf_token": token},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 303


def test_security_headers_and_csp_on_pages_and_errors(client):
    for path in ("/login", "/does-not-exist", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(db, client):
    admin = make_person(db, role=__import__("staff.models").models.Role.admin)
    client.login(admin.employee_no, PASSWORD)
    for path in ("/", "/people", "/org", "/account", "/audit-trail", "/people-import"):
        html = client.get(path).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert "<style" not in html and " style=" not in html, path
        assert " onclick=" not in html and "hx-on" not in html, path


def test_anonymous_csrf_cookie_is_httponly(client):
    cookie = client.get("/login").headers["set-cookie"]
    assert "frontline_anon=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_author_markdown_is_sanitised():
    from frontline.markdown import render

    html = str(
        render(
            "**粗体**\n<script>alert(1)</script>\n"
            "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
    )
    assert "<strong>粗体</strong>" in html
    # Raw HTML is shown as text, never as tags; javascript: links are not links.
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_unexpected_errors_get_a_friendly_page_in_the_users_language(app):
    from frontline.access import public
    from tests.client import FrontlineClient

    @app.get("/boom", dependencies=[public])
    def boom() -> None:
        raise RuntimeError("kaboom")

    with FrontlineClient(app, raise_server_exceptions=False) as c:
        english = c.get("/boom")
        chinese = c.get("/boom", headers={"Accept-Language": "zh-CN"})
    assert english.status_code == 500 and "Something went wrong" in english.text
    assert "kaboom" not in english.text
    assert chinese.status_code == 500 and '<html lang="zh-CN"' in chinese.text
