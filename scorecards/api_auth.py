"""Who is asking the API: an HR system presenting a bearer token with the right scope.

Refusals follow RFC 6750 and are JSON, as the app answers every `/api/` path, each with a
`WWW-Authenticate: Bearer ...` header: 401 `{"error": "not_authenticated"}` when no bearer
token was sent, 401 `{"error": "invalid_token"}` (and `error="invalid_token"` in the header)
for an unknown, revoked or expired one, 403 `{"error": "insufficient_scope"}` for a token of
another scope. The token is never logged: it travels only in the Authorization header, which
nothing here writes out.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from frontline.access import access_rule
from frontline.deps import DatabaseDep, SessionDep
from frontline.models import id_of
from scorecards import tokens
from scorecards.models import SCOPE_SCORECARDS_READ, ApiToken

REALM = 'Bearer realm="frontline"'


def _challenge(status_code: int, error: str | None = None) -> HTTPException:
    """A refusal with the RFC 6750 challenge; no error code when no token was sent."""
    if error is None:
        return HTTPException(
            status_code, detail="not_authenticated", headers={"WWW-Authenticate": REALM}
        )
    challenge = f'{REALM}, error="{error}"'
    if error == "insufficient_scope":
        challenge += f', scope="{SCOPE_SCORECARDS_READ}"'
    return HTTPException(status_code, detail=error, headers={"WWW-Authenticate": challenge})


def presented_secret(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


@access_rule("API token with scope scorecards:read")
def require_scorecards_token(
    request: Request, session: SessionDep, database: DatabaseDep
) -> ApiToken:
    secret = presented_secret(request)
    if secret is None:
        raise _challenge(401)
    token = tokens.find_live(session, secret=secret)
    if token is None:
        raise _challenge(401, "invalid_token")
    if token.scope != SCOPE_SCORECARDS_READ:
        raise _challenge(403, "insufficient_scope")
    if tokens.needs_touch(token):
        # Its own short write, so the API's GETs stay read-only transactions.
        with database.session(write=True) as touch_session:
            tokens.touch(touch_session, token_id=id_of(token))
    return token


ScorecardsToken = Annotated[ApiToken, Depends(require_scorecards_token)]
