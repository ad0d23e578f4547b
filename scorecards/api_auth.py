"""Who is asking the API: an HR system presenting a bearer token with the right scope.

Errors are JSON, as the app answers every `/api/` path: 401 `{"error": "not_authenticated"}`
for a missing, unknown or revoked token, 403 `{"error": "insufficient_scope"}` for a token of
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
        raise HTTPException(status_code=401)
    token = tokens.find_live(session, secret=secret)
    if token is None:
        raise HTTPException(status_code=401)
    if token.scope != SCOPE_SCORECARDS_READ:
        raise HTTPException(status_code=403, detail="insufficient_scope")
    if tokens.needs_touch(token):
        # Its own short write, so the API's GETs stay read-only transactions.
        with database.session(write=True) as touch_session:
            tokens.touch(touch_session, token_id=id_of(token))
    return token


ScorecardsToken = Annotated[ApiToken, Depends(require_scorecards_token)]
