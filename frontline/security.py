"""Security that applies to every route: headers, CSP, same-origin checks and CSRF tokens.

The CSRF token is a synchronizer token derived from the session cookie with the secret key
(HMAC), so it is tied to the session, changes when the session is rotated at login, and
needs no database read to check. Before login it is tied to a random anonymous cookie.
"""

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontline.i18n import pick_locale
from frontline.proxies import Network, forwarded_scope

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


# Sent with every response unless the route set its own; bytes, made once.
HEADERS = [
    (name.lower().encode(), value.encode())
    for name, value in (
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    )
]
HSTS = (b"strict-transport-security", b"max-age=31536000")


def _cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies, read the way Starlette's Request reads them."""
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class SecurityMiddleware:
    """The app's one middleware of its own: the client behind trusted proxies
    (frontline.proxies), headers on every response, the same-origin check and the CSRF seed.
    One layer, because each layer of middleware costs time on every request."""

    def __init__(self, app: ASGIApp, *, secret_key: str, trusted: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.secret_key = secret_key
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(forwarded_scope(scope, self.trusted), receive, send)
            return
        scope = forwarded_scope(scope, self.trusted)
        cookies = _cookies(scope)
        https = scope.get("scheme") == "https"
        new_anon = None
        seed = cookies.get(SESSION_COOKIE) or cookies.get(ANON_COOKIE)
        if not seed:
            seed = secrets.token_urlsafe(32)
            # Not on a static file: a response shared caches may keep carries no cookie.
            new_anon = None if scope["path"].startswith("/static/") else seed
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
                headers = message["headers"] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [header for header in HEADERS if header[0] not in present]
                if https and HSTS[0] not in present:
                    headers.append(HSTS)
                if new_anon:
                    secure = "; Secure" if https else ""
                    cookie = f"{ANON_COOKIE}={new_anon}; Path=/; HttpOnly; SameSite=Lax{secure}"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
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
