"""The introduction commands: ``introduce`` and ``recommend``.

Each opens the database, calls one function of :mod:`engine.paths` or
:mod:`engine.recommend` and prints
the rows (``--format table|csv|json``) on stdout, remarks and timings on stderr. The
library raises :class:`engine.errors.UsageError` for unknown ids, people without ties
and paths that do not exist; the ``powerconnect`` group turns it into ``Error: ...``
and exit code 1. :func:`register` adds the commands to a group (``register(main)`` in
``powerconnect/cli.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from powerconnect.engine.analysis import run_strong
from powerconnect.engine.paths import (
    MAX_HOPS,
    IntroAnswer,
    find_paths,
    find_paths_to_group,
    mark_cold,
    read_exclude_file,
)
from powerconnect.engine.ranking import DEFAULT_STRONG
from powerconnect.engine.recommend import DEFAULT_MAX_PER_BROKER, Introduction, recommend_database
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.options import (
    connection_options,
    emit,
    info,
    open_database,
    output_options,
    render_table,
)

__all__ = ["introduce", "recommend", "register", "PATH_COLUMNS", "INTRODUCTION_COLUMNS"]

F = TypeVar("F", bound=Callable[..., Any])

#: The saved Neo4j Browser query that shows the last `recommend` run.
BROWSER_QUERY = "browser/recommended_introductions"

PATH_COLUMNS = [
    "rank",
    "path",
    "via",
    "hops",
    "weakest_link",
    "score",
    "explanation",
    "strengths",
    "target",
    "names",
    "cold",
]
INTRODUCTION_COLUMNS = [
    "rank",
    "broker",
    "a",
    "c",
    "score",
    "warmth",
    "broker_a",
    "broker_c",
    "known_a",
    "known_c",
    "a_group",
    "c_group",
    "broker_name",
    "a_name",
    "c_name",
    "broker_score",
    "reason",
]


def exclude_option(f: F) -> F:
    return click.option(
        "--exclude",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="File of person ids (one per line, or a CSV whose first column is the id) never "
        "suggested as a target, an intermediary or a broker. People with the property "
        "private = true are never suggested either.",
    )(f)


# --------------------------------------------------------------------------- introduce
@click.command("introduce")
@connection_options
@output_options
@click.option(
    "--person",
    "-p",
    required=True,
    metavar="PERSON",
    help="Who wants the introduction: an id, a LinkedIn profile URL, an e-mail or a name.",
)
@click.option(
    "--to", "to", default=None, metavar="PERSON", help="The person to reach (same forms)."
)
@click.option(
    "--to-group",
    default=None,
    metavar="VALUE",
    help="Reach anyone whose --group-by property has this value (e.g. an organization).",
)
@click.option(
    "--group-by",
    default="organization",
    show_default=True,
    metavar="PROPERTY",
    help="Person property that --to-group compares.",
)
@click.option(
    "--max-hops",
    default=MAX_HOPS,
    show_default=True,
    type=click.IntRange(1, MAX_HOPS),
    help="Most ties on a path: 2 = one intermediary, 3 = two.",
)
@click.option(
    "--top", default=5, show_default=True, type=click.IntRange(min=1), help="Paths to show."
)
@exclude_option
def introduce(
    settings: ConnectionSettings,
    fmt: str,
    person: str,
    to: str | None,
    to_group: str | None,
    group_by: str,
    max_hops: int,
    top: int,
    exclude: Path | None,
) -> None:
    """The warmest paths from one person to another, or to anyone in a group.

    A path is only as warm as its coldest tie: paths are ranked by their weakest
    link (highest first), then by fewer hops, then by the intermediaries'
    power-connector scores (from the last `powerconnect rank`; 0 without one): the
    table's `lowest via score` (`score` in csv and json) is the lowest of them, since a
    path leans on every intermediary.
    Every hop's strength is shown; a path whose weakest link is below the last
    ranking run's strong threshold (0.5 without a run) is marked cold. Exit code 1
    when a person is unknown or has no ties, or when no path has at most --max-hops ties.

    Example:

        powerconnect introduce --person ann --to cat --max-hops 3 --top 5

        powerconnect introduce --person ann --to-group Globex --format csv

        powerconnect introduce -p "Ann Lee" --to linkedin.com/in/cat-ng
    """
    if (to is None) == (to_group is None):
        raise click.UsageError("give exactly one of --to PERSON and --to-group VALUE")
    excluded = read_exclude_file(exclude) if exclude is not None else frozenset()
    with open_database(settings) as db:
        if to is not None:
            answer = find_paths(db, person, to, max_hops=max_hops, top=top, excluded=excluded)
        else:
            assert to_group is not None
            answer = find_paths_to_group(
                db,
                person,
                to_group,
                group_by=group_by,
                max_hops=max_hops,
                top=top,
                excluded=excluded,
            )
        strong = run_strong(db)
    answer = mark_cold(answer, DEFAULT_STRONG if strong is None else strong)
    for note in answer.notes:
        info(note)
    emit(paths_frame(answer), fmt, table=lambda df: _paths_table(answer, df))


def paths_frame(answer: IntroAnswer) -> pd.DataFrame:
    """One row per path, best first, with the columns of :data:`PATH_COLUMNS`."""
    rows = [
        {
            "rank": rank,
            "path": " > ".join(p.path),
            "via": " > ".join(p.via),
            "hops": p.hops,
            "weakest_link": p.weakest_link,
            "cold": p.cold,
            "score": p.score,
            "explanation": p.explanation,
            "strengths": " > ".join(f"{s:g}" for s in p.strengths),
            "target": p.target,
            "names": " > ".join(n or i for i, n in zip(p.path, p.names, strict=True)),
        }
        for rank, p in enumerate(answer.paths, start=1)
    ]
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def _paths_table(answer: IntroAnswer, df: pd.DataFrame) -> str:
    """The paths with each hop's strength on the arrow, then one explanation per path."""
    hops = [
        p.path[0] + "".join(f" -{s:.2f}- {i}" for s, i in zip(p.strengths, p.path[1:], strict=True))
        for p in answer.paths
    ]
    table = pd.DataFrame(
        {
            "rank": df["rank"],
            "path (tie strength on each hop)": hops,
            "weakest_link": df["weakest_link"].map(lambda x: f"{x:.2f}"),
            "cold": df["cold"].map(lambda x: "cold" if x else ""),
            "hops": df["hops"],
            "lowest via score": df["score"].map(lambda x: f"{x:.2f}"),
        }
    )
    lines = [render_table(table), ""]
    lines += [f"{r}. {e}" for r, e in zip(df["rank"], df["explanation"], strict=True)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- recommend
@click.command("recommend")
@connection_options
@output_options
@click.option(
    "--person",
    "-p",
    default=None,
    metavar="PERSON",
    help="Only introductions of this person to others (an id, a LinkedIn profile URL, an "
    "e-mail or a name) [default: everyone].",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many to print, best first; 0 prints all (all are stored either way).",
)
@click.option(
    "--max-per-broker",
    default=DEFAULT_MAX_PER_BROKER,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most introductions one person is asked to make in a run.",
)
@click.option(
    "--strong",
    default=DEFAULT_STRONG,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="A broker's ties to both people must be at least this strong.",
)
@click.option(
    "--group-by",
    default=None,
    metavar="PROPERTY",
    help="Person property whose values are the groups [default: organization if anyone has "
    "one, else the communities of the last `powerconnect rank` (pc_group)].",
)
@exclude_option
@click.option("--no-write", is_flag=True, help="Print the introductions without storing them.")
def recommend(
    settings: ConnectionSettings,
    fmt: str,
    person: str | None,
    top: int,
    max_per_broker: int,
    strong: float,
    group_by: str | None,
    exclude: Path | None,
    no_write: bool,
) -> None:
    """The introductions across structural holes most worth making, stored in Neo4j.

    A broker B with strong ties to A and to C, who are not tied and are in
    different groups, can introduce them. Score: min(strength B-A, strength B-C)
    divided by 1 + the ties A and C already have into each other's groups. Each
    pair is recommended once, and no broker more than --max-per-broker times.
    Stored as (broker)-[:CAN_INTRODUCE]->(:Introduction {score, reason, run})
    -[:INTRODUCES]->(A) and -[:TO]->(C), replacing the previous run's (all of
    them, or with --person, those involving that person).

    Example:

        powerconnect recommend --top 10 --max-per-broker 3

        powerconnect recommend --person ann --format csv
    """
    excluded = read_exclude_file(exclude) if exclude is not None else frozenset()
    with open_database(settings) as db:
        run = recommend_database(
            db,
            person=person,
            strong=strong,
            group_by=group_by,
            max_per_broker=max_per_broker,
            excluded=excluded,
            write=not no_write,
            progress=info,
        )
    for note in run.notes:
        info(note)
    intros = run.introductions
    frame = introductions_frame(intros[:top] if top else intros)
    if intros or fmt != "table":
        emit(frame, fmt, table=introductions_table)
    spent = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in run.timings.items())
    where = "not stored (--no-write)" if no_write else f"stored as run {run.run_id}"
    if not intros:
        whom = f"for {person}" if person else "to recommend"
        info(
            f"No introductions {whom}: no broker has ties >= {strong} to two people in "
            f"different groups ({run.group_by}) who are not tied ({spent}; {where})."
        )
        return
    count = "1 introduction" if len(intros) == 1 else f"{len(intros)} introductions"
    info(f"{count}, groups by {run.group_by} ({spent}); {where}.")
    if not no_write:
        info(
            f"See them in Neo4j Browser: the saved query cypher/{BROWSER_QUERY}.cypher "
            "(:param limit => 25)."
        )


