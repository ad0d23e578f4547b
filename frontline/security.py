"""Security that applies to every route: headers, CSP, same-origin checks and CSRF tokens.

The CSRF token is a synchronizer token derived from the session cookie with the secret key
(HMAC), so it is tied to the session, changes when the session is rotated at login, and
needs no database read to check. Before login it is tied to a random anonymous cookie.
"""

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontline.i18n import pick_locale

SESSION_COOKIE = "frontline_session"
ANON_COOKIE = "frontline_anon"
LANG_COOKIE = "frontline_lang"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def csrf_token_for(seed: str, *, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{seed}".encode(), hashlib.sha256).hexdigest()


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class SecurityMiddleware:
    """Headers on every response; same-origin check and CSRF seed on every request."""

    def __init__(self, app: ASGIApp, *, secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        https = scope.get("scheme") == "https"
        new_anon = None
        seed = cookies.get(SESSION_COOKIE) or cookies.get(ANON_COOKIE)
        if not seed:
            seed = new_anon = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf_token_for(seed, secret_key=self.secret_key)
        state["locale"] = pick_locale(
            user_locale=None,
            cookie=cookies.get(LANG_COOKIE),
            accept_language=_header(scope, b"accept-language"),
        )
        state["https"] = https

        if scope["method"] in UNSAFE_METHODS and not self._same_origin(scope):
            await self._forbid(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault(
                    "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
                )
                if https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
                if new_anon:
                    secure = "; Secure" if https else ""
                    headers.append(
                        "Set-Cookie",
                        f"{ANON_COOKIE}={new_anon}; Path=/; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _same_origin(scope: Scope) -> bool:
        """Browsers say where a request came from; refuse cross-site state changes outright."""
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site and fetch_site not in ("same-origin", "none"):
            return False
        origin = _header(scope, b"origin")
        if origin and origin != "null":
            host = _header(scope, b"host") or ""
            scheme = scope.get("scheme", "http")
            return origin == f"{scheme}://{host}"
        return origin != "null"

    @staticmethod
    async def _forbid(send: Send) -> None:
        body = b"Cross-site request refused."
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: every unsafe request carries this session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.state.csrf_token
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="csrf")
