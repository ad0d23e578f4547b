"""`frontline api-tokens create --name NAME [--days N]`: issue an API token from the shell."""

import click

from frontline.commands import migrated_database


@click.group("api-tokens")
def api_tokens() -> None:
    """API tokens for HR systems reading /api/v1/scorecards."""


@api_tokens.command("create")
@click.option("--name", required=True, help="Who uses the token, such as 'HR system'.")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Refuse the token this many days from now (default: valid until revoked).",
)
def create(name: str, days: int | None) -> None:
    """Create a read-only scorecards token and print it once (only its hash is kept)."""
    from scorecards import tokens

    database = migrated_database()
    try:
        with database.session() as session:
            try:
                issued = tokens.create_token(session, name=name, actor_id=None, valid_days=days)
            except tokens.TokenRefused as refused:
                raise click.ClickException(refused.message) from refused
            prefix = issued.token.prefix
            expires_at = issued.token.expires_at
    finally:
        database.dispose()
    click.echo(f"Created API token '{name.strip()}' ({prefix}…), scope scorecards:read.", err=True)
    if expires_at is not None:
        click.echo(f"It expires at {expires_at:%Y-%m-%d %H:%M} UTC.", err=True)
    click.echo("It is shown only this once; store it in the HR system now:", err=True)
    click.echo(issued.secret)
