"""scorecards: API tokens and composite weights

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

API tokens for the HR system's read-only scorecard API (only a SHA-256 of each token is
stored) and HR's weights for the composite index, one row per change so the history stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "composite_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audits", sa.Integer(), nullable=False),
        sa.Column("training", sa.Integer(), nullable=False),
        sa.Column("quizzes", sa.Integer(), nullable=False),
        sa.Column("acknowledgments", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_composite_weights_set_at", "composite_weights", ["set_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_composite_weights_set_at", table_name="composite_weights")
    op.drop_table("composite_weights")
    op.drop_table("api_token")
