"""The load commands: ``load``, ``load-interactions``, ``load-linkedin``, ``load-mail``,
``load-calendar`` and ``load-contacts``.

Each opens the database, calls one function of :mod:`loaders` and prints its one-line
summary on stdout; a progress bar goes to stderr when it is a terminal and the load is
long. Bad input raises :class:`engine.errors.InvalidInput`, which the ``powerconnect``
group turns into ``Error: FILE:LINE: reason`` and exit code 1. :func:`register` adds the
commands to a group (``register(main)`` in ``powerconnect/cli.py``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from powerconnect import loaders
from powerconnect.engine.errors import UsageError
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.loaders import LoadSummary, Progress
from powerconnect.loaders.interactions import HALF_LIFE_DAYS, check_half_life
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, TooManyDeletions
from powerconnect.options import connection_options, engine_options, open_database

__all__ = [
    "load",
    "load_calendar",
    "load_contacts",
    "load_interactions",
    "load_linkedin",
    "load_mail",
    "register",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Below this many rows to write, no progress bar (it would only flicker).
PROGRESS_THRESHOLD = 20_000


def load_options(f: F) -> F:
    """--skip-invalid, --dry-run and --batch-size, shared by the load commands."""
    f = click.option(
        "--dry-run",
        is_flag=True,
        help="Check the input and compare it with the database, then say what the load "
        "would change without writing to the database (--skip-invalid still writes its "
        "NAME.rejected.csv files)",
    )(f)
    f = click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=DEFAULT_BATCH_SIZE,
        show_default=True,
        help="Rows written per transaction",
    )(f)
    f = click.option(
        "--skip-invalid",
        is_flag=True,
        help="Load the good rows and write the rejected ones, with reasons, to "
        "NAME.rejected.csv beside each input NAME.csv (default: refuse the whole load)",
    )(f)
    return f


def _half_life(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """Refuse nan, inf, 0 and negative half-lives (FloatRange lets nan through)."""
    try:
        return check_half_life(value)
    except UsageError as e:
        raise click.BadParameter(str(e)) from None


def strength_options(f: F) -> F:
    """--half-life and --as-of, for the loaders that derive strengths."""
    f = click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
        default=None,
        help="Reference date for recency, UTC [default: the latest interaction]",
    )(f)
    f = click.option(
        "--half-life",
        "half_life",
        type=float,
        callback=_half_life,
        default=HALF_LIFE_DAYS,
        show_default=True,
        metavar="DAYS",
        help="Days after which an interaction counts half",
    )(f)
    return f


@click.command("load")
@click.option(
    "--people",
    "people_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns id,name and any further properties",
)
@click.option(
    "--ties",
    "ties_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns source,target,strength (in (0, 1]) and any further properties",
)
@click.option(
    "--create-missing",
    is_flag=True,
    help="Create people the ties name but the people file does not (with just their id)",
)
@click.option(
    "--sync",
    is_flag=True,
    help="Make the files the whole truth: delete people not in --people (with their ties) "
    "and explicit ties not in --ties (a tie with a derived strength keeps that instead)",
)
@click.option(
    "--allow-deletions",
    is_flag=True,
    help="Let --sync delete more than half of the people, or of the explicit ties, in the "
    "database (otherwise it stops and writes nothing; at a terminal it asks)",
)
@load_options
@connection_options
def load(
    settings: ConnectionSettings,
    people_path: Path | None,
    ties_path: Path | None,
    create_missing: bool,
    sync: bool,
    allow_deletions: bool,
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Load people and ties from CSV files.

    A tie is undirected (a,b and b,a are the same tie); a tie listed twice keeps its
    largest strength. A strength given here is explicit: it wins over strengths
    derived by load-interactions or load-linkedin, now and on later loads. The whole
    input is checked before anything is written; loading the same files twice
    changes nothing. Loads add and update; with --sync they also remove the people
    and the explicit ties that the files no longer list. A ties file given alone may
    name anyone already in the database.

    Example:

        powerconnect load --people people.csv --ties ties.csv

        powerconnect load --ties updated-ties.csv

        powerconnect load --people people.csv --ties ties.csv --sync --dry-run

        powerconnect load --people people.csv --ties ties.csv --sync
    """
    try:
        _load(
            settings,
            loaders.load_csv,
            people_path,
            ties_path,
            create_missing=create_missing,
            skip_invalid=skip_invalid,
            sync=sync,
            dry_run=dry_run,
            batch_size=batch_size,
            allow_deletions=allow_deletions,
            confirm=_ask if sys.stdin.isatty() else None,
        )
    except TooManyDeletions as exc:
        raise UsageError(
            f"{exc} Check with --dry-run, and run again with --allow-deletions to go ahead."
        ) from exc


