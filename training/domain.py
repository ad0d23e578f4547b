"""What the shell needs to know about training (filled in as the domain is built)."""

from frontline.domains import Domain

domain = Domain(name="training", model_modules=("training.models",))
