"""An employee takes a module in a real browser: starts on a phone, reads the first lesson and
stops; goes on at a tablet (the progress saved on the phone is there), reads the rest, takes the
module's quiz (quizzes' real attempt pages), comes back and completes it: the certificate.

The module and its one-question quiz are made through the services on this test's own server
(a migrated database, no demo), so the right answer is known and nothing else depends on it.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from frontline.db import Database
from frontline.models import id_of
from staff.models import Person, Position, Role
from tests.browser.conftest import (
    SCREENSHOTS,
    _live_database,
    check_accessibility,
    full_page_screenshot,
    tap,
)
from tests.factories import PASSWORD, make_person
from tests.live_server import ServerFailed, environment, run_frontline, serving
from tests.quizzes.take_helpers import make_question, make_quiz, single
from training import assignments
from training.enrollment import bank_today
from training.schemas import LessonContent, ModuleContent

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
CODE = "TRN-BROWSER-01"
LESSONS = (
    ("迎客", "Greeting", "客户走近时举手招迎，微笑问候“您好！”。"),
    ("唱收唱付", "Calling out amounts", "现金业务唱收唱付：“现在过钞，请您关注显示屏。”"),
    ("送别", "Farewell", "二次征询后送别：“请收好您的卡和回单，再见！”"),
)


def _build(database_url: str) -> str:
    """A module with three lessons and a quiz, assigned to a new teller; their login."""
    db = Database(database_url)
    try:
        make_question(db, "Q-BROWSER-01", single("Q-BROWSER-01", correct="B"))
        quiz_id = make_quiz(db, "QZ-BROWSER", questions=[{"code": "Q-BROWSER-01"}], pass_mark=60)
        learner = make_person(db, position=Position.teller, name="赵敏")
        hr = make_person(db, role=Role.hr)
        with db.session() as session:
            from training import authoring

            content = ModuleContent(
                title_zh="柜面服务三步", title_en="Counter service in three steps",
                positions=["teller"], estimated_minutes=10, quiz_id=quiz_id,
            )  # fmt: skip
            module, version = authoring.create_module(
                session, code=CODE, content=content, actor_id=None
            )
            for zh, en, body in LESSONS:
                lesson = LessonContent(title_zh=zh, title_en=en, body_zh=body, body_en=en + ".")
                authoring.add_lesson(
                    session, module=module, version=version, content=lesson, actor_id=None
                )
            authoring.publish(
                session, module=module, version=version, change_note="首次发布", actor_id=None
            )
            assignments.assign_module_to_person(
                session,
                module_id=id_of(module),
                person_id=id_of(learner),
                due_on=bank_today() + timedelta(days=7),
                actor=session.get(Person, hr.id),
                reason="岗位必修",
            )
        return learner.employee_no
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def learning_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, the learner's employee number) on a server of this test's own."""
    workdir = tmp_path_factory.mktemp("taking-a-module")
    with _live_database(workdir) as database_url:
        env = environment(database_url=database_url, secret_key="taking-a-module-secret")
        migrated = run_frontline("db", "upgrade", env=env, cwd=workdir)
        if migrated.returncode != 0:
            pytest.fail(f"`frontline db upgrade` failed:\n{migrated.stdout}\n{migrated.stderr}")
        employee_no = _build(database_url)
        try:
            with serving(env=env, cwd=workdir) as url:
                yield url, employee_no
        except ServerFailed as exc:
            pytest.fail(str(exc))


def _device(browser: Any, base_url: str, viewport: dict[str, int], *, phone: bool) -> Any:
    context = browser.new_context(
        viewport=viewport, base_url=base_url, bypass_csp=True, locale="zh-CN", has_touch=phone
    )
    context.set_default_timeout(15_000)
    return context


def _login(page: Any, employee_no: str) -> None:
    page.goto("/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / f"taking-a-module-{name}.png")


def test_start_on_a_phone_finish_on_a_tablet_with_the_quiz(browser: Any, learning_server) -> None:
    base, employee_no = learning_server
    phone_context = _device(browser, base, PHONE, phone=True)
    phone = phone_context.new_page()
    _login(phone, employee_no)
    phone.goto("/training")
    assert "柜面服务三步" in phone.inner_text("main")
    _shot(phone, "1-my-training-phone")
    tap(phone, phone.get_by_role("link", name="柜面服务三步"))
    phone.wait_for_url(f"**/training/learn/{CODE}")
    tap(phone, phone.get_by_role("button", name="开始学习"))
    phone.wait_for_url("**/lessons/1")
    assert "第 1 课，共 3 课" in phone.inner_text("main")
    _shot(phone, "2-lesson-1-phone")
    check_accessibility(phone)
    tap(phone, phone.get_by_role("button", name="学完了，下一课"))
    phone.wait_for_url("**/lessons/2")
    phone_context.close()  # stops midway, on lesson 2

    tablet_context = _device(browser, base, TABLET, phone=False)
    tablet = tablet_context.new_page()
    tablet.on("dialog", lambda dialog: dialog.accept())  # "Submit your answers?"
    _login(tablet, employee_no)
    tablet.goto("/training")
    assert "已学 1 / 3 课" in tablet.inner_text("main")
    tablet.get_by_role("link", name="柜面服务三步").click()
    tablet.wait_for_url(f"**/training/learn/{CODE}")
    _shot(tablet, "3-module-tablet")
    tablet.get_by_role("button", name="继续学习第 2 课").click()
    tablet.wait_for_url("**/lessons/2")
    tablet.get_by_role("button", name="学完了，下一课").click()
    tablet.wait_for_url("**/lessons/3")
    _shot(tablet, "4-lesson-3-tablet")
    tablet.get_by_role("button", name="学完了，去测验").click()
    tablet.wait_for_url(f"**/training/learn/{CODE}#finish")
    tablet.get_by_role("button", name="参加测验").click()
    tablet.wait_for_url("**/quizzes/attempts/**")
    tablet.get_by_label("选项B").check()
    _shot(tablet, "5-quiz-tablet")
    tablet.locator("#submit-form button[type=submit]").click()
    tablet.wait_for_load_state()
    back = tablet.locator(f"a[href='/training/learn/{CODE}']").first
    back.click()
    tablet.wait_for_url(f"**/training/learn/{CODE}")
    assert "测验已通过" in tablet.inner_text("main")
    tablet.get_by_role("button", name="完成课程").click()
    tablet.wait_for_url("**/training/certificates/TC-**")
    text = tablet.inner_text("main")
    assert "培训合格证书" in text and "赵敏" in text and "有效" in text
    _shot(tablet, "6-certificate-tablet")
    check_accessibility(tablet)
    tablet_context.close()
