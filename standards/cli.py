import click


@click.group()
def standards() -> None:
    """Standards library: import and export as YAML."""
