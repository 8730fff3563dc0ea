"""Commands on the database as a whole: ``info`` (counts, an unfinished load) and ``reset``
(empty it, after confirmation).
"""

from __future__ import annotations

import sys

import click

from powerconnect.engine.settings import ConnectionSettings
from powerconnect.options import (
    connection_options,
    info,
    open_database,
)


# --------------------------------------------------------------------------- database
@click.command("info")
@connection_options
def info_cmd(settings: ConnectionSettings) -> None:
    """Count the people, ties and organizations in the database, and say whether the last
    load stopped before it finished.

    Example:

        powerconnect info
    """
    with open_database(settings) as db:
        row = db.query("database_counts")[0]
        last = db.query("load_status")
    click.echo(
        f"{row['people']} people, {row['ties']} ties, {row['organizations']} organizations "
        f"in {settings.uri}"
    )
    if last and last[0]["finished"] is None:
        click.echo(
            f"Warning: the last load did not finish (a {last[0]['source']} load started at "
            f"{last[0]['started']}; stopped, or still running): run it again to complete it."
        )


@click.command("reset")
@connection_options
@click.option("--yes", is_flag=True, help="Do not ask: empty the database (for scripts).")
def reset_cmd(settings: ConnectionSettings, yes: bool) -> None:
    """Empty the database: delete every person, tie, organization, ranking run and
    introduction, in batches (a million ties at once would exceed Neo4j's transaction
    memory). The schema (constraints and indexes) stays. Asks first on a terminal;
    a script must pass --yes.

    Example:

        powerconnect reset --yes
    """
    from powerconnect.engine.db import reset_database

    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("reset empties the database: pass --yes to confirm it")
        click.confirm(f"Delete everything in {settings.uri}?", abort=True, err=True)
    with open_database(settings) as db:
        done = reset_database(db)
    info(
        f"Deleted {done.nodes} nodes and {done.relationships} relationships in "
        f"{done.transactions} transactions; the schema stays."
    )


def register(group: click.Group) -> None:
    """Add these commands to ``group`` (a second call changes nothing)."""
    for command in (
        info_cmd,
        reset_cmd,
    ):
        assert command.name is not None
        if command.name not in group.commands:
            group.add_command(command)
