"""audit subject index with status

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29

Scorecards ask for a few people's submitted audits in a period (subject IN people, status,
observed_at range). With the subject index on (subject, observed_at) SQLite's planner chose
the (status, observed_at) index instead and read every audit of the region in the period:
60–330 ms a query on the region benchmark. With status in the subject index, that index
matches three of the four conditions and the planner takes it (1–3 ms).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_subject_status_observed",
        "audit",
        ["subject_person_id", "status", "observed_at"],
        unique=False,
    )
    op.drop_index("ix_audit_subject_observed", table_name="audit")


def downgrade() -> None:
    op.create_index(
        "ix_audit_subject_observed", "audit", ["subject_person_id", "observed_at"], unique=False
    )
    op.drop_index("ix_audit_subject_status_observed", table_name="audit")
