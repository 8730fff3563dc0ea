"""The ``powerconnect`` command line: a thin layer over the engine and the loaders.

This module holds the group and registers the commands, which live by topic:
``server_commands`` (neo4j, demo), ``database_commands`` (info, reset),
``load_commands`` (load, load-*), ``rank_commands`` (rank, explain), ``intro_commands``
(introduce, recommend) and ``report_commands`` (report, browser). Each command resolves
its connection, calls one library function and prints the result. Errors from the library
are mapped once, by :class:`powerconnect.options.PowerConnectGroup`, to a one-line message
and an exit code: 1 for bad input or usage, 2 when the database cannot be reached or
refuses the login. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import logging

import click

from powerconnect import __version__
from powerconnect.database_commands import register as register_database
from powerconnect.intro_commands import register as register_intro
from powerconnect.load_commands import register as register_load
from powerconnect.options import PowerConnectGroup
from powerconnect.rank_commands import register as register_rank
from powerconnect.report_commands import register as register_report
from powerconnect.server_commands import register as register_server


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


register_server(main)
register_database(main)
register_load(main)
register_rank(main)
register_intro(main)
register_report(main)

if __name__ == "__main__":  # pragma: no cover
    main()
