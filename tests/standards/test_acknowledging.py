"""Employees acknowledging standards through HTTP: the attestation comes after the content and
carries evidence of reading; what to read next, progress, the navigation count; each field in
the reader's language with the other one tap away."""

import re
from datetime import timedelta

from sqlmodel import select

from frontline.models import utcnow
from staff.models import Position, Role
from standards import reading_evidence
from standards.models import Acknowledgment
from tests.factories import PASSWORD, make_person, make_standard

OPENED_AT_RE = re.compile(r'name="opened_at" value="([^"]+)"')
BADGE_RE = re.compile(r'<span id="nav-outstanding"[^>]*>(\d+)</span>')


def _teller(db, client, **kwargs):
    person = make_person(db, role=Role.employee, position=Position.teller, **kwargs)
    client.login(person.employee_no, PASSWORD)
    return person


def _opened_at(client, page: str) -> str:
    match = OPENED_AT_RE.search(client.get(page).text)
    assert match, f"no acknowledge form on {page}"
    return match.group(1)


def _badge(html: str) -> int:
    match = BADGE_RE.search(html)
    assert match, "no count beside To acknowledge"
    return int(match.group(1))


def _acknowledgments(db) -> list[Acknowledgment]:
    with db.session() as session:
        return list(session.exec(select(Acknowledgment)).all())


# ---- the attestation and its evidence --------------------------------------------------------


def test_the_attestation_comes_after_the_content(db, client):
    make_standard(db, code="ACK-10", body_en="Greet every customer first.")
    _teller(db, client)
    page = client.get("/standards/ACK-10/v/1").text
    assert page.index("Greet every customer first.") < page.index('id="acknowledge"')
    assert page.index("Never say") < page.index("I have read and understood")
    assert "confirm at the top" not in client.get("/acknowledgments").text
    assert "confirm at the end" in client.get("/acknowledgments").text


def test_acknowledging_records_when_the_page_was_opened_and_the_end_reached(db, client):
    _, version = make_standard(db, code="ACK-11")
    person = _teller(db, client)
    before = utcnow().replace(microsecond=0)
    response = client.acknowledge("/standards/ACK-11/v/1", data={"reached_after_ms": "1500"})
    assert response.status_code == 303
    [ack] = _acknowledgments(db)
    assert (ack.person_id, ack.version_id) == (person.id, version.id)
    assert ack.opened_at is not None and ack.reached_at is not None
    assert before <= ack.opened_at <= ack.reached_at <= ack.acknowledged_at
    assert ack.seconds_open == int((ack.acknowledged_at - ack.opened_at).total_seconds())
    page = client.get("/standards/ACK-11/v/1").text
    assert "You acknowledged this version" in page and "The page was open for" in page


def test_without_javascript_the_reach_time_stays_unknown(db, client):
    make_standard(db, code="ACK-12")
    _teller(db, client)
    assert client.acknowledge("/standards/ACK-12/v/1").status_code == 303
    [ack] = _acknowledgments(db)
    assert ack.opened_at is not None and ack.reached_at is None and ack.seconds_open is not None


def test_a_reach_time_is_kept_between_opening_and_confirming(db, client):
    make_standard(db, code="ACK-13")
    _teller(db, client)
    # A week "after opening" cannot be later than the confirmation itself.
    client.acknowledge("/standards/ACK-13/v/1", data={"reached_after_ms": str(7 * 86400 * 1000)})
    [ack] = _acknowledgments(db)
    assert ack.reached_at is not None and ack.opened_at is not None
    assert ack.opened_at <= ack.reached_at <= ack.acknowledged_at


