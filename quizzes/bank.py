"""The question bank: find, write, version, publish and retire questions; drafts from a standard.

A question version that someone has answered (in an attempt or a daily practice) never changes:
saving an edit to it makes the next version, so an old attempt always shows what was asked.
A version nobody has answered yet is edited in place.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from frontline import audit_trail
from frontline.db import lock_fresh, save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from quizzes import generation
from quizzes.bank_schemas import OPTION_KEYS, QuestionContent
from quizzes.models import (
    CONTENT_FIELDS,
    AttemptItem,
    DailyPracticeItem,
    Question,
    QuestionTag,
    QuestionType,
    QuestionVersion,
    Status,
)
from standards import service as standards_service
from standards.models import StandardVersion


class BankError(Exception):
    """A rule of the question bank was broken; the message (a msgid) is shown to the author."""


# ---- reading ----------------------------------------------------------------------------------


@dataclass
class BankFilters:
    text: str = ""
    type: QuestionType | None = None
    standard_code: str | None = None
    tag: str | None = None
    status: Status | None = None


# What the bank's list shows: the long text columns stay in the database.
LIST_COLUMNS = (
    col(Question.id),
    col(Question.code),
    col(Question.status),
    col(QuestionVersion.number),
    col(QuestionVersion.type),
    col(QuestionVersion.stem_zh),
    col(QuestionVersion.stem_en),
    col(QuestionVersion.standard_code),
    col(QuestionVersion.tags),
    col(QuestionVersion.difficulty),
)


def search(
    session: Session, *, filters: BankFilters, limit: int = 50, offset: int = 0
) -> tuple[list[Any], int]:
    """Questions (their current versions) matching the filters, by code; and how many match."""
    query = sa_select(*LIST_COLUMNS).join(
        QuestionVersion, col(QuestionVersion.id) == Question.current_version_id
    )
    if filters.type is not None:
        query = query.where(col(QuestionVersion.type) == filters.type)
    if filters.status is not None:
        query = query.where(col(Question.status) == filters.status)
    if filters.standard_code:
        query = query.where(col(QuestionVersion.standard_code) == filters.standard_code)
    if filters.tag:
        query = query.where(
            col(QuestionVersion.id).in_(
                select(QuestionTag.version_id).where(QuestionTag.tag == filters.tag)
            )
        )
    text = filters.text.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                col(Question.code).ilike(pattern, escape="\\"),
                col(QuestionVersion.stem_zh).ilike(pattern, escape="\\"),
                col(QuestionVersion.stem_en).ilike(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.execute(query.order_by(col(Question.code)).limit(limit).offset(offset)).all()
    return list(rows), total


def all_tags(session: Session) -> list[str]:
    """Every tag in use on a current version, for the filter."""
    query = (
        select(QuestionTag.tag)
        .join(Question, col(Question.current_version_id) == QuestionTag.version_id)
        .distinct()
        .order_by(col(QuestionTag.tag))
    )
    return list(session.exec(query))


def get_question(session: Session, *, question_id: int) -> Question | None:
    return session.get(Question, question_id)


def get_by_code(session: Session, *, code: str) -> Question | None:
    return session.exec(select(Question).where(Question.code == code)).first()


def current_version(session: Session, *, question: Question) -> QuestionVersion:
    assert question.current_version_id is not None  # made with its first version
    version = session.get(QuestionVersion, question.current_version_id)
    assert version is not None
    return version


def versions(session: Session, *, question: Question) -> list[QuestionVersion]:
    return list(
        session.exec(
            select(QuestionVersion)
            .where(QuestionVersion.question_id == question.id)
            .order_by(col(QuestionVersion.number))
        )
    )


def is_answered(session: Session, *, version_id: int) -> bool:
    """Whether an attempt or a daily practice has shown this version (it is then frozen)."""
    in_attempt = exists().where(col(AttemptItem.question_version_id) == version_id)
    in_practice = exists().where(col(DailyPracticeItem.question_version_id) == version_id)
    return bool(session.exec(select(or_(in_attempt, in_practice))).one())


def content_of(version: QuestionVersion) -> dict[str, Any]:
    """A version's content as plain values, in CONTENT_FIELDS order."""
    values: dict[str, Any] = {}
    for field in CONTENT_FIELDS:
        value = getattr(version, field)
        values[field] = value.value if hasattr(value, "value") else value
    return values


