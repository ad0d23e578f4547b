"""The migrations build exactly the tables the models describe, and step down and up again."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from frontline.migrate import alembic_config, upgrade
from frontline.models_registry import import_all_models

# Made by migrations only, on purpose: PostgreSQL's trigram search index has no model form.
MIGRATION_ONLY = {"ix_standard_version_search_trgm"}


def _modelled(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return name not in MIGRATION_ONLY


def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


# standard and standard_version point at each other; comparing sorts tables and says so.
@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_migrated_schema_matches_the_models(database_url):
    import_all_models()
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"include_object": _modelled}),
                SQLModel.metadata,
            )
    finally:
        engine.dispose()
    assert differences == []


def test_login_session_keeps_no_csrf_token(database_url):
    """CSRF tokens are derived from the session cookie; the stored copy was never read."""
    assert "csrf_token" not in _columns(database_url, "login_session")
    assert "token_hash" in _columns(database_url, "login_session")


def test_dropping_the_csrf_token_column_downgrades_and_upgrades(database_url):
    command.downgrade(alembic_config(database_url), "0003")
    assert "csrf_token" in _columns(database_url, "login_session")
    upgrade(database_url)
    assert "csrf_token" not in _columns(database_url, "login_session")
