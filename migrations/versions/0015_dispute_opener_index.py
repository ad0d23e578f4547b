"""audit disputes indexed by who opened them

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Every employee's home page asks for their own disputes twice (audits they have not answered
yet leave out the ones they disputed; their disputes' outcomes): without an index on the
opener, both scanned the whole dispute table, growing with the bank's history.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_dispute_opened_by", "audit_dispute", ["opened_by_id", "opened_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_dispute_opened_by", table_name="audit_dispute")
