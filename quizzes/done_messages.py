"""What an author sees after a step in the bank or the builder ("3 draft questions made")."""

from frontline import status
from frontline.i18n import N_
from quizzes.models import Status

QUESTION_SAVED = status.define(
    "question.saved", N_("Question %(code)s saved (version %(number)s).")
)
QUESTION_STATUS = {
    Status.published: status.define(
        "question.published", N_("Question %(code)s published: quizzes can use it.")
    ),
    Status.archived: status.define(
        "question.retired", N_("Question %(code)s retired: no new quiz or draw will use it.")
    ),
    Status.draft: status.define("question.draft", N_("Question %(code)s is a draft again.")),
}
DRAFTS_MADE = status.define(
    "question.drafts",
    N_(
        "%(made)s draft questions made from %(code)s (%(skipped)s already in the bank). "
        "Edit and publish them."
    ),
)
QUIZ_SAVED = status.define("quiz.saved", N_("Quiz %(code)s saved."))
QUIZ_STATUS = {
    Status.published: status.define("quiz.published", N_("Quiz %(code)s published.")),
    Status.archived: status.define("quiz.archived", N_("Quiz %(code)s archived.")),
    Status.draft: status.define("quiz.draft", N_("Quiz %(code)s is a draft again.")),
}
