"""`frontline api-tokens create --name NAME`: issue an API token from the server's shell."""

import click

from frontline.commands import migrated_database


@click.group("api-tokens")
def api_tokens() -> None:
    """API tokens for HR systems reading /api/v1/scorecards."""


@api_tokens.command("create")
@click.option("--name", required=True, help="Who uses the token, such as 'HR system'.")
def create(name: str) -> None:
    """Create a read-only scorecards token and print it once (only its hash is kept)."""
    from scorecards import tokens

    database = migrated_database()
    try:
        with database.session() as session:
            try:
                issued = tokens.create_token(session, name=name, actor_id=None)
            except tokens.TokenRefused as refused:
                raise click.ClickException(refused.message) from refused
            prefix = issued.token.prefix
    finally:
        database.dispose()
    click.echo(f"Created API token '{name.strip()}' ({prefix}…), scope scorecards:read.", err=True)
    click.echo("It is shown only this once; store it in the HR system now:", err=True)
    click.echo(issued.secret)
