"""An employee's training: My training, a module lesson by lesson, its quiz, completion.

Everything here is the signed-in person's own (LearningDep): nobody reads another's
progress through these pages.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from frontline import status
from frontline.deps import SessionDep, client_ip
from frontline.models import id_of
from frontline.web import locale_of, redirect, render, translate
from staff.dependencies import CurrentUser, PolicyDep, signed_in_checked_in_write
from staff.models import Person
from standards.reading import Lang, reading_language
from training import certificates, learning, service
from training.dependencies import CodePath, Learning, LearningDep, as_learner
from training.done_messages import COMPLETED
from training.enrollment import bank_today
from training.lesson_text import kept_lesson_body
from training.models import Lesson
from training.my_training import my_training
from training.reading import module_text

router = APIRouter()


@router.get("/training")
def my_training_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    lang = reading_language(locale=locale_of(request), requested=None)
    today = bank_today()
    mine = my_training(session, person_id=id_of(user), today=today, lang=lang)
    return render(request, "training/my_training.html", {"mine": mine, "today": today})


def _module_page(
    request: Request,
    session: Session,
    *,
    learning_: Learning,
    lang: Lang | None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    module, enrollment, version = learning_.module, learning_.enrollment, learning_.version
    reading_lang = reading_language(locale=locale_of(request), requested=lang)
    today = bank_today()
    lessons = service.lessons_of(session, version_id=id_of(version))
    read = learning.read_lesson_ids(session, enrollment=enrollment)
    started = enrollment.started_at is not None
    next_lesson = next((lesson for lesson in lessons if lesson.id not in read), None)
    context = {
        "module": module,
        "enrollment": enrollment,
        "version": version,
        "reading": module_text(version, lang=reading_lang),
        "lessons": [(lesson, module_text(lesson, lang=reading_lang)) for lesson in lessons],
        "read": read,
        "next_lesson": next_lesson if started else None,
        "may_start": learning.may_start(session, enrollment=enrollment, today=today),
        "again": learning.needs_new_cycle(session, enrollment=enrollment, today=today),
        "quiz": learning.quiz_state(session, enrollment=enrollment, version=version, today=today)
        if started
        else None,
        "lessons_done": started and next_lesson is None,
        "ready": learning.ready_to_complete(session, enrollment=enrollment, version=version),
        "certificate": certificates.latest_for(session, enrollment_id=id_of(enrollment)),
        "today": today,
        "error": error,
    }
    return render(request, "training/learn.html", context, status_code=status_code)


@router.get("/training/learn/{code}")
def learn_page(
    request: Request,
    session: SessionDep,
    learning_: LearningDep,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    return _module_page(request, session, learning_=learning_, lang=lang)


def _refused(request: Request, refused: Exception) -> HTTPException:
    return HTTPException(status_code=409, detail=translate(request, str(refused)))


def _start(request: Request, session: Session, learning_: Learning, user: Person) -> Response:
    module, enrollment = learning_.module, learning_.enrollment
    try:
        learning.start(
            session, module=module, enrollment=enrollment, person=user, ip=client_ip(request)
        )
    except service.TrainingError as refused:
        raise _refused(request, refused) from None
    lessons = service.lessons_of(session, version_id=enrollment.version_id or 0)
    if lessons:
        return redirect(request, f"/training/learn/{module.code}/lessons/1")
    return redirect(request, f"/training/learn/{module.code}")


@router.post("/training/learn/{code}/start", dependencies=[Depends(signed_in_checked_in_write)])
async def start_module(request: Request, code: CodePath, policy: PolicyDep) -> Response:
    return await as_learner(request, policy, code, _start)


def _lesson_at(session: Session, learning_: Learning, position: int) -> tuple[Lesson, list[Lesson]]:
    """A lesson of the version this person is taking, once they have started it."""
    if learning_.enrollment.started_at is None or learning_.enrollment.version_id is None:
        raise HTTPException(status_code=404)
    lessons = service.lessons_of(session, version_id=id_of(learning_.version))
    for lesson in lessons:
        if lesson.position == position:
            return lesson, lessons
    raise HTTPException(status_code=404)


Position = Annotated[int, Path(ge=1, le=1000)]


@router.get("/training/learn/{code}/lessons/{position}")
def lesson_page(
    request: Request,
    session: SessionDep,
    learning_: LearningDep,
    position: Position,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    module, enrollment, version = learning_.module, learning_.enrollment, learning_.version
    lesson, lessons = _lesson_at(session, learning_, position)
    reading_lang = reading_language(locale=locale_of(request), requested=lang)
    text = module_text(lesson, lang=reading_lang)
    read = learning.read_lesson_ids(session, enrollment=enrollment)
    context = {
        "module": module,
        "version": version,
        "module_title": module_text(version, lang=reading_lang).title,
        "lesson": lesson,
        "reading": text,
        "body": kept_lesson_body(request, session, lesson=lesson, reading=text, lang=reading_lang),
        "count": len(lessons),
        "read_count": len(read & {id_of(each) for each in lessons}),
        "is_read": lesson.id in read,
        "has_quiz": version.quiz_id is not None,
    }
    return render(request, "training/lesson.html", context)


def _read(request: Request, session: Session, learning_: Learning, position: int) -> Response:
    """Saved at once, so the next device picks up here; then on to the next lesson."""
    module = learning_.module
    lesson, lessons = _lesson_at(session, learning_, position)
    learning.mark_read(session, enrollment=learning_.enrollment, lesson=lesson)
    count = len(lessons)
    if lesson.position < count:
        return redirect(request, f"/training/learn/{module.code}/lessons/{lesson.position + 1}")
    return redirect(request, f"/training/learn/{module.code}#finish")


@router.post(
    "/training/learn/{code}/lessons/{position}/read",
    dependencies=[Depends(signed_in_checked_in_write)],
)
async def read_lesson(
    request: Request, code: CodePath, position: Position, policy: PolicyDep
) -> Response:
    def act(request: Request, session: Session, learning_: Learning, _user: Person) -> Response:
        return _read(request, session, learning_, position)

    return await as_learner(request, policy, code, act)


def _take_quiz(request: Request, session: Session, learning_: Learning, user: Person) -> Response:
    module, enrollment, version = learning_.module, learning_.enrollment, learning_.version
    lessons = service.lessons_of(session, version_id=id_of(version))
    read = learning.read_lesson_ids(session, enrollment=enrollment)
    try:
        attempt_id = learning.start_quiz(
            session,
            module=module,
            enrollment=enrollment,
            version=version,
            person=user,
            lessons_done=enrollment.started_at is not None
            and {id_of(lesson) for lesson in lessons} <= read,
        )
    except service.TrainingError as refused:
        raise _refused(request, refused) from None
    except learning.quiz_link.refused_error() as refused:
        return _module_page(
            request,
            session,
            learning_=learning_,
            lang=None,
            error=translate(
                request,
                str(getattr(refused, "message", refused)),
                **getattr(refused, "params", {}),
            ),
            status_code=409,
        )
    return redirect(request, f"/quizzes/attempts/{attempt_id}")


@router.post("/training/learn/{code}/quiz", dependencies=[Depends(signed_in_checked_in_write)])
async def take_quiz(request: Request, code: CodePath, policy: PolicyDep) -> Response:
    return await as_learner(request, policy, code, _take_quiz)


def _complete(request: Request, session: Session, learning_: Learning, user: Person) -> Response:
    module, enrollment, version = learning_.module, learning_.enrollment, learning_.version
    try:
        certificate = learning.complete(
            session,
            module=module,
            enrollment=enrollment,
            version=version,
            person=user,
            ip=client_ip(request),
        )
    except service.TrainingError as refused:
        raise _refused(request, refused) from None
    url = f"/training/certificates/{certificate.number}"
    return redirect(request, status.url_with(request, url, COMPLETED, number=certificate.number))


@router.post("/training/learn/{code}/complete", dependencies=[Depends(signed_in_checked_in_write)])
async def complete_module(request: Request, code: CodePath, policy: PolicyDep) -> Response:
    return await as_learner(request, policy, code, _complete)
