"""quizzes: question bank, quizzes, attempts, wrong-answer book, daily practice

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

A question and its versions point at each other (the version new attempts show), so that key
is added after both tables. At most one open attempt per person and quiz: a partial unique
index, on both backends.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_current_version_id"), ["current_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_question_status"), ["status"], unique=False)

    op.create_table(
        "question_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("stem_zh", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("stem_en", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("explanation_zh", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("explanation_en", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("correct", sa.JSON(), nullable=False),
        sa.Column("required_phrases", sa.JSON(), nullable=False),
        sa.Column("forbidden_phrases", sa.JSON(), nullable=False),
        sa.Column("standard_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("standard_version_id", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("difficulty", sa.String(length=32), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standard_version_id"],
            ["standard_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "number"),
    )
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.create_index("ix_question_version_category", ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_question_version_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index("ix_question_version_standard_code", ["standard_code"], unique=False)

    op.create_table(
        "question_tag",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "tag"),
    )
    with op.batch_alter_table("question_tag", schema=None) as batch_op:
        batch_op.create_index("ix_question_tag_tag", ["tag", "version_id"], unique=False)

    op.create_table(
        "daily_practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("practice_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "practice_date"),
    )
    op.create_table(
        "quiz",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description_zh", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("attempts_allowed", sa.Integer(), nullable=True),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=True),
        sa.Column("shuffle_questions", sa.Boolean(), nullable=False),
        sa.Column("shuffle_options", sa.Boolean(), nullable=False),
        sa.Column("scoring_rule", sa.String(length=32), nullable=False),
        sa.Column("layout", sa.String(length=32), nullable=False),
        sa.Column("review_policy", sa.String(length=32), nullable=False),
        sa.Column("review_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("quiz", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_status"), ["status"], unique=False)

    op.create_table(
        "wrong_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_wrong_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("times_wrong", sa.Integer(), nullable=False),
        sa.Column("right_streak", sa.Integer(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "question_id"),
    )
    with op.batch_alter_table("wrong_answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wrong_answer_person_cleared", ["person_id", "cleared_at"], unique=False
        )

    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("exam", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.String(length=32), nullable=True),
        sa.Column("points_earned", sa.Float(), nullable=True),
        sa.Column("points_possible", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("scoring_rule", sa.String(length=32), nullable=False),
        sa.Column("return_to", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quiz.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_person_submitted", ["person_id", "submitted_at"], unique=False
        )
        batch_op.create_index("ix_attempt_quiz_person", ["quiz_id", "person_id"], unique=False)
        batch_op.create_index(
            "ix_attempt_quiz_submitted", ["quiz_id", "submitted_at"], unique=False
        )
        batch_op.create_index(
            "uq_attempt_open",
            ["quiz_id", "person_id"],
            unique=True,
            sqlite_where=sa.text("submitted_at IS NULL"),
            postgresql_where=sa.text("submitted_at IS NULL"),
        )

    op.create_table(
        "daily_practice_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("from_wrong_book", sa.Boolean(), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("credit", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["daily_practice.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "position"),
    )
    with op.batch_alter_table("daily_practice_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_daily_practice_item_version", ["question_version_id"], unique=False
        )

    op.create_table(
        "quiz_draw_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=32), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quiz.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quiz_draw_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_draw_rule_quiz_id"), ["quiz_id"], unique=False)

    op.create_table(
        "quiz_position",
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quiz.id"],
        ),
        sa.PrimaryKeyConstraint("quiz_id", "position"),
    )
    with op.batch_alter_table("quiz_position", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_position_position", ["position", "quiz_id"], unique=False)

    op.create_table(
        "quiz_question",
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quiz.id"],
        ),
        sa.PrimaryKeyConstraint("quiz_id", "question_id"),
    )
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_question_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "attempt_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("chosen", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("credit", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("attempt_id", "position"),
    )
    with op.batch_alter_table("attempt_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_item_version", ["question_version_id", "attempt_id"], unique=False
        )

    _link_current_version()


def downgrade() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint("fk_question_current_version_id", type_="foreignkey")
    with op.batch_alter_table("attempt_item", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_item_version")

    op.drop_table("attempt_item")
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_question_question_id"))

    op.drop_table("quiz_question")
    with op.batch_alter_table("quiz_position", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_position_position")

    op.drop_table("quiz_position")
    with op.batch_alter_table("quiz_draw_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_draw_rule_quiz_id"))

    op.drop_table("quiz_draw_rule")
    with op.batch_alter_table("daily_practice_item", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_practice_item_version")

    op.drop_table("daily_practice_item")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_attempt_open",
            sqlite_where=sa.text("submitted_at IS NULL"),
            postgresql_where=sa.text("submitted_at IS NULL"),
        )
        batch_op.drop_index("ix_attempt_quiz_submitted")
        batch_op.drop_index("ix_attempt_quiz_person")
        batch_op.drop_index("ix_attempt_person_submitted")

    op.drop_table("attempt")
    with op.batch_alter_table("wrong_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_wrong_answer_person_cleared")

    op.drop_table("wrong_answer")
    with op.batch_alter_table("quiz", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_status"))

    op.drop_table("quiz")
    op.drop_table("daily_practice")
    with op.batch_alter_table("question_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_question_tag_tag")

    op.drop_table("question_tag")
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.drop_index("ix_question_version_standard_code")
        batch_op.drop_index(batch_op.f("ix_question_version_question_id"))
        batch_op.drop_index("ix_question_version_category")

    op.drop_table("question_version")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_status"))
        batch_op.drop_index(batch_op.f("ix_question_current_version_id"))

    op.drop_table("question")


def _link_current_version() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_question_current_version_id", "question_version", ["current_version_id"], ["id"]
        )
