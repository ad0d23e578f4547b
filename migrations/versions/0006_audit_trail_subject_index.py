"""audit trail subject index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

An auditor filters the trail by a person, as the one who acted (actor_id, already indexed) or
the one acted on (target_type 'person' and target_id): this index serves the second half.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_trail_target", "audit_trail", ["target_type", "target_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_trail_target", table_name="audit_trail")
