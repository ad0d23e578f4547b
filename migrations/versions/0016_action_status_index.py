"""correction actions indexed by status and deadline

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30

HR's list of correction actions (and the count on their home page) is every open action of
the bank, nearest deadline first, a page at a time: without an index on the status it read
and sorted every action the bank ever opened.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_action_status_deadline",
        "audit_correction_action",
        ["status", "deadline_date", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_action_status_deadline", table_name="audit_correction_action")
