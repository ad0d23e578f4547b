"""A lesson's text: sanitised Markdown, only this app's uploaded images, and embedded standards
that always show the version in force in the reader's language."""

from datetime import timedelta

from staff.models import Position
from tests.factories import PASSWORD, make_person, make_standard, publish_new_version
from tests.training.learner_helpers import enroll, make_learning_module
from training.enrollment import bank_today
from training.lesson_text import embedded_codes, render_markdown

LESSON = "先读这条标准：\n\n{{standard GRT-01}}\n\n读完再继续。"


def test_markdown_is_sanitised_and_only_our_images_stay():
    ours = "/training/images/" + "a" * 32 + ".png"
    html = str(
        render_markdown(
            f"![ok]({ours}) ![no](https://evil.example/x.png) <script>x</script> "
            "[a](javascript:alert(1))"
        )
    )
    assert f'src="{ours}"' in html
    assert "evil.example" not in html
    assert "<script>" not in html
    assert "javascript:" not in html.replace("[a](javascript:alert(1))", "")


def test_embedded_codes_are_found_only_on_their_own_line():
    assert embedded_codes(LESSON) == ["GRT-01"]
    assert embedded_codes("inline {{standard GRT-01}} text") == []


def _learner_on_lesson(db, client, covers=()):
    learner = make_person(db, position=Position.teller)
    module = make_learning_module(db, lessons=1, bodies=(LESSON,), standard_codes=covers)
    enroll(db, person=learner, module=module, due_on=bank_today() + timedelta(days=5))
    client.login(learner.employee_no, PASSWORD)
    client.submit("/training/learn/TRN-COUNTER-01/start", token_page="/training")
    return "/training/learn/TRN-COUNTER-01/lessons/1"


def test_a_lesson_shows_the_standard_version_in_force_in_the_readers_language(db, client):
    make_standard(db, code="GRT-01")
    lesson = _learner_on_lesson(db, client, covers=("GRT-01",))
    zh = client.get(lesson + "?lang=zh").text
    assert "柜面迎客" in zh and "Version 1, in force" in zh and "您好!" in zh
    en = client.get(lesson + "?lang=en").text
    assert "Greeting at the counter" in en and "Hello!" in en
    publish_new_version(
        db, "GRT-01", change_note="修订", title_zh="柜面迎客（修订）", title_en="Greeting, revised"
    )
    revised = client.get(lesson + "?lang=zh").text
    assert "柜面迎客（修订）" in revised and "Version 2, in force" in revised


def test_a_standard_not_in_force_is_said_so(db, client):
    lesson = _learner_on_lesson(db, client)
    assert "Standard GRT-01 is not in force." in client.get(lesson).text


def test_a_lesson_read_before_follows_its_standard_in_and_out_of_force(db, client):
    """The body is kept rendered per lesson: it must still change with what is in force."""
    from standards import service as standards_service

    lesson = _learner_on_lesson(db, client)
    assert "Standard GRT-01 is not in force." in client.get(lesson).text
    make_standard(db, code="GRT-01")
    shown = client.get(lesson).text
    assert "Version 1, in force" in shown and "is not in force" not in shown
    with db.session() as session:
        standard = standards_service.get_by_code(session, code="GRT-01")
        standards_service.retire(session, standard=standard, change_note="停用", actor_id=None)
    assert "Standard GRT-01 is not in force." in client.get(lesson).text


def test_a_lesson_body_is_kept_per_interface_language(db, client):
    make_standard(db, code="GRT-01")
    lesson = _learner_on_lesson(db, client, covers=("GRT-01",))
    assert "Version 1, in force" in client.get(lesson).text
    client.submit("/language", token_page=lesson, data={"locale": "zh_CN", "next": lesson})
    assert "第 1 版，现行" in client.get(lesson).text
