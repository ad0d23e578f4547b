"""Draft questions from a standard's content: pure, so the same version always drafts the same.

One standard drives the lesson, the quiz item and the audit criterion: its steps become an
ordering question, its forbidden phrases a "which of these may you not say" question, each
required phrase a "which response follows the script" question, and a script with required
phrases a script-response drill. Drafts are for an author to edit and publish, never live.
"""

from dataclasses import dataclass, field
from typing import Any

# Orderings longer than this are hard to do on a phone; the first steps are kept.
MAX_ORDERING_STEPS = 8
# Options of a choice question: one right answer and up to three distractors.
MAX_DISTRACTORS = 3
MAX_FORBIDDEN_OPTIONS = 3

# The service discipline's general forbidden phrases (服务禁语, DOMAIN.md): distractors for
# "which response follows the script" when a standard lists too few forbidden phrases itself.
GENERAL_FORBIDDEN = (
    ("我不知道。", "I don't know."),
    ("不归我管,问我们领导去。", "That's not my job, go and ask my boss."),
    ("不是给你说过了吗?", "Didn't I already tell you?"),
    ("急啥,等等。", "What's the rush? Wait."),
    ("没看见我忙吗?", "Can't you see I'm busy?"),
    ("这是上级的规定,我有什么办法。", "Those are the rules from above, what can I do?"),
    ("下班了,明天再来。", "We're closed, come back tomorrow."),
)


@dataclass(frozen=True)
class DraftOption:
    text_zh: str
    text_en: str
    correct: bool = False
    feedback_zh: str = ""
    feedback_en: str = ""


@dataclass(frozen=True)
class DraftQuestion:
    """A question drafted from a standard; for ordering, options are in the right order."""

    kind: str  # a quizzes.models question type value
    stem_zh: str
    stem_en: str
    options: tuple[DraftOption, ...]
    explanation_zh: str
    explanation_en: str
    standard_code: str
    tags: tuple[str, ...] = ()
    difficulty: str = "medium"  # a quizzes.models.Difficulty value
    origin: str = field(default="", compare=False)  # what part of the standard it came from


def _title(content: dict[str, Any]) -> tuple[str, str]:
    title_zh = str(content.get("title_zh") or "")
    return title_zh, str(content.get("title_en") or "") or title_zh


def _tags(code: str, content: dict[str, Any]) -> tuple[str, ...]:
    category = str(content.get("category") or "")
    return tuple(t for t in (category, code) if t)


def ordering_question(code: str, content: dict[str, Any]) -> DraftQuestion | None:
    """Put the standard's steps in order; None when it has fewer than three steps."""
    steps = [s for s in content.get("steps") or [] if str(s.get("zh", "")).strip()]
    if len(steps) < 3:
        return None
    steps = steps[:MAX_ORDERING_STEPS]
    title_zh, title_en = _title(content)
    return DraftQuestion(
        kind="ordering",
        stem_zh=f"请按正确顺序排列「{title_zh}」的步骤。",
        stem_en=f"Put the steps of “{title_en}” in the right order.",
        options=tuple(
            DraftOption(text_zh=str(s["zh"]).strip(), text_en=str(s.get("en") or "").strip())
            for s in steps
        ),
        explanation_zh=f"标准 {code}「{title_zh}」规定的顺序如上。",
        explanation_en=f"This is the order standard {code} (“{title_en}”) sets.",
        standard_code=code,
        tags=_tags(code, content),
        difficulty="hard" if len(steps) > 5 else "medium",
        origin="steps",
    )


def _phrase_option(phrase: dict[str, Any], *, correct: bool, forbidden: bool) -> DraftOption:
    if forbidden:
        feedback = ("这是服务禁语,不能对客户说。", "This is a forbidden phrase; never say it.")
    else:
        feedback = ("这是标准要求的规范用语。", "This is a phrase the standard requires.")
    return DraftOption(
        text_zh=str(phrase["text"]).strip(),
        text_en=str(phrase.get("en") or "").strip(),
        correct=correct,
        feedback_zh=feedback[0],
        feedback_en=feedback[1],
    )