# ---- writing ----------------------------------------------------------------------------------


def _standard_version(session: Session, code: str) -> StandardVersion:
    standard = standards_service.get_by_code(session, code=code)
    version = standards_service.current_version(session, standard=standard) if standard else None
    if version is None:
        raise BankError(N_("There is no standard in force with this code."))
    return version


def stored_content(session: Session, content: QuestionContent) -> dict[str, Any]:
    """The content as a version stores it: the standard's version and, for a script
    response, the phrases it is graded against (copied, so the version never moves)."""
    data = content.as_stored()
    data["required_phrases"], data["forbidden_phrases"] = [], []
    data["standard_version_id"] = None
    if content.standard_code:
        standard_version = _standard_version(session, content.standard_code)
        data["standard_version_id"] = standard_version.id
        if not data["category"]:
            data["category"] = standard_version.category.value
        if content.type == QuestionType.script_response:
            if not standard_version.required_phrases:
                raise BankError(N_("The standard has no required phrases to grade against."))
            data["required_phrases"] = standard_version.required_phrases
            data["forbidden_phrases"] = standard_version.forbidden_phrases
    return {field: data[field] for field in CONTENT_FIELDS}


def _write_version(session: Session, version: QuestionVersion, data: dict[str, Any]) -> None:
    for field in CONTENT_FIELDS:
        setattr(version, field, data[field])
    session.add(version)
    session.flush()
    session.exec(delete(QuestionTag).where(col(QuestionTag.version_id) == version.id))
    for tag in data["tags"]:
        session.add(QuestionTag(version_id=id_of(version), tag=tag))
    session.flush()


def next_code(session: Session, *, prefix: str = "Q") -> str:
    """The next free code such as Q-GRT-01-03 (prefix Q-GRT-01) or Q-0042."""
    taken = session.exec(
        select(Question.code).where(col(Question.code).startswith(prefix + "-"))
    ).all()
    numbers = [int(rest) for rest in (c[len(prefix) + 1 :] for c in taken) if rest.isdigit()]
    width = 2 if prefix != "Q" else 4
    return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"


def create_question(
    session: Session,
    *,
    content: QuestionContent,
    actor_id: int | None,
    code: str | None = None,
    status: Status = Status.draft,
    ip: str = "",
) -> tuple[Question, QuestionVersion]:
    """A new question with its first version (a draft unless status says otherwise). A code
    taken by another author at the same moment is refused if typed; if numbered here, the
    question takes the next free number."""
    typed = bool(code)
    code = code or next_code(session)
    if get_by_code(session, code=code):
        raise BankError(N_("A question with this code already exists."))
    data = stored_content(session, content)
    question = Question(code=code, status=status, created_by_id=actor_id)

    def taken() -> bool:
        return get_by_code(session, code=question.code) is not None

    while not save_unique(session, question, taken):
        if typed:
            raise BankError(N_("A question with this code already exists."))
        question = Question(code=next_code(session), status=status, created_by_id=actor_id)
    code = question.code
    version = QuestionVersion(question_id=id_of(question), number=1, created_by_id=actor_id, **data)
    _write_version(session, version, data)
    question.current_version_id = version.id
    session.add(question)
    session.flush()
    audit_trail.record(
        session,
        action="question.create",
        actor_id=actor_id,
        target_type="question",
        target_id=code,
        detail={"type": data["type"], "status": status.value},
        ip=ip,
    )
    return question, version


