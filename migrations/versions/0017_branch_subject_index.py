"""audits indexed by branch, subject and status

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

A supervisor's list of audits includes their branches' own audits (environment and
facilities, with no subject person). Found through the branch's index alone, that read
every audit of the branch (1,500 in the region profile) to keep the dozen with no subject:
a third of the list's SQL.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_branch_subject_status",
        "audit",
        ["branch_id", "subject_person_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_branch_subject_status", table_name="audit")