def introductions_frame(intros: list[Introduction]) -> pd.DataFrame:
    """One row per introduction, best first, with the columns of :data:`INTRODUCTION_COLUMNS`."""
    rows = [{column: getattr(i, column) for column in INTRODUCTION_COLUMNS} for i in intros]
    return pd.DataFrame(rows, columns=INTRODUCTION_COLUMNS)


def introductions_table(df: pd.DataFrame) -> str:
    """Introductions as a terminal table, then each one's reason on its own line."""

    def who(ids: pd.Series, names: pd.Series, groups: pd.Series | None = None) -> list[str]:
        out = []
        for k in range(len(ids)):
            label = names.iloc[k] or ids.iloc[k]
            out.append(label if groups is None else f"{label} ({groups.iloc[k]})")
        return out

    table = pd.DataFrame(
        {
            "rank": df["rank"],
            "broker": who(df["broker"], df["broker_name"]),
            "introduces": who(df["a"], df["a_name"], df["a_group"]),
            "to": who(df["c"], df["c_name"], df["c_group"]),
            "ties": [
                f"{x:.2f} / {y:.2f}" for x, y in zip(df["broker_a"], df["broker_c"], strict=True)
            ],
            "score": df["score"].map(lambda x: f"{x:.2f}"),
        }
    )
    lines = [render_table(table), ""]
    lines += [f"{r}. {e}" for r, e in zip(df["rank"], df["reason"], strict=True)]
    return "\n".join(lines)


def register(group: click.Group) -> None:
    """Add ``introduce`` and ``recommend`` to ``group`` (a second call changes nothing)."""
    for command in (introduce, recommend):
        assert command.name is not None
        if command.name not in group.commands:
            group.add_command(command)
