"""What quizzes adds to an employee's home page: today's practice and the wrong-answer book."""

from typing import Any

from sqlmodel import Session

from frontline.home import Panel
from frontline.settings import get_settings
from quizzes import daily, wrong_book


def practice_panel(session: Session, user: Any) -> Panel | None:
    if user.position is None:
        return None
    today = get_settings().today()
    context = {
        "today": daily.todays(session, person_id=user.id, today=today),
        "book_size": wrong_book.book_size(session, person_id=user.id),
    }
    return Panel("quizzes/take/_home_practice.html", context, order=15)
