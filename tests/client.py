"""A test client that behaves like a browser: it carries the CSRF token and can log in."""

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
OPENED_AT_RE = re.compile(r'name="opened_at" value="([^"]+)"')


class FrontlineClient(TestClient):
    def __init__(self, app: Any, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", "http://testserver")
        kwargs.setdefault("follow_redirects", False)
        super().__init__(app, **kwargs)

    def csrf_token(self, page: str = "/login") -> str:
        response = self.get(page, follow_redirects=True)
        match = CSRF_RE.search(response.text)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Response:
        """POST a form the way the page would, with this session's CSRF token."""
        form = {"csrf_token": self.csrf_token(kwargs.pop("token_page", "/login")), **(data or {})}
        return self.post(url, data=form, **kwargs)

    def acknowledge(self, page: str, **kwargs: Any) -> Response:
        """Open a standard's version page and confirm at its end, as a reader would: the
        form carries the page's signed opening time (and, with JavaScript, the reach time)."""
        html = self.get(page).text
        match = OPENED_AT_RE.search(html)
        assert match, f"no acknowledge form on {page}"
        data = {"opened_at": match.group(1), **kwargs.pop("data", {})}
        return self.submit(page + "/acknowledge", data, token_page=page, **kwargs)

    def login(self, employee_no: str, password: str) -> Response:
        response = self.submit("/login", {"employee_no": employee_no, "password": password})
        assert response.status_code == 303, response.text[:500]
        return response
