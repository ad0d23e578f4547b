"""Long lists say which rows of how many they show, and an old link past the end shows the
last page rather than an empty one."""

from frontline.paging import paged
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_standard


def test_a_page_past_the_end_is_the_last_one_fetched_again():
    rows = list(range(1, 121))
    asked: list[int] = []

    def fetch(number: int) -> tuple[list[int], int]:
        asked.append(number)
        return rows[(number - 1) * 50 : number * 50], len(rows)

    last = paged(9, 50, fetch)
    assert (last.number, last.rows, last.first, last.last) == (3, rows[100:], 101, 120)
    assert asked == [9, 3]
    assert paged(2, 50, fetch).rows == rows[50:100] and asked[-1] == 2
    empty = paged(4, 50, lambda number: ([], 0))
    assert (empty.number, empty.pages, empty.first, empty.last) == (1, 1, 0, 0)


def test_the_library_says_which_rows_of_how_many_and_keeps_an_old_link_useful(db, client):
    for n in range(27):
        make_standard(db, code=f"PGN-{n:02d}")
    reader = make_person(db, role=Role.employee, position=Position.teller)
    client.login(reader.employee_no, PASSWORD)
    first = client.get("/standards").text
    assert "1–25 of 27" in first and 'href="/standards?page=2" rel="next"' in first
    second = client.get("/standards?page=2").text
    assert "26–27 of 27" in second and 'rel="next"' not in second
    assert 'href="/standards?page=1" rel="prev"' in second
    gone = client.get("/standards?page=9").text  # an old link to a page that is no more
    assert "26–27 of 27" in gone and gone.count('class="standard-card"') == 2
