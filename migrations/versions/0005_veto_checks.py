"""veto checks on standard versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

A version lists the checks whose failure is a veto (一票否决) as `veto_checks`, a JSON list
of {"zh", "en"}. It is content, so the immutability trigger of 0002 is rebuilt to cover it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The content columns of 0002, which the trigger listed; this revision adds veto_checks.
CONTENT_COLUMNS_0002 = (
    "category",
    "channels",
    "positions",
    "severity",
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "steps",
    "required_phrases",
    "forbidden_phrases",
    "good_practice_zh",
    "good_practice_en",
    "bad_practice_zh",
    "bad_practice_en",
    "number",
    "standard_id",
    "effective_date",
)
CONTENT_COLUMNS = (*CONTENT_COLUMNS_0002, "veto_checks")


def upgrade() -> None:
    # Existing versions have no veto checks. A plain-string default lets SQLite add the column
    # in place: a recreated table would lose the triggers of 0002.
    with op.batch_alter_table("standard_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("veto_checks", sa.JSON(), nullable=False, server_default="[]")
        )
    _protect_columns(CONTENT_COLUMNS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite refuses to drop a column a trigger names: the trigger goes first and the one
        # of 0002 comes back once the column is gone.
        op.execute("DROP TRIGGER IF EXISTS standard_version_immutable")
        op.execute("ALTER TABLE standard_version DROP COLUMN veto_checks")
        _protect_columns(CONTENT_COLUMNS_0002)
        return
    _protect_columns(CONTENT_COLUMNS_0002)
    op.drop_column("standard_version", "veto_checks")


def _protect_columns(columns: Sequence[str]) -> None:
    """(Re)create the trigger of 0002 that refuses changes to a published version's content."""
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
        op.execute("DROP TRIGGER IF EXISTS standard_version_immutable")
        op.execute(
            "CREATE TRIGGER standard_version_immutable BEFORE UPDATE ON standard_version "
            f"WHEN OLD.status != 'draft' AND ({changed}) "
            "BEGIN SELECT RAISE(ABORT, 'a published standard version cannot change'); END"
        )
        return
    changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in columns)
    # Same function name and signature, so the trigger of 0002 keeps calling it.
    op.execute(
        "CREATE OR REPLACE FUNCTION standard_version_immutable() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        "  IF OLD.status <> 'draft' THEN RAISE EXCEPTION 'a published standard version cannot be deleted'; END IF; "
        "  RETURN OLD; "
        "END IF; "
        f"IF OLD.status <> 'draft' AND ({changed}) THEN "
        "  RAISE EXCEPTION 'a published standard version cannot change'; "
        "END IF; "
        "RETURN NEW; END $$"
    )
