"""Training: modules built on the standards, assignments that follow people, progress,
certificates and refreshers.
"""

from training import audit_labels as _audit_labels  # noqa: F401
