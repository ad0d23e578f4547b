"""The demo bank's library as a compliance officer checks it, and its acknowledgment history."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, delete, select

from frontline.models import utcnow
from staff import demo as staff_demo
from staff.models import Person
from standards import demo
from standards.models import Acknowledgment, Standard, StandardVersion, VersionStatus
from tests.conftest import copy_of


def _load(session: Session) -> None:
    staff_demo.load(session)
    assert demo.load(session) >= 40


@pytest.fixture
def database_url(demo_template, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Each test's own copy of one demo bank, loaded once (tests/conftest.py, demo_template)."""
    with copy_of(demo_template(_load), tmp_path) as url:
        yield url


@pytest.fixture
def demo_bank(db):  # type: ignore[no-untyped-def]
    return db


def _current_versions(session):  # type: ignore[no-untyped-def]
    return {
        standard.code: session.get(StandardVersion, standard.current_version_id)
        for standard in session.exec(select(Standard))
        if standard.current_version_id is not None
    }


def test_most_of_the_demo_library_is_acknowledged_but_not_all(demo_bank):
    with demo_bank.session(write=False) as session:
        people = session.exec(select(Person).where(Person.position.is_not(None))).all()  # type: ignore[union-attr]
        done = due = 0
        unread: list[str] = []
        for code, version in _current_versions(session).items():
            if version.status != VersionStatus.published:
                continue
            readers = {
                a.person_id
                for a in session.exec(
                    select(Acknowledgment).where(Acknowledgment.version_id == version.id)
                )
            }
            needed = {p.id for p in people if p.position.value in version.positions}
            assert readers <= needed  # only the positions a version applies to
            done, due = done + len(readers), due + len(needed)
            if not readers:
                unread.append(f"{code} v{version.number}")
    assert 0.75 <= done / due < 0.97  # most done, some outstanding
    assert unread == ["TXN-02 v2"]  # the correction published last, read by nobody yet


def test_demo_acknowledgments_have_plausible_times_and_reading_evidence(demo_bank):
    now = utcnow()
    with demo_bank.session(write=False) as session:
        versions = {v.id: v for v in session.exec(select(StandardVersion))}
        later = {
            (v.standard_id, v.number - 1): v.published_at
            for v in versions.values()
            if v.published_at is not None
        }
        acknowledgments = session.exec(select(Acknowledgment)).all()
        assert len(acknowledgments) > 300
        for ack in acknowledgments:
            version = versions[ack.version_id]
            assert version.published_at is not None
            assert version.published_at < version_effective(version)  # published ahead
            assert ack.opened_at is not None and ack.seconds_open is not None
            assert version.published_at <= ack.opened_at < ack.acknowledged_at <= now
            assert ack.acknowledged_at - ack.opened_at == timedelta(seconds=ack.seconds_open)
            if ack.reached_at is not None:
                assert ack.opened_at < ack.reached_at < ack.acknowledged_at
            replaced_at = later.get((version.standard_id, version.number))
            if replaced_at is not None:  # read before the next version replaced it
                assert ack.acknowledged_at < replaced_at
        assert any(a.reached_at is None for a in acknowledgments)  # read without JavaScript


def version_effective(version: StandardVersion):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, time

    assert version.effective_date is not None
    return datetime.combine(version.effective_date, time(0, tzinfo=UTC))


def test_demo_acknowledgments_are_the_same_every_time_and_load_once(demo_bank):
    def snapshot(session):  # type: ignore[no-untyped-def]
        return sorted(
            (a.person_id, a.version_id, a.acknowledged_at, a.reached_at, a.seconds_open)
            for a in session.exec(select(Acknowledgment))
        )

    with demo_bank.session() as session:
        first = snapshot(session)
        assert demo.load(session) == 0  # a second `frontline demo` writes nothing
        assert snapshot(session) == first
        session.exec(delete(Acknowledgment))  # type: ignore[call-overload]
        demo._acknowledge(session, now=utcnow())
        assert snapshot(session) == first


CORRECTED = {
    # code: (what the current version must say, what it must no longer say)
    "TXN-02": (["两名", "3个工作日内", "申请鉴定"], []),
    "IDV-01": (["当日单笔或累计5万元及以上"], ["单笔5万元及以上)"]),
    "CPL-01": (["当日单笔或累计5万元及以上"], ["(单笔5万元及以上)"]),
    "DSC-02": (["在本行营业网点当面完成", "有效期一年"], []),
    "DSC-01": (["本人已经阅读风险揭示,愿意承担投资风险"], []),
    "IDV-02": (["代理开户仅限本行制度允许的情形", "断卡"], []),
    "PHN-01": (["20秒内"], ["振铃3声内接起"]),
    "CPL-03": (["捆绑搭售", "一票否决"], []),
    "SPC-01": (["王阿姨", "李叔叔"], ["老人家,"]),
    "PRC-04": (["20秒服务水平", "人工接通率", "一次解决率"], []),
    "OPN-01": (["真实开户意愿", "出租、出借、出售、购买银行账户都是违法行为"], []),
    "EMG-01": (["抢劫", "火灾", "突发疾病", "舆情"], []),
    "APP-02": (["站姿", "坐姿", "手势"], []),
    "PRC-03": (["限时服务"], []),
    "ONL-01": (["在线客服"], []),
    "FRN-01": (["May I see your passport, please?"], []),
}


def test_the_compliance_officers_corrections_are_in_force(demo_bank, client):
    client.login("E1001", staff_demo.DEMO_PASSWORD)  # a teller, reading in Chinese
    for code, (present, absent) in CORRECTED.items():
        page = client.get(f"/standards/{code}", follow_redirects=True)
        assert page.status_code == 200, code
        for text in present:
            assert text in page.text, (code, text)
        for text in absent:
            assert text not in page.text, (code, text)


def test_corrections_are_new_versions_with_change_notes(demo_bank):
    with demo_bank.session(write=False) as session:
        current = _current_versions(session)
        bundling = current["CPL-03"]
        assert bundling.severity == "critical"
        assert any("捆绑搭售" in check["zh"] for check in bundling.veto_checks)
        for code in ("TXN-02", "IDV-01", "CPL-01", "DSC-02", "DSC-01", "IDV-02", "PHN-01"):
            version = current[code]
            assert version.number > 1 and version.effective_date.year == 2026, code
            assert version.change_note and " / " in version.change_note, code  # 中文 / English
            earlier = session.exec(
                select(StandardVersion).where(
                    StandardVersion.standard_id == version.standard_id,
                    StandardVersion.number == version.number - 1,
                )
            ).one()
            assert earlier.status == VersionStatus.superseded
        with_veto = [c for c, v in current.items() if v.veto_checks]
        assert {"PRV-01", "DSP-01", "CPL-03", "ATT-02", "TXN-02"} <= set(with_veto)
        # required phrases accept natural speech: most come with two or more variants
        phrases = [p for v in current.values() for p in v.required_phrases]
        assert sum(len(p["variants"]) >= 2 for p in phrases) >= 0.75 * len(phrases)
