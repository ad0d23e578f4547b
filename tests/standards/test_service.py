"""The standards rules live in the services, so every entry point (page, CLI, import, a future
API) obeys them: each rule once through the service and once through HTTP."""

import pytest

from staff.models import Role
from standards import service
from tests.factories import PASSWORD, make_person, make_standard


def _author(db, client):
    author = make_person(db, role=Role.author)
    client.login(author.employee_no, PASSWORD)
    return author


# ---- retiring ---------------------------------------------------------------------------------


def test_service_retires_only_a_standard_in_force(db):
    retired, _ = make_standard(db, code="RET-01")
    draft_only, _ = make_standard(db, code="RET-02", publish=False)
    with db.session() as session:
        service.retire(session, standard=retired, change_note="无纸化", actor_id=None)
    for standard in (retired, draft_only):
        with db.session() as session, pytest.raises(service.StandardsError):
            service.retire(session, standard=standard, change_note="再次", actor_id=None)


def test_retiring_twice_is_a_conflict_with_a_reason(db, client):
    _author(db, client)
    make_standard(db, code="RET-03")
    first = client.submit("/standards/RET-03/retire", {"change_note": "无纸化"}, token_page="/")
    assert first.status_code == 303
    again = client.submit("/standards/RET-03/retire", {"change_note": "再次"}, token_page="/")
    assert again.status_code == 409
    assert "Only a standard in force can be retired." in again.text


def test_retiring_a_first_draft_is_a_conflict(db, client):
    _author(db, client)
    make_standard(db, code="RET-04", publish=False)
    refused = client.submit("/standards/RET-04/retire", {"change_note": "草稿"}, token_page="/")
    assert refused.status_code == 409
    missing_note = client.submit("/standards/RET-04/retire", {"change_note": ""}, token_page="/")
    assert missing_note.status_code == 400
