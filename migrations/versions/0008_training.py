"""training: modules, versions, lessons, images, assignments, enrollments, progress,
certificates, refresher flags and reminders

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Published module versions and their lessons are immutable: triggers refuse changes to them,
as 0002 does for standard versions. A module's version in force is linked after both tables
exist (they point at each other). Quiz ids are quizzes' own: no foreign key across domains.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The content of a version: what publishing freezes (training.models.CONTENT_FIELDS and the
# columns that say which module and number it is).
VERSION_CONTENT_COLUMNS = (
    "module_id",
    "number",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "positions",
    "estimated_minutes",
    "standard_codes",
    "quiz_id",
    "recert_months",
    "exam_opens_on",
    "exam_closes_on",
    "refresher_policy",
)
LESSON_COLUMNS = ("version_id", "position", "title_zh", "title_en", "body_zh", "body_en")


def upgrade() -> None:
    op.create_table(
        "training_module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_module_current_version_id"),
            ["current_version_id"],
            unique=False,
        )

    op.create_table(
        "training_module_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("change_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("summary_zh", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("summary_en", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
        sa.Column("estimated_minutes", sa.Integer(), nullable=False),
        sa.Column("standard_codes", sa.JSON(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=True),
        sa.Column("recert_months", sa.Integer(), nullable=True),
        sa.Column("exam_opens_on", sa.Date(), nullable=True),
        sa.Column("exam_closes_on", sa.Date(), nullable=True),
        sa.Column("refresher_policy", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("module_id", "number"),
    )
    with op.batch_alter_table("training_module_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_module_version_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_module_version_quiz_id"), ["quiz_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_module_version_status"), ["status"], unique=False
        )

    op.create_table(
        "training_lesson",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body_zh", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.Column("body_en", sqlmodel.sql.sqltypes.AutoString(length=50000), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["training_module_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "position"),
    )
    with op.batch_alter_table("training_lesson", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_lesson_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "training_version_standard",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("standard_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["training_module_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "standard_code"),
    )
    with op.batch_alter_table("training_version_standard", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_version_standard_code", ["standard_code", "version_id"], unique=False
        )

    op.create_table(
        "training_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target_position", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdraw_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("training_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_assignment_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_assignment_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            "ix_training_assignment_target", ["target_kind", "target_id"], unique=False
        )
        batch_op.create_index(
            "ix_training_assignment_target_position", ["target_position"], unique=False
        )

    op.create_table(
        "training_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("training_image", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_image_module_id"), ["module_id"], unique=False
        )

    op.create_table(
        "training_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("reminded_by_id", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reminded_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("training_reminder", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_reminder_person_module",
            ["person_id", "module_id", "reminded_at"],
            unique=False,
        )

    op.create_table(
        "training_standard_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("standard_version_id", sa.Integer(), nullable=False),
        sa.Column("retake", sa.Boolean(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("module_id", "standard_version_id"),
    )
    with op.batch_alter_table("training_standard_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_standard_change_standard_version_id"),
            ["standard_version_id"],
            unique=False,
        )

    op.create_table(
        "training_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_version_id", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("quiz_attempt_id", sa.Integer(), nullable=True),
        sa.Column("quiz_score", sa.Float(), nullable=True),
        sa.Column("quiz_passed", sa.Boolean(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["training_assignment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["completed_version_id"],
            ["training_module_version.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["training_module_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "module_id"),
    )
    with op.batch_alter_table("training_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_enrollment_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrollment_completed_version_id"),
            ["completed_version_id"],
            unique=False,
        )
        batch_op.create_index("ix_training_enrollment_due", ["due_on"], unique=False)
        batch_op.create_index("ix_training_enrollment_expires", ["expires_on"], unique=False)
        batch_op.create_index(
            "ix_training_enrollment_module_withdrawn", ["module_id", "withdrawn_at"], unique=False
        )
        batch_op.create_index(
            "ix_training_enrollment_open_due", ["completed_at", "due_on"], unique=False
        )
        batch_op.create_index("ix_training_enrollment_updated", ["updated_at"], unique=False)

    op.create_table(
        "training_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["training_enrollment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["training_module_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("training_certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_certificate_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_certificate_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_certificate_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "training_lesson_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["training_enrollment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["training_lesson.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enrollment_id", "lesson_id"),
    )
    with op.batch_alter_table("training_lesson_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_lesson_progress_enrollment_id"), ["enrollment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_lesson_progress_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "training_refresher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("standard_version_id", sa.Integer(), nullable=False),
        sa.Column("standard_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retake", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["training_enrollment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["standard.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enrollment_id", "standard_version_id"),
    )
    with op.batch_alter_table("training_refresher", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_refresher_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            "ix_training_refresher_person_confirmed", ["person_id", "confirmed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_refresher_standard_version_id"),
            ["standard_version_id"],
            unique=False,
        )
    _link_current_version()
    _protect_published_versions()


def downgrade() -> None:
    _unprotect_published_versions()
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.drop_constraint("fk_training_module_current_version_id", type_="foreignkey")
    with op.batch_alter_table("training_refresher", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_refresher_standard_version_id"))
        batch_op.drop_index("ix_training_refresher_person_confirmed")
        batch_op.drop_index(batch_op.f("ix_training_refresher_module_id"))

    op.drop_table("training_refresher")
    with op.batch_alter_table("training_lesson_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_lesson_progress_person_id"))
        batch_op.drop_index(batch_op.f("ix_training_lesson_progress_enrollment_id"))

    op.drop_table("training_lesson_progress")
    with op.batch_alter_table("training_certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_certificate_person_id"))
        batch_op.drop_index(batch_op.f("ix_training_certificate_module_id"))
        batch_op.drop_index(batch_op.f("ix_training_certificate_enrollment_id"))

    op.drop_table("training_certificate")
    with op.batch_alter_table("training_enrollment", schema=None) as batch_op:
        batch_op.drop_index("ix_training_enrollment_updated")
        batch_op.drop_index("ix_training_enrollment_open_due")
        batch_op.drop_index("ix_training_enrollment_module_withdrawn")
        batch_op.drop_index("ix_training_enrollment_expires")
        batch_op.drop_index("ix_training_enrollment_due")
        batch_op.drop_index(batch_op.f("ix_training_enrollment_completed_version_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrollment_assignment_id"))

    op.drop_table("training_enrollment")
    with op.batch_alter_table("training_standard_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_standard_change_standard_version_id"))

    op.drop_table("training_standard_change")
    with op.batch_alter_table("training_reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_training_reminder_person_module")

    op.drop_table("training_reminder")
    with op.batch_alter_table("training_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_image_module_id"))

    op.drop_table("training_image")
    with op.batch_alter_table("training_assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_training_assignment_target_position")
        batch_op.drop_index("ix_training_assignment_target")
        batch_op.drop_index(batch_op.f("ix_training_assignment_module_id"))
        batch_op.drop_index(batch_op.f("ix_training_assignment_created_by_id"))

    op.drop_table("training_assignment")
    with op.batch_alter_table("training_version_standard", schema=None) as batch_op:
        batch_op.drop_index("ix_training_version_standard_code")

    op.drop_table("training_version_standard")
    with op.batch_alter_table("training_lesson", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_lesson_version_id"))

    op.drop_table("training_lesson")
    with op.batch_alter_table("training_module_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_module_version_status"))
        batch_op.drop_index(batch_op.f("ix_training_module_version_quiz_id"))
        batch_op.drop_index(batch_op.f("ix_training_module_version_module_id"))

    op.drop_table("training_module_version")
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_module_current_version_id"))

    op.drop_table("training_module")


def _link_current_version() -> None:
    """training_module and its versions point at each other: one key comes after both."""
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_training_module_current_version_id",
            "training_module_version",
            ["current_version_id"],
            ["id"],
        )


def _protect_published_versions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in VERSION_CONTENT_COLUMNS)
        op.execute(
            "CREATE TRIGGER training_module_version_immutable BEFORE UPDATE "
            f"ON training_module_version WHEN OLD.status != 'draft' AND ({changed}) "
            "BEGIN SELECT RAISE(ABORT, 'a published module version cannot change'); END"
        )
        op.execute(
            "CREATE TRIGGER training_module_version_undeletable BEFORE DELETE "
            "ON training_module_version WHEN OLD.status != 'draft' "
            "BEGIN SELECT RAISE(ABORT, 'a published module version cannot be deleted'); END"
        )
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            published = (
                "(SELECT status FROM training_module_version "  # noqa: S608 (constants only)
                f"WHERE id = {row}.version_id) != 'draft'"
            )
            op.execute(
                f"CREATE TRIGGER training_lesson_immutable_{event.lower()} BEFORE {event} "
                f"ON training_lesson WHEN {published} "
                "BEGIN SELECT RAISE(ABORT, 'a published lesson cannot change'); END"
            )
        return
    changed = " OR ".join(
        f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in VERSION_CONTENT_COLUMNS
    )
    op.execute(
        "CREATE FUNCTION training_module_version_immutable() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        "  IF OLD.status <> 'draft' THEN "
        "    RAISE EXCEPTION 'a published module version cannot be deleted'; END IF; "
        "  RETURN OLD; "
        "END IF; "
        f"IF OLD.status <> 'draft' AND ({changed}) THEN "
        "  RAISE EXCEPTION 'a published module version cannot change'; "
        "END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER training_module_version_immutable BEFORE UPDATE OR DELETE "
        "ON training_module_version FOR EACH ROW "
        "EXECUTE FUNCTION training_module_version_immutable()"
    )
    op.execute(
        "CREATE FUNCTION training_lesson_immutable() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ "
        "DECLARE v integer; "
        "BEGIN "
        "IF TG_OP = 'INSERT' THEN v := NEW.version_id; ELSE v := OLD.version_id; END IF; "
        "IF (SELECT status FROM training_module_version WHERE id = v) <> 'draft' THEN "
        "  RAISE EXCEPTION 'a published lesson cannot change'; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER training_lesson_immutable BEFORE INSERT OR UPDATE OR DELETE "
        "ON training_lesson FOR EACH ROW EXECUTE FUNCTION training_lesson_immutable()"
    )


def _unprotect_published_versions() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS training_module_version_immutable")
        op.execute("DROP TRIGGER IF EXISTS training_module_version_undeletable")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS training_lesson_immutable_{event}")
        return
    op.execute("DROP TRIGGER IF EXISTS training_lesson_immutable ON training_lesson")
    op.execute("DROP FUNCTION IF EXISTS training_lesson_immutable()")
    op.execute(
        "DROP TRIGGER IF EXISTS training_module_version_immutable ON training_module_version"
    )
    op.execute("DROP FUNCTION IF EXISTS training_module_version_immutable()")
