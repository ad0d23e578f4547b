"""What the shell needs to know about quizzes (filled in as the domain is built)."""

from frontline.domains import Domain

domain = Domain(name="quizzes", model_modules=("quizzes.models",))
