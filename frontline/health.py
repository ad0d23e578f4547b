"""GET /healthz: 200 when the app and its database answer."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from frontline.access import public

router = APIRouter()


@router.get("/healthz", dependencies=[public])
def healthz(request: Request) -> JSONResponse:
    try:
        with request.app.state.database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "error", "database": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
