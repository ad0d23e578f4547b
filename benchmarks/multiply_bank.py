"""Make a PostgreSQL bank N times larger by copying its people and what scorecards read of them.

    python -m benchmarks.multiply_bank --url postgresql+psycopg://…/bank60 --times 4

`benchmarks.generate` builds rows in Python (~1 hour for 60,000 staff on PostgreSQL); this
copies a generated bank's branches, teams and people, with their acknowledgments, attempts,
enrollments, refreshers, audits and correction actions, in SQL (a few minutes). Each copy
has new ids, branch codes and employee numbers; standards, quizzes, modules and templates
stay shared. Rows that scorecards do not read (attempt items, item results, lesson
progress, sessions, the audit trail) are not copied, so the larger bank serves the exports
and scorecards, not every page: use it for `serve_scorecards --exports-only`.
"""

# ruff: noqa: S608 -- every name in the SQL comes from the constants below or the schema

import argparse

from sqlalchemy import create_engine, text

# In the order they can be inserted; each column that points at a copied table moves with it.
COPIED = {
    "branch": {},
    "team": {"branch_id": "branch"},
    "person": {"team_id": "team"},
    "team_supervisor": {"team_id": "team", "person_id": "person"},
    "acknowledgment": {"person_id": "person"},
    "attempt": {"person_id": "person"},
    "training_enrollment": {"person_id": "person"},
    "training_refresher": {"person_id": "person", "enrollment_id": "training_enrollment"},
    "audit": {
        "subject_person_id": "person",
        "auditor_id": "person",
        "team_id": "team",
        "branch_id": "branch",
    },
    "audit_correction_action": {
        "audit_id": "audit",
        "person_id": "person",
        "team_id": "team",
        "branch_id": "branch",
        "created_by_id": "person",
        "closed_by_id": "person",
    },
}
# Unique text: each copy appends its number.
SUFFIXED = {"branch": ["code"], "person": ["employee_no"], "audit": ["start_key"]}


def _columns(connection, table: str) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = :table ORDER BY ordinal_position"
        ),
        {"table": table},
    )
    return [name for (name,) in rows]


def multiply(url: str, times: int) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        keyed = [table for table in COPIED if "id" in _columns(connection, table)]
        tops = {
            table: connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar()
            for table in keyed
        }
        for copy in range(1, times):
            for table, moved in COPIED.items():
                columns = _columns(connection, table)
                values = []
                for column in columns:
                    if column == "id":
                        values.append(f"id + {tops[table] * copy}")
                    elif column in moved:
                        values.append(f"{column} + {tops[moved[column]] * copy}")
                    elif column in SUFFIXED.get(table, []):
                        values.append(f"{column} || '-{copy}'")
                    else:
                        values.append(f'"{column}"')
                quoted = ", ".join(f'"{column}"' for column in columns)
                # The original rows only: by id, or (no id) by the first row they belong to.
                key, owner = ("id", table) if table in tops else next(iter(moved.items()))
                connection.execute(
                    text(
                        f"INSERT INTO {table} ({quoted}) SELECT {', '.join(values)}"
                        f" FROM {table} WHERE {key} <= {tops[owner]}"
                    )
                )
                print(f"copy {copy}: {table}", flush=True)
        for table in keyed:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", required=True, help="a PostgreSQL bank made by benchmarks.generate"
    )
    parser.add_argument("--times", type=int, default=4)
    arguments = parser.parse_args()
    multiply(arguments.url, arguments.times)


if __name__ == "__main__":
    main()
