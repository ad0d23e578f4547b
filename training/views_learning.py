"""An employee's training: My training, a module lesson by lesson, its quiz, completion.

Everything here is the signed-in person's own (EnrollmentDep): nobody reads another's
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
from staff.dependencies import CurrentUser
from standards.reading import Lang, reading_language
from training import certificates, learning, service
from training.dependencies import EnrollmentDep, ModuleDep
from training.done_messages import COMPLETED
from training.enrollment import bank_today
from training.lesson_text import lesson_parts
from training.models import Enrollment, Lesson, ModuleVersion
from training.my_training import my_training
from training.reading import module_text

router = APIRouter()


@router.get("/training")
def my_training_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    lang = reading_language(locale=locale_of(request), requested=None)
    today = bank_today()
    mine = my_training(session, person_id=id_of(user), today=today, lang=lang)
    return render(request, "training/my_training.html", {"mine": mine, "today": today})


def taken_version(
    session: SessionDep, module: ModuleDep, enrollment: EnrollmentDep
) -> ModuleVersion:
    """The version this person is taking (or took); before they start, the one in force."""
    version_id = enrollment.version_id or module.current_version_id
    version = service.get_version_by_id(session, version_id=version_id or 0)
    if version is None:
        raise HTTPException(status_code=404)
    return version


TakenVersion = Annotated[ModuleVersion, Depends(taken_version)]


def _module_page(
    request: Request,
    session: Session,
    *,
    module: ModuleDep,
    enrollment: Enrollment,
    version: ModuleVersion,
    lang: Lang | None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
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
    module: ModuleDep,
    enrollment: EnrollmentDep,
    version: TakenVersion,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    return _module_page(
        request, session, module=module, enrollment=enrollment, version=version, lang=lang
    )


def _refused(request: Request, refused: Exception) -> HTTPException:
    return HTTPException(status_code=409, detail=translate(request, str(refused)))


@router.post("/training/learn/{code}/start")
def start_module(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    enrollment: EnrollmentDep,
    user: CurrentUser,
) -> Response:
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


def my_lesson(
    position: Annotated[int, Path(ge=1, le=1000)],
    session: SessionDep,
    enrollment: EnrollmentDep,
) -> Lesson:
    """A lesson of the version this person is taking, once they have started it."""
    if enrollment.started_at is None or enrollment.version_id is None:
        raise HTTPException(status_code=404)
    for lesson in service.lessons_of(session, version_id=enrollment.version_id):
        if lesson.position == position:
            return lesson
    raise HTTPException(status_code=404)


MyLesson = Annotated[Lesson, Depends(my_lesson)]


@router.get("/training/learn/{code}/lessons/{position}")
def lesson_page(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    enrollment: EnrollmentDep,
    version: TakenVersion,
    lesson: MyLesson,
    lang: Annotated[Lang | None, Query()] = None,
) -> Response:
    reading_lang = reading_language(locale=locale_of(request), requested=lang)
    text = module_text(lesson, lang=reading_lang)
    lessons = service.lessons_of(session, version_id=id_of(version))
    read = learning.read_lesson_ids(session, enrollment=enrollment)
    context = {
        "module": module,
        "version": version,
        "module_title": module_text(version, lang=reading_lang).title,
        "lesson": lesson,
        "reading": text,
        "parts": lesson_parts(session, body=text.body.text, lang=reading_lang),
        "count": len(lessons),
        "read_count": len(read & {id_of(each) for each in lessons}),
        "is_read": lesson.id in read,
        "has_quiz": version.quiz_id is not None,
    }
    return render(request, "training/lesson.html", context)


@router.post("/training/learn/{code}/lessons/{position}/read")
def read_lesson(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    enrollment: EnrollmentDep,
    version: TakenVersion,
    lesson: MyLesson,
) -> Response:
    """Saved at once, so the next device picks up here; then on to the next lesson."""
    learning.mark_read(session, enrollment=enrollment, lesson=lesson)
    count = len(service.lessons_of(session, version_id=id_of(version)))
    if lesson.position < count:
        return redirect(request, f"/training/learn/{module.code}/lessons/{lesson.position + 1}")
    return redirect(request, f"/training/learn/{module.code}#finish")


@router.post("/training/learn/{code}/quiz")
def take_quiz(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    enrollment: EnrollmentDep,
    version: TakenVersion,
    user: CurrentUser,
) -> Response:
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
            module=module,
            enrollment=enrollment,
            version=version,
            lang=None,
            error=translate(request, str(getattr(refused, "message", refused))),
            status_code=409,
        )
    return redirect(request, f"/quizzes/attempts/{attempt_id}")


@router.post("/training/learn/{code}/complete")
def complete_module(
    request: Request,
    session: SessionDep,
    module: ModuleDep,
    enrollment: EnrollmentDep,
    version: TakenVersion,
    user: CurrentUser,
) -> Response:
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
