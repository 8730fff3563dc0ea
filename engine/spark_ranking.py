"""The ranking of :mod:`engine.ranking`, computed with Spark DataFrames: ``rank --engine spark``.

:func:`rank_frames` computes what :func:`engine.ranking.rank` computes: Burt's
measures and the strong-tie counts (:mod:`engine.spark_measures`), the groups (a
person property, or the local engine's communities of the strong-tie graph,
:mod:`engine.spark_communities`), the groups each person's strong ties reach, the
Gould-Fernandez brokerage counts (:func:`_brokerage`), the sides of their structural
holes (:func:`engine.measures.strong_sides`, as connected components found by iterated
minimum labels), the score, the roles, the order and the explanation (the local
engine's own sentence builder, :func:`engine.ranking._explain`, run on each person's row
in the executors). :func:`rank_database_spark` reads the network from Neo4j and writes
the results back through the Neo4j Connector for Apache Spark, into the same ``pc_*``
properties, labels and ``:Run`` node as :func:`engine.analysis.rank_database` (the
brokerage counts are in the table, and, as in the local engine, not stored).

Bounds. Everything is a join or an aggregation keyed by person or tie except two global
orderings of the people (the rank order and the power-connector cap; without groups also
the canonical order and the community numbering of :mod:`engine.spark_communities`), which
Spark runs as one sorted partition: ``O(n log n)`` over people, not ties (and the running
count over the distinct strengths that :func:`auto_strong` needs). Without groups, the
largest component of the strong-tie graph must fit in one executor.
The strong sides cost the strong triangles plus a few rounds of label
propagation, each over each person's strong contacts; a person with ``k``
strong ties costs ``k`` rows per round, never ``k^2``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from powerconnect.engine import ranking
from powerconnect.engine.analysis import (
    FLOAT_COLUMNS,
    OUTPUT_COLUMNS,
    SCORE_COLUMNS,
    SCORE_TIERS,
    settle,
)
from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.engine.spark_session import (
    read_query,
    spark_failure,
    spark_session,
    write_query,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, Row, SparkSession

__all__ = ["SparkRankRun", "auto_strong", "rank_frames", "rank_database_spark", "read_frames"]

#: Most rounds of label propagation for the sides of one person's holes: each round moves a
#: label one link further, so this bounds the longest chain of strongly tied contacts.
MAX_ROUNDS = 200


def _f() -> Any:
    from pyspark.sql import functions as F  # noqa: N812, PLC0415 (optional extra)

    return F


def auto_strong(ties: DataFrame, calibrated: float = 0.0) -> float:
    """:func:`engine.ranking.auto_strong` over a DataFrame of ties: ``CLOSE_PROBABILITY``
    when at least ``CALIBRATED_MAJORITY`` of the ties are calibrated (``calibrated`` is
    their share); else the strength at index ``floor(AUTO_QUANTILE * (m - 1))`` of the
    sorted strengths (numpy's ``"lower"`` quantile), or the next strength up when that is
    the weakest of several, between ``AUTO_FLOOR`` and ``DEFAULT_STRONG``.

    Computed from the count of each distinct strength and a running sum over them, so
    only a few numbers come back to the driver.
    """
    F = _f()
    from pyspark.sql import Window  # noqa: PLC0415

    m = ties.count()
    if m == 0:
        return ranking.DEFAULT_STRONG
    if calibrated >= ranking.CALIBRATED_MAJORITY:
        return ranking.CLOSE_PROBABILITY
    k = int(ranking.AUTO_QUANTILE * (m - 1))  # what numpy's "lower" method indexes
    counts = ties.groupBy("strength").agg(F.count("*").alias("c"))
    running = counts.withColumn("upto", F.sum("c").over(Window.orderBy("strength")))
    q, weakest = _one(
        running.agg(F.min(F.when(F.col("upto") > k, F.col("strength"))), F.min("strength"))
    )
    if q == weakest:  # a quantile cannot cut inside a level: the next one up, if any
        above = _one(counts.where(F.col("strength") > weakest).agg(F.min("strength")))[0]
        if above is not None:
            q = above
    return float(min(ranking.DEFAULT_STRONG, max(ranking.AUTO_FLOOR, float(q))))


def _components(
    links: DataFrame, slots: DataFrame, what: str = "the sides of the structural holes"
) -> DataFrame:
    """Label each ``(ego, alter)`` slot with the least ``alter`` of its component, where
    ``links`` ``(ego, u, v)`` joins the slots ``(ego, u)`` and ``(ego, v)``.

    Minimum-label propagation, one round per join, until no label changes
    (:func:`engine.measures._components` does the same in numpy, with pointer jumping).
    """
    F = _f()
    both = links.select("ego", "u", "v").unionByName(
        links.select("ego", F.col("v").alias("u"), F.col("u").alias("v"))
    )
    both = both.localCheckpoint()
    label = slots.select("ego", "alter", F.col("alter").alias("label")).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        pulled = (
            both.join(
                label.select("ego", F.col("alter").alias("v"), F.col("label").alias("near")),
                ["ego", "v"],
            )
            .groupBy("ego", F.col("u").alias("alter"))
            .agg(F.min("near").alias("near"))
        )
        new = (
            label.join(pulled, ["ego", "alter"], "left")
            .select(
                "ego",
                "alter",
                F.when(F.col("near").isNotNull() & (F.col("near") < F.col("label")), F.col("near"))
                .otherwise(F.col("label"))
                .alias("label"),
                (F.col("near").isNotNull() & (F.col("near") < F.col("label"))).alias("moved"),
            )
            .localCheckpoint()
        )
        if new.where("moved").limit(1).count() == 0:
            return new.drop("moved")
        label = new.drop("moved")
    raise RuntimeError(f"{what} did not settle in {MAX_ROUNDS} rounds")


def _strong_corners(tri: DataFrame, strong: float) -> DataFrame:
    """Each strong triangle from each of its corners: ``(ego, u, v)``, the ego's two
    contacts ``u`` and ``v`` being a closed strong pair of the ego."""
    F = _f()
    s = float(strong)
    strong_tri = tri.where((F.col("w_xy") >= s) & (F.col("w_xz") >= s) & (F.col("w_yz") >= s))
    return strong_tri.select(
        F.explode(
            F.array(
                F.struct(F.col("x").alias("ego"), F.col("y").alias("u"), F.col("z").alias("v")),
                F.struct(F.col("y").alias("ego"), F.col("x").alias("u"), F.col("z").alias("v")),
                F.struct(F.col("z").alias("ego"), F.col("x").alias("u"), F.col("y").alias("v")),
            )
        ).alias("c")
    ).select("c.*")


#: The Gould-Fernandez brokerage counts (:func:`engine.measures.brokerage`), as :func:`_brokerage`
#: and :func:`rank_frames` name them.
BROKERAGE = ["coordinator", "itinerant", "representative", "liaison"]


def _brokerage(slots: DataFrame, corners: DataFrame) -> DataFrame:
    r""":func:`engine.measures.brokerage`: ``(ego, coordinator, itinerant, representative,
    liaison)`` for every person with a strong tie to someone of known group.

    The same count (Gould and Fernandez 1989, without direction): from the strong contacts
    per group, ``n_h``, with ``s`` those in the ego's own group and ``K`` all of known
    group, all pairs number :math:`\binom{s}{2}`, :math:`\sum_{h \ne g} \binom{n_h}{2}`,
    :math:`s (K - s)` and :math:`\binom{K - s}{2} - \sum_{h \ne g} \binom{n_h}{2}`; each
    strong triangle then takes its closed pair off the ego's count of its role
    (``engine.measures._role``). 0 when the ego's group is unknown. ``slots`` are the
    strong ``(ego, alter)`` pairs with ``ge`` and ``ga`` (-1 unknown), ``corners`` those of
    :func:`_strong_corners`. No pair is listed.
    """
    F = _f()
    per_group = (
        slots.where((F.col("ga") >= 0) & (F.col("ge") >= 0))
        .groupBy("ego", "ge", "ga")
        .agg(F.count("*").alias("c"))
    )
    c, own_group = F.col("c"), F.col("ga") == F.col("ge")
    totals = per_group.groupBy("ego").agg(
        F.sum(F.when(own_group, c).otherwise(0)).alias("own"),
        F.sum(c).alias("known"),
        F.sum(F.when(~own_group, c * (c - 1) / 2).otherwise(0)).cast("long").alias("same"),
    )
    own, other, same = F.col("own"), F.col("known") - F.col("own"), F.col("same")
    totals = totals.select(
        "ego",
        (own * (own - 1) / 2).cast("long").alias("t0"),
        same.alias("t1"),
        (own * other).cast("long").alias("t2"),
        (other * (other - 1) / 2 - same).cast("long").alias("t3"),
    )
    group = slots.select(F.col("ego").alias("_p"), F.col("ge").alias("_g")).distinct()
    known = corners
    for end, name in (("ego", "g"), ("u", "gu"), ("v", "gv")):
        known = known.join(
            group.select(F.col("_p").alias(end), F.col("_g").alias(name)), end
        ).where(F.col(name) >= 0)
    gu, gv, g = F.col("gu"), F.col("gv"), F.col("g")
    role = F.when(gu == gv, F.when(gu == g, 0).otherwise(1)).when((gu == g) | (gv == g), 2)
    closed = (
        known.withColumn("role", role.otherwise(3))
        .groupBy("ego")
        .agg(*[F.sum((F.col("role") == i).cast("long")).alias(f"k{i}") for i in range(4)])
    )
    return totals.join(closed, "ego", "left").select(
        "ego",
        *[
            (F.col(f"t{i}") - F.coalesce(F.col(f"k{i}"), F.lit(0))).alias(name)
            for i, name in enumerate(BROKERAGE)
        ],
    )


def _sides(slots: DataFrame, corners: DataFrame) -> tuple[DataFrame, DataFrame]:
    """:func:`engine.measures.strong_sides`: ``(sides, closed)``.

    ``slots`` are the strong ``(ego, alter)`` pairs with ``ge`` (the ego's group) and
    ``ga`` (the alter's; -1 unknown), ``corners`` the strong triangles from each corner
    (:func:`_strong_corners`). ``sides`` has ``(ego, size, group)`` per side;
    ``closed`` ``(ego, closed)``: pairs of contacts anchored in different groups, on
    different sides, strongly tied to each other anyway.
    """
    F = _f()
    same = (F.col("ga") >= 0) & (F.col("ge") == F.col("ga"))
    inside = slots.where(same).groupBy(F.col("ego").alias("alter")).agg(F.count("*").alias("ins"))
    slots = (
        slots.join(inside, "alter", "left")
        .withColumn(
            "anchored",
            (F.col("ga") >= 0) & ((F.coalesce("ins", F.lit(0)) - F.when(same, 1).otherwise(0)) > 0),
        )
        .drop("ins")
        .localCheckpoint()
    )
    flags = slots.select("ego", "alter", "anchored", "ga")
    corners = corners.join(
        flags.select(
            "ego", F.col("alter").alias("u"), F.col("anchored").alias("au"), F.col("ga").alias("gu")
        ),
        ["ego", "u"],
    ).join(
        flags.select(
            "ego", F.col("alter").alias("v"), F.col("anchored").alias("av"), F.col("ga").alias("gv")
        ),
        ["ego", "v"],
    )
    apart = F.col("au") & F.col("av") & (F.col("gu") != F.col("gv"))
    corners = corners.withColumn("apart", apart).localCheckpoint()
    anchored = slots.where("anchored")
    first = anchored.groupBy("ego", "ga").agg(F.min("alter").alias("v"))
    group_links = anchored.join(first, ["ego", "ga"]).select("ego", F.col("alter").alias("u"), "v")
    links = corners.where(~F.col("apart")).select("ego", "u", "v").unionByName(group_links)
    label = _components(links, slots.select("ego", "alter"))
    members = label.join(slots.select("ego", "alter", "ga"), ["ego", "alter"])
    sizes = members.groupBy("ego", "label").agg(F.count("*").alias("size"))
    votes = (
        members.where(F.col("ga") >= 0)
        .groupBy("ego", "label", "ga")
        .agg(F.count("*").alias("votes"))
        .groupBy("ego", "label")
        .agg(F.min(F.struct((-F.col("votes")).alias("v"), F.col("ga").alias("g"))).alias("best"))
    )
    sides = sizes.join(votes, ["ego", "label"], "left").select(
        "ego", "size", F.coalesce(F.col("best.g"), F.lit(-1)).alias("group")
    )
    across = (
        corners.where("apart")
        .join(
            label.select("ego", F.col("alter").alias("u"), F.col("label").alias("lu")), ["ego", "u"]
        )
        .join(
            label.select("ego", F.col("alter").alias("v"), F.col("label").alias("lv")), ["ego", "v"]
        )
    )
    closed = (
        across.where(F.col("lu") != F.col("lv")).groupBy("ego").agg(F.count("*").alias("closed"))
    )
    return sides, closed


def _explain_udf(names: Sequence[str] | None) -> Any:
    """The local engine's sentence (:func:`engine.ranking._explain`) as a Spark UDF.

    ``names`` are the groups' names; ``None`` for detected communities, named
    ``community <k>`` as the local engine names them. Each row's groups are renumbered
    to the few it mentions first, so a row costs the same however many groups there are.
    """
    F = _f()
    given = None if names is None else list(names)

    def name_of(k: int) -> str:
        return f"community {k}" if given is None else given[k]

    def explain(
        role: str,
        degree: int,
        weak: int,
        strong: int,
        by_group: list[Any] | None,
        sides: list[Any] | None,
        cross_open: int,
        cross_pairs: int,
        focus: float,
        own: int,
    ) -> str:
        mentioned = sorted(
            {int(r["group"]) for r in by_group or []}
            | {int(r["group"]) for r in sides or [] if int(r["group"]) >= 0}
            | ({int(own)} if int(own) >= 0 else set())
        )
        local = {k: i for i, k in enumerate(mentioned)}
        local[-1] = -1
        names = [name_of(k) for k in mentioned]
        ks = [local[int(r["group"])] for r in by_group or []]
        cs = [int(r["count"]) for r in by_group or []]
        side_groups = np.array([local[int(r["group"])] for r in sides or []], dtype=np.int64)
        side_sizes = np.array([int(r["size"]) for r in sides or []], dtype=np.int64)
        own = local[int(own)]
        (sides_text,) = ranking._sides_sentences(
            np.zeros(len(side_groups), dtype=np.int64),
            side_groups,
            side_sizes,
            np.array([own], dtype=np.int64),
            names,
            1,
        )
        return ranking._explain(
            role,
            int(degree),
            int(weak),
            int(strong),
            ks,
            cs,
            sum(cs),
            len(side_groups),
            sides_text,
            names,
            int(cross_open),
            int(cross_pairs),
            float(focus),
            int(own),
        )

    return F.udf(explain, "string")


def _one(frame: DataFrame) -> Row:
    """The only row of an aggregation."""
    row = frame.first()
    assert row is not None, "an aggregation without groups returns one row"
    return row


def _percentile(frame: DataFrame, column: str, where: Column, q: float) -> float:
    """numpy's ``percentile(x, q)`` (linear interpolation) of ``column`` over ``where``:
    Spark's exact ``percentile`` aggregate interpolates the same way."""
    F = _f()
    value = _one(frame.where(where).agg(F.percentile(F.col(column).cast("double"), q / 100.0)))
    return float(value[0]) if value[0] is not None else 0.0


def rank_frames(
    people: DataFrame,
    ties: DataFrame,
    *,
    strong: float | None,
    group_names: Sequence[str] | None,
    calibrated: float = 0.0,
) -> tuple[DataFrame, float]:
    """Rank everyone: :func:`engine.ranking.rank`, as DataFrames.

    ``people`` has ``(id, name, grp)`` with ``grp`` the group's index into
    ``group_names`` (-1 unknown); with ``group_names=None`` the groups are the
    communities of the strong-tie graph (:func:`engine.spark_communities.detect_groups`,
    the local engine's), ``grp`` is ignored and group ``k`` is named ``community k``.
    ``ties`` ``(a, b, strength)`` as :func:`engine.spark_measures.clean_ties` makes
    them. Returns the table (the columns of :data:`engine.analysis.OUTPUT_COLUMNS` plus
    ``degree`` and the brokerage counts of :data:`BROKERAGE`, in no particular row order:
    sort by ``rank``) and the strong threshold used.
    """
    from pyspark.sql import Window  # noqa: PLC0415

    from powerconnect.engine import spark_communities  # noqa: PLC0415
    from powerconnect.engine import spark_measures as sm  # noqa: PLC0415

    F = _f()
    ties = ties.localCheckpoint()
    if strong is None:
        strong = auto_strong(ties, calibrated)
    if not 0.0 < strong <= 1.0:
        raise UsageError(f"strong must be in (0, 1], got {strong}")
    if group_names is None:
        found = spark_communities.detect_groups(people, ties, strong)
        people = people.drop("grp").join(found, "id").localCheckpoint()
    s = F.lit(float(strong))
    totals = sm.node_totals(ties).localCheckpoint()
    tri = sm.triangles(ties, totals).localCheckpoint()
    holes = sm.structural_holes(people, ties, tri)
    stats = sm.strong_tie_stats(people, ties, strong, tri)

    grp = people.select("id", "grp")
    strong_pairs = (
        sm.directed(ties)
        .where(F.col("strength") >= s)
        .join(grp.select(F.col("id").alias("ego"), F.col("grp").alias("ge")), "ego")
        .join(grp.select(F.col("id").alias("alter"), F.col("grp").alias("ga")), "alter")
        .localCheckpoint()
    )
    # group_strong_counts: strong ties per person and known group, most first.
    per_group = (
        strong_pairs.where(F.col("ga") >= 0)
        .groupBy("ego", "ga")
        .agg(F.count("*").alias("count"))
        .groupBy("ego")
        .agg(
            F.sort_array(
                F.collect_list(
                    F.struct(
                        (-F.col("count")).alias("k"),
                        F.col("ga").alias("group"),
                        F.col("count").alias("count"),
                    )
                )
            ).alias("by_group"),
            F.count("*").alias("groups_bridged"),
            F.max("count").alias("largest"),
        )
    )
    corners = _strong_corners(tri, strong).localCheckpoint()
    sides, closed = _sides(strong_pairs, corners)
    broker = _brokerage(strong_pairs, corners)
    foothold = F.when(
        F.col("size") >= 1,
        1.0 - (1.0 - ranking.FOOTHOLD_ONE) * F.pow(F.lit(2.0), 1.0 - F.col("size")),
    ).otherwise(0.0)
    per_side = sides.groupBy("ego").agg(
        F.sum(foothold).alias("all_feet"),
        F.max("size").alias("home"),
        F.sum("size").alias("total"),
        F.sum(F.col("size") * F.col("size")).alias("squares"),
        F.sort_array(
            F.collect_list(F.struct((-F.col("size")).alias("k"), F.col("group"), F.col("size")))
        ).alias("sides"),
    )
    home_feet = 1.0 - (1.0 - ranking.FOOTHOLD_ONE) * F.pow(F.lit(2.0), 1.0 - F.col("home"))
    focus = (
        sm.directed(ties)
        .groupBy(F.col("ego").alias("id"))
        .agg(
            F.round(
                F.sum(F.when(F.col("strength") >= s, F.col("strength")).otherwise(0.0))
                / F.sum("strength"),
                12,
            ).alias("focus")
        )
    )
    table = (
        people.join(holes, "id", "left")
        .join(stats, "id")
        .join(focus, "id", "left")
        .join(per_group.withColumnRenamed("ego", "id"), "id", "left")
        .join(per_side.withColumnRenamed("ego", "id"), "id", "left")
        .join(closed.withColumnRenamed("ego", "id"), "id", "left")
        .join(broker.withColumnRenamed("ego", "id"), "id", "left")
        .fillna(
            0,
            subset=["focus", "groups_bridged", "largest", "total", "squares", "closed", *BROKERAGE],
        )
    )
    cross_pairs = ((F.col("total") * F.col("total") - F.col("squares")) / 2).cast("long")
    table = table.withColumn("cross_pairs", cross_pairs).withColumn(
        "cross_open", F.col("cross_pairs") - F.col("closed")
    )
    feet = F.coalesce(F.col("all_feet") - home_feet, F.lit(0.0))
    open_share = F.when(
        F.col("cross_pairs") > 0, F.col("cross_open") / F.col("cross_pairs")
    ).otherwise(0.0)
    attention = F.least(F.lit(1.0), F.col("focus") / ranking.FULL_ATTENTION)
    table = table.withColumn("score", feet * open_share * attention).localCheckpoint()

    # Roles (engine.ranking._roles): cuts over the people with ties.
    tied = F.col("degree") > 0
    tied_count = table.where(tied).count()
    deg_cut = max(
        ranking.MEGA_DEGREE_FACTOR * _percentile(table, "degree", tied, 50.0),
        _percentile(table, "degree", tied, ranking.TOP_PERCENTILE),
    )
    has_strong = F.col("strong_ties") > 0
    strong_cut = max(
        ranking.HUB_STRONG_FACTOR * _percentile(table, "strong_ties", has_strong, 50.0),
        _percentile(table, "strong_ties", has_strong, ranking.TOP_PERCENTILE),
    )
    mega = (
        tied
        & (F.col("degree") >= deg_cut)
        & (F.col("weak_ties") / F.col("degree") >= ranking.MEGA_WEAK_SHARE)
    )
    hub = (
        has_strong
        & (F.col("strong_ties") >= strong_cut)
        & (F.col("largest") / F.col("strong_ties") >= ranking.HUB_INSIDE_SHARE)
    )
    # engine.ranking._structural_order: score, lower constraint, larger effective size,
    # more ties, then id; rounded to 12 digits, null (isolated) last.
    structural = [
        F.round("score", 12).desc(),
        F.round("constraint", 12).asc_nulls_last(),
        F.round("effective_size", 12).desc_nulls_last(),
        F.col("degree").desc(),
        F.col("id").asc(),
    ]
    table = table.withColumn("mega", F.coalesce(mega, F.lit(False))).withColumn(
        "hub", F.coalesce(hub, F.lit(False))
    )
    candidate = (F.col("score") >= ranking.POWER_MIN_SCORE) & ~F.col("mega")
    table = table.withColumn(
        "candidate_rank",
        F.when(candidate, F.row_number().over(Window.partitionBy(candidate).orderBy(*structural))),
    )
    power = F.coalesce(
        F.col("candidate_rank") <= int(ranking.POWER_SHARE * tied_count), F.lit(False)
    )
    role = (
        F.when(F.col("mega"), F.lit(ranking.MEGA))
        .when(power, F.lit(ranking.POWER))
        .when(F.col("hub"), F.lit(ranking.HUB))
        .otherwise(F.lit(""))
    )
    table = table.withColumn("role", role)
    table = table.withColumn(
        "rank",
        F.row_number().over(Window.orderBy((F.col("role") != ranking.POWER).asc(), *structural)),
    )
    explain = _explain_udf(group_names)
    if group_names is None:
        group_name = F.concat(F.lit("community "), F.col("grp").cast("string"))
    else:
        spark = table.sparkSession
        named = spark.createDataFrame(list(enumerate(group_names)), "grp long, group_name string")
        table = table.join(F.broadcast(named), "grp", "left")
        group_name = F.col("group_name")
    special = {
        "rank": F.col("rank").cast("long"),
        "groups_bridged": F.col("groups_bridged").cast("long"),
        "group": F.coalesce(group_name, F.lit("")),
        "explanation": explain(
            *("role", "degree", "weak_ties", "strong_ties", "by_group", "sides"),
            *("cross_open", "cross_pairs", "focus", "grp"),
        ),
    }
    out = table.select(
        *[special.get(c, F.col(c)).alias(c) for c in OUTPUT_COLUMNS],
        F.col("degree").cast("long"),
        *[F.col(c).cast("long") for c in BROKERAGE],
    )
    return out, float(strong)


def read_frames(
    spark: SparkSession, settings: ConnectionSettings, group_by: str | None
) -> tuple[DataFrame, DataFrame, list[str] | None, float]:
    """People ``(id, name, grp)``, ties, group names and the share of calibrated ties
    (:func:`auto_strong`), read through the connector.

    Groups are the distinct values of the person property ``group_by`` (read as
    strings), numbered in the order of their first person as Neo4j lists them, as the
    local engine numbers them (the numbers break ties between equally large groups in
    the explanations). Only the group names come back to the driver. Without
    ``group_by`` every ``grp`` is -1 and the names are ``None`` (:func:`rank_frames`
    then detects communities).
    """
    from pyspark.sql import Window  # noqa: PLC0415

    from powerconnect.engine.spark_session import DATA_SOURCE, connector_options  # noqa: PLC0415

    F = _f()
    nodes = (
        spark.read.format(DATA_SOURCE)
        .options(**connector_options(settings))
        .option("labels", ":Person")
        .option("schema.strategy", "string")
        .load()
    )
    if "id" not in nodes.columns:
        raise UsageError("the database holds no people: load some first with `powerconnect load`")
    if group_by is not None and group_by not in nodes.columns:
        raise UsageError(f"no person has the property {group_by!r} to group by")
    name = F.col("name") if "name" in nodes.columns else F.lit(None).cast("string")
    if group_by is None:
        people = nodes.select(
            F.col("id").cast("string"), name.alias("name"), F.lit(-1).cast("long").alias("grp")
        ).where(F.col("id").isNotNull())
        people = people.localCheckpoint()
        ties, calibrated = _read_ties(spark, settings, people)
        return people, ties, None, calibrated
    group = F.col("`" + group_by.replace("`", "``") + "`")
    people = nodes.select(
        F.col("<id>").alias("node"),
        F.col("id").cast("string"),
        name.alias("name"),
        group.alias("g"),
    )
    people = people.where(F.col("id").isNotNull()).localCheckpoint()
    # Numbered as pandas.factorize numbers them in engine.analysis.read_network: in the order
    # Neo4j lists the people (by internal node id), which decides ties between equal groups.
    firsts = people.where(F.col("g").isNotNull()).groupBy("g").agg(F.min("node").alias("first"))
    codes = firsts.withColumn("code", F.row_number().over(Window.orderBy("first")) - 1)
    group_names = [str(r["g"]) for r in codes.orderBy("code").select("g").collect()]
    if not group_names:
        raise UsageError(f"no person has the property {group_by!r} to group by")
    people = people.join(codes.select("g", "code"), "g", "left").select(
        "id", "name", F.coalesce("code", F.lit(-1)).cast("long").alias("grp")
    )
    ties, calibrated = _read_ties(spark, settings, people)
    return people, ties, group_names, calibrated


def _read_ties(
    spark: SparkSession, settings: ConnectionSettings, people: DataFrame
) -> tuple[DataFrame, float]:
    """The ties between ``people`` (:func:`engine.spark_measures.clean_ties`) and the share
    of calibrated ones, read through the connector."""
    from powerconnect.engine import spark_measures as sm  # noqa: PLC0415

    F = _f()
    raw = read_query(
        spark, settings, "spark_ties", "src STRING, dst STRING, strength DOUBLE, calibrated BOOLEAN"
    ).localCheckpoint()
    # the share of stored ties whose strength is P(close), as engine.analysis.read_network
    # counts it (over the ties as stored, before cleaning)
    calibrated = _one(raw.agg(F.avg(F.col("calibrated").cast("double"))))[0] or 0.0
    return sm.clean_ties(people, raw.drop("calibrated")), float(calibrated)


@dataclass(frozen=True)
class SparkRankRun:
    """What :func:`rank_database_spark` returns: the first ``top`` rows, not everyone."""

    run_id: str
    at: str
    table: pd.DataFrame  # the best `top` rows, OUTPUT_COLUMNS
    people: int
    strong_ties: int
    timings: dict[str, float]
    strong: float = 0.5
    strong_auto: bool = False
    strong_rule: str = ""
    warnings: tuple[str, ...] = field(default=())


def rank_database_spark(
    db: Database,
    settings: ConnectionSettings,
    *,
    group_by: str | None,
    strong: float | None = None,
    write: bool = True,
    top: int = 20,
    master: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SparkRankRun:
    """:func:`engine.analysis.rank_database` on Spark: read through the connector, rank
    with :func:`rank_frames`, stage the results through the connector
    (``spark_write_scores``), then publish and settle the run as the local engine does
    (``publish_run``, ``settle_run``: one small transaction each, over ``db``).
    """
    if strong is not None and not 0 < strong <= 1:
        raise UsageError(f"the strong threshold must be in (0, 1], got {strong}")
    try:
        return _rank_database_spark(
            db,
            settings,
            group_by=group_by,
            strong=strong,
            write=write,
            top=top,
            master=master,
            progress=progress,
        )
    except Exception as exc:
        raise spark_failure(exc) from exc


def _rank_database_spark(
    db: Database,
    settings: ConnectionSettings,
    *,
    group_by: str | None,
    strong: float | None,
    write: bool,
    top: int,
    master: str | None,
    progress: Callable[[str], None] | None,
) -> SparkRankRun:
    say = progress or (lambda _m: None)
    F = _f()
    spark = spark_session(master)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    say("reading the network from Neo4j through the Spark connector")
    people, ties, group_names, calibrated = read_frames(spark, settings, group_by)
    ties = ties.localCheckpoint()
    n_people, n_ties = people.count(), ties.count()
    timings["read"] = time.perf_counter() - clock
    say(f"ranking {n_people} people and {n_ties} ties on Spark")
    clock = time.perf_counter()
    table, used = rank_frames(
        people, ties, strong=strong, group_names=group_names, calibrated=calibrated
    )
    table = table.localCheckpoint()
    totals = table.agg(
        F.max(F.when(F.col("score") > 0, F.col("score"))).alias("best"),
        F.sum("strong_ties").alias("strong_ends"),
        F.sum((F.col("degree") > 0).cast("long")).alias("tied"),
        F.sum((F.col("score") > 0).cast("long")).alias("scored"),
    )
    summary = _one(totals)
    timings["rank"] = time.perf_counter() - clock
    strong_ends = int(summary["strong_ends"] or 0)
    share = strong_ends / 2 / n_ties if n_ties else 0.0
    # threshold_warnings counts the people with ties and with a score in its table: a
    # stand-in of one byte per person with ties says the same (the table stays in Spark).
    tied, scored = int(summary["tied"] or 0), int(summary["scored"] or 0)
    stand_in = pd.DataFrame(
        {"degree": np.ones(tied, dtype=np.int8), "score": np.arange(tied) < scored}
    )
    warnings = tuple(ranking.threshold_warnings(stand_in, share, used))
    rule = ranking.auto_strong_rule(calibrated) if strong is None else ""
    run_id = uuid.uuid4().hex[:12]
    at = ""
    if write:
        say("writing the results to Neo4j through the Spark connector")
        clock = time.perf_counter()
        best = float(summary["best"] or 0.0)
        score = F.col("score")
        tier = F.when(~(score > 0), F.lit(""))  # engine.analysis.score_tiers
        for name, share in SCORE_TIERS:
            tier = tier.when(score >= share * best, name)
        tier = tier.otherwise("low")
        # the :RunPart layout of engine.analysis.result_parts: arrays hold no nulls, so a
        # missing number is NaN (settle_run stores it as null) and no tier is ""
        nan = F.lit(float("nan")).cast("double")
        rows = table.select(
            F.lit(run_id).alias("run"),
            "id",
            *[
                F.coalesce(F.col(c).cast("double"), nan).alias(c) if c in FLOAT_COLUMNS else c
                for c in SCORE_COLUMNS
            ],
            tier.alias("score_tier"),
        )
        settle(db)
        db.write("drop_run_parts")  # parts of runs stopped before they were published
        write_query(rows, settings, "spark_write_scores")
        record = db.write(
            "publish_run",
            id=run_id,
            parameters=_parameters(used, strong is None, group_by, rule),
            strong=used,
            group_by=group_by,
            people=n_people,
            ties=n_ties,
        )[0]
        settle(db)
        at = str(record["at"])
        timings["write"] = time.perf_counter() - clock
    head = table.orderBy("rank")
    head_rows = (head.limit(top) if top else head).toPandas()[OUTPUT_COLUMNS]
    return SparkRankRun(
        run_id=run_id,
        at=at,
        table=head_rows,
        people=n_people,
        strong_ties=strong_ends // 2,
        timings=timings,
        strong=used,
        strong_auto=strong is None,
        strong_rule=rule,
        warnings=warnings,
    )


def _parameters(strong: float, auto: bool, group_by: str | None, rule: str) -> str:
    """The ``:Run`` node's ``parameters``: the local engine's keys (engine.analysis)."""
    import json  # noqa: PLC0415

    return json.dumps(
        {
            "engine": "spark",
            "group_by": group_by,
            "strong": strong,
            "strong_auto": auto,
            "strong_rule": rule,
        },
        sort_keys=True,
    )
