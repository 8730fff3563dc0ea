r"""The measures of :mod:`engine.measures`, as Spark DataFrame operations.

Every function takes and returns :class:`pyspark.sql.DataFrame` objects and
never collects the graph to the driver. Ties are a DataFrame ``(a, b,
strength)`` with string ids, one row per unordered pair, ``a < b``
(:func:`clean_ties` makes one from whatever the database holds, as
:func:`engine.analysis.read_network` does); people are ``(id)``.

The formulas are those of :mod:`engine.measures` (Burt 1992; Krackhardt 1998),
computed the same way: from one enumeration of the triangles, oriented by
degree rank as in :func:`engine.measures._enumerate_triangles` (each tie runs
from the endpoint of lower ``(degree, id)`` to the higher, so no node has more
than ``sqrt(2m)`` out-ties and a hub's wedges over its weak ties are never
formed). The cost is the number of ties plus the wedges of that orientation,
``O(m^1.5)`` at worst, and the shuffles are keyed by node or by tie.

The results equal the local engine's to rounding (sums taken in another
order), which ``tests/spark/`` checks to 1e-9.

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
    Harvard University Press.
Krackhardt, D. (1998). Simmelian ties: super strong and sticky. In Kramer and
    Neale (eds.), *Power and Influence in Organizations*, 21-38.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

__all__ = [
    "clean_ties",
    "directed",
    "node_totals",
    "triangles",
    "structural_holes",
    "strong_tie_stats",
]


def clean_ties(people: DataFrame, raw: DataFrame) -> DataFrame:
    """One tie per unordered pair of known people (the strongest): ``(a, b, strength)``, a < b.

    ``raw`` has ``(src, dst, strength)`` as stored; ties to unknown people, loops and
    strengths that are missing, not finite or not positive are left out, exactly as
    :func:`engine.analysis.read_network` does.
    """
    known = people.select(F.col("id").alias("_k"))
    s = F.col("strength").cast("double")
    ties = (
        raw.select(F.col("src").cast("string"), F.col("dst").cast("string"), s.alias("strength"))
        .where(
            (F.col("src") != F.col("dst"))
            & F.col("strength").isNotNull()
            & ~F.isnan("strength")
            & (F.col("strength") > 0)
            & (F.col("strength") < float("inf"))
        )
        .join(known, F.col("src") == F.col("_k"), "left_semi")
        .join(known, F.col("dst") == F.col("_k"), "left_semi")
    )
    return ties.groupBy(F.least("src", "dst").alias("a"), F.greatest("src", "dst").alias("b")).agg(
        F.max("strength").alias("strength")
    )


def directed(ties: DataFrame) -> DataFrame:
    """Each tie from both ends: ``(ego, alter, strength)``."""
    return ties.select(F.col("a").alias("ego"), F.col("b").alias("alter"), "strength").unionByName(
        ties.select(F.col("b").alias("ego"), F.col("a").alias("alter"), "strength")
    )


def node_totals(ties: DataFrame) -> DataFrame:
    """Per node with ties: ``degree``, ``total`` strength and ``strongest`` tie."""
    return (
        directed(ties)
        .groupBy(F.col("ego").alias("id"))
        .agg(
            F.count("*").alias("degree"),
            F.sum("strength").alias("total"),
            F.max("strength").alias("strongest"),
        )
    )


def _before(deg_x: Column, id_x: Column, deg_y: Column, id_y: Column) -> Column:
    """``x`` ranks below ``y``: by degree, then id."""
    return (deg_x < deg_y) | ((deg_x == deg_y) & (id_x < id_y))


def triangles(ties: DataFrame, totals: DataFrame) -> DataFrame:
    """Every triangle once, as ``(x, y, z, w_xy, w_xz, w_yz)`` with ``x < y < z`` by degree rank.

    The forward algorithm of :func:`engine.measures._enumerate_triangles`: ties are
    oriented up the ``(degree, id)`` order, each node pairs its out-neighbours, and a
    pair is a triangle when the tie between them exists.
    """
    deg = totals.select("id", "degree")
    ends = ties.join(deg.select(F.col("id").alias("a"), F.col("degree").alias("da")), "a").join(
        deg.select(F.col("id").alias("b"), F.col("degree").alias("db")), "b"
    )
    up = _before(F.col("da"), F.col("a"), F.col("db"), F.col("b"))
    out = ends.select(
        F.when(up, F.col("a")).otherwise(F.col("b")).alias("lo"),
        F.when(up, F.col("b")).otherwise(F.col("a")).alias("hi"),
        F.when(up, F.col("db")).otherwise(F.col("da")).alias("dhi"),
        "strength",
    )
    first = out.select(
        F.col("lo").alias("x"),
        F.col("hi").alias("y"),
        F.col("dhi").alias("dy"),
        F.col("strength").alias("w_xy"),
    )
    second = out.select(
        F.col("lo").alias("x"),
        F.col("hi").alias("z"),
        F.col("dhi").alias("dz"),
        F.col("strength").alias("w_xz"),
    )
    wedges = first.join(second, "x").where(
        _before(F.col("dy"), F.col("y"), F.col("dz"), F.col("z"))
    )
    closing = out.select(
        F.col("lo").alias("y"), F.col("hi").alias("z"), F.col("strength").alias("w_yz")
    )
    return wedges.join(closing, ["y", "z"]).select("x", "y", "z", "w_xy", "w_xz", "w_yz")


def structural_holes(people: DataFrame, ties: DataFrame, tri: DataFrame | None = None) -> DataFrame:
    r"""Burt's constraint, effective size, efficiency and hierarchy of every person.

    Returns ``(id, degree, constraint, effective_size, efficiency, hierarchy)``, one row
    per person; ``degree`` is 0 and the measures null for isolated people (``nan`` in
    :func:`engine.measures.structural_holes`).

    For each ordered pair of contacts ``(i, j)`` closed by ``q``, a triangle adds
    :math:`p_{iq} p_{qj}` to the indirect investment of ``i`` in ``j`` (constraint) and
    :math:`p_{iq} m_{jq}` to the redundancy of ``i`` (effective size), with
    :math:`p_{iq} = w_{iq} / \sum_k w_{ik}` and :math:`m_{jq} = w_{jq} / \max_k w_{jk}`
    (Burt 1992, pp. 52-55); see :func:`engine.measures.constraint` and
    :func:`engine.measures.effective_size` for the formulas.
    """
    totals = node_totals(ties)
    if tri is None:
        tri = triangles(ties, totals)
    stats = totals.select("id", "total", "strongest")
    t = tri
    for v in "xyz":
        t = t.join(
            stats.select(
                F.col("id").alias(v),
                F.col("total").alias(f"t_{v}"),
                F.col("strongest").alias(f"s_{v}"),
            ),
            v,
        )
    w = {
        ("x", "y"): F.col("w_xy"),
        ("y", "x"): F.col("w_xy"),
        ("x", "z"): F.col("w_xz"),
        ("z", "x"): F.col("w_xz"),
        ("y", "z"): F.col("w_yz"),
        ("z", "y"): F.col("w_yz"),
    }
    terms = []
    for i, j, q in (
        ("x", "y", "z"),
        ("y", "x", "z"),
        ("x", "z", "y"),
        ("z", "x", "y"),
        ("y", "z", "x"),
        ("z", "y", "x"),
    ):
        p_iq = w[(i, q)] / F.col(f"t_{i}")
        terms.append(
            F.struct(
                F.col(i).alias("i"),
                F.col(j).alias("j"),
                (p_iq * (w[(q, j)] / F.col(f"t_{q}"))).alias("indirect"),
                (p_iq * (w[(j, q)] / F.col(f"s_{j}"))).alias("redundant"),
            )
        )
    per_pair = (
        t.select(F.explode(F.array(*terms)).alias("e"))
        .select("e.*")
        .groupBy("i", "j")
        .agg(F.sum("indirect").alias("indirect"), F.sum("redundant").alias("redundant"))
    )
    pairs = (
        directed(ties)
        .join(totals.select(F.col("id").alias("ego"), "total", "degree"), "ego")
        .join(
            per_pair.withColumnRenamed("i", "ego").withColumnRenamed("j", "alter"),
            ["ego", "alter"],
            "left",
        )
        .select(
            "ego",
            "degree",
            F.pow(F.col("strength") / F.col("total") + F.coalesce("indirect", F.lit(0.0)), 2).alias(
                "local"
            ),
            F.coalesce("redundant", F.lit(0.0)).alias("redundant"),
        )
    )
    per_ego = pairs.groupBy("ego").agg(
        F.first("degree").alias("degree"),
        F.sum("local").alias("constraint"),
        F.sum("redundant").alias("redundancy"),
    )
    theil = (
        pairs.join(per_ego.select("ego", "constraint"), "ego")
        .withColumn("ratio", F.col("local") * F.col("degree") / F.col("constraint"))
        .groupBy("ego")
        .agg(F.sum(F.col("ratio") * F.log("ratio")).alias("theil"))
    )
    measured = per_ego.join(theil, "ego").select(
        F.col("ego").alias("id"),
        "degree",
        "constraint",
        (F.col("degree") - F.col("redundancy")).alias("effective_size"),
        ((F.col("degree") - F.col("redundancy")) / F.col("degree")).alias("efficiency"),
        F.when(F.col("degree") == 1, F.lit(0.0))
        .otherwise(F.col("theil") / (F.col("degree") * F.log("degree")))
        .alias("hierarchy"),
    )
    return people.select("id").join(measured, "id", "left").fillna(0, subset=["degree"])


def strong_tie_stats(
    people: DataFrame, ties: DataFrame, strong: float, tri: DataFrame | None = None
) -> DataFrame:
    r"""Strong, weak, open-strong-pair and Simmelian tie counts, as
    :func:`engine.measures.strong_tie_stats` (Burt 1992; Krackhardt 1998).

    Returns ``(id, strong_ties, weak_ties, open_pairs, simmelian_ties)`` for every
    person: :math:`k_s`, the other ties, :math:`\binom{k_s}{2} - t_s` with :math:`t_s`
    the strong triangles at the person, and the strong ties that lie in one.
    """
    if tri is None:
        tri = triangles(ties, node_totals(ties))
    s = F.lit(float(strong))
    counts = (
        directed(ties)
        .groupBy(F.col("ego").alias("id"))
        .agg(
            F.sum((F.col("strength") >= s).cast("long")).alias("strong_ties"),
            F.sum((F.col("strength") < s).cast("long")).alias("weak_ties"),
        )
    )
    strong_tri = tri.where((F.col("w_xy") >= s) & (F.col("w_xz") >= s) & (F.col("w_yz") >= s))
    closed = (
        strong_tri.select(F.explode(F.array("x", "y", "z")).alias("id"))
        .groupBy("id")
        .agg(F.count("*").alias("closed"))
    )
    edges = strong_tri.select(
        F.explode(
            F.array(
                F.struct(F.col("x").alias("u"), F.col("y").alias("v")),
                F.struct(F.col("x").alias("u"), F.col("z").alias("v")),
                F.struct(F.col("y").alias("u"), F.col("z").alias("v")),
            )
        ).alias("e")
    ).select(F.least("e.u", "e.v").alias("u"), F.greatest("e.u", "e.v").alias("v"))
    simmelian = (
        edges.distinct()
        .select(F.explode(F.array("u", "v")).alias("id"))
        .groupBy("id")
        .agg(F.count("*").alias("simmelian_ties"))
    )
    k = F.col("strong_ties")
    return (
        people.select("id")
        .join(counts, "id", "left")
        .join(closed, "id", "left")
        .join(simmelian, "id", "left")
        .fillna(0, subset=["strong_ties", "weak_ties", "closed", "simmelian_ties"])
        .select(
            "id",
            "strong_ties",
            "weak_ties",
            (k * (k - 1) / 2 - F.col("closed")).cast("long").alias("open_pairs"),
            F.col("simmelian_ties").cast("long").alias("simmelian_ties"),
        )
    )
