"""Options shared by many commands, as decorators (connection, output, server)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
import pandas as pd
from neo4j.exceptions import DriverError, Neo4jError

from powerconnect.engine.db import Database
from powerconnect.engine.errors import PowerConnectError, database_failure
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.server import LocalServer, default_home

F = TypeVar("F", bound=Callable[..., Any])


def connection_parameters(
    f: F, *, uri_help: str = "Bolt URI of the database [default: the local server]"
) -> F:
    """The options --uri/--user/--password/--database, read from NEO4J_* like Neo4j's own
    tools, passed on as they are (``demo`` resolves them itself)."""
    for name, envvar, help_text in reversed(
        [
            ("--uri", "NEO4J_URI", uri_help),
            ("--user", "NEO4J_USER", "Database user [default: neo4j]"),
            (
                "--password",
                "NEO4J_PASSWORD",
                "Database password [default: the local server's generated one]",
            ),
            (
                "--database",
                "NEO4J_DATABASE",
                "Database name [default: the server's default database]",
            ),
        ]
    ):
        f = click.option(name, envvar=envvar, default=None, show_envvar=True, help=help_text)(f)
    return f


def connection_options(f: F) -> F:
    """--uri/--user/--password/--database, resolved into ``settings``
    (:func:`resolve_settings`)."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        uri: str | None,
        user: str | None,
        password: str | None,
        database: str | None,
        **kwargs: Any,
    ) -> Any:
        kwargs["settings"] = resolve_settings(uri, user, password, database)
        return f(*args, **kwargs)

    return connection_parameters(wrapper)  # type: ignore[return-value]


def resolve_settings(
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    *,
    server: LocalServer | None = None,
) -> ConnectionSettings:
    server = (server or LocalServer()).as_running()  # on the Bolt port it runs on
    # the local server's generated password goes to the local server only, never to
    # another database that --uri or NEO4J_URI names
    local = uri is None or _is_local(uri, server.bolt_port)
    return ConnectionSettings.resolve(
        uri or server.bolt_uri,
        user,
        password,
        database,
        password_file=server.password_file if local else None,
    )


def _is_local(uri: str, bolt_port: int) -> bool:
    """Whether ``uri`` names this machine on ``bolt_port`` (the local server's).

    >>> _is_local("neo4j://localhost:7688", 7688), _is_local("bolt://db:7688", 7688)
    (True, False)
    """
    try:
        parts = urlsplit(uri.strip())
        port = parts.port or 7687
    except ValueError:
        return False
    return parts.hostname in ("localhost", "127.0.0.1", "::1") and port == bolt_port


@contextmanager
def open_database(settings: ConnectionSettings) -> Iterator[Database]:
    """The connected database for one command; closed at the end, and, when a write had
    to be tried again (a deadlock, a lock wait stopped), a note says so on stderr."""
    with Database.connect(settings) as db:
        yield db
        if db.retries:
            click.echo(
                f"Note: Neo4j was busy (a deadlock or a long lock wait, e.g. another command "
                f"writing at the same time): {db.retries} write"
                f"{'' if db.retries == 1 else 's'} tried again, and completed.",
                err=True,
            )


def output_options(f: F) -> F:
    """--format table|csv|json for commands that print rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="How to print the rows on stdout",
    )(f)


def emit(df: pd.DataFrame, fmt: str, *, table: Callable[[pd.DataFrame], str] | None = None) -> None:
    """Print rows on stdout in the chosen format."""
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        click.echo(table(df) if table is not None else render_table(df))


def render_table(df: pd.DataFrame) -> str:
    """A plain-text table: text left-aligned, numbers right-aligned, floats to 3 decimals."""
    if df.empty:
        return "(no rows)"
    columns: list[list[str]] = []
    numeric: list[bool] = []
    for name in df.columns:
        values = df[name]
        is_number = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if pd.api.types.is_float_dtype(values):
            cells = ["" if pd.isna(v) else f"{v:.3f}" for v in values]
        else:
            cells = [
                "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values
            ]
        columns.append([str(name), *cells])
        numeric.append(is_number)
    widths = [max(len(cell) for cell in col) for col in columns]
    lines = []
    for row in range(len(df) + 1):
        cells = [
            col[row].rjust(w) if num else col[row].ljust(w)
            for col, w, num in zip(columns, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class StrongThreshold(click.ParamType):
    """``auto`` (None: derive it from the strengths) or a number in (0, 1]."""

    name = "auto|X"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither 'auto' nor a number", param, ctx)
        if not 0.0 < number <= 1.0:
            self.fail(f"{value} is not in (0, 1]", param, ctx)
        return number


def server_options(f: F) -> F:
    """Where the local server lives and which ports it uses (for `neo4j start`)."""
    return _server_options(f, hidden=False)


def server_home_option(f: F) -> F:
    """Where the local server lives, for the commands that find it running or build it
    (`stop`, `status`, `install`): they still accept the port and memory options, hidden,
    so that a script written for `start` keeps working."""
    return _server_options(f, hidden=True)


def _server_options(f: F, *, hidden: bool) -> F:

    @click.option(
        "--home",
        type=click.Path(path_type=Path),
        default=None,
        envvar="POWERCONNECT_HOME",
        show_envvar=True,
        help=f"Jar cache and server directory [default: {default_home()}]",
    )
    @click.option(
        "--bolt-port", type=int, default=7687, show_default=True, help="Bolt port", hidden=hidden
    )
    @click.option(
        "--http-port",
        type=int,
        default=7474,
        show_default=True,
        help="HTTP port (Neo4j Browser)",
        hidden=hidden,
    )
    @click.option("--heap", default="1g", show_default=True, help="JVM heap size", hidden=hidden)
    @click.option(
        "--pagecache", default="512m", show_default=True, help="Page cache size", hidden=hidden
    )
    @functools.wraps(f)
    def wrapper(
        *args: Any,
        home: Path | None,
        bolt_port: int,
        http_port: int,
        heap: str,
        pagecache: str,
        **kwargs: Any,
    ) -> Any:
        kwargs["server"] = LocalServer(
            home=home or default_home(),
            bolt_port=bolt_port,
            http_port=http_port,
            heap=heap,
            pagecache=pagecache,
        )
        return f(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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


def engine_options(spark_note: str) -> Callable[[F], F]:
    """``--engine local|spark`` and ``--spark-master`` (for ``rank`` and
    ``load-interactions``); ``spark_note`` says what the Spark engine does and needs."""

    def decorate(f: F) -> F:
        f = click.option(
            "--spark-master",
            default=None,
            metavar="URL",
            help="Spark master for --engine spark [default: $SPARK_MASTER, else local[*]].",
        )(f)
        return click.option(
            "--engine",
            type=click.Choice(["local", "spark"]),
            default="local",
            show_default=True,
            help=f"Where to compute: in this process, or on Apache Spark, {spark_note}.",
        )(f)

    return decorate