def test_a_missing_or_forged_opening_time_is_refused(db, client, make_client, app):
    _, version = make_standard(db, code="ACK-14")
    _, other_version = make_standard(db, code="ACK-15")
    person = _teller(db, client)
    colleague = make_person(db, position=Position.teller)
    url = "/standards/ACK-14/v/1/acknowledge"
    real = _opened_at(client, "/standards/ACK-14/v/1")
    epoch, _, mac = real.partition(".")
    key = app.state.secret_key
    an_hour_ago = utcnow() - timedelta(hours=1)
    forged = [
        {},  # no opening time at all: the old button
        {"opened_at": ""},
        {"opened_at": f"{int(epoch) - 3600}.{mac}"},  # moved an hour back, same signature
        {"opened_at": f"{epoch}.{'0' * 64}"},
        {"opened_at": "not-a-token"},
        {"opened_at": "9" * 90 + ".x"},
        {  # signed for another version
            "opened_at": reading_evidence.sign_opened_at(
                secret_key=key,
                person_id=person.id,
                version_id=other_version.id,
                opened_at=an_hour_ago,
            )
        },
        {  # signed for a colleague
            "opened_at": reading_evidence.sign_opened_at(
                secret_key=key, person_id=colleague.id, version_id=version.id, opened_at=an_hour_ago
            )
        },
        {  # signed with another key
            "opened_at": reading_evidence.sign_opened_at(
                secret_key="guess",
                person_id=person.id,
                version_id=version.id,
                opened_at=an_hour_ago,
            )
        },
        {"opened_at": real, "reached_after_ms": "soon"},
        {"opened_at": real, "reached_after_ms": "-5"},
        {"opened_at": real, "reached_after_ms": "9" * 5000},
        {"opened_at": "x" * 5000},
    ]
    for data in forged:
        response = client.submit(url, data, token_page="/standards/ACK-14/v/1")
        assert response.status_code == 400, (data, response.status_code)
    response = client.submit(url, {}, token_page="/standards/ACK-14/v/1")
    assert "does not come from a page you opened" in response.text
    assert _acknowledgments(db) == []
    # The genuine token still works afterwards.
    assert client.submit(url, {"opened_at": real}, token_page="/standards").status_code == 303


