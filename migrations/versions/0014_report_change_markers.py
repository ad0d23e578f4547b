"""what reports' caches read to tell that their inputs changed

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29

Rollups and dashboards are cached per worker under a fingerprint of their inputs, read by one
statement of indexed lookups (frontline/figure_cache.py). Team and branch names appear in
reports, so a rename must show: both tables gain updated_at, set to when the row was made. The
latest change of a person, confirmed refresher, submitted audit, graded attempt and closed
correction action, and the open attempts, are read from new indexes (without them each lookup
scanned its table: up to 5-10 ms a request on the region benchmark).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = [
    ("ix_person_updated_at", "person", ["updated_at"]),
    ("ix_training_refresher_confirmed_at", "training_refresher", ["confirmed_at"]),
    ("ix_attempt_submitted", "attempt", ["submitted_at"]),
    ("ix_audit_submitted", "audit", ["submitted_at"]),
    ("ix_audit_action_closed", "audit_correction_action", ["closed_at"]),
]


def upgrade() -> None:
    for table in ("team", "branch"):
        # SQLite adds a NOT NULL column only with a constant default; every row then takes
        # its created_at.
        op.add_column(
            table,
            sa.Column(
                "updated_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.text("'1970-01-01 00:00:00'"),
            ),
        )
        rows = sa.table(table, sa.column("created_at"), sa.column("updated_at"))
        op.execute(rows.update().values(updated_at=rows.c.created_at))
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in _INDEXES:
        op.drop_index(name, table_name=table)
    for table in ("team", "branch"):
        op.drop_column(table, "updated_at")  # SQLite ≥ 3.35 drops columns itself
