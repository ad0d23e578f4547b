"""What the shell needs to know about quizzes (filled in as the domain is built)."""

from frontline.domains import Domain
from quizzes.cli import quizzes as quizzes_group

domain = Domain(
    name="quizzes",
    model_modules=("quizzes.models",),
    cli_commands=(quizzes_group,),
)
