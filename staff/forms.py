"""Form models for staff pages."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, field_validator

from frontline.forms import blank_to_none
from frontline.i18n import N_
from staff.models import Position, Role

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
EmployeeNo = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$"
    ),
]
OptionalId = Annotated[int | None, BeforeValidator(blank_to_none)]
OptionalPosition = Annotated[Position | None, BeforeValidator(blank_to_none)]


def _checkbox(value: object) -> bool:
    return value in (True, "on", "true", "1", "yes")


Checkbox = Annotated[bool, BeforeValidator(_checkbox)]


class PersonForm(BaseModel):
    employee_no: EmployeeNo
    name: Text
    email: OptionalText = ""
    role: Role = Role.employee
    position: OptionalPosition = None
    team_id: OptionalId = None
    active: Checkbox = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and ("@" not in value or " " in value):
            raise ValueError(N_("Enter an email address such as name@bank.cn, or leave it empty."))
        return value


class BranchForm(BaseModel):
    code: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$"
        ),
    ]
    name: Text
    region: OptionalText = ""
    active: Checkbox = False


class TeamForm(BaseModel):
    branch_id: int
    name: Text
    active: Checkbox = False
    supervisor_ids: list[int] = Field(default_factory=list)


class PasswordChangeForm(BaseModel):
    current_password: str = Field(min_length=1)
    new_password: str = Field(min_length=1)
    confirm_password: str = Field(min_length=1)


class DeactivateForm(BaseModel):
    """Why someone stops logging in (left the bank, long leave): kept in the audit trail."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
