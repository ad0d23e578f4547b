"""Figures are grouped queries: the number of SQL statements a scorecard page, a rollup, an
export or an API page runs does not grow with the data (counted on two data sizes)."""

import pytest
from sqlalchemy import event

from scorecards import tokens
from staff.models import Position
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person
from tests.scorecards import dataset


class StatementCounter:
    def __init__(self, engines):
        self.engines = engines
        self.count = 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._count)


def _engines(db):
    return {db.engine, db._write_engine}


def _counts(app, db, bank, secret):
    urls = [
        ("hr", f"/scorecards/people/{bank.jia.id}"),
        ("hr", f"/scorecards/branches/{bank.branch1_id}"),
        ("hr", "/scorecards"),
        ("hr", "/hr/scorecards.csv"),
        ("hr", "/hr/scorecards.xlsx"),
        ("api", "/api/v1/scorecards"),
    ]
    counts = {}
    with FrontlineClient(app) as c:
        c.login(bank.hr.employee_no, PASSWORD)
        for who, url in urls:
            headers = {"Authorization": f"Bearer {secret}"} if who == "api" else {}
            c.get(url, params=dataset.PERIOD, headers=headers)  # warm: session touch, caches
            with StatementCounter(_engines(db)) as counter:
                assert c.get(url, params=dataset.PERIOD, headers=headers).status_code == 200
            counts[url] = counter.count
    return counts


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_statement_count_does_not_grow_with_the_data(app, db):
    bank = dataset.build(db)
    with db.session() as session:
        secret = tokens.create_token(session, name="count", actor_id=None).secret
    small = _counts(app, db, bank, secret)
    for team in (bank.t1, bank.t2, bank.t3) * 5:
        make_person(db, team=team, position=Position.teller)
    dataset.more_acknowledgments(db, bank)
    large = _counts(app, db, bank, secret)
    assert small == large
    assert max(small.values()) < 60  # and it is small: no query per person
