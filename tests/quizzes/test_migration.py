"""Migration 0007 steps down and up again on both backends."""

from alembic import command
from sqlalchemy import create_engine, inspect

from frontline.migrate import alembic_config, upgrade

QUIZ_TABLES = {
    "question",
    "question_version",
    "question_tag",
    "quiz",
    "quiz_position",
    "quiz_question",
    "quiz_draw_rule",
    "attempt",
    "attempt_item",
    "wrong_answer",
    "daily_practice",
    "daily_practice_item",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_quizzes_tables_downgrade_and_upgrade(database_url):
    assert _tables(database_url) >= QUIZ_TABLES
    command.downgrade(alembic_config(database_url), "0006")
    assert not QUIZ_TABLES & _tables(database_url)
    upgrade(database_url)
    assert _tables(database_url) >= QUIZ_TABLES
