"""audits: checklist templates, audits and their item results, amendments, disputes, actions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Templates are versioned like standards (audit_template_version, its sections and items); an
audit keeps the version it used and holds one audit_item_result row per item, the source of
truth its stored score fields are computed from. audit_template and audit_template_version
point at each other, so that key is added once both tables exist. A published (or superseded,
retired) version's content, sections and items cannot be changed or deleted: triggers refuse it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("audit_template", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_template_current_version_id"), ["current_version_id"], unique=False
        )

    op.create_table(
        "audit_template_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("scoring", sa.String(length=32), nullable=False),
        sa.Column("description_zh", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("change_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["audit_template.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("template_id", "number"),
    )
    with op.batch_alter_table("audit_template_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_template_version_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_template_version_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "audit_template_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["audit_template_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "position"),
    )
    op.create_table(
        "audit_template_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("text_zh", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("text_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("guidance_zh", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("guidance_en", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("standard_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("standard_version_id", sa.Integer(), nullable=True),
        sa.Column("standard_category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("veto_check_zh", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("veto_check_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("na_allowed", sa.Boolean(), nullable=False),
        sa.Column("veto", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("per_occurrence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["audit_template_section.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_version_id"],
            ["standard_version.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["audit_template_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "code"),
    )
    with op.batch_alter_table("audit_template_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_template_item_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_template_item_standard", ["standard_code", "version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_template_item_standard_category"),
            ["standard_category"],
            unique=False,
        )
        batch_op.create_index(
            "ix_audit_template_item_version_position", ["version_id", "position"], unique=False
        )

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("subject_person_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("business_type", sa.String(length=32), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wait_minutes", sa.Integer(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("start_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("points_possible", sa.Float(), nullable=True),
        sa.Column("points_earned", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("score_before_veto", sa.Float(), nullable=True),
        sa.Column("veto_breached", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["auditor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["subject_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["audit_template.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["audit_template_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("start_key"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_auditor_status", ["auditor_id", "status"], unique=False)
        batch_op.create_index(
            "ix_audit_branch_observed", ["branch_id", "observed_at"], unique=False
        )
        batch_op.create_index("ix_audit_status_observed", ["status", "observed_at"], unique=False)
        batch_op.create_index(
            "ix_audit_subject_observed", ["subject_person_id", "observed_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_team_status_observed", ["team_id", "status", "observed_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_template_observed", ["template_id", "observed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_template_version_id"), ["template_version_id"], unique=False
        )

    op.create_table(
        "audit_correction_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("deadline_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closing_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("module_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["audit_template_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_correction_action", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_action_branch_status", ["branch_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_audit_action_person_status", ["person_id", "status", "deadline_date"], unique=False
        )
        batch_op.create_index(
            "ix_audit_action_team_status", ["team_id", "status", "deadline_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_correction_action_audit_id"), ["audit_id"], unique=False
        )

    op.create_table(
        "audit_dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id"),
    )
    with op.batch_alter_table("audit_dispute", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_dispute_status_opened", ["status", "opened_at"], unique=False
        )

    op.create_table(
        "audit_item_result",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("last_op_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("points_possible", sa.Float(), nullable=True),
        sa.Column("points_earned", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["audit_template_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("audit_id", "item_id"),
    )
    with op.batch_alter_table("audit_item_result", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_item_result_item_outcome", ["item_id", "outcome"], unique=False
        )

    op.create_table(
        "audit_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amended_by_id", sa.Integer(), nullable=False),
        sa.Column("amended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("score_before", sa.Float(), nullable=True),
        sa.Column("score_after", sa.Float(), nullable=True),
        sa.Column("veto_before", sa.Boolean(), nullable=False),
        sa.Column("veto_after", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["amended_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["audit_dispute.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "number"),
    )
    with op.batch_alter_table("audit_amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_amendment_audit_id"), ["audit_id"], unique=False)

    _link_current_version()
    _protect_published_versions()


def downgrade() -> None:
    _unprotect_published_versions()
    with op.batch_alter_table("audit_template", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_template_current_version_id", type_="foreignkey")
    with op.batch_alter_table("audit_amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_amendment_audit_id"))

    op.drop_table("audit_amendment")
    with op.batch_alter_table("audit_item_result", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_item_result_item_outcome")

    op.drop_table("audit_item_result")
    with op.batch_alter_table("audit_dispute", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_dispute_status_opened")

    op.drop_table("audit_dispute")
    with op.batch_alter_table("audit_correction_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_correction_action_audit_id"))
        batch_op.drop_index("ix_audit_action_team_status")
        batch_op.drop_index("ix_audit_action_person_status")
        batch_op.drop_index("ix_audit_action_branch_status")

    op.drop_table("audit_correction_action")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_template_version_id"))
        batch_op.drop_index("ix_audit_template_observed")
        batch_op.drop_index("ix_audit_team_status_observed")
        batch_op.drop_index("ix_audit_subject_observed")
        batch_op.drop_index("ix_audit_status_observed")
        batch_op.drop_index("ix_audit_branch_observed")
        batch_op.drop_index("ix_audit_auditor_status")

    op.drop_table("audit")
    with op.batch_alter_table("audit_template_item", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_template_item_version_position")
        batch_op.drop_index(batch_op.f("ix_audit_template_item_standard_category"))
        batch_op.drop_index("ix_audit_template_item_standard")
        batch_op.drop_index(batch_op.f("ix_audit_template_item_section_id"))

    op.drop_table("audit_template_item")
    op.drop_table("audit_template_section")
    with op.batch_alter_table("audit_template_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_template_version_template_id"))
        batch_op.drop_index(batch_op.f("ix_audit_template_version_status"))

    op.drop_table("audit_template_version")
    with op.batch_alter_table("audit_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_template_current_version_id"))

    op.drop_table("audit_template")


def _link_current_version() -> None:
    with op.batch_alter_table("audit_template", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_audit_template_current_version_id",
            "audit_template_version",
            ["current_version_id"],
            ["id"],
        )


# What a published version is made of; its status may still move on (superseded, retired).
VERSION_CONTENT = (
    "template_id",
    "number",
    "title_zh",
    "title_en",
    "scoring",
    "description_zh",
    "description_en",
)
PARTS = ("audit_template_section", "audit_template_item")


def _protect_published_versions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in VERSION_CONTENT)
        op.execute(
            "CREATE TRIGGER audit_template_version_immutable BEFORE UPDATE "
            f"ON audit_template_version WHEN OLD.status != 'draft' AND ({changed}) "
            "BEGIN SELECT RAISE(ABORT, 'a published template version cannot change'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_template_version_no_delete BEFORE DELETE "
            "ON audit_template_version WHEN OLD.status != 'draft' "
            "BEGIN SELECT RAISE(ABORT, 'a published template version cannot be deleted'); END"
        )
        refuse = "SELECT RAISE(ABORT, 'a published template version cannot change')"
        for table in PARTS:
            for event in ("UPDATE", "DELETE"):
                trigger = f"{table}_no_{event.lower()}"
                version_status = (
                    "(SELECT status FROM audit_template_version WHERE id = OLD.version_id)"
                )
                op.execute(
                    f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} "
                    f"WHEN {version_status} != 'draft' BEGIN {refuse}; END"
                )
        return
    changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in VERSION_CONTENT)
    op.execute(
        "CREATE FUNCTION audit_template_version_immutable() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF OLD.status <> 'draft' AND (TG_OP = 'DELETE' OR "
        f"({changed})) THEN "
        "  RAISE EXCEPTION 'a published template version cannot change'; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_template_version_immutable BEFORE UPDATE OR DELETE "
        "ON audit_template_version FOR EACH ROW "
        "EXECUTE FUNCTION audit_template_version_immutable()"
    )
    op.execute(
        "CREATE FUNCTION audit_template_part_immutable() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF (SELECT status FROM audit_template_version WHERE id = OLD.version_id) <> 'draft' "
        "THEN RAISE EXCEPTION 'a published template version cannot change'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
    for table in PARTS:
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_template_part_immutable()"
        )


def _unprotect_published_versions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_template_version_immutable")
        op.execute("DROP TRIGGER IF EXISTS audit_template_version_no_delete")
        for table in PARTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_template_version_immutable ON audit_template_version")
    for table in PARTS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    op.execute("DROP FUNCTION IF EXISTS audit_template_version_immutable()")
    op.execute("DROP FUNCTION IF EXISTS audit_template_part_immutable()")
