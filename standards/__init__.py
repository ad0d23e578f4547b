"""Service scripts and behaviour rules, their versions and acknowledgments."""

# How this domain's audit-trail entries read; registered once, whichever module loads first.
from standards import audit_labels as _audit_labels  # noqa: F401