def save_question(
    session: Session,
    *,
    question: Question,
    content: QuestionContent,
    actor_id: int | None,
    ip: str = "",
) -> QuestionVersion:
    """Save an edit: in place while nobody has answered the current version, else as the
    next version. An edit that changes nothing writes nothing. The question is locked first:
    of two authors saving at once, the second waits and edits the version the first made
    (both would have made the same next version)."""
    lock_fresh(session, question)
    if question.status == Status.archived:
        raise BankError(N_("A retired question cannot be edited; reinstate it first."))
    current = current_version(session, question=question)
    data = stored_content(session, content)
    if content_of(current) == data:
        return current
    changed = [f for f in CONTENT_FIELDS if content_of(current)[f] != data[f]]
    if is_answered(session, version_id=id_of(current)):
        version = QuestionVersion(
            question_id=id_of(question),
            number=current.number + 1,
            created_by_id=actor_id,
            **data,
        )
        _write_version(session, version, data)
        question.current_version_id = version.id
    else:
        version = current
        _write_version(session, version, data)
    question.updated_at = utcnow()
    session.add(question)
    session.flush()
    audit_trail.record(
        session,
        action="question.update",
        actor_id=actor_id,
        target_type="question",
        target_id=question.code,
        detail={"version": version.number, "fields": changed},
        ip=ip,
    )
    return version


def set_status(
    session: Session, *, question: Question, status: Status, actor_id: int | None, ip: str = ""
) -> None:
    """Publish (into pools and builders), retire (archived: out of them) or reinstate."""
    if question.status == status:
        return
    before = question.status
    question.status = status
    question.updated_at = utcnow()
    session.add(question)
    session.flush()
    audit_trail.record(
        session,
        action=f"question.{status.value}",
        actor_id=actor_id,
        target_type="question",
        target_id=question.code,
        detail={"from": Status(before).value},
        ip=ip,
    )


# ---- drafts from a standard -------------------------------------------------------------------


def draft_content(draft: generation.DraftQuestion) -> QuestionContent:
    options = [
        {
            "key": OPTION_KEYS[i],
            "zh": option.text_zh,
            "en": option.text_en,
            "feedback_zh": option.feedback_zh,
            "feedback_en": option.feedback_en,
        }
        for i, option in enumerate(draft.options)
    ]
    correct = [OPTION_KEYS[i] for i, option in enumerate(draft.options) if option.correct]
    return QuestionContent.model_validate(
        {
            "type": draft.kind,
            "stem_zh": draft.stem_zh,
            "stem_en": draft.stem_en,
            "explanation_zh": draft.explanation_zh,
            "explanation_en": draft.explanation_en,
            "options": options,
            "correct": correct,
            "standard_code": draft.standard_code,
            "tags": list(draft.tags),
            "difficulty": draft.difficulty,
        }
    )


def generate_drafts(
    session: Session, *, code: str, actor_id: int | None, ip: str = ""
) -> tuple[list[Question], int]:
    """Draft questions from the standard in force; returns the new drafts and how many were
    skipped because the bank already has a question with the same stem for this standard."""
    version = _standard_version(session, code)
    drafts = generation.draft_questions(code=code, content=standards_service.content_of(version))
    existing = set(
        session.exec(select(QuestionVersion.stem_zh).where(QuestionVersion.standard_code == code))
    )
    made: list[Question] = []
    for draft in drafts:
        if draft.stem_zh in existing and draft.kind != QuestionType.script_choice:
            continue
        content = draft_content(draft)
        if draft.kind == QuestionType.script_choice and _same_choice_exists(session, content):
            continue
        question, _ = create_question(
            session,
            content=content,
            actor_id=actor_id,
            code=next_code(session, prefix=f"Q-{code}"),
            ip=ip,
        )
        made.append(question)
    return made, len(drafts) - len(made)


def _same_choice_exists(session: Session, content: QuestionContent) -> bool:
    """Script-choice drafts share a stem; they differ by their right answer."""
    right = next(o.zh for o in content.options if o.key in content.correct)
    rows = session.exec(
        select(QuestionVersion.options, QuestionVersion.correct).where(
            QuestionVersion.standard_code == content.standard_code,
            QuestionVersion.stem_zh == content.stem_zh,
        )
    ).all()
    for options, correct in rows:
        if any(o.get("zh") == right and o.get("key") in correct for o in options):
            return True
    return False
