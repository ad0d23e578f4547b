"""HR sets the composite index's weights; every change is kept with who made it and why."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, StringConstraints

from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import redirect, render
from scorecards import service
from scorecards.figures import COMPONENT_LABELS, COMPONENTS, Weights, current_weights
from staff import service as staff_service
from staff.dependencies import HRUser

router = APIRouter()

SAVED = status.define("scorecards.weights", N_("The new weights are in force."))


class WeightsForm(BaseModel):
    audits: int = Field(ge=0, le=100)
    training: int = Field(ge=0, le=100)
    quizzes: int = Field(ge=0, le=100)
    acknowledgments: int = Field(ge=0, le=100)
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


def _page(
    request: Request,
    session: SessionDep,
    *,
    values: dict[str, object],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    history = service.weights_history(session)
    setters = {row.set_by_id for row in history if row.set_by_id is not None}
    context = {
        "values": values,
        "errors": errors,
        "history": history,
        "names": {
            person_id: person.name
            for person_id, person in staff_service.people_by_id(session, ids=setters).items()
        },
        "components": COMPONENTS,
        "component_labels": COMPONENT_LABELS,
    }
    return render(request, "scorecards/weights.html", context, status_code=status_code)


@router.get("/scorecards/weights")
def weights_page(request: Request, session: SessionDep, _hr: HRUser) -> Response:
    weights = current_weights(session)
    values: dict[str, object] = {name: weights.of(name) for name in COMPONENTS}
    return _page(request, session, values=values, errors={})


@router.post("/scorecards/weights")
async def save_weights(request: Request, session: SessionDep, hr: HRUser) -> Response:
    values = {key: value for key, value in (await request.form()).items() if key != "csrf_token"}
    form, errors = forms.parse(WeightsForm, values)
    if form is not None and not errors:
        weights = Weights(form.audits, form.training, form.quizzes, form.acknowledgments)
        try:
            service.set_weights(
                session, weights=weights, note=form.note, actor_id=id_of(hr), ip=client_ip(request)
            )
        except service.WeightsRefused as refused:
            errors = {"audits": refused.message}
        else:
            return redirect(request, status.url_with(request, "/scorecards/weights", SAVED))
    return _page(request, session, values=dict(values), errors=errors, status_code=400)
