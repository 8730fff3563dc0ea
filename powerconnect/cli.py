"""The ``powerconnect`` command line: a thin layer over the engine and the loaders.

Each command resolves its connection, calls one library function and prints
the result. Errors from the library are mapped once, here, to a one-line
message and an exit code: 1 for bad input or usage, 2 when the database cannot
be reached or refuses the login. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

import click

from engine.errors import PowerConnectError
from engine.settings import ConnectionSettings
from powerconnect import __version__
from powerconnect.options import connection_options, open_database, server_options
from powerconnect.server import LocalServer


class PowerConnectGroup(click.Group):
    """A click group that turns library errors into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PowerConnectError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def info(message: str) -> None:
    """Progress and logs go to stderr; stdout is for results."""
    click.echo(message, err=True)


@click.group(cls=PowerConnectGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="powerconnect")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
def main(debug: bool) -> None:
    """Find power connectors (strong ties on both sides of structural holes) in a
    contact network stored in Neo4j, and recommend introductions.

    Example:

        powerconnect neo4j start && powerconnect demo
    """
    # The driver logs connection failures itself; the CLI reports them once, as a message.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = debug


# --------------------------------------------------------------------------- neo4j
@main.group(cls=PowerConnectGroup)
def neo4j() -> None:
    """Run Neo4j Community 5.26 on the local JVM (for machines without Docker).

    Example:

        powerconnect neo4j start
    """


@neo4j.command("install")
@server_options
def neo4j_install(server: LocalServer) -> None:
    """Fetch the Neo4j server jars with Maven into the cache (start does this too).

    Example:

        powerconnect neo4j install
    """
    if server.install(log=info):
        info(f"Neo4j {_version()} jars installed in {server.lib_dir}.")
    else:
        info(f"Neo4j {_version()} jars already in {server.lib_dir}.")


@neo4j.command("start")
@server_options
def neo4j_start(server: LocalServer) -> None:
    """Start the local Neo4j server and wait until Bolt answers.

    The first start fetches the jars with Maven (once) and sets the password:
    NEO4J_PASSWORD if set, else a random one kept in a file only you can read.

    Example:

        powerconnect neo4j start --bolt-port 7687 --http-port 7474
    """
    if server.running():
        info(f"Neo4j is already running (pid {server.pid()}) at {server.bolt_uri}.")
        return
    started = time.monotonic()
    server.start(password=os.environ.get("NEO4J_PASSWORD") or None, log=info)
    info(f"Neo4j {_version()} started in {time.monotonic() - started:.1f} s.")
    _print_status(server)


@neo4j.command("stop")
@server_options
def neo4j_stop(server: LocalServer) -> None:
    """Stop the local Neo4j server (no JVM is left behind).

    Example:

        powerconnect neo4j stop
    """
    if server.stop():
        info("Neo4j stopped.")
    else:
        info("Neo4j is not running.")


@neo4j.command("status")
@server_options
def neo4j_status(server: LocalServer) -> None:
    """Say whether the local Neo4j server runs, its URIs and its user.

    Exit code 0 when it runs, 3 when it does not.

    Example:

        powerconnect neo4j status
    """
    if not server.running():
        click.echo(f"Neo4j is not running (server directory {server.root}).")
        sys.exit(3)
    _print_status(server)


def _version() -> str:
    from powerconnect.server import NEO4J_VERSION

    return f"Community {NEO4J_VERSION}"


def _print_status(server: LocalServer) -> None:
    password_source = (
        f"generated, in {server.password_file} (mode 0600)"
        if server.password_file.exists()
        else "NEO4J_PASSWORD (as set at first start)"
    )
    click.echo(f"Neo4j is running (pid {server.pid()}).")
    click.echo(f"  Bolt:     {server.bolt_uri}")
    click.echo(f"  Browser:  {server.browser_url}")
    click.echo("  User:     neo4j")
    click.echo(f"  Password: {password_source}")
    click.echo(f"  Data:     {server.data_dir}")


# --------------------------------------------------------------------------- database
@main.command("info")
@connection_options
def info_cmd(settings: ConnectionSettings) -> None:
    """Count the people, ties and organizations in the database.

    Example:

        powerconnect info
    """
    with open_database(settings) as db:
        row = db.query("database_counts")[0]
    click.echo(f"{row['people']} people, {row['ties']} ties, {row['organizations']} organizations "
               f"in {settings.uri}")


if __name__ == "__main__":  # pragma: no cover
    main()