def _ask(reason: str) -> bool:
    return click.confirm(f"{reason[:1].upper()}{reason[1:]} Go ahead?", err=True)


@click.command("load-interactions")
@click.argument(
    "logs",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--undirected-channel",
    "undirected_channels",
    multiple=True,
    metavar="CHANNEL",
    help="A channel whose rows have no direction (face to face, meetings, calls logged by "
    "both ends): they count for both people, never as one-sided. Repeatable",
)
@engine_options(
    "writing through the Neo4j connector (needs pip install 'powerconnect[spark]'; logs in CSV"
    " or Parquet)"
)
@strength_options
@load_options
@connection_options
def load_interactions(
    settings: ConnectionSettings,
    logs: tuple[Path, ...],
    undirected_channels: tuple[str, ...],
    engine: str,
    spark_master: str | None,
    half_life: float,
    as_of: datetime | None,
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Derive tie strengths from interaction logs
    (from,to,timestamp[,channel,duration,group,message_id]).

    A derived strength is the estimated probability that the tie is a close one
    (0.5: as likely close as not), from how much two people interact (weighted by
    recency with --half-life, by group size, by reciprocity and channels) and how
    long (duration, seconds); see loaders/README.md. The same interaction logged twice
    counts once; rows with oneself or an empty or placeholder id are left out and
    counted; timestamps after the time of the load are refused. Give all logs of one
    history in one command. People named in a log are created if missing. An explicit
    strength from `powerconnect load` always wins over a derived one.

    With --engine spark the same strengths are derived with Spark DataFrames (local
    mode unless --spark-master says otherwise) from CSV or Parquet logs and written
    through the Neo4j Connector for Apache Spark (--skip-invalid leaves bad rows out and
    counts them, without a rejects file).

    Example:

        powerconnect load-interactions log.csv --undirected-channel meeting
    """
    model: dict[str, Any] = {
        "undirected_channels": undirected_channels,
        "half_life_days": half_life,
        "as_of": _utc(as_of),
        "batch_size": batch_size,
    }
    if engine == "spark":
        from powerconnect.loaders.spark_interactions import (  # noqa: PLC0415 (optional extra)
            load_interactions_spark,
        )

        _load(
            settings,
            lambda db, paths, **kw: load_interactions_spark(db, settings, paths, **kw),
            list(logs),
            master=spark_master,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            **model,
        )
        return
    _load(
        settings,
        loaders.load_interactions,
        list(logs),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        **model,
    )


@click.command("load-linkedin")
@click.argument(
    "directories",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@strength_options
@load_options
@connection_options
def load_linkedin(
    settings: ConnectionSettings,
    directories: tuple[Path, ...],
    half_life: float,
    as_of: datetime | None,
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Load LinkedIn data exports, one directory per team member.

    Get one on linkedin.com: Me, Settings & Privacy, Data privacy, "Get a copy of your
    data"; unzip it into a directory. Every layout since 2018 loads as it comes.
    Reads Connections.csv and, when present, messages.csv (who wrote to whom and when,
    never the text; spam, drafts and sponsored messages are left out and counted).
    Each member and each connection becomes a person (merged across exports by profile
    URL, else e-mail, else name and Connected On date); each connection a tie of its
    member, weak (0.1) unless their messages make it stronger. Company becomes the
    person's organization. Blank rows of members who hide themselves are counted.

    Example:

        powerconnect load-linkedin exports/ann exports/bob
    """
    _load(
        settings,
        loaders.load_linkedin,
        list(directories),
        half_life_days=half_life,
        as_of=_utc(as_of),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        batch_size=batch_size,
    )


def messy_load_options(f: F) -> F:
    """--skip-invalid/--strict, --dry-run and --batch-size for mail, calendar and contacts
    files, where an unreadable message or event is normal and does not stop the load."""
    f = click.option(
        "--dry-run",
        is_flag=True,
        help="Read everything and compare it with the database, then say what the load "
        "would change without writing to the database",
    )(f)
    f = click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=DEFAULT_BATCH_SIZE,
        show_default=True,
        help="Rows written per transaction",
    )(f)
    f = click.option(
        "--skip-invalid/--strict",
        default=True,
        show_default=True,
        help="Load what can be read and name each unreadable message, event or contact, with "
        "the reason, in NAME.rejected.csv beside its input (--strict: refuse the whole load)",
    )(f)
    return f


