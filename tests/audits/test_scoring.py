"""Scoring in both styles against results computed by hand."""

import pytest

from audits.scoring import ItemAnswer, ItemRule, one_decimal, score_audit, score_item


def _answers(**by_id: str | tuple[str, int] | None) -> dict[int, ItemAnswer]:
    out: dict[int, ItemAnswer] = {}
    for key, value in by_id.items():
        item_id = int(key.lstrip("i"))
        if isinstance(value, tuple):
            out[item_id] = ItemAnswer(value[0], value[1])
        else:
            out[item_id] = ItemAnswer(value)
    return out


# A deduction sheet as in the issue: 3 points, 10 points at 2 per occurrence, 5 points N/A
# allowed, and a veto item.
DEDUCTION = (
    ItemRule(1, 3),
    ItemRule(2, 10, per_occurrence=2),
    ItemRule(3, 5),
    ItemRule(4, 0, veto=True),
)
# A weighted call check: weights 1, 2, 3, 4 and a veto item.
WEIGHTED = (
    ItemRule(1, 1),
    ItemRule(2, 2),
    ItemRule(3, 3),
    ItemRule(4, 4),
    ItemRule(5, 0, veto=True),
)


def test_deduction_all_pass_scores_full_marks():
    score = score_audit(
        DEDUCTION, _answers(i1="pass", i2="pass", i3="pass", i4="pass"), deduction=True
    )
    assert (score.points_possible, score.points_earned, score.score) == (18, 18, 100.0)
    assert not score.veto_breached
    assert (score.answered, score.unanswered) == (4, 0)


def test_deduction_fail_deducts_all_points():
    # 3 lost of 18: 15/18 = 83.33… → 83.3
    score = score_audit(
        DEDUCTION, _answers(i1="fail", i2="pass", i3="pass", i4="pass"), deduction=True
    )
    assert (score.points_possible, score.points_earned, score.score) == (18, 15, 83.3)
    assert score.items[0].deducted == 3


def test_per_occurrence_deducts_per_occurrence():
    # three forbidden phrases at 2 each: 6 lost of 18 → 12/18 = 66.666… → 66.7
    score = score_audit(
        DEDUCTION, _answers(i1="pass", i2=("fail", 3), i3="pass", i4="pass"), deduction=True
    )
    assert (score.points_earned, score.score) == (12, 66.7)
    assert score.items[1].points_earned == 4
    assert score.items[1].deducted == 6


def test_per_occurrence_is_capped_at_the_items_points():
    # seven occurrences would be 14, the item has 10: 8/18 = 44.4
    score = score_audit(
        DEDUCTION, _answers(i1="pass", i2=("fail", 7), i3="pass", i4="pass"), deduction=True
    )
    assert score.items[1].points_earned == 0
    assert score.items[1].deducted == 10
    assert (score.points_earned, score.score) == (8, 44.4)


def test_per_occurrence_fail_without_a_count_is_one_occurrence():
    item = score_item(ItemRule(2, 10, per_occurrence=2), ItemAnswer("fail", 0), deduction=True)
    assert (item.points_possible, item.points_earned, item.deducted) == (10, 8, 2)


def test_na_leaves_both_sides():
    # without the 5-point item: 3 + 10 possible, 3 + 6 earned (2 occurrences) → 9/13 = 69.23 → 69.2
    score = score_audit(
        DEDUCTION, _answers(i1="pass", i2=("fail", 2), i3="na", i4="pass"), deduction=True
    )
    assert (score.points_possible, score.points_earned, score.score) == (13, 9, 69.2)
    assert score.items[2].points_possible is None


def test_veto_breach_shows_zero_and_keeps_the_would_be_score():
    score = score_audit(
        DEDUCTION, _answers(i1="fail", i2="pass", i3="pass", i4="fail"), deduction=True
    )
    assert score.veto_breached
    assert score.score == 0.0
    assert score.score_before_veto == 83.3
    assert (score.points_possible, score.points_earned) == (18, 15)


def test_veto_item_carries_no_points_even_if_given_some():
    rules = (ItemRule(1, 4), ItemRule(2, 6, veto=True))
    score = score_audit(rules, _answers(i1="pass", i2="pass"), deduction=True)
    assert (score.points_possible, score.points_earned, score.score) == (4, 4, 100.0)


def test_weighted_pass_and_fail():
    # fail weights 2 and 4: earned 1 + 3 = 4 of 10 → 40.0
    score = score_audit(
        WEIGHTED, _answers(i1="pass", i2="fail", i3="pass", i4="fail", i5="pass"), deduction=False
    )
    assert (score.points_possible, score.points_earned, score.score) == (10, 4, 40.0)


