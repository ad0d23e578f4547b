"""drop login_session.csrf_token

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

CSRF tokens are derived from the session token by frontline/security.py; the column was
written at login and never read. The downgrade puts it back as nullable, since the rows
written meanwhile have no value for it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_column("csrf_token")


def downgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("csrf_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
