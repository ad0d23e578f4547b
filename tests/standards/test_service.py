"""The standards rules live in the services, so every entry point (page, CLI, import, a future
API) obeys them: each rule once through the service and once through HTTP."""

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from frontline.audit_trail import AuditTrailEvent
from frontline.models import utcnow
from staff.models import Position, Role
from standards import acknowledgments, search, service
from standards.models import Kind, Standard, StandardVersion
from standards.schemas import VersionContent
from tests.client import OPENED_AT_RE
from tests.concurrency import at_once
from tests.factories import (
    PASSWORD,
    make_person,
    make_standard,
    publish_new_version,
    standard_content,
)


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


# ---- acknowledging ----------------------------------------------------------------------------


def _acknowledge(db, person, version):
    with db.session() as session:
        version = service.get_version_by_id(session, version_id=version.id)  # as it is now
        return acknowledgments.acknowledge(
            session, person=person, version=version, opened_at=utcnow(), reached_at=None
        )


def test_service_acknowledges_only_the_version_in_force_for_the_persons_position(db):
    _, teller_version = make_standard(db, code="ACK-11", positions=["teller"])
    _, draft = make_standard(db, code="ACK-12", positions=["teller"], publish=False)
    teller = make_person(db, position=Position.teller)
    agent = make_person(db, position=Position.call_agent)
    nobody = make_person(db)
    for person in (agent, nobody):
        with pytest.raises(acknowledgments.NotApplicable):
            _acknowledge(db, person, teller_version)
    with pytest.raises(acknowledgments.NotInForce):
        _acknowledge(db, teller, draft)
    first = _acknowledge(db, teller, teller_version)
    assert _acknowledge(db, teller, teller_version).id == first.id


def test_a_superseded_version_cannot_be_acknowledged(db, client):
    _, first = make_standard(db, code="ACK-13", positions=["teller"])
    teller = make_person(db, position=Position.teller)
    client.login(teller.employee_no, PASSWORD)
    page = "/standards/ACK-13/v/1"
    opened = OPENED_AT_RE.search(client.get(page).text).group(1)  # type: ignore[union-attr]
    publish_new_version(db, "ACK-13", effective="2026-02-01", change_note="更正")
    with pytest.raises(acknowledgments.NotInForce):
        _acknowledge(db, teller, first)
    refused = client.submit(page + "/acknowledge", {"opened_at": opened}, token_page="/")
    assert refused.status_code == 409
    assert "Only the version in force can be acknowledged." in refused.text


def test_the_library_list_loads_only_what_its_cards_show(db):
    make_standard(db, code="LST-01", body_zh="很长的正文" * 1000)
    with db.session(write=False) as session:
        rows, total = search.search(session, filters=search.LibraryFilters(text="LST-01"))
        assert total == 1
        standard, version = rows[0]
        # Plain rows, not ORM objects: nothing more is loaded, and nothing can be lazily.
        assert {"body_zh", "body_en", "search_text", "steps", "required_phrases"}.isdisjoint(
            version._fields
        )
        assert not hasattr(version, "_sa_instance_state")
        assert version.title_zh and standard.code == "LST-01"


# ---- publishing twice at once -----------------------------------------------------------------


def _events(db, action):
    with db.session(write=False) as session:
        return session.exec(select(func.count()).where(AuditTrailEvent.action == action)).one()


def test_a_draft_published_twice_at_once_is_published_once(db, database_url):
    """A double tap on Publish, or two authors: the second waits for the first (PostgreSQL:
    the standard and the draft are locked and read again) and finds it no longer a draft."""
    _, draft = make_standard(db, code="DBL-01", publish=False)

    def hold(session):
        standard = service.get_by_code(session, code="DBL-01")
        session.exec(select(Standard).where(Standard.id == standard.id).with_for_update())

    def publish(session):  # the draft as the Publish form names it
        service.publish(
            session,
            standard=service.get_by_code(session, code="DBL-01"),
            version=session.get(StandardVersion, draft.id),
            effective_date=date(2026, 12, 1),
            change_note="首次发布",
            actor_id=None,
        )

    _, _, second = at_once(db, database_url, hold=hold, first=publish, second=publish)
    assert isinstance(second, service.NotADraft)
    assert _events(db, "standard.publish") == 1