@click.command("load-mail")
@click.argument(
    "mailboxes",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="ADDRESS",
    help="An address of the mailbox's owner (repeat for each; they become one person)",
)
@click.option(
    "--alias",
    "alias_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of people's several addresses: one person per line, the addresses "
    "separated by commas or spaces",
)
@strength_options
@messy_load_options
@connection_options
def load_mail(
    settings: ConnectionSettings,
    mailboxes: tuple[Path, ...],
    me: tuple[str, ...],
    alias_file: Path | None,
    half_life: float,
    as_of: datetime | None,
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Derive ties from mailboxes: mbox files or maildir/.eml directories.

    Reads only the headers From, To, Cc, Date, Message-ID, In-Reply-To and References
    (and List-Id, List-Post, Precedence, Auto-Submitted); never subjects or bodies.
    Each address is a person (an address already on a person in the database, e.g. from
    load-contacts, is that person). A sender writes to each recipient; a reply is also
    an interaction with the author of the message it answers, so mailing-list archives
    become networks. Messages from robots or only to a list add no ties; the same
    message twice counts once. Strength: the load-interactions model, channel email.
    Each mailbox (named by its owner: --me, else the person in most messages) adds up
    with the other mailboxes and calendars loaded; a message in two mailboxes counts
    once, and loading a mailbox again replaces what it gave before.

    Example:

        powerconnect load-mail "All mail Including Spam and Trash.mbox" --me ann@example.org
    """
    _load(
        settings,
        loaders.load_mail,
        list(mailboxes),
        me=list(me),
        aliases=alias_file,
        half_life_days=half_life,
        as_of=_utc(as_of),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        batch_size=batch_size,
    )


@click.command("load-calendar")
@click.argument(
    "calendars",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Expand recurring meetings up to this date, UTC [default: now]",
)
@strength_options
@messy_load_options
@connection_options
def load_calendar(
    settings: ConnectionSettings,
    calendars: tuple[Path, ...],
    until: datetime | None,
    half_life: float,
    as_of: datetime | None,
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Derive ties from calendars (.ics): who met whom.

    Participants are the ORGANIZER and the ATTENDEEs of each event, except declined
    attendees, rooms and resources; cancelled events do not count. Recurring events are
    expanded up to now (or --until). A meeting has no direction, and each pair in it is
    an interaction on channel meeting. Strength: the load-interactions model.

    Example:

        powerconnect load-calendar ann@example.org.ics
    """
    _load(
        settings,
        loaders.load_calendar,
        list(calendars),
        until=_utc(until),
        half_life_days=half_life,
        as_of=_utc(as_of),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        batch_size=batch_size,
    )


@click.command("load-contacts")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@messy_load_options
@connection_options
def load_contacts(
    settings: ConnectionSettings,
    files: tuple[Path, ...],
    skip_invalid: bool,
    dry_run: bool,
    batch_size: int,
) -> None:
    """Load address books: vCard (.vcf, 2.1 to 4.0) or Google / Outlook contacts CSV.

    Each contact becomes a person with name, email (and all their addresses in
    emails), organization and title; no ties. Later load-mail and load-calendar
    loads resolve those addresses to these people.

    Example:

        powerconnect load-contacts contacts.vcf
    """
    _load(
        settings,
        loaders.load_contacts,
        list(files),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        batch_size=batch_size,
    )


def register(group: click.Group) -> None:
    """Add the load commands to ``group`` (a second call changes nothing)."""
    for command in (
        load,
        load_interactions,
        load_linkedin,
        load_mail,
        load_calendar,
        load_contacts,
    ):
        assert command.name is not None
        if command.name not in group.commands:
            group.add_command(command)


# ------------------------------------------------------------------------ output
def _load(
    settings: ConnectionSettings, loader: Callable[..., LoadSummary], *args: Any, **kw: Any
) -> None:
    """Run one of the library's loaders with a progress bar, and print its summary."""
    with open_database(settings) as db, _progress() as progress:
        summary = loader(db, *args, progress=progress, **kw)
    if summary.dry_run:
        click.echo(f"Dry run (nothing written to the database): {summary}.")
    else:
        click.echo(f"Loaded {summary}.")


def _utc(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=UTC) if when is not None else None


class _Bars:
    """One click progress bar per stage, on stderr, for long loads on a terminal."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            if total >= PROGRESS_THRESHOLD:
                self.bar = click.progressbar(
                    length=total, label=f"Writing {stage}", file=sys.stderr, show_pos=True
                )
                self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextmanager
def _progress() -> Iterator[Progress | None]:
    if not sys.stderr.isatty():
        yield None
        return
    bars = _Bars()
    try:
        yield bars
    finally:
        bars.close()
