"""acknowledgment reading evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

An acknowledgment records when the person opened the version, when they reached the
attestation at its end (unknown without JavaScript) and how long the page was open, so it is
evidence of reading a bank can show an examiner. Acknowledgments made before this change
have none of it, so the columns are nullable.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("acknowledgment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("seconds_open", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("acknowledgment", schema=None) as batch_op:
        batch_op.drop_column("seconds_open")
        batch_op.drop_column("reached_at")
        batch_op.drop_column("opened_at")