def test_a_confirmation_sent_twice_at_once_is_recorded_once(db, database_url):
    """Two taps on "I have read it" (or two devices): on PostgreSQL the second's insert waits
    for the first, then hits the unique (person, version) and is given the first record."""
    teller = make_person(db, position=Position.teller)
    _, version = make_standard(db, code="DBL-02", positions=["teller"])
    opened = utcnow() - timedelta(minutes=2)

    def confirm(session):
        return acknowledgments.acknowledge(
            session, person=teller, version=version, opened_at=opened, reached_at=None
        ).id

    first, _, second = at_once(db, database_url, hold=confirm, second=confirm)
    assert first == second
    assert _events(db, "standard.acknowledge") == 1


# ---- the library's kept pages -----------------------------------------------------------------


def _listed(client, query=""):  # type: ignore[no-untyped-def]
    page = client.get(f"/standards?{query}")
    assert page.status_code == 200
    return page.text


def test_the_library_shows_each_change_at_once_though_its_pages_are_kept(db, client):
    """A page of results is kept until the library changes: every change an author makes
    shows on the next view, in force, retired and among the drafts."""
    _author(db, client)
    standard, _ = make_standard(db, code="KPT-01", title_zh="迎候客户", title_en="Greeting")
    assert "KPT-01" in _listed(client) and "KPT-01" not in _listed(client, "status=drafts")

    with db.session() as session:  # a new draft, then its title edited
        draft = service.new_draft(
            session, standard=session.get(Standard, standard.id), actor_id=None
        )
        draft_id = draft.id
    assert "KPT-01" in _listed(client, "status=drafts")
    with db.session() as session:
        draft = session.get(StandardVersion, draft_id)
        content = VersionContent.model_validate(
            standard_content(title_zh="迎候客户（修订）", title_en="Greeting, revised"),
            context={"kind": "script"},
        )
        service.update_draft(
            session, standard=session.get(Standard, standard.id), version=draft,
            content=content, actor_id=None,
        )  # fmt: skip
    assert "Greeting, revised" in _listed(client, "status=drafts")
    assert "Greeting, revised" not in _listed(client, "q=KPT")

    with db.session() as session:  # published: the library shows version 2 in force
        service.publish(
            session, standard=session.get(Standard, standard.id),
            version=session.get(StandardVersion, draft_id), effective_date=date(2026, 6, 1),
            change_note="修订", actor_id=None,
        )  # fmt: skip
    assert "Greeting, revised" in _listed(client, "q=KPT")
    assert "KPT-01" not in _listed(client, "status=drafts")

    with db.session() as session:  # retired: gone from the library, listed as retired
        service.retire(
            session, standard=session.get(Standard, standard.id), change_note="停用", actor_id=None
        )
    assert "KPT-01" not in _listed(client, "q=KPT")
    assert "KPT-01" in _listed(client, "status=retired")

    make_standard(db, code="KPT-02", publish=False)  # a first draft, then discarded
    assert "KPT-02" in _listed(client, "status=drafts")
    with db.session() as session:
        second = service.get_by_code(session, code="KPT-02")
        service.discard_draft(
            session, standard=second, version=service.draft_of(session, standard=second),
            actor_id=None,
        )  # fmt: skip
    assert "KPT-02" not in _listed(client, "status=drafts")


def test_a_code_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two authors creating the same code at once both find it free; on PostgreSQL the
    second's insert waits for the first, then is refused as a taken code, not a 500."""
    content = VersionContent.model_validate(standard_content())

    def hold(session):  # another author's new standard, not yet committed
        session.add(Standard(code="DBL-03", kind=Kind.script))
        session.flush()

    def create(session):
        return service.create_standard(
            session, code="DBL-03", kind=Kind.script, content=content, actor_id=None
        )

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, service.CodeTaken)
    assert str(second) == "A standard with this code already exists."


def test_two_drafts_started_at_once_make_one(db, database_url):
    """Two authors pressing "New draft" at once: the second waits for the first (PostgreSQL:
    the standard is locked) and finds its draft, instead of repeating its version number."""
    standard, first = make_standard(db, code="DBL-04")

    def hold(session):  # another author's new draft, not yet committed
        session.exec(select(Standard).where(Standard.id == standard.id).with_for_update())
        session.add(
            StandardVersion(
                standard_id=standard.id,
                number=2,
                category=first.category,
                severity=first.severity,
                title_zh="另一位作者的草稿",
            )
        )
        session.flush()

    def start(session):
        return service.new_draft(
            session, standard=session.get(Standard, standard.id), actor_id=None
        )

    _, _, second = at_once(db, database_url, hold=hold, second=start)
    assert isinstance(second, service.StandardsError)
    with db.session(write=False) as session:
        assert [v.number for v in service.versions(session, standard=standard)] == [1, 2]
