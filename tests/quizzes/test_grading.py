"""Grading, type by type, under both scoring rules, with the edge cases of each."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from quizzes.grading import (
    chosen_text,
    grade,
    grade_multiple,
    grade_ordering,
    grade_script_response,
    normalise,
    score,
)
from quizzes.models import QuestionType, ScoringRule

AON = ScoringRule.all_or_nothing
PARTIAL = ScoringRule.partial_with_penalty


@dataclass
class Q:
    type: QuestionType
    correct: list[str] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    required_phrases: list[dict[str, Any]] = field(default_factory=list)
    forbidden_phrases: list[dict[str, Any]] = field(default_factory=list)


def opts(*keys: str) -> list[dict[str, Any]]:
    return [{"key": k, "zh": k, "en": k} for k in keys]


SINGLE = Q(QuestionType.single, ["B"], opts("A", "B", "C", "D"))
MULTI = Q(QuestionType.multiple, ["A", "C"], opts("A", "B", "C", "D"))
ORDER = Q(QuestionType.ordering, ["A", "B", "C", "D"], opts("A", "B", "C", "D"))
REQUIRED = [
    {"text": "您好", "en": "Hello", "variants": ["你好"]},
    {"text": "请您出示身份证件,谢谢。", "en": "Your ID please", "variants": ["请出示您的身份证"]},
    {"text": "请问您办理什么业务?", "en": "How can I help", "variants": []},
]
FORBIDDEN = [{"text": "我不知道。", "en": "I don't know."}, {"text": "急啥,等等。", "en": "Wait."}]
SCRIPT = Q(QuestionType.script_response, required_phrases=REQUIRED, forbidden_phrases=FORBIDDEN)


@pytest.mark.parametrize("kind", [QuestionType.single, QuestionType.script_choice])
@pytest.mark.parametrize(
    ("keys", "credit"), [(["B"], 1.0), (["A"], 0.0), (["B", "A"], 0.0), (["Z"], 0.0)]
)
def test_one_pick(kind, keys, credit):
    question = Q(kind, ["B"], opts("A", "B", "C", "D"))
    for rule in (AON, PARTIAL):
        graded = grade(question, {"keys": keys}, rule)
        assert graded.credit == credit
        assert graded.correct is (credit == 1.0)


def test_true_false():
    question = Q(QuestionType.true_false, ["F"], opts("T", "F"))
    assert grade(question, {"keys": ["F"]}, AON).correct
    assert not grade(question, {"keys": ["T"]}, PARTIAL).correct


@pytest.mark.parametrize("answer", [None, {}, {"keys": []}, {"keys": "B"}, {"keys": [1]}])
def test_no_or_malformed_answer_earns_nothing(answer):
    graded = grade(SINGLE, answer, PARTIAL)
    assert graded.credit == 0.0
    assert graded.detail == {"unanswered": True}


@pytest.mark.parametrize(
    ("keys", "aon", "partial"),
    [
        (["A", "C"], 1.0, 1.0),
        (["C", "A"], 1.0, 1.0),  # order of picks does not matter
        (["A"], 0.0, 0.5),
        (["A", "B"], 0.0, 0.0),  # 1/2 right − 1/2 wrong
        (["A", "C", "B"], 0.0, 0.5),  # 1 − 1/2
        (["A", "B", "C", "D"], 0.0, 0.0),  # ticking everything earns nothing
        (["B", "D"], 0.0, 0.0),  # never below zero
        (["B"], 0.0, 0.0),
        (["A", "A"], 0.0, 0.5),  # a key twice counts once
    ],
)
def test_multiple(keys, aon, partial):
    assert grade(MULTI, {"keys": keys}, AON).credit == aon
    assert grade(MULTI, {"keys": keys}, PARTIAL).credit == partial


def test_multiple_reports_right_wrong_and_missed():
    graded = grade(MULTI, {"keys": ["A", "B"]}, PARTIAL)
    assert graded.detail == {"right": ["A"], "wrong": ["B"], "missed": ["C"]}


def test_multiple_where_every_option_is_right_has_no_penalty_to_divide():
    question = Q(QuestionType.multiple, ["A", "B"], opts("A", "B"))
    assert grade_multiple(["A"], question.correct, ["A", "B"], PARTIAL).credit == 0.5


def test_multiple_thirds_round():
    question = Q(QuestionType.multiple, ["A", "B", "C"], opts("A", "B", "C", "D"))
    assert grade(question, {"keys": ["A"]}, PARTIAL).credit == 0.3333


@pytest.mark.parametrize(
    ("keys", "aon", "partial"),
    [
        (["A", "B", "C", "D"], 1.0, 1.0),
        (["B", "C", "D", "A"], 0.0, 0.6667),  # BC and CD kept
        (["D", "C", "B", "A"], 0.0, 0.0),
        (["A", "B", "D", "C"], 0.0, 0.3333),
        (["A", "B", "C"], 0.0, 0.0),  # a step left out
        (["A", "B", "C", "C"], 0.0, 0.0),  # a step twice
        (["A", "B", "C", "E"], 0.0, 0.0),  # a step not shown
    ],
)
def test_ordering(keys, aon, partial):
    assert grade(ORDER, {"keys": keys}, AON).credit == aon
    assert grade(ORDER, {"keys": keys}, PARTIAL).credit == pytest.approx(partial)


def test_ordering_reports_steps_in_place_and_invalid_answers():
    assert grade_ordering(["A", "C", "B", "D"], ORDER.correct, PARTIAL).detail == {
        "in_place": [0, 3]
    }
    assert grade_ordering(["A"], ORDER.correct, PARTIAL).detail == {"invalid": True}


def test_ordering_of_one_step():
    assert grade_ordering(["A"], ["A"], PARTIAL).credit == 1.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("请您出示身份证件,谢谢。", "请您出示身份证件谢谢"),
        ("请您出示身份证件，谢谢！", "请您出示身份证件谢谢"),  # full-width punctuation
        ("ＡＢＣ　１２３", "abc123"),  # full-width letters, digits and space
        ("Hello,  World!", "helloworld"),
        ("“您好”\n\t", "您好"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_script_response_all_phrases_said():
    said = "您好！请问您办理什么业务？请您出示身份证件，谢谢。"
    graded = grade(SCRIPT, {"text": said}, AON)
    assert graded.correct
    assert graded.detail == {"met": [0, 1, 2], "missed": [], "forbidden": []}


def test_script_response_variants_count():
    said = "你好 请出示您的身份证 请问您办理什么业务"
    assert grade(SCRIPT, {"text": said}, AON).detail["met"] == [0, 1, 2]


def test_script_response_ignores_punctuation_spaces_and_width():
    said = "您 好。请 您 出 示 身 份 证 件 ， 谢 谢 请问您办理什么业务？"
    assert grade(SCRIPT, {"text": said}, AON).correct


def test_script_response_missed_phrases_are_reported():
    graded = grade(SCRIPT, {"text": "您好,请问您办理什么业务"}, PARTIAL)
    assert graded.detail == {"met": [0, 2], "missed": [1], "forbidden": []}
    assert graded.credit == pytest.approx(0.6667)
    assert grade(SCRIPT, {"text": "您好,请问您办理什么业务"}, AON).credit == 0.0


def test_script_response_forbidden_phrase_heard():
    said = "您好,我不知道,请问您办理什么业务?请您出示身份证件,谢谢"
    graded = grade(SCRIPT, {"text": said}, PARTIAL)
    assert graded.detail["forbidden"] == [0]
    assert graded.credit == pytest.approx(0.6667)  # one forbidden cancels one met
    assert grade(SCRIPT, {"text": said}, AON).credit == 0.0


def test_script_response_forbidden_in_full_width_and_with_spaces():
    said = "急 啥，等 等！"
    assert grade(SCRIPT, {"text": said}, PARTIAL).detail["forbidden"] == [1]


def test_script_response_never_below_zero():
    graded = grade(SCRIPT, {"text": "我不知道。急啥,等等。"}, PARTIAL)
    assert graded.credit == 0.0
    assert graded.detail["forbidden"] == [0, 1]


@pytest.mark.parametrize("text", ["", "   ", "。,!", None])
def test_script_response_blank_earns_nothing(text):
    assert grade(SCRIPT, {"text": text}, PARTIAL).detail == {"unanswered": True}


def test_script_response_with_only_forbidden_phrases():
    graded = grade_script_response("您好", [], FORBIDDEN, PARTIAL)
    assert graded.correct
    assert not grade_script_response("我不知道", [], FORBIDDEN, PARTIAL).correct


def test_script_response_empty_variants_are_ignored():
    phrase = [{"text": "您好", "variants": ["", "  "]}]
    assert not grade_script_response("谢谢", phrase, [], AON).correct


def test_chosen_text():
    assert chosen_text(QuestionType.multiple, {"keys": ["C", "A", "C"]}) == ",A,C,"
    assert chosen_text(QuestionType.single, {"keys": ["B"]}) == ",B,"
    assert chosen_text(QuestionType.ordering, {"keys": ["B", "A"]}) == "B,A"
    assert chosen_text(QuestionType.script_response, {"text": "x"}) is None
    assert chosen_text(QuestionType.single, None) is None


def test_score():
    result = score([(1.0, 1), (0.5, 2), (0.0, 1)])
    assert (result.earned, result.possible, result.percent) == (2.0, 4.0, 50.0)
    assert result.passes(50)
    assert not result.passes(51)
    assert score([]).percent == 0.0
    assert score([(0.3333, 1), (0.3333, 1), (0.3334, 1)]).percent == 33.33
