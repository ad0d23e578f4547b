"""`frontline audits`: checklist templates as YAML, recorded audits in, submitted audits out."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlmodel import Session

from frontline.commands import (
    FileProblems,
    fail,
    migrated_database,
    read_local_file,
    run_file_import,
)
from frontline.settings import get_settings

if TYPE_CHECKING:
    from audits.templates_file import ImportPlan as TemplatesImportPlan


@click.group()
def audits() -> None:
    """Audits: checklist templates (YAML), recorded audits (import) and results (CSV export)."""


@audits.group()
def templates() -> None:
    """Checklist templates: import and export as YAML."""


def _read_bytes(file: Path, limit: int) -> bytes:
    return read_local_file(file, max_bytes=limit)


def _text(file: Path, data: bytes) -> str:
    from frontline.uploads import UploadError, decode_text

    try:
        return decode_text(data)
    except UploadError as exc:
        fail([f"{file}:1: {exc.message}", "Nothing was imported."])


@templates.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this template.")
def export_templates_command(file: Path, codes: tuple[str, ...]) -> None:
    """Write every checklist template (its newest version) to FILE (YAML)."""
    from audits.templates_file import export_templates

    database = migrated_database()
    try:
        with database.session(write=False) as session:
            text = export_templates(session, codes=[c.strip() for c in codes] or None)
    finally:
        database.dispose()
    file.write_text(text, encoding="utf-8")
    click.echo(f"Exported {text.count(chr(10) + '  - code: ')} templates to {file}.")


@templates.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what the import would do.")
def import_templates_command(file: Path, dry_run: bool) -> None:
    """Import FILE (YAML): new templates, drafts rewritten, new versions for changed ones.

    Published versions are never changed. Any error in the file means nothing is imported.
    """
    from audits.templates import TemplateError
    from audits.templates_file import apply_import, parse_templates, plan_import
    from standards.library_file.problems import file_problems

    text = _text(file, _read_bytes(file, get_settings().max_library_bytes))

    def plan(session: Session) -> "TemplatesImportPlan":
        specs, errors = parse_templates(session, text)
        planned = plan_import(session, specs=specs, errors=errors)
        if not planned.ok:
            raise file_problems(file, sorted(planned.errors, key=lambda e: e.line))
        return planned

    run_file_import(
        file,
        dry_run=dry_run,
        plan=plan,
        apply=lambda session, planned: apply_import(session, plan=planned, actor_id=None),
        refusals=(TemplateError,),
    )


@audits.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only check the file.")
def import_audits_command(file: Path, dry_run: bool) -> None:
    """Record the audits in FILE (YAML, CSV or XLSX) as submitted audits, scored as if tapped.

    Any bad entry is reported with its place and nothing is imported.
    """
    from audits import recorded
    from audits.recorded_views import entries_of

    data = _read_bytes(file, get_settings().max_upload_bytes)

    def plan(session: Session) -> "recorded.Checked":
        entries, problems = entries_of(file.name, data)
        checked = recorded.check_entries(session, entries) if not problems else None
        problems = problems or (checked.problems if checked else [])
        if problems or checked is None:
            lines = [f"{file}:{_place(p.place)}: {p.render()}" for p in problems[:100]]
            raise FileProblems(lines, len(problems))
        return checked

    run_file_import(
        file,
        dry_run=dry_run,
        plan=plan,
        apply=lambda session, checked: recorded.store(session, checked=checked, actor_id=None),
        report=lambda _checked: (),
        dry_run_note=lambda checked: f"Dry run: {len(checked.audits)} audits would be recorded.",
        done=lambda checked: f"Recorded {len(checked.audits)} audits from {file}.",
    )


def _place(place: object) -> str:
    line = getattr(place, "line", 1)
    column = getattr(place, "column", "")
    return f"{line}" + (f" ({column})" if column else "")


@audits.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
def export_audits_command(file: Path, start: object, end: object) -> None:
    """Write one CSV row per submitted audit observed between --from and --to (inclusive)."""
    from audits.recorded_files import export_rows, write_csv

    first = start.date() if hasattr(start, "date") else None
    last = end.date() if hasattr(end, "date") else None
    if isinstance(first, date) and isinstance(last, date) and first > last:
        fail(["--from must not be after --to."])
    database = migrated_database()
    try:
        with (
            database.session(write=False) as session,
            file.open("w", encoding="utf-8-sig", newline="") as out,
        ):
            count = write_csv(export_rows(session, start=first, end=last), out)
    finally:
        database.dispose()
    click.echo(f"Exported {count} audits to {file}.")