def test_weighted_na_leaves_the_denominator():
    # weight 4 N/A: 1 + 3 of 6 → 66.7
    score = score_audit(
        WEIGHTED, _answers(i1="pass", i2="fail", i3="pass", i4="na", i5="pass"), deduction=False
    )
    assert (score.points_possible, score.points_earned, score.score) == (6, 4, 66.7)


def test_weighted_ignores_per_occurrence():
    rules = (ItemRule(1, 5, per_occurrence=1), ItemRule(2, 5))
    score = score_audit(rules, _answers(i1=("fail", 1), i2="pass"), deduction=False)
    assert (score.points_earned, score.score) == (5, 50.0)


def test_weighted_veto():
    score = score_audit(
        WEIGHTED, _answers(i1="pass", i2="pass", i3="pass", i4="pass", i5="fail"), deduction=False
    )
    assert (score.score, score.score_before_veto, score.veto_breached) == (0.0, 100.0, True)


def test_unanswered_items_are_left_out_of_the_running_score():
    score = score_audit(DEDUCTION, _answers(i1="fail", i2="pass"), deduction=True)
    # 10 of 13 → 76.9
    assert (score.points_possible, score.points_earned, score.score) == (13, 10, 76.9)
    assert (score.answered, score.unanswered) == (2, 2)


def test_nothing_answered_has_no_score():
    score = score_audit(DEDUCTION, {}, deduction=True)
    assert score.score is None
    assert (score.points_possible, score.points_earned) == (0, 0)
    assert score.unanswered == 4


def test_all_na_has_no_score_but_a_veto_breach_still_shows_zero():
    rules = (ItemRule(1, 3), ItemRule(2, 0, veto=True))
    assert score_audit(rules, _answers(i1="na", i2="pass"), deduction=True).score is None
    breached = score_audit(rules, _answers(i1="na", i2="fail"), deduction=True)
    assert (breached.score, breached.score_before_veto) == (0.0, None)


def test_half_points_add_up_without_binary_noise():
    # 0.1 + 0.2 possible, 0.1 earned: 33.3; sums stay exact
    rules = (ItemRule(1, 0.1), ItemRule(2, 0.2), ItemRule(3, 0.5, per_occurrence=0.1))
    score = score_audit(rules, _answers(i1="pass", i2="fail", i3=("fail", 3)), deduction=True)
    assert score.points_possible == 0.8
    assert score.points_earned == 0.3
    assert score.items[2].points_earned == 0.2
    assert score.score == 37.5


@pytest.mark.parametrize(
    ("value", "shown"),
    [(83.33333, 83.3), (66.66666, 66.7), (12.25, 12.3), (12.35, 12.4), (99.95, 100.0), (0.04, 0.0)],
)
def test_one_decimal_rounds_half_up(value, shown):
    assert one_decimal(value) == shown


def test_pass_ignores_occurrences():
    item = score_item(ItemRule(2, 10, per_occurrence=2), ItemAnswer("pass", 4), deduction=True)
    assert (item.points_earned, item.deducted) == (10, 0)


def test_write_score_sets_the_audit_and_each_result():
    from datetime import UTC, datetime

    from audits.models import Audit, ItemResult, Method, Scoring, TemplateItem
    from audits.scoring import write_score

    items = [
        TemplateItem(
            id=1, version_id=1, section_id=1, position=0, code="A", text_zh="甲", points=3
        ),
        TemplateItem(
            id=2,
            version_id=1,
            section_id=1,
            position=1,
            code="B",
            text_zh="乙",
            points=10,
            per_occurrence=2,
        ),
        TemplateItem(
            id=3, version_id=1, section_id=1, position=2, code="C", text_zh="丙", veto=True
        ),
    ]
    results = [
        ItemResult(audit_id=9, item_id=1, outcome="pass"),
        ItemResult(audit_id=9, item_id=2, outcome="fail", occurrences=3),
        ItemResult(audit_id=9, item_id=3, outcome="fail"),
    ]
    audit = Audit(
        template_id=1,
        template_version_id=1,
        auditor_id=1,
        method=Method.on_site,
        observed_at=datetime.now(UTC),
    )
    write_score(audit, scoring=Scoring.deduction, items=items, results=results)
    assert (audit.points_possible, audit.points_earned) == (13, 7)
    assert (audit.score, audit.score_before_veto, audit.veto_breached) == (0.0, 53.8, True)
    assert [(r.points_possible, r.points_earned) for r in results] == [
        (3, 3),
        (10, 4),
        (None, None),
    ]