def forbidden_question(code: str, content: dict[str, Any]) -> DraftQuestion | None:
    """Which of these may you not say: the forbidden phrases among the required ones.

    Needs at least one forbidden and one required phrase. With several forbidden phrases it
    is a multiple-choice question (every forbidden phrase must be picked).
    """
    forbidden = list(content.get("forbidden_phrases") or [])[:MAX_FORBIDDEN_OPTIONS]
    required = list(content.get("required_phrases") or [])[:MAX_DISTRACTORS]
    if not forbidden or not required:
        return None
    title_zh, title_en = _title(content)
    options = [_phrase_option(p, correct=True, forbidden=True) for p in forbidden]
    options += [_phrase_option(p, correct=False, forbidden=False) for p in required]
    # Interleave so the draft does not list every right answer first (attempts shuffle anyway).
    options = options[::2] + options[1::2]
    several = len(forbidden) > 1
    return DraftQuestion(
        kind="multiple" if several else "single",
        stem_zh=(
            f"「{title_zh}」中,以下哪些话不能对客户说?(多选)"
            if several
            else f"「{title_zh}」中,以下哪句话不能对客户说?"
        ),
        stem_en=(
            f"In “{title_en}”, which of these may you not say to a customer? (Choose all.)"
            if several
            else f"In “{title_en}”, which of these may you not say to a customer?"
        ),
        options=tuple(options),
        explanation_zh=f"标准 {code} 把这些说法列为服务禁语:"
        + "、".join(f"“{p['text']}”" for p in forbidden),
        explanation_en=f"Standard {code} lists these as forbidden phrases: "
        + ", ".join(f"“{p.get('en') or p['text']}”" for p in forbidden),
        standard_code=code,
        tags=_tags(code, content),
        difficulty="medium" if several else "easy",
        origin="forbidden_phrases",
    )


def _distractors(content: dict[str, Any], correct_text: str) -> list[dict[str, Any]]:
    """Up to three non-compliant responses: the standard's forbidden phrases, then general ones."""
    own = [p for p in content.get("forbidden_phrases") or [] if p.get("text") != correct_text]
    seen = {str(p["text"]) for p in own}
    general = [{"text": zh, "en": en} for zh, en in GENERAL_FORBIDDEN if zh not in seen]
    return (own + general)[:MAX_DISTRACTORS]


def script_choice_questions(code: str, content: dict[str, Any]) -> list[DraftQuestion]:
    """For each required phrase: which response follows the script (the phrase itself)."""
    title_zh, title_en = _title(content)
    questions = []
    for index, phrase in enumerate(content.get("required_phrases") or []):
        correct = _phrase_option(phrase, correct=True, forbidden=False)
        wrong = [
            _phrase_option(p, correct=False, forbidden=True)
            for p in _distractors(content, str(phrase["text"]))
        ]
        # The right answer moves through the positions from one phrase to the next.
        options = wrong[:]
        options.insert(index % (len(wrong) + 1), correct)
        questions.append(
            DraftQuestion(
                kind="script_choice",
                stem_zh=f"场景:{title_zh}。以下哪种说法符合服务话术?",
                stem_en=f"Scenario: {title_en}. Which response follows the script?",
                options=tuple(options),
                explanation_zh=f"标准 {code} 要求说:“{phrase['text']}”",
                explanation_en=f"Standard {code} requires: “{phrase.get('en') or phrase['text']}”",
                standard_code=code,
                tags=_tags(code, content),
                difficulty="easy",
                origin=f"required_phrases.{index + 1}",
            )
        )
    return questions


def script_response_question(code: str, content: dict[str, Any]) -> DraftQuestion | None:
    """A script drill (话术陪练): type what you would say; graded against the standard's phrases."""
    required = list(content.get("required_phrases") or [])
    if not required:
        return None
    title_zh, title_en = _title(content)
    return DraftQuestion(
        kind="script_response",
        stem_zh=f"场景:{title_zh}。请写出您会对客户说的话。",
        stem_en=f"Scenario: {title_en}. Write what you would say to the customer.",
        options=(),
        explanation_zh="规范用语:" + " ".join(str(p["text"]) for p in required),
        explanation_en="Required phrases: "
        + " ".join(str(p.get("en") or p["text"]) for p in required),
        standard_code=code,
        tags=_tags(code, content),
        difficulty="hard",
        origin="script_response",
    )


def draft_questions(*, code: str, content: dict[str, Any]) -> list[DraftQuestion]:
    """Every question the standard's content yields, in a stable order.

    `content` is standards.service.content_of(version): steps, required and forbidden phrases.
    """
    drafts: list[DraftQuestion] = []
    ordering = ordering_question(code, content)
    if ordering is not None:
        drafts.append(ordering)
    forbidden = forbidden_question(code, content)
    if forbidden is not None:
        drafts.append(forbidden)
    drafts.extend(script_choice_questions(code, content))
    response = script_response_question(code, content)
    if response is not None:
        drafts.append(response)
    return drafts
