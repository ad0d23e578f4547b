"""Branches, teams, people, roles, login and sessions."""

# How this domain's audit-trail entries read; registered once, whichever module loads first.
from staff import audit_labels as _audit_labels  # noqa: F401
