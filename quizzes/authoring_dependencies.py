"""Who may author and analyse, and loading questions and quizzes for authoring routes."""

from typing import Annotated

from fastapi import Depends, HTTPException, Path

from frontline.deps import SessionDep, reads
from quizzes.models import Question, Quiz
from staff.dependencies import require_role
from staff.models import Person, Role

AuthorUser = Annotated[Person, require_role(Role.author)]
# Item analysis is about questions, not people: authors and HR.
AnalysisViewer = Annotated[Person, require_role(Role.author, Role.hr)]
# Results name people: HR, and supervisors for their own teams.
ResultsViewer = Annotated[Person, require_role(Role.supervisor, Role.hr)]
# Anyone who may open a quiz's management page: authors, HR and supervisors.
QuizViewer = Annotated[Person, require_role(Role.author, Role.supervisor, Role.hr)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def question_from_path(question_id: RowId, session: SessionDep, _author: AuthorUser) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise HTTPException(status_code=404)
    return question


QuestionDep = Annotated[Question, Depends(reads(question_from_path))]


def quiz_from_path(quiz_id: RowId, session: SessionDep, _viewer: QuizViewer) -> Quiz:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise HTTPException(status_code=404)
    return quiz


QuizDep = Annotated[Quiz, Depends(reads(quiz_from_path))]
