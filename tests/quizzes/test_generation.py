"""Drafting questions from a standard's content (pure: no database)."""

from typing import Any

from quizzes.generation import (
    GENERAL_FORBIDDEN,
    MAX_ORDERING_STEPS,
    draft_questions,
    forbidden_question,
    ordering_question,
    script_choice_questions,
    script_response_question,
)


def content(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": "greeting",
        "title_zh": "柜面迎客",
        "title_en": "Greeting at the counter",
        "steps": [
            {"zh": "举手招迎", "en": "Raise a hand"},
            {"zh": "主动问候", "en": "Greet first"},
            {"zh": "核对号票", "en": "Check the ticket"},
            {"zh": "请客户入座", "en": "Invite to sit"},
        ],
        "required_phrases": [
            {"text": "您好!", "en": "Hello!", "variants": ["您好"]},
            {"text": "您请坐。", "en": "Please have a seat.", "variants": []},
        ],
        "forbidden_phrases": [
            {"text": "没看见我忙吗?", "en": "Can't you see I'm busy?"},
            {"text": "急啥,等等。", "en": "What's the rush? Wait."},
        ],
    }
    values.update(overrides)
    return values


def test_ordering_question_keeps_the_steps_in_order_in_both_languages() -> None:
    question = ordering_question("GRT-01", content())
    assert question is not None
    assert question.kind == "ordering"
    assert [o.text_zh for o in question.options] == [
        "举手招迎",
        "主动问候",
        "核对号票",
        "请客户入座",
    ]
    assert question.options[0].text_en == "Raise a hand"
    assert "柜面迎客" in question.stem_zh and "Greeting at the counter" in question.stem_en
    assert question.standard_code == "GRT-01"
    assert "greeting" in question.tags


def test_ordering_needs_three_steps_and_keeps_at_most_eight() -> None:
    assert ordering_question("GRT-01", content(steps=[{"zh": "a"}, {"zh": "b"}])) is None
    many = [{"zh": f"第{i}步", "en": f"step {i}"} for i in range(12)]
    question = ordering_question("GRT-01", content(steps=many))
    assert question is not None
    assert len(question.options) == MAX_ORDERING_STEPS
    assert question.options[0].text_zh == "第0步"


def test_forbidden_phrases_make_a_multiple_choice_with_every_forbidden_phrase_correct() -> None:
    question = forbidden_question("GRT-01", content())
    assert question is not None
    assert question.kind == "multiple"
    correct = {o.text_zh for o in question.options if o.correct}
    assert correct == {"没看见我忙吗?", "急啥,等等。"}
    wrong = {o.text_zh for o in question.options if not o.correct}
    assert wrong == {"您好!", "您请坐。"}
    assert all(o.feedback_zh and o.feedback_en for o in question.options)
    # The right answers are not all listed first.
    assert not (question.options[0].correct and question.options[1].correct)


def test_one_forbidden_phrase_makes_a_single_choice_and_none_makes_no_question() -> None:
    one = content(forbidden_phrases=[{"text": "喂,到你了。", "en": "Hey, you're up."}])
    question = forbidden_question("GRT-01", one)
    assert question is not None and question.kind == "single"
    assert sum(o.correct for o in question.options) == 1
    assert forbidden_question("GRT-01", content(forbidden_phrases=[])) is None
    assert forbidden_question("GRT-01", content(required_phrases=[])) is None


def test_each_required_phrase_makes_a_script_choice_with_one_compliant_answer() -> None:
    questions = script_choice_questions("GRT-01", content())
    assert len(questions) == 2
    for question, phrase in zip(questions, ["您好!", "您请坐。"], strict=True):
        assert question.kind == "script_choice"
        assert [o.text_zh for o in question.options if o.correct] == [phrase]
        assert len(question.options) == 4
        texts = [o.text_zh for o in question.options]
        assert len(set(texts)) == len(texts)
    # The right answer is not always in the same place.
    positions = [next(i for i, o in enumerate(q.options) if o.correct) for q in questions]
    assert positions[0] != positions[1]


def test_script_choice_fills_distractors_from_the_general_forbidden_phrases() -> None:
    questions = script_choice_questions("GRT-01", content(forbidden_phrases=[]))
    wrong = [o.text_zh for o in questions[0].options if not o.correct]
    assert wrong == [zh for zh, _ in GENERAL_FORBIDDEN[:3]]
    own_first = script_choice_questions(
        "GRT-01", content(forbidden_phrases=[{"text": "我不知道。", "en": "I don't know."}])
    )
    wrong = [o.text_zh for o in own_first[0].options if not o.correct]
    assert wrong[0] == "我不知道。" and wrong.count("我不知道。") == 1


def test_script_response_drill_needs_required_phrases() -> None:
    question = script_response_question("GRT-01", content())
    assert question is not None
    assert question.kind == "script_response" and question.options == ()
    assert "您好!" in question.explanation_zh
    assert script_response_question("GRT-01", content(required_phrases=[])) is None


def test_english_falls_back_to_chinese_where_the_standard_has_no_english() -> None:
    question = ordering_question("GRT-01", content(title_en=""))
    assert question is not None
    assert "柜面迎客" in question.stem_en


def test_draft_questions_is_stable_and_covers_every_source() -> None:
    drafts = draft_questions(code="GRT-01", content=content())
    assert [d.kind for d in drafts] == [
        "ordering",
        "multiple",
        "script_choice",
        "script_choice",
        "script_response",
    ]
    assert drafts == draft_questions(code="GRT-01", content=content())


def test_a_rule_without_steps_or_phrases_drafts_nothing() -> None:
    empty = content(steps=[], required_phrases=[], forbidden_phrases=[])
    assert draft_questions(code="APP-01", content=empty) == []
