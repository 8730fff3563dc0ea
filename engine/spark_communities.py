r"""The communities of :func:`engine.communities.detect_groups`, computed on Spark.

:func:`detect_groups` gives every person the community number the local engine gives
them, exactly: the same label propagation (the local engine's own code,
:func:`engine.communities._propagate_raw`), the same seeds, the same modularity choice,
the same merge rule and the same numbering. It never collects the graph to the driver:
only one modularity per seed comes back.

Why the same labels
-------------------
The local engine runs label propagation once over the whole strong-tie graph, with the
people in canonical order (by id; :func:`engine.communities.canonical_order`) and, per
seed, one random priority permutation for the colouring and one per sweep, all of the
``n`` people. Here:

1. *Canonical positions.* Each person's position is their rank by id, over all people
   (a window ordered by ``id``). Spark compares strings as UTF-8 bytes, unsigned, which
   is code point order; numpy compares ``astype(str)`` arrays by code point too, so the
   positions agree for any ids, non-ASCII ones included (``tests/spark`` checks ids
   with accents, CJK and characters beyond the Basic Multilingual Plane).
2. *Components.* The strong-tie graph is cut into connected components (minimum-label
   propagation, :func:`engine.spark_ranking._components`), and each component goes to a
   bucket (its smallest position modulo the number of buckets).
3. *Propagation per bucket.* Each bucket runs the local ``_propagate_raw`` on its own
   strong ties, with positions as node numbers, the global ``n`` and the same seed. That
   gives the labels the whole-graph run gives to the bucket's people, because

   * the generator draws the same permutations of ``n`` in the same order: one for the
     colouring, then one per sweep, whatever the slots (a bucket always has ties, so
     the colouring always draws first, as it does on the whole graph);
   * the greedy colouring rounds decide each node's colour from its neighbours' colours
     and the global priorities only: nodes outside the bucket have no slots here and
     take colour 0 in the first round, as isolated people do in the whole run, and touch
     no bucket node;
   * a node's new label depends on its neighbours' labels, on the priorities of those
     labels (labels are positions, drawn from the same permutation) and on its own
     label: never on another component. Colour classes run in the same order, and the
     sums of the same weights are taken in the same order (slots by ego, then alter,
     a subsequence of the whole graph's order), so they are equal to the last bit;
   * the whole run stops after the first sweep that changes nothing anywhere, or after
     ``DETECTION_MAX_SWEEPS``; the bucket after the first sweep that changes nothing in
     the bucket. A component whose sweep changed nothing has every node asleep (the
     local engine re-evaluates only nodes whose neighbours changed), so it keeps its
     labels in every later sweep of the whole run: stopping it early changes nothing.

   The raw labels (each the position of the person the label came from) are returned
   before the local engine's numbering, which needs every community at once.
4. *Modularity per seed.* Each raw community's term ``W_c/W - (D_c/2W)^2``
   (:func:`engine.communities._modularity_terms`) is computed in its bucket from its own
   ties, in their canonical order, so ``W_c`` and ``D_c`` are the local sums exactly;
   Spark sums the terms per seed, and the driver keeps the highest, rounded to 12
   digits, lowest seed among equals, as the local engine does. ``W`` and the sum over
   communities are added in another order than numpy adds them, so they can differ in
   the last bits: the rounding to 12 digits is there for exactly that (two orders of
   the same network differ the same way locally), and the choice can differ only when a
   modularity lies within about 1e-15 of a rounding boundary.
5. *Merge.* Two communities join only when strong ties run between them
   (:func:`engine.communities._join_tied`, the local rule), so only within a component:
   each bucket applies it to its own communities of every seed.
6. *Numbering.* Communities, people without strong ties each alone in one, are numbered
   by size, largest first, then by their smallest position, as the local engine numbers
   them (a window over communities).

Bounds
------
A bucket holds whole components, so **the largest component of the strong-tie graph
must fit in one Python worker**: its ties, about 200 bytes each at the peak of label
propagation (an estimate from the arrays it holds), plus about ten arrays of ``n``
int64s. Each bucket also regenerates every permutation of ``n``: per seed, ``O(n)`` per
sweep per bucket (at most ``DETECTION_MAX_SWEEPS`` sweeps), whatever its size; with
``b`` buckets that is ``b`` times the permutation work of the local run, in parallel.
The components cost one join per round, rounds up to the longest distance from a
component's smallest member (at most ``engine.spark_ranking.MAX_ROUNDS``), and the
canonical positions and the final numbering are each one sort without a partition key,
over people and over communities (as the rank order is).

References
----------
Raghavan, U. N., Albert, R. and Kumara, S. (2007). Near linear time algorithm to detect
    community structures in large-scale networks. *Physical Review E* 76, 036106.
Cordasco, G. and Gargano, L. (2010). Community detection via semi-synchronous label
    propagation algorithms. *IEEE BASNA*.
Newman, M. E. J. (2006). Modularity and community structure in networks. *PNAS*
    103(23), 8577-8582.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from powerconnect.engine.communities import (
    _Q_DIGITS,
    DETECTION_MAX_SWEEPS,
    DETECTION_RESTARTS,
    _join_tied,
    _modularity_terms,
    _propagate_raw,
    _tie_slots,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["BUCKET_SCHEMA", "bucket_communities", "detect_groups"]

#: What :func:`bucket_communities` returns, one row per seed and person with strong ties.
BUCKET_SCHEMA = "seed long, pos long, community long, term double"


def bucket_communities(
    lo: np.ndarray,
    hi: np.ndarray,
    w: np.ndarray,
    n: int,
    total: float,
    *,
    restarts: int = DETECTION_RESTARTS,
    max_iter: int = DETECTION_MAX_SWEEPS,
) -> pd.DataFrame:
    """Label propagation and the merge rule of :func:`engine.communities.detect_groups` on the
    strong ties ``(lo, hi, w)`` of some whole components (positions ``lo < hi`` among ``n``
    people; ``total`` the strength of all strong ties of the network).

    Returns :data:`BUCKET_SCHEMA` rows: per seed and person, ``community``, the smallest
    position in their community after the merge, and ``term``, the modularity term of their
    raw community (before the merge) on the row of its smallest position, 0 on the others,
    so that the terms of a seed sum to its modularity.

    A path of three and a pair, 5 people: the pair is one community, the path another:

    >>> rows = bucket_communities(np.array([0, 1, 3]), np.array([1, 2, 4]),
    ...                           np.ones(3), 5, 3.0, restarts=1)
    >>> rows["community"].tolist()
    [0, 0, 0, 3, 3]
    """
    order = np.lexsort((hi, lo))  # canonical tie order: the order local sums run in
    lo, hi, w = (np.asarray(x)[order] for x in (lo, hi, w))
    lo, hi, w = lo.astype(np.int64), hi.astype(np.int64), w.astype(np.float64)
    ego, alter, weight = _tie_slots(lo, hi, w)
    nodes = np.unique(ego)
    at_lo, at_hi = np.searchsorted(nodes, lo), np.searchsorted(nodes, hi)
    frames = []
    for seed in range(max(1, restarts)):
        raw = _propagate_raw(ego, alter, weight, n, seed=seed, max_iter=max_iter)
        # dense labels 0..k-1 of the bucket's communities (numbering does not matter here)
        _, dense = np.unique(raw[nodes], return_inverse=True)
        dense = dense.reshape(-1).astype(np.int64)
        k = int(dense.max()) + 1
        terms = _modularity_terms(dense[at_lo], dense[at_hi], w, total, k)
        first_raw = np.full(k, len(nodes), dtype=np.int64)
        np.minimum.at(first_raw, dense, np.arange(len(nodes)))
        term = np.zeros(len(nodes))
        term[first_raw] = terms
        merged = _join_tied(dense, dense[at_lo], dense[at_hi])
        group = dense if merged is None else merged
        smallest = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(smallest, group, nodes)
        frames.append(
            pd.DataFrame(
                {"seed": seed, "pos": nodes, "community": smallest[group], "term": term}
            ).astype({"seed": "int64", "pos": "int64", "community": "int64"})
        )
    return pd.concat(frames, ignore_index=True)


def _best_seed(q_by_seed: dict[int, float], restarts: int) -> int:
    """The seed of highest modularity rounded to 12 digits, the lowest among equals (seeds
    without strong ties have none: 0). ``engine.communities.detect_groups``'s rule.

    >>> _best_seed({0: 0.41, 1: 0.4100000000000001, 2: 0.42}, 3)
    2
    >>> _best_seed({0: 0.41, 1: 0.4100000000000001}, 2)
    0
    """
    best, best_q = 0, -np.inf
    for seed in range(max(1, restarts)):
        q = round(q_by_seed.get(seed, 0.0), _Q_DIGITS)
        if q > best_q:
            best, best_q = seed, q
    return best


def detect_groups(
    people: DataFrame,
    ties: DataFrame,
    strong: float,
    *,
    buckets: int | None = None,
    restarts: int = DETECTION_RESTARTS,
) -> DataFrame:
    """:func:`engine.communities.detect_groups` on Spark: ``(id, grp)`` for every person.

    ``people`` has ``id``; ``ties`` ``(a, b, strength)`` as
    :func:`engine.spark_measures.clean_ties` makes them. ``buckets`` is how many groups of
    components run label propagation side by side (default: Spark's default parallelism).
    See the module docstring for why the labels are the local engine's and what it costs.
    """
    from pyspark.sql import Window  # noqa: PLC0415 (optional extra)
    from pyspark.sql import functions as F  # noqa: N812, PLC0415

    from powerconnect.engine.spark_ranking import _components  # noqa: PLC0415

    spark = people.sparkSession
    b = max(1, int(buckets or spark.sparkContext.defaultParallelism))
    n = people.count()
    position = (
        people.select("id")
        .withColumn("pos", F.row_number().over(Window.orderBy("id")).cast("long") - 1)
        .localCheckpoint()
    )
    strong_ties = (
        ties.where(F.col("strength") >= float(strong))
        .join(position.select(F.col("id").alias("a"), F.col("pos").alias("pa")), "a")
        .join(position.select(F.col("id").alias("b"), F.col("pos").alias("pb")), "b")
        .select(
            F.least("pa", "pb").alias("lo"),
            F.greatest("pa", "pb").alias("hi"),
            F.col("strength").alias("w"),
        )
        .localCheckpoint()
    )
    total = float(strong_ties.agg(F.sum("w")).first()[0] or 0.0)  # type: ignore[index]
    links = strong_ties.select(
        F.lit(0).alias("ego"), F.col("lo").alias("u"), F.col("hi").alias("v")
    )
    ends = (
        links.select("ego", F.col("u").alias("alter"))
        .unionByName(links.select("ego", F.col("v").alias("alter")))
        .distinct()
    )
    component = _components(links, ends, what="the strong-tie graph's components")
    tagged = strong_ties.join(
        component.select(F.col("alter").alias("lo"), F.col("label").alias("component")), "lo"
    ).withColumn("bucket", F.pmod("component", F.lit(b)))

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        return bucket_communities(
            frame["lo"].to_numpy(),
            frame["hi"].to_numpy(),
            frame["w"].to_numpy(),
            n,
            total,
            restarts=restarts,
        )

    found = (
        tagged.select("bucket", "lo", "hi", "w")
        .groupBy("bucket")
        .applyInPandas(run, BUCKET_SCHEMA)
        .localCheckpoint()
    )
    q_by_seed = {
        int(r["seed"]): float(r["q"])
        for r in found.groupBy("seed").agg(F.sum("term").alias("q")).collect()
    }
    best = _best_seed(q_by_seed, restarts)
    chosen = found.where(F.col("seed") == best).select("pos", "community")
    members = position.join(chosen, "pos", "left").select(
        "id", F.coalesce("community", "pos").alias("community")
    )
    numbered = (
        members.groupBy("community")
        .agg(F.count("*").alias("size"))
        .withColumn(
            "grp",
            F.row_number().over(Window.orderBy(F.desc("size"), F.asc("community"))).cast("long")
            - 1,
        )
    )
    return members.join(numbered, "community").select("id", "grp")
