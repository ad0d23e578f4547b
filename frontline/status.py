"""What just happened: a one-line message on the page an action redirects to.

The redirect carries `?done=<token>`: the name of a message defined here by a domain, its
values, and an HMAC with the app's secret. Only messages the server itself issued are shown,
so a crafted link cannot make the page say anything (no reflected text); reloading the page
shows the message again, which is harmless.
"""

import base64
import binascii
import hashlib
import hmac
import json
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import Request

from frontline.i18n import DEFAULT, translations

PARAM = "done"
MAX_TOKEN = 600

# name -> msgid with %(placeholders)s; filled by domains with define().
_MESSAGES: dict[str, str] = {}


def define(name: str, message: str) -> str:
    """Register a status message (a N_() msgid) under a short name; returns the name."""
    if _MESSAGES.get(name, message) != message:
        raise ValueError(f"status message {name!r} is defined twice")
    _MESSAGES[name] = message
    return name


def _signature(secret_key: str, payload: str) -> str:
    digest = hmac.new(secret_key.encode(), f"status:{payload}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def url_with(request: Request, url: str, name: str, /, **values: str | int) -> str:
    """`url` with the signed message `name` (filled with `values`) added to its query."""
    if name not in _MESSAGES:
        raise KeyError(name)
    body = json.dumps([name, values], ensure_ascii=False, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    token = f"{payload}.{_signature(request.app.state.secret_key, payload)}"
    parts = urlsplit(url)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=query + urlencode({PARAM: token})))


def message(request: Request) -> str | None:
    """The translated message this request's `?done=` token names, or None if absent or forged."""
    token = request.query_params.get(PARAM, "")
    if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    expected = _signature(request.app.state.secret_key, payload)
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        name, values = json.loads(body)
    except (binascii.Error, ValueError, TypeError):
        return None
    template = _MESSAGES.get(name) if isinstance(name, str) else None
    if template is None or not isinstance(values, dict):
        return None
    text = translations(getattr(request.state, "locale", DEFAULT)).gettext(template)
    try:
        return text % values if values else text
    except (KeyError, TypeError, ValueError):
        return None
