"""Every figure against the hand-computed bank of tests/scorecards/dataset.py, through HTTP
(the API, which prints figures plainly) and through the service the pages share."""

import pytest

from scorecards import figures, rollups
from scorecards.figures import Weights
from scorecards.people import PersonRow
from tests.client import FrontlineClient
from tests.factories import PASSWORD
from tests.scorecards import dataset

# (due, acknowledged) in November, worked out in dataset.py's docstring.
NOVEMBER_ACKS = {
    "E0001": (2, 2),
    "E0002": (2, 0),
    "E0003": (1, 1),
    "E0004": (2, 0),
    "E0005": (2, 1),
}


@pytest.fixture
def bank(db):
    return dataset.build(db)


@pytest.fixture
def hr_client(app, bank):
    with FrontlineClient(app) as c:
        c.login(bank.hr.employee_no, PASSWORD)
        yield c


def _csv_rows(client, **params):
    import csv
    import io

    response = client.get("/hr/scorecards.csv", params={**dataset.PERIOD, **params})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    return {row["Employee number"]: row for row in rows}


def test_acknowledgments_as_of_the_period_end(hr_client):
    rows = _csv_rows(hr_client)
    found = {
        no: (int(row["Acknowledgments due"]), int(row["Acknowledged"])) for no, row in rows.items()
    }
    assert found == {**NOVEMBER_ACKS, "S0001": (0, 0)}
    assert rows["E0002"]["Acknowledgments outstanding"] == "2"
    assert rows["E0005"]["Acknowledgments given"] == "50.0"


def test_a_version_published_after_the_period_is_due_the_next_month(hr_client):
    rows = _csv_rows(hr_client, period="2026-12")
    # December: V3 is due too, and 乙's late acknowledgment of V1 now counts.
    assert (rows["E0002"]["Acknowledgments due"], rows["E0002"]["Acknowledged"]) == ("3", "1")
    assert rows["E0001"]["Acknowledgments outstanding"] == "1"


def test_people_outside_any_team_have_no_scorecard(hr_client):
    rows = _csv_rows(hr_client)
    assert "H0001" not in rows and "A0001" not in rows
    assert set(rows) == {*NOVEMBER_ACKS, "S0001"}


def test_a_person_who_moved_keeps_their_figures_and_counts_in_their_new_team(hr_client, bank):
    rows = _csv_rows(hr_client, team=bank.t1.id)
    assert set(rows) == {"E0001", "E0002", "E0005", "S0001"}
    assert rows["E0005"]["Team"] == "柜面一组"
    assert rows["E0005"]["Acknowledged"] == "1"  # acknowledged while still in T3
    assert "E0005" not in _csv_rows(hr_client, team=bank.t3.id)


def test_nothing_due_is_n_a_not_zero(hr_client):
    rows = _csv_rows(hr_client)
    # The supervisor has no position: nothing to acknowledge, no component, no index.
    assert rows["S0001"]["Acknowledgments given"] == ""
    assert rows["S0001"]["Composite index"] == ""


def _row(**components):
    person = PersonRow(1, "E", "n", None, 1, "t", 1, "b", "b", "r")
    card = figures.Scorecard(person=person)
    card.components = components
    return card


def test_the_composite_leaves_n_a_components_out_and_shares_their_weight():
    weights = Weights(audits=50, training=20, quizzes=20, acknowledgments=10)
    assert figures.composite({"audits": 80.0, "acknowledgments": 100.0}, weights) == round(
        (50 * 80 + 10 * 100) / 60, 1
    )
    assert figures.composite({"audits": None, "quizzes": 60.0}, weights) == 60.0
    assert figures.composite({"audits": None}, weights) is None
    # A component weighted 0 does not count even with data.
    assert figures.composite({"audits": 0.0, "quizzes": 90.0}, Weights(0, 0, 10, 0)) == 90.0


def test_ranks_are_shared_on_ties_and_n_a_ranks_last():
    cards = [_row(), _row(), _row(), _row()]
    for card, value in zip(cards, (90.0, None, 95.0, 90.0), strict=True):
        card.composite = value
    ranks = [(rank, card.composite) for rank, card in rollups.ranked(cards, lambda c: c.composite)]
    assert ranks == [(1, 95.0), (2, 90.0), (2, 90.0), (None, None)]


def test_the_distribution_counts_bands_and_n_a():
    cards = [_row() for _ in range(5)]
    for card, value in zip(cards, (100.0, 90.0, 89.9, 10.0, None), strict=True):
        card.composite = value
    assert dict(rollups.distribution(cards)) == {
        "90–100": 2,
        "80–89": 1,
        "70–79": 0,
        "60–69": 0,
        "0–59": 1,
        "N/A": 1,
    }


def test_hr_weights_change_the_index_and_keep_their_history(hr_client, db):
    page = hr_client.get("/scorecards/weights")
    assert page.status_code == 200
    response = hr_client.submit(
        "/scorecards/weights",
        {
            "audits": "40",
            "training": "20",
            "quizzes": "20",
            "acknowledgments": "20",
            "note": "年度调整",
        },
        token_page="/scorecards/weights",
    )
    assert response.status_code == 303
    page = hr_client.get("/scorecards/weights")
    assert "年度调整" in page.text
    bad = hr_client.submit(
        "/scorecards/weights",
        {"audits": "0", "training": "0", "quizzes": "0", "acknowledgments": "0"},
        token_page="/scorecards/weights",
    )
    assert bad.status_code == 400
    bad = hr_client.submit(
        "/scorecards/weights",
        {"audits": "abc", "training": "101", "quizzes": "", "acknowledgments": "1"},
        token_page="/scorecards/weights",
    )
    assert bad.status_code == 400
    with db.session() as session:
        assert figures.current_weights(session) == Weights(40, 20, 20, 20)
