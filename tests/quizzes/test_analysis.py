"""Item analysis, results and scorecard figures on a small data set computed by hand.

Three one-point single-choice questions (A right), five candidates:
    candidate  Q1 Q2 Q3  score
    P1          1  1  1  100
    P2          1  1  0  66.67
    P3          1  0  0  33.33
    P4          0  1  0  33.33
    P5          1  0  0  33.33
Rest scores (percent on the other two questions) and the correlations, by hand:
    Q1: x = 1,1,1,0,1  y = 100,50,0,50,0     r = (5·150 − 4·200) / √(4·35000)  = −0.1336
    Q2: x = 1,1,0,1,0  y = 100,50,50,0,50    r = (5·150 − 3·250) / …          = 0
    Q3: x = 1,0,0,0,0  y = 100,100,50,50,50  r = (5·100 − 1·350) / √(4·15000) = 0.6124
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import col

from quizzes import analysis, bank, quiz_builder, reporting, results
from quizzes.bank_schemas import QuestionContent
from quizzes.models import Attempt, AttemptItem, Status
from quizzes.quiz_builder import QuizSettings
from staff.models import Person
from tests.factories import make_branch, make_person, make_team

CREDITS = {
    "P1": (1, 1, 1),
    "P2": (1, 1, 0),
    "P3": (1, 0, 0),
    "P4": (0, 1, 0),
    "P5": (1, 0, 0),
}
WRONG_PICK = {("P4", 0): "C"}  # every other wrong answer picked B
SUBMITTED = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def data(db):
    branch_a, branch_b = make_branch(db, name="东城支行"), make_branch(db, name="西城支行")
    team_a, team_b = (
        make_team(db, branch=branch_a, name="柜面一组"),
        make_team(db, branch=branch_b, name="柜面一组"),
    )
    people = {
        name: make_person(db, name=name, team=team_a if name in ("P1", "P2", "P3") else team_b)
        for name in CREDITS
    }
    with db.session() as session:
        versions = []
        for i in range(3):
            content = QuestionContent.model_validate(
                {
                    "type": "single",
                    "stem_zh": f"第{i + 1}题",
                    "options": [{"key": k, "zh": k} for k in "ABC"],
                    "correct": ["A"],
                }
            )
            _question, version = bank.create_question(
                session, content=content, actor_id=None, code=f"Q-{i + 1}", status=Status.published
            )
            versions.append(version.id)
        quiz = quiz_builder.create_quiz(
            session,
            code="QZ-1",
            settings=QuizSettings(
                title_zh="测验", questions=[{"code": f"Q-{i}"} for i in (1, 2, 3)]
            ),
            actor_id=None,
        )
        for name, credits in CREDITS.items():
            earned = sum(credits)
            attempt = Attempt(
                quiz_id=quiz.id,
                person_id=people[name].id,
                number=1,
                seed=1,
                pass_mark=60,
                scoring_rule="all_or_nothing",
                submitted_at=SUBMITTED,
                closed_reason="submitted",
                points_earned=earned,
                points_possible=3,
                score=round(earned * 100 / 3, 2),
                passed=earned * 100 / 3 >= 60,
            )
            session.add(attempt)
            session.flush()
            for position, (version_id, credit) in enumerate(zip(versions, credits, strict=True)):
                pick = "A" if credit else WRONG_PICK.get((name, position), "B")
                session.add(
                    AttemptItem(
                        attempt_id=attempt.id,
                        position=position + 1,
                        question_version_id=version_id,
                        answer={"keys": [pick]},
                        chosen=f",{pick},",
                        credit=credit,
                        correct=bool(credit),
                    )
                )
        return {"quiz_id": quiz.id, "people": people, "teams": (team_a, team_b)}


def test_item_figures_match_the_hand_computed_ones(db, data, monkeypatch) -> None:
    with db.session() as session:
        items = analysis.item_analysis(session, quiz_id=data["quiz_id"])
    assert [i.code for i in items] == ["Q-1", "Q-2", "Q-3"]
    assert [i.answered for i in items] == [5, 5, 5]
    assert [i.facility for i in items] == pytest.approx([0.8, 0.6, 0.2])
    assert items[0].discrimination == pytest.approx(-50 / (140000**0.5), abs=1e-6)
    assert items[1].discrimination == pytest.approx(0.0, abs=1e-9)
    assert items[2].discrimination == pytest.approx(150 / (60000**0.5), abs=1e-6)
    assert [(o["key"], o["picked"]) for o in items[0].options] == [("A", 4), ("B", 0), ("C", 1)]
    assert [(o["key"], o["picked"]) for o in items[1].options] == [("A", 3), ("B", 2), ("C", 0)]
    # Five answers are too few to flag anything; with the threshold at five:
    assert all(i.flags == [] for i in items)
    monkeypatch.setattr(analysis, "MIN_ANSWERS", 5)
    with db.session() as session:
        items = analysis.item_analysis(session, quiz_id=data["quiz_id"])
    assert items[0].flags == ["negative"]
    assert items[1].flags == ["weak"]
    assert items[2].flags == []  # facility 0.2 is not below 0.2; too few wrong answers


def _figures(**overrides):
    values = {
        "question_id": 1,
        "code": "Q-1",
        "type": "single",
        "stem_zh": "",
        "stem_en": "",
        "answered": 40,
        "facility": 0.5,
        "discrimination": 0.3,
        "options": [
            {"key": "A", "correct": True, "picked": 20},
            {"key": "B", "correct": False, "picked": 12},
            {"key": "C", "correct": False, "picked": 8},
        ],
    }
    values.update(overrides)
    return analysis.ItemFigures(**values)


def test_flags_of_each_kind() -> None:
    assert analysis.flags_of(_figures()) == []
    assert analysis.flags_of(_figures(facility=0.1)) == ["too_hard"]
    assert analysis.flags_of(_figures(facility=0.97)) == ["too_easy"]
    assert analysis.flags_of(_figures(discrimination=0.05)) == ["weak"]
    assert analysis.flags_of(_figures(discrimination=-0.2)) == ["negative"]
    dead = [
        {"key": "A", "correct": True, "picked": 20},
        {"key": "B", "correct": False, "picked": 20},
        {"key": "C", "correct": False, "picked": 0},
    ]
    assert analysis.flags_of(_figures(options=dead)) == ["dead_option"]
    assert analysis.flags_of(_figures(options=dead, answered=9)) == []  # too few answers
    few_wrong = [dict(dead[0], picked=35), dict(dead[1], picked=5), dead[2]]
    assert analysis.flags_of(_figures(options=few_wrong)) == []
    ordering = _figures(type="ordering", options=dead)
    assert analysis.flags_of(ordering) == []


def test_one_question_across_quizzes_and_a_period(db, data) -> None:
    with db.session() as session:
        question_id = bank.get_by_code(session, code="Q-3").id
        [item] = analysis.item_analysis(session, question_id=question_id)
        assert item.code == "Q-3" and item.facility == pytest.approx(0.2)
        later = analysis.item_analysis(
            session, quiz_id=data["quiz_id"], start=datetime(2026, 12, 1, tzinfo=UTC)
        )
        assert later == []


def test_quiz_summary(db, data) -> None:
    with db.session() as session:
        summary = analysis.summary(session, quiz_id=data["quiz_id"])
    assert (summary.attempts, summary.people) == (5, 5)
    assert summary.average_score == pytest.approx((100 + 66.67 + 3 * 33.33) / 5)
    assert summary.pass_rate == pytest.approx(0.4)


def test_correlation_is_undefined_without_spread() -> None:
    assert analysis.correlation(analysis.Sums(3, 3, 3, 150, 7500, 150)) is None
    assert analysis.correlation(analysis.Sums(1, 1, 1, 50, 2500, 50)) is None


def test_results_per_person_team_and_branch_with_scope(db, data) -> None:
    team_a, team_b = data["teams"]
    with db.session() as session:
        rows, total = results.person_results(session, quiz_id=data["quiz_id"], team_ids=None)
        assert total == 5
        assert [(r.name, r.best_score, r.passed) for r in rows][:2] == [
            ("P1", 100.0, True),
            ("P2", 66.67, True),
        ]
        mine, total = results.person_results(session, quiz_id=data["quiz_id"], team_ids=[team_b.id])
        assert total == 2 and {r.name for r in mine} == {"P4", "P5"}
        teams = results.group_results(session, quiz_id=data["quiz_id"], by="team", team_ids=None)
        assert [(g.label, g.people, g.passed) for g in teams] == [
            ("东城支行 · 柜面一组", 3, 2),
            ("西城支行 · 柜面一组", 2, 0),
        ]
        assert teams[0].average_best == pytest.approx((100 + 66.67 + 33.33) / 3)
        branches = results.group_results(
            session, quiz_id=data["quiz_id"], by="branch", team_ids=[team_a.id]
        )
        assert [(g.label, g.people) for g in branches] == [("东城支行", 3)]
        nobody = results.person_results(session, quiz_id=data["quiz_id"], team_ids=[])
        assert nobody == ([], 0)


def test_results_csv_is_safe_for_spreadsheets() -> None:
    row = results.PersonResult(1, "E1", "=HYPERLINK(1)", "一组", "支行", 2, 80.0, True, SUBMITTED)
    text = "".join(results.results_csv([row]))
    assert text.startswith("\ufeffemployee_no,")
    assert "'=HYPERLINK(1)" in text and "2026-11-10T02:00:00Z" in text


def test_scorecard_figures_per_person_in_the_banks_days(db, data) -> None:
    people = data["people"]
    with db.session() as session:
        ids = sa_select(col(Person.id)).where(col(Person.name).in_(["P1", "P4"]))
        figures = reporting.quiz_figures(
            session, people=ids, start=date(2026, 11, 10), end=date(2026, 11, 10)
        )
        assert set(figures) == {people["P1"].id, people["P4"].id}
        p1 = figures[people["P1"].id]
        assert (p1.attempts, p1.first_attempts, p1.first_attempt_passes) == (1, 1, 1)
        assert p1.average_score == 100.0 and p1.first_attempt_pass_rate == 1.0
        assert figures[people["P4"].id].first_attempt_passes == 0
        # 02:00 UTC on the 10th is 10:00 in Shanghai: the 9th holds nothing.
        assert (
            reporting.quiz_figures(
                session, people=ids, start=date(2026, 11, 9), end=date(2026, 11, 9)
            )
            == {}
        )


def test_a_newly_graded_attempt_shows_at_once(db, data) -> None:
    """The figures are cached per worker, keyed by the graded attempts: never stale."""
    with db.session() as session:
        before = analysis.item_analysis(session, quiz_id=data["quiz_id"])
        assert analysis.summary(session, quiz_id=data["quiz_id"]).attempts == 5
        first = session.get(Attempt, 1)
        again = Attempt(
            quiz_id=data["quiz_id"],
            person_id=first.person_id,
            number=2,
            seed=1,
            pass_mark=60,
            scoring_rule="all_or_nothing",
            submitted_at=datetime(2026, 11, 11, tzinfo=UTC),
            points_earned=0,
            points_possible=3,
            score=0,
            passed=False,
        )
        session.add(again)
        session.flush()
        session.add(
            AttemptItem(
                attempt_id=again.id,
                position=1,
                question_version_id=session.exec(
                    sa_select(AttemptItem.question_version_id).where(AttemptItem.attempt_id == 1)
                ).first()[0],
                chosen=",C,",
                credit=0,
                correct=False,
            )
        )
    with db.session() as session:
        after = analysis.item_analysis(session, quiz_id=data["quiz_id"])
        assert after[0].answered == before[0].answered + 1
        assert after[0].options[2]["picked"] == before[0].options[2]["picked"] + 1
        assert analysis.summary(session, quiz_id=data["quiz_id"]).attempts == 6


def test_results_follow_a_person_who_moves_team(db, data) -> None:
    _team_a, team_b = data["teams"]
    with db.session() as session:
        before = results.group_results(session, quiz_id=data["quiz_id"], by="team", team_ids=None)
        assert [g.people for g in before] == [3, 2]
        p1 = session.get(Person, data["people"]["P1"].id)
        p1.team_id = team_b.id
        p1.updated_at = datetime.now(UTC)  # as every change through the staff service does
        session.add(p1)
    with db.session() as session:
        after = results.group_results(session, quiz_id=data["quiz_id"], by="team", team_ids=None)
        assert [g.people for g in after] == [2, 3]
