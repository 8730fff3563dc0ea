"""The ranking's commands: ``rank`` (rank everyone, store the run) and ``explain`` (why one
person ranks where they do, with the structural holes they span).
"""

from __future__ import annotations

from typing import Any

import click
import pandas as pd

from powerconnect.engine.analysis import (
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    PersonRanking,
    explain_person,
    rank_database,
)
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.options import (
    StrongThreshold,
    connection_options,
    emit,
    engine_options,
    info,
    open_database,
    output_options,
    render_table,
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


@click.command("rank")
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
    "the strengths: 0.5 when most are derived from interactions or LinkedIn (P(close)), else their "
    "upper quartile, between 0.1 and 0.5.",
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
@engine_options("through the Neo4j connector (needs pip install 'powerconnect[spark]')")
def rank_cmd(
    settings: ConnectionSettings,
    fmt: str,
    top: int,
    strong: float | None,
    group_by: str | None,
    seed: int | None,
    no_write: bool,
    engine: str,
    spark_master: str | None,
) -> None:
    """Rank everyone as a candidate power connector and store the results in Neo4j.

    Each person gets a score, a role (power connector, mega connector, local hub)
    and an explanation; the measures and the role are written to each :Person
    (properties pc_*, role labels :PowerConnector / :MegaConnector / :LocalHub,
    score-tier labels :ScoreTop / :ScoreHigh / :ScoreMid / :ScoreLow) with a :Run
    node, replacing the previous run. The same data gives the same ranking: community
    detection does not depend on a seed or on the order of the input.

    With --engine spark the same ranking is computed with Spark DataFrames (local mode
    unless --spark-master says otherwise) and written through the Neo4j Connector for
    Apache Spark: the same groups (from --group-by, or the same detected communities)
    and the same results.

    Example:

        powerconnect rank --top 10 --group-by organization --format csv
    """
    if seed is not None:
        info("Note: --seed is ignored; community detection no longer depends on a seed.")
    with open_database(settings) as db:
        if engine == "spark":
            from powerconnect.engine.spark_ranking import rank_database_spark  # noqa: PLC0415

            run: Any = rank_database_spark(
                db,
                settings,
                group_by=group_by,
                strong=strong,
                write=not no_write,
                top=top,
                master=spark_master,
                progress=info,
            )
        else:
            run = rank_database(
                db, strong=strong, group_by=group_by, write=not no_write, progress=info
            )
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
    rule = getattr(run, "strong_rule", "")
    how = (
        f"derived from the strengths (--strong auto: {rule})"
        if run.strong_auto and rule
        else "derived from the strengths (--strong auto)"
        if run.strong_auto
        else "as given"
    )
    if engine == "spark":
        people, strong_ties = run.people, run.strong_ties
    else:
        people, strong_ties = len(run.table), int(run.table["strong_ties"].sum()) // 2
    info(
        f"Ranked {people} people ({spent}); strong threshold {run.strong:.3g} {how},"
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


@click.command("explain")
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


def register(group: click.Group) -> None:
    """Add these commands to ``group`` (a second call changes nothing)."""
    for command in (
        rank_cmd,
        explain_cmd,
    ):
        assert command.name is not None
        if command.name not in group.commands:
            group.add_command(command)
