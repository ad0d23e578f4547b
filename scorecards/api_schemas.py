"""The API's answers as Pydantic models: they document the OpenAPI schema, with examples."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE: dict[str, Any] = {
    "employee_no": "E1001",
    "name": "王芳",
    "position": "teller",
    "team": {"id": 3, "name": "柜面一组"},
    "branch": {"id": 1, "code": "BJ001", "name": "北京朝阳支行"},
    "region": "华北",
    "period": {"start": "2026-11-01", "end": "2026-11-30"},
    "composite_index": 86.4,
    "components": {"audits": 88.0, "training": 100.0, "quizzes": 75.0, "acknowledgments": 80.0},
    "acknowledgments": {"due": 10, "acknowledged": 8, "outstanding": 2},
}


class Unit(BaseModel):
    id: int
    name: str


class BranchOut(Unit):
    code: str


class PeriodOut(BaseModel):
    start: str = Field(description="First day, inclusive (YYYY-MM-DD, bank time zone).")
    end: str = Field(description="Last day, inclusive.")


class AcknowledgmentsOut(BaseModel):
    due: int = Field(description="Versions in force for the position, published by `end`.")
    acknowledged: int = Field(description="Of those, acknowledged by `end`.")
    outstanding: int


class ScorecardOut(BaseModel):
    """One person's scorecard for the period; a score of null means N/A."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    employee_no: str
    name: str
    position: str | None
    team: Unit
    branch: BranchOut
    region: str
    period: PeriodOut
    composite_index: float | None = Field(
        description="Weighted mean (0-100) of the components that are not null, HR's weights."
    )
    components: dict[str, float | None] = Field(
        description="Component scores 0-100: audits, training, quizzes, acknowledgments."
    )
    acknowledgments: AcknowledgmentsOut


class ScorecardPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [EXAMPLE],
                    "page": 1,
                    "per_page": 100,
                    "total": 1,
                    "pages": 1,
                    "period": EXAMPLE["period"],
                }
            ]
        }
    )

    items: list[ScorecardOut]
    page: int
    per_page: int
    total: int = Field(description="People selected in all pages.")
    pages: int
    period: PeriodOut


class ErrorOut(BaseModel):
    error: Any = Field(description="What went wrong: a code or a sentence.")


def _error(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": ErrorOut,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Bad filters or period.", {"error": "The period ends before it starts."}),
    401: _error("No token, or an unknown or revoked one.", {"error": "not_authenticated"}),
    403: _error(
        "The token's scope does not allow reading scorecards.", {"error": "insufficient_scope"}
    ),
    404: _error("No scorecard for this employee number.", {"error": "not_found"}),
}
