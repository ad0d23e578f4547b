"""What the shell needs to know about audits (filled in as the domain is built)."""

from frontline.domains import Domain

domain = Domain(name="audits", model_modules=("audits.models",))
