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
    "composite_index": 82.0,
    "components": {"audits": 88.0, "training": 75.0, "quizzes": 75.0, "acknowledgments": 80.0},
    "training": {
        "assigned": 4,
        "completed_on_time": 3,
        "completed_late": 0,
        "overdue": 1,
        "expired": 0,
        "refresher_due": 1,
        "in_progress": 0,
    },
    "quizzes": {
        "attempts": 3,
        "first_attempts": 2,
        "first_attempt_passes": 1,
        "first_attempt_pass_rate": 50.0,
        "average_score": 75.0,
    },
    "audits": {"audits": 4, "veto_breaches": 0, "open_actions": 1, "average_score": 88.0},
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


class TrainingOut(BaseModel):
    assigned: int = Field(description="Modules assigned (not withdrawn) by the period's end.")
    completed_on_time: int = Field(description="Completed in the period by the due date.")
    completed_late: int = Field(description="Completed in the period after the due date.")
    overdue: int = Field(description="Open at the period's end and past due.")
    expired: int = Field(description="Certificates whose validity ended by the period's end.")
    refresher_due: int = Field(description="Refreshers still open (a standard changed).")
    in_progress: int = Field(description="Open and not yet due.")


class QuizzesOut(BaseModel):
    attempts: int = Field(description="Graded attempts submitted in the period.")
    first_attempts: int
    first_attempt_passes: int
    first_attempt_pass_rate: float | None = Field(description="Percent; null without one.")
    average_score: float | None = Field(description="0-100; null without attempts.")


class AuditsOut(BaseModel):
    audits: int = Field(description="Submitted audits of the person observed in the period.")
    veto_breaches: int
    open_actions: int = Field(description="Correction actions still open.")
    average_score: float | None = Field(description="As shown: a veto breach scores 0.")


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
    # Absent (null) only in an installation whose training, quizzes or audits are not built.
    training: TrainingOut | None = None
    quizzes: QuizzesOut | None = None
    audits: AuditsOut | None = None
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
    401: _error(
        "No bearer token (`not_authenticated`), or an unknown, revoked or expired one "
        "(`invalid_token`); the `WWW-Authenticate: Bearer` header says which (RFC 6750).",
        {"error": "invalid_token"},
    ),
    403: _error(
        "The token's scope does not allow reading scorecards.", {"error": "insufficient_scope"}
    ),
    404: _error("No scorecard for this employee number.", {"error": "not_found"}),
}
