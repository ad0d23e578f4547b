"""standards library

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Published versions are immutable: a trigger refuses changes to their content. On
PostgreSQL, text search uses a trigram index. 16:26:59.065615
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_current_version_id"), ["current_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_standard_kind"), ["kind"], unique=False)

    op.create_table(
        "standard_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("change_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_zh", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("body_en", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("required_phrases", sa.JSON(), nullable=False),
        sa.Column("forbidden_phrases", sa.JSON(), nullable=False),
        sa.Column(
            "good_practice_zh", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False
        ),
        sa.Column(
            "good_practice_en", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False
        ),
        sa.Column(
            "bad_practice_zh", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False
        ),
        sa.Column(
            "bad_practice_en", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False
        ),
        sa.Column("search_text", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["standard.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("standard_id", "number"),
    )
    with op.batch_alter_table("standard_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_version_severity"), ["severity"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_standard_version_standard_id"), ["standard_id"], unique=False
        )
        batch_op.create_index(
            "ix_standard_version_status_category", ["status", "category"], unique=False
        )

    op.create_table(
        "standard_version_channel",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "channel"),
    )
    with op.batch_alter_table("standard_version_channel", schema=None) as batch_op:
        batch_op.create_index(
            "ix_standard_version_channel_channel", ["channel", "version_id"], unique=False
        )

    op.create_table(
        "standard_version_position",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "position"),
    )
    with op.batch_alter_table("standard_version_position", schema=None) as batch_op:
        batch_op.create_index(
            "ix_standard_version_position_position", ["position", "version_id"], unique=False
        )

    op.create_table(
        "acknowledgment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "version_id"),
    )
    with op.batch_alter_table("acknowledgment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acknowledgment_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acknowledgment_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "acknowledgment_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reminded_by_id", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reminded_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("acknowledgment_reminder", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ack_reminder_person_version", ["person_id", "version_id"], unique=False
        )

    _link_current_version()
    _protect_published_versions()
    _trigram_search_index()


def downgrade() -> None:
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.drop_constraint("fk_standard_current_version_id", type_="foreignkey")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS standard_version_immutable ON standard_version")
        op.execute("DROP FUNCTION IF EXISTS standard_version_immutable()")
        op.execute("DROP INDEX IF EXISTS ix_standard_version_search_trgm")
    with op.batch_alter_table("acknowledgment_reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_ack_reminder_person_version")

    op.drop_table("acknowledgment_reminder")
    with op.batch_alter_table("acknowledgment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgment_version_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgment_person_id"))

    op.drop_table("acknowledgment")
    with op.batch_alter_table("standard_version_position", schema=None) as batch_op:
        batch_op.drop_index("ix_standard_version_position_position")

    op.drop_table("standard_version_position")
    with op.batch_alter_table("standard_version_channel", schema=None) as batch_op:
        batch_op.drop_index("ix_standard_version_channel_channel")

    op.drop_table("standard_version_channel")
    with op.batch_alter_table("standard_version", schema=None) as batch_op:
        batch_op.drop_index("ix_standard_version_status_category")
        batch_op.drop_index(batch_op.f("ix_standard_version_standard_id"))
        batch_op.drop_index(batch_op.f("ix_standard_version_severity"))

    op.drop_table("standard_version")
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_kind"))
        batch_op.drop_index(batch_op.f("ix_standard_current_version_id"))

    op.drop_table("standard")


# Content columns of a version; a published, superseded or retired version keeps them forever.
CONTENT_COLUMNS = (
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


def _protect_published_versions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)
        op.execute(
            "CREATE TRIGGER standard_version_immutable BEFORE UPDATE ON standard_version "
            f"WHEN OLD.status != 'draft' AND ({changed}) "
            "BEGIN SELECT RAISE(ABORT, 'a published standard version cannot change'); END"
        )
        op.execute(
            "CREATE TRIGGER standard_version_no_delete BEFORE DELETE ON standard_version "
            "WHEN OLD.status != 'draft' "
            "BEGIN SELECT RAISE(ABORT, 'a published standard version cannot be deleted'); END"
        )
        return
    changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in CONTENT_COLUMNS)
    op.execute(
        "CREATE FUNCTION standard_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
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
    op.execute(
        "CREATE TRIGGER standard_version_immutable BEFORE UPDATE OR DELETE ON standard_version "
        "FOR EACH ROW EXECUTE FUNCTION standard_version_immutable()"
    )


def _trigram_search_index() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_standard_version_search_trgm ON standard_version "
        "USING gin (search_text gin_trgm_ops)"
    )


def _link_current_version() -> None:
    """standard and standard_version point at each other, so one key comes after both tables."""
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_standard_current_version_id", "standard_version", ["current_version_id"], ["id"]
        )
