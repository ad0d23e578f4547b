"""The question bank's rules: content per type, versioning once answered, drafts from a
standard, status changes, search."""

from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from quizzes import bank
from quizzes.bank_schemas import QuestionContent, parse_tags
from quizzes.models import Attempt, AttemptItem, Question, QuestionTag, QuestionVersion, Status
from tests.concurrency import at_once
from tests.factories import make_person, make_standard


def single(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "single",
        "stem_zh": "客户走近柜台时,应先说什么?",
        "stem_en": "What do you say first when a customer comes to the counter?",
        "options": [
            {"key": "A", "zh": "您好!", "en": "Hello!", "feedback_zh": "对。"},
            {"key": "B", "zh": "喂,到你了。", "en": "Hey, you're up."},
        ],
        "correct": ["A"],
        "tags": ["迎客", "counter"],
    }
    data.update(overrides)
    return data


def content(**overrides: Any) -> QuestionContent:
    return QuestionContent.model_validate(single(**overrides))


# ---- content per type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"correct": []}, "Mark exactly one right option."),
        ({"correct": ["A", "B"]}, "Mark exactly one right option."),
        ({"correct": ["C"]}, "does not exist"),
        ({"options": [{"key": "A", "zh": "您好!"}]}, "at least two options"),
        ({"options": [{"key": "A", "zh": "x"}, {"key": "C", "zh": "y"}]}, "lettered A, B"),
        ({"type": "multiple", "correct": []}, "at least one right option"),
        ({"type": "script_response"}, "no options"),
        ({"type": "script_response", "options": [], "correct": []}, "choose the standard"),
        ({"type": "ordering", "correct": ["B", "A"]}, "its options, in order"),
        ({"standard_code": "grt1"}, "GRT-01"),
        ({"tags": ["a,b"]}, "without commas"),
        ({"tags": ["a", "a"]}, "only once"),
        ({"stem_zh": "  "}, "at least 1"),
    ],
)
def test_content_is_checked_for_its_type(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        content(**overrides)
    assert message in str(raised.value)


def test_multiple_choice_and_ordering_keys() -> None:
    assert content(type="multiple", correct=["A", "B"]).correct == ["A", "B"]
    assert content(type="ordering", correct=[]).correct == ["A", "B"]


def test_true_false_always_has_the_same_two_options_and_keeps_their_feedback() -> None:
    value = content(
        type="true_false",
        options=[{"key": "F", "zh": "whatever", "feedback_zh": "错误:要先问候。"}],
        correct=["F"],
    )
    assert [(o.key, o.zh) for o in value.options] == [("T", "正确"), ("F", "错误")]
    assert value.options[1].feedback_zh == "错误:要先问候。"


def test_tags_typed_in_one_box() -> None:
    assert parse_tags("迎客, counter，禁语、迎客  x") == ["迎客", "counter", "禁语", "x"]


# ---- versions ------------------------------------------------------------------------------------


def _answer(db, version_id: int) -> None:
    """Record that an attempt showed this version (the attempt engine's rows, bare)."""
    person = make_person(db)
    with db.session() as session:
        from quizzes.models import Quiz

        quiz = Quiz(code=f"QZ-{version_id}-{person.id}", title_zh="测验")
        session.add(quiz)
        session.flush()
        attempt = Attempt(
            quiz_id=quiz.id,
            person_id=person.id,
            number=1,
            seed=1,
            pass_mark=60,
            scoring_rule="all_or_nothing",
        )
        session.add(attempt)
        session.flush()
        session.add(AttemptItem(attempt_id=attempt.id, position=1, question_version_id=version_id))


def test_editing_an_unanswered_question_changes_its_version_in_place(db) -> None:
    with db.session() as session:
        question, version = bank.create_question(session, content=content(), actor_id=None)
        again = bank.save_question(
            session, question=question, content=content(stem_zh="新题干"), actor_id=None
        )
        assert again.id == version.id and again.number == 1 and again.stem_zh == "新题干"


def test_editing_an_answered_question_makes_a_new_version_and_keeps_the_old_one(db) -> None:
    with db.session() as session:
        question, first = bank.create_question(session, content=content(), actor_id=None)
        question_id, first_id = question.id, first.id
    _answer(db, first_id)
    with db.session() as session:
        question = bank.get_question(session, question_id=question_id)
        unchanged = bank.save_question(session, question=question, content=content(), actor_id=None)
        assert unchanged.id == first_id  # nothing changed, nothing written
        second = bank.save_question(
            session, question=question, content=content(tags=["迎客"]), actor_id=None
        )
        assert second.number == 2 and question.current_version_id == second.id
        old = session.get(QuestionVersion, first_id)
        assert old.tags == ["迎客", "counter"]
        tags = session.exec(select(QuestionTag.tag).where(QuestionTag.version_id == second.id))
        assert list(tags) == ["迎客"]
        actions = [e.action for e in session.exec(select(AuditTrailEvent))]
        assert actions.count("question.update") == 1


def test_a_retired_question_cannot_be_edited(db) -> None:
    with db.session() as session:
        question, _ = bank.create_question(session, content=content(), actor_id=None)
        bank.set_status(session, question=question, status=Status.archived, actor_id=None)
        with pytest.raises(bank.BankError):
            bank.save_question(session, question=question, content=content(), actor_id=None)


def test_a_script_response_copies_the_phrases_of_the_standard_in_force(db) -> None:
    _standard, standard_version = make_standard(db, code="GRT-01")
    script = content(type="script_response", options=[], correct=[], standard_code="GRT-01")
    with db.session() as session:
        _, version = bank.create_question(session, content=script, actor_id=None)
        assert version.standard_version_id == standard_version.id
        assert version.required_phrases[0]["text"] == "您好!"
        assert version.forbidden_phrases[0]["text"] == "没看见我忙吗?"
        assert version.category == "greeting"
        with pytest.raises(bank.BankError):
            bank.create_question(session, content=content(standard_code="NON-99"), actor_id=None)


# ---- drafts from a standard -------------------------------------------------------------------


def test_generating_from_a_standard_makes_drafts_once(db) -> None:
    steps = [{"zh": f"第{i}步", "en": f"Step {i}"} for i in range(1, 5)]
    make_standard(db, code="GRT-01", steps=steps)
    with db.session() as session:
        made, skipped = bank.generate_drafts(session, code="GRT-01", actor_id=None)
        assert skipped == 0
        codes = [q.code for q in made]
        assert codes == ["Q-GRT-01-01", "Q-GRT-01-02", "Q-GRT-01-03", "Q-GRT-01-04"]
        assert {q.status for q in made} == {Status.draft}
        types = [bank.current_version(session, question=q).type.value for q in made]
        assert types == ["ordering", "single", "script_choice", "script_response"]
    with db.session() as session:
        again, skipped = bank.generate_drafts(session, code="GRT-01", actor_id=None)
        assert again == [] and skipped == 4
        assert len(session.exec(select(Question)).all()) == 4


def test_generating_needs_a_standard_in_force(db) -> None:
    make_standard(db, code="GRT-02", publish=False)
    with db.session() as session, pytest.raises(bank.BankError):
        bank.generate_drafts(session, code="GRT-02", actor_id=None)


# ---- search ------------------------------------------------------------------------------------


def test_search_filters_by_type_tag_standard_status_and_text(db) -> None:
    make_standard(db, code="GRT-01")
    with db.session() as session:
        a, _ = bank.create_question(session, content=content(), actor_id=None, code="Q-A")
        bank.create_question(
            session,
            content=content(type="multiple", correct=["A", "B"], tags=["禁语"]),
            actor_id=None,
            code="Q-B",
        )
        bank.create_question(
            session,
            content=content(standard_code="GRT-01", stem_zh="唱收唱付"),
            actor_id=None,
            code="Q-C",
        )
        bank.set_status(session, question=a, status=Status.published, actor_id=None)

    def codes(**filters: Any) -> list[str]:
        with db.session() as session:
            rows, total = bank.search(session, filters=bank.BankFilters(**filters))
            assert total == len(rows)
            return [row.code for row in rows]

    assert codes() == ["Q-A", "Q-B", "Q-C"]
    assert codes(type="multiple") == ["Q-B"]
    assert codes(tag="禁语") == ["Q-B"]
    assert codes(standard_code="GRT-01") == ["Q-C"]
    assert codes(status=Status.published) == ["Q-A"]
    assert codes(text="唱收") == ["Q-C"]
    assert codes(text="q-b") == ["Q-B"]
    assert codes(text="100%") == []


# ---- two authors at once ---------------------------------------------------------------------


def test_a_question_numbered_at_the_same_moment_takes_the_next_number(db, database_url) -> None:
    """Two authors saving a new question at once both number it Q-0001; on PostgreSQL the
    second's insert waits for the first, then takes the next free number instead of a 500."""

    def hold(session):  # another author's new question, not yet committed
        session.add(Question(code="Q-0001"))
        session.flush()

    def create(session):
        return bank.create_question(session, content=content(), actor_id=None)[0].code

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert second == "Q-0002"


def test_a_typed_question_code_taken_at_the_same_moment_is_refused(db, database_url) -> None:
    def hold(session):  # another author's question, not yet committed
        session.add(Question(code="Q-TWICE-01"))
        session.flush()

    def create(session):
        return bank.create_question(session, content=content(), actor_id=None, code="Q-TWICE-01")

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, bank.BankError)
    assert str(second) == "A question with this code already exists."


def test_an_answered_question_saved_twice_at_once_gets_one_new_version(db, database_url) -> None:
    """Two authors editing an answered question at once: the second waits for the first
    (PostgreSQL: the question is locked) and edits the version it made, rather than making
    the same next version again."""
    with db.session() as session:
        question, first = bank.create_question(session, content=content(), actor_id=None)
    _answer(db, first.id)

    def hold(session):  # another author's new version 2, not yet committed
        locked = session.exec(
            select(Question).where(Question.id == question.id).with_for_update()
        ).one()
        second = QuestionVersion(**first.model_dump(exclude={"id"}, warnings=False) | {"number": 2})
        session.add(second)
        session.flush()
        locked.current_version_id = second.id
        session.add(locked)

    def save(session):
        edited = content(stem_zh="第二位作者的题干")
        question_now = bank.get_question(session, question_id=question.id)
        return bank.save_question(session, question=question_now, content=edited, actor_id=None)

    _, _, saved = at_once(db, database_url, hold=hold, second=save)
    assert saved.number == 2 and saved.stem_zh == "第二位作者的题干"