def test_the_acknowledge_button_for_htmx_also_needs_the_opening_time(db, client):
    make_standard(db, code="ACK-16")
    _teller(db, client)
    token = client.csrf_token("/standards")
    refused = client.post(
        "/standards/ACK-16/v/1/acknowledge", headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert refused.status_code == 400 and _acknowledgments(db) == []


# ---- what next, progress, the count in the navigation ----------------------------------------


def test_after_acknowledging_the_next_unread_one_and_progress(db, client):
    make_standard(db, code="NXT-01", severity="minor", title_en="Minor one")
    make_standard(db, code="NXT-02", severity="critical", title_en="Critical one")
    make_standard(db, code="NXT-03", severity="major", title_en="Major one")
    _teller(db, client)
    assert _badge(client.get("/").text) == 3
    first = client.acknowledge("/standards/NXT-02/v/1", headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert "Next: NXT-03 Major one" in first.text
    assert 'href="/standards/NXT-03/v/1"' in first.text
    assert "1 of 3 standards for your position acknowledged" in first.text
    # The navigation count is swapped in the same response.
    assert 'hx-swap-oob="true"' in first.text and _badge(first.text) == 2
    client.acknowledge("/standards/NXT-03/v/1", headers={"HX-Request": "true"})
    last = client.acknowledge("/standards/NXT-01/v/1", headers={"HX-Request": "true"})
    assert "3 of 3" in last.text and "Next:" not in last.text
    assert "nothing to acknowledge" in last.text
    assert 'id="nav-outstanding"' in last.text and " hidden>" in last.text
    # Without htmx: back on the page, the same offer.
    make_standard(db, code="NXT-04", title_en="Fourth")
    make_standard(db, code="NXT-05", title_en="Fifth")
    response = client.acknowledge("/standards/NXT-04/v/1")
    page = client.get(response.headers["location"]).text
    assert "Next: NXT-05 Fifth" in page and "4 of 5" in page and _badge(page) == 1


def test_list_is_ordered_by_severity_then_effective_date(db, client):
    make_standard(db, code="ORD-01", severity="minor", effective="2026-01-01")
    make_standard(db, code="ORD-02", severity="critical", effective="2026-03-01")
    make_standard(db, code="ORD-03", severity="major", effective="2026-02-01")
    make_standard(db, code="ORD-04", severity="critical", effective="2026-01-15")
    make_standard(db, code="ORD-05", severity="major", effective="2026-01-10")
    _teller(db, client)
    page = client.get("/acknowledgments").text
    codes = re.findall(r'<span class="code">(ORD-\d+)</span>', page)
    assert codes == ["ORD-04", "ORD-02", "ORD-05", "ORD-03", "ORD-01"]
    home = client.get("/").text
    assert re.findall(r">(ORD-\d+) ", home) == codes


def test_home_count_list_and_badge_agree(db, client):
    for n in range(7):
        make_standard(db, code=f"AGR-{n:02d}")
    make_standard(db, code="AGR-99", positions=["call_agent"])  # not for tellers
    _teller(db, client)
    client.acknowledge("/standards/AGR-00/v/1")
    home = client.get("/").text
    listed = re.findall(r'<span class="code">(AGR-\d+)</span>', client.get("/acknowledgments").text)
    assert len(listed) == 6 and "AGR-99" not in listed and "AGR-00" not in listed
    assert "6 new standards apply to you." in home
    shown = re.findall(r">(AGR-\d+) ", home)
    assert shown == listed[: len(shown)] and len(shown) == 5
    assert "and 1 more" in home
    assert _badge(home) == 6 and _badge(client.get("/standards").text) == 6


def test_no_count_for_people_without_a_position(db, client):
    make_standard(db, code="NOP-01")
    person = make_person(db, role=Role.hr)
    client.login(person.employee_no, PASSWORD)
    assert 'id="nav-outstanding"' not in client.get("/").text


def test_library_marks_what_is_still_to_acknowledge(db, client):
    make_standard(db, code="LIB-01")
    make_standard(db, code="LIB-02")
    make_standard(db, code="LIB-03", positions=["call_agent"])
    _teller(db, client)
    client.acknowledge("/standards/LIB-02/v/1")
    cards = {
        code: card
        for card in client.get("/standards").text.split('<li class="standard-card">')[1:]
        for code in re.findall(r'<span class="code">(LIB-\d+)</span>', card)
    }
    assert "unread-mark" in cards["LIB-01"]
    assert "unread-mark" not in cards["LIB-02"] and "unread-mark" not in cards["LIB-03"]
    fragment = client.get(
        "/standards?q=LIB", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert fragment.text.count("unread-mark") == 1


# ---- the reader's language -------------------------------------------------------------------

BILINGUAL = {
    "title_zh": "柜面迎客",
    "title_en": "Greeting at the counter",
    "body_zh": "客户走近时主动问候。",
    "body_en": "Greet the customer first.",
    "steps": [{"zh": "举手招迎", "en": "Raise a hand"}, {"zh": "请坐", "en": ""}],
    "required_phrases": [{"text": "您好!", "en": "Hello!", "variants": ["您好呀"]}],
    "forbidden_phrases": [{"text": "没看见我忙吗?", "en": "Can't you see I'm busy?"}],
    "good_practice_zh": "微笑示意。",
    "good_practice_en": "",
    "bad_practice_zh": "低头不语。",
    "bad_practice_en": "Looking down in silence.",
}


def test_a_chinese_reader_sees_chinese_throughout(db, client):
    make_standard(db, code="LNG-01", **BILINGUAL)
    _teller(db, client, locale="zh_CN")
    page = client.get("/standards/LNG-01/v/1").text
    for chinese in (
        "柜面迎客",
        "客户走近时主动问候",
        "举手招迎",
        "您好!",
        "您好呀",
        "没看见我忙吗",
        "微笑示意",
        "低头不语",
    ):
        assert chinese in page, chinese
    for english in (
        "Greeting at the counter",
        "Greet the customer first",
        "Raise a hand",
        "Hello!",
        "Can't you see",
        "Looking down",
    ):
        assert english not in page, english
    assert 'href="?lang=en"' in page


def test_an_english_reader_sees_english_with_chinese_where_english_is_missing(db, client):
    make_standard(db, code="LNG-02", **BILINGUAL)
    _teller(db, client, locale="en")
    page = client.get("/standards/LNG-02/v/1").text
    for english in (
        "Greeting at the counter",
        "Greet the customer first",
        "Raise a hand",
        "Hello!",
        "Can&#39;t you see",
        "Looking down",
    ):
        assert english in page, english
    # Fallbacks: a step and the good practice have no English; they show in Chinese, marked so.
    assert '<li lang="zh-CN">请坐</li>' in page and 'lang="zh-CN"><p>微笑示意。' in page
    for chinese in ("客户走近时主动问候", "举手招迎", "没看见我忙吗", "低头不语", "您好呀"):
        assert chinese not in page, chinese
    assert 'href="?lang=zh"' in page


def test_the_other_language_is_one_tap_away_and_printing_keeps_it(db, client):
    make_standard(db, code="LNG-03", **BILINGUAL)
    _teller(db, client, locale="en")
    page = client.get("/standards/LNG-03/v/1?lang=zh").text
    assert "举手招迎" in page and "Raise a hand" not in page
    assert 'href="/standards/LNG-03/v/1/print?lang=zh"' in page
    printed = client.get("/standards/LNG-03/v/1/print?lang=zh").text
    assert "举手招迎" in printed and "Raise a hand" not in printed and "柜面迎客" in printed
    assert "Greeting at the counter" not in printed
    printed_en = client.get("/standards/LNG-03/v/1/print").text
    assert "Raise a hand" in printed_en and "举手招迎" not in printed_en
    for bad in ("fr", "zh-CN", "x" * 300):
        assert client.get(f"/standards/LNG-03/v/1?lang={bad}").status_code == 400
        assert client.get(f"/standards/LNG-03/v/1/print?lang={bad}").status_code == 400
