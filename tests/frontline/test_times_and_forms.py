"""Times: local for people (the bank's time zone), UTC to the second in `datetime=`; form
fields keep every attribute separate."""

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlmodel import select

from frontline import web
from frontline.app import create_app
from frontline.settings import Settings
from frontline.web import local_text, local_time, utc_datetime
from staff.models import Position
from standards.models import Acknowledgment
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person, make_standard

VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")
# 18:30:45 UTC on 1 March is 02:30 on 2 March in Shanghai (UTC+8), 10:30 in London (UTC+0).
ACKNOWLEDGED = datetime(2026, 3, 1, 18, 30, 45, 123456, tzinfo=UTC)


class Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.times: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.inputs[str(attributes["name"])] = attributes
        if tag == "time":
            self.times.append(attributes.get("datetime"))


def _parse(html: str) -> Inputs:
    parser = Inputs()
    parser.feed(html)
    return parser


def test_account_password_fields_are_required(db, client):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    inputs = _parse(client.get("/account").text).inputs
    for name in ("current_password", "new_password", "confirm_password"):
        assert "required" in inputs[name], inputs[name]
        assert inputs[name]["autocomplete"] in ("current-password", "new-password")
    # No attribute swallowed another (the old bug: `requiredautocomplete="new-password"`).
    assert not any(len(key) > 20 for fields in inputs.values() for key in fields)


def _acknowledged_page(app) -> str:
    db = app.state.database
    make_standard(db, code="TIM-01", positions=["teller"])
    teller = make_person(db, position=Position.teller)
    with FrontlineClient(app) as reader:
        reader.login(teller.employee_no, PASSWORD)
        assert reader.acknowledge("/standards/TIM-01/v/1").status_code in (200, 303)
        with db.session() as session:
            for ack in session.exec(select(Acknowledgment)).all():
                ack.acknowledged_at = ACKNOWLEDGED
                session.add(ack)
        return str(reader.get("/standards/TIM-01/v/1").text)


def test_times_show_in_the_bank_time_zone_with_utc_in_datetime(app):
    html = _acknowledged_page(app)
    assert '<time datetime="2026-03-01T18:30:45Z">2026-03-02 02:30</time>' in html
    assert "UTC" not in html
    assert all(value and VALID_DATETIME.match(value) for value in _parse(html).times)


def test_the_time_zone_is_a_setting(settings):
    app = create_app(settings.model_copy(update={"time_zone": "Europe/London"}))
    try:
        html = _acknowledged_page(app)
    finally:
        app.state.database.dispose()
    assert '<time datetime="2026-03-01T18:30:45Z">2026-03-01 18:30</time>' in html


def test_the_time_zone_setting_is_validated(monkeypatch):
    monkeypatch.delenv("FRONTLINE_TIME_ZONE", raising=False)
    assert Settings().time_zone == "Asia/Shanghai"
    monkeypatch.setenv("FRONTLINE_TIME_ZONE", "Mars/Olympus_Mons")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings()


def test_machine_readable_times_are_utc_to_the_second():
    naive = datetime(2026, 1, 2, 3, 4, 5, 999999)  # as SQLite returns stored UTC
    assert utc_datetime(naive) == "2026-01-02T03:04:05Z"
    assert utc_datetime(ACKNOWLEDGED) == "2026-03-01T18:30:45Z"
    assert utc_datetime(date(2026, 1, 2)) == "2026-01-02"
    assert str(local_time(date(2026, 1, 2))) == '<time datetime="2026-01-02">2026-01-02</time>'
    assert str(local_time(None)) == ""


def test_local_text_keeps_custom_formats_and_pads_the_default_one():
    # Outside a render the zone is UTC; a format given is strftime's, the default is ISO-like.
    assert local_text(ACKNOWLEDGED) == "2026-03-01 18:30"
    assert local_text(ACKNOWLEDGED, "%Y-%m-%d") == "2026-03-01"
    assert local_text(ACKNOWLEDGED, "%H时%M分") == "18时30分"
    assert local_text(date(2026, 1, 2), "%m/%d") == "01/02"


def test_the_formats_templates_use_read_as_strftime_writes_them():
    # Those four are cut from isoformat (strftime costs ~4 µs a call): the same text.
    zone = ZoneInfo("Asia/Shanghai")
    token = web._rendering_zone.set(zone)
    try:
        for moment in (ACKNOWLEDGED, datetime(2026, 12, 31, 16, 0, 0, 5), datetime(2026, 1, 2)):
            local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
            for format in ("%Y-%m-%d", "%H:%M", "%H:%M:%S", "%Y-%m-%d %H:%M"):
                assert local_text(moment, format) == local.strftime(format), (moment, format)
    finally:
        web._rendering_zone.reset(token)


def test_the_banks_today_turns_at_its_own_midnight(settings):
    evening_utc = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 December in Shanghai
    assert settings.model_copy(update={"time_zone": "Asia/Shanghai"}).today(evening_utc) == date(
        2026, 12, 1
    )
    assert settings.model_copy(update={"time_zone": "Europe/London"}).today(evening_utc) == date(
        2026, 11, 30
    )
