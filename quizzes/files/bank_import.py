"""Importing and exporting the question bank file, in the caller's transaction.

New questions and quizzes are created with the file's status (a quiz marked published must
pass the publishing checks). Changed content goes through the bank's own rule: a version
someone has answered is never changed, the change becomes the next version. Statuses of what
the database already has are not changed by an import (publish or retire in the app). Any
problem and nothing is written: the caller rolls back.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of
from quizzes import bank, quiz_builder
from quizzes.files.bank_file import (
    FORMAT,
    OPTION_KEYS_ORDER,
    QUESTION_KEYS,
    QUIZ_KEYS,
    BankFile,
    QuestionSpec,
    QuizSpec,
)
from quizzes.models import Question, QuestionVersion, Quiz, Status
from standards.library_file.export import dump_library
from standards.library_file.problems import ImportProblem, Msg, msg, problem


class Action(StrEnum):
    create = "create"
    update = "update"
    new_version = "new version"
    unchanged = "unchanged"


ACTION_LABELS = {
    Action.create.value: N_("Create"),
    Action.update.value: N_("Update"),
    Action.new_version.value: N_("New version"),
    Action.unchanged.value: N_("Unchanged"),
}


@dataclass
class ItemPlan:
    kind: str  # "question" or "quiz"
    code: str
    action: Action
    notes: list[Msg] = field(default_factory=list)


@dataclass
class BankPlan:
    items: list[ItemPlan] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def totals(self) -> dict[str, int]:
        totals = {a.value: 0 for a in Action}
        for item in self.items:
            totals[item.action.value] += 1
        return totals

    def lines(self) -> list[str]:
        out = []
        for item in self.items:
            if item.action != Action.unchanged or item.notes:
                out.append(f"{item.kind} {item.code}: {item.action.value}")
                out.extend(f"    note: {note.render()}" for note in item.notes)
        totals = self.totals()
        out.append("Total: " + ", ".join(f"{n} {action}" for action, n in totals.items()))
        return out


class ImportRefused(Exception):
    def __init__(self, errors: list[ImportProblem]) -> None:
        super().__init__(N_("The file has errors; nothing was imported."))
        self.errors = errors


def _status_note(spec_status: Status, db_status: Status) -> list[Msg]:
    if spec_status == db_status:
        return []
    return [
        msg(
            N_(
                "%(status)s in the file but %(db_status)s in the database; the import does not "
                "change statuses (publish or retire in the app)"
            ),
            status=spec_status.value,
            db_status=db_status.value,
        )
    ]


def _apply_question(session: Session, spec: QuestionSpec, actor_id: int | None) -> ItemPlan:
    question = bank.get_by_code(session, code=spec.code) if spec.code else None
    if question is None:
        # A spreadsheet row without a code gets the next free one.
        created, _ = bank.create_question(
            session,
            content=spec.content,
            actor_id=actor_id,
            code=spec.code or None,
            status=spec.status,
        )
        return ItemPlan("question", created.code, Action.create)
    notes = _status_note(spec.status, Status(question.status))
    current = bank.current_version(session, question=question)
    if bank.content_of(current) == bank.stored_content(session, spec.content):
        return ItemPlan("question", spec.code, Action.unchanged, notes)
    answered = bank.is_answered(session, version_id=id_of(current))
    version = bank.save_question(
        session, question=question, content=spec.content, actor_id=actor_id
    )
    if answered:
        notes.append(
            msg(
                N_(
                    "version %(number)s has been answered and never changes; "
                    "this is version %(new)s"
                ),
                number=current.number,
                new=version.number,
            )
        )
    return ItemPlan("question", spec.code, Action.new_version if answered else Action.update, notes)


def _apply_quiz(session: Session, spec: QuizSpec, actor_id: int | None) -> ItemPlan:
    quiz = quiz_builder.get_by_code(session, code=spec.code)
    if quiz is None:
        quiz = quiz_builder.create_quiz(
            session, code=spec.code, settings=spec.settings, actor_id=actor_id
        )
        if spec.status != Status.draft:
            quiz_builder.set_status(session, quiz=quiz, status=spec.status, actor_id=actor_id)
        return ItemPlan("quiz", spec.code, Action.create)
    notes = _status_note(spec.status, Status(quiz.status))
    if quiz_builder.settings_of(session, quiz=quiz) == spec.settings:
        return ItemPlan("quiz", spec.code, Action.unchanged, notes)
    quiz_builder.update_quiz(session, quiz=quiz, settings=spec.settings, actor_id=actor_id)
    return ItemPlan("quiz", spec.code, Action.update, notes)


def apply_bank(
    session: Session, *, parsed: BankFile, actor_id: int | None, ip: str = ""
) -> BankPlan:
    """Import the file's questions, then its quizzes; returns what was done.

    Raises ImportRefused when the file or any item has a problem: the caller must then roll
    the transaction back (a dry run rolls back in any case), so nothing is half-imported.
    """
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    plan = BankPlan()
    specs: list[tuple[Any, Any]] = [(s, _apply_question) for s in parsed.questions]
    specs += [(s, _apply_quiz) for s in parsed.quizzes]
    for spec, apply in specs:
        try:
            plan.items.append(apply(session, spec, actor_id))
        except (bank.BankError, quiz_builder.BuilderError) as refused:
            params = getattr(refused, "params", {})
            plan.errors.append(
                problem(
                    spec.status_line if "publish" in str(refused) else spec.line,
                    N_("%(code)s: %(problem)s"),
                    code=spec.code,
                    problem=msg(str(refused), **params),
                )
            )
    if plan.errors:
        raise ImportRefused(plan.errors)
    audit_trail.record(
        session,
        action="quizzes.import",
        actor_id=actor_id,
        target_type="quiz",
        detail=plan.totals(),
        ip=ip,
    )
    return plan


# ---- export -----------------------------------------------------------------------------------


def _question_document(question: Question, version: QuestionVersion) -> dict[str, Any]:
    content = bank.content_of(version)
    doc: dict[str, Any] = {"code": question.code, "status": Status(question.status).value}
    for key in QUESTION_KEYS[2:]:
        value = content[key]
        if key == "options":
            value = [{k: o.get(k, "") for k in OPTION_KEYS_ORDER} for o in value]
        doc[key] = value
    return doc


def _quiz_document(session: Session, quiz: Quiz) -> dict[str, Any]:
    settings = quiz_builder.settings_of(session, quiz=quiz).model_dump(mode="json")
    doc: dict[str, Any] = {"code": quiz.code, "status": Status(quiz.status).value}
    for key in QUIZ_KEYS[2:]:
        doc[key] = settings[key]
    return doc


def export_bank(session: Session) -> str:
    """Every question (its current version) and every quiz, by code, as YAML."""
    rows = session.exec(
        select(Question, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == Question.current_version_id)
        .order_by(col(Question.code))
    ).all()
    quizzes = session.exec(select(Quiz).order_by(col(Quiz.code))).all()
    document = {
        "format": FORMAT,
        "questions": [_question_document(q, v) for q, v in rows],
        "quizzes": [_quiz_document(session, quiz) for quiz in quizzes],
    }
    return dump_library(document)
