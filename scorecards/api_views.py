"""The read-only JSON API for HR systems: `/api/v1/scorecards` and its OpenAPI document.

Every request carries `Authorization: Bearer <token>` (a token an admin issued, scope
`scorecards:read`). Errors are JSON: `{"error": ...}` with the HTTP status.
"""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from frontline.access import public
from frontline.deps import SessionDep
from scorecards import service
from scorecards.api_auth import ScorecardsToken
from scorecards.api_schemas import ERROR_RESPONSES, ScorecardOut, ScorecardPage
from scorecards.columns import as_json
from scorecards.dependencies import FiltersDep, PeriodDep, ZoneDep
from scorecards.people import Selection
from staff import service as staff_service

router = APIRouter(prefix="/api/v1", tags=["scorecards"])
MAX_PER_PAGE = 500

FILTERS_HELP = (
    "Period: `period` (`2026-11` a month, `2026-Q4` a quarter, `2026` a year) or `start` and "
    "`end` (dates, inclusive, in the bank's time zone); without them the current month. "
    "Filters: `branch` and `team` (ids), `position`."
)


@router.get(
    "/scorecards",
    response_model=ScorecardPage,
    responses=ERROR_RESPONSES,
    summary="Scorecards of everyone selected, a page at a time",
    description=FILTERS_HELP + " People are in a stable order (by id); `page` counts from 1.",
)
def list_scorecards(
    session: SessionDep,
    _token: ScorecardsToken,
    filters: FiltersDep,
    period: PeriodDep,
    zone: ZoneDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
) -> dict[str, Any]:
    selection = Selection(branch_id=filters.branch, team_id=filters.team, position=filters.position)
    cards, total = service.page_of_scorecards(
        session, selection=selection, period=period, zone=zone, page=page, per_page=per_page
    )
    return {
        "items": [as_json(card, period) for card in cards],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": max(1, -(-total // per_page)),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
    }


@router.get(
    "/scorecards/{employee_no}",
    response_model=ScorecardOut,
    responses=ERROR_RESPONSES,
    summary="One employee's scorecard",
    description="The employee is named by their employee number (工号). " + FILTERS_HELP,
)
def get_scorecard(
    session: SessionDep,
    _token: ScorecardsToken,
    employee_no: Annotated[str, Path(min_length=1, max_length=32)],
    period: PeriodDep,
    zone: ZoneDep,
) -> dict[str, Any]:
    person = staff_service.get_by_employee_no(session, employee_no=employee_no)
    cards = (
        service.scorecards(
            session, selection=Selection(person_id=person.id), period=period, zone=zone
        )
        if person is not None and person.id is not None
        else []
    )
    if not cards:
        raise HTTPException(status_code=404, detail="not_found")
    return as_json(cards[0], period)


@router.get("/openapi.json", include_in_schema=False, dependencies=[public])
def openapi_document(request: Request) -> JSONResponse:
    """The API's description: public, like any API's documentation (it holds no data)."""
    document = request.app.state.__dict__.get("scorecards_openapi")
    if document is None:
        document = get_openapi(
            title="Frontline scorecards API",
            version="1",
            description=(
                "Read-only scorecards for HR systems. Send `Authorization: Bearer <token>` "
                "with a token an administrator created (scope `scorecards:read`). "
                "Errors are JSON objects with an `error` member."
            ),
            routes=router.routes,
        )
        document["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "An API token."}
        }
        document["security"] = [{"bearer": []}]
        request.app.state.scorecards_openapi = document
    return JSONResponse(document)
