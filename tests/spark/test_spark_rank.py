"""The Spark engine ranks as the local engine does: same measures (to 1e-9), same counts,
roles, ranks and explanations, on the same graphs.

The expected values are the local engine's (:func:`engine.ranking.rank`, itself checked
against networkx and the published examples in tests/unit); these tests only check that
the Spark engine computes the same thing, brokerage counts included. Groups are given to
both engines (the planted network's recorded organizations, the karate club's two clubs,
networkx's ``club`` attribute, Zachary 1977, and for the Florentine families and
Krackhardt's kite the local engine's own detected communities), or detected by both: the
Spark engine's communities (:mod:`engine.spark_communities`) are compared with
:func:`engine.communities.detect_groups` label for label.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from powerconnect.engine import ranking
from powerconnect.engine.communities import detect_groups
from powerconnect.engine.graph import TieGraph

pytestmark = pytest.mark.spark

ROOT = Path(__file__).resolve().parent.parent.parent
MEASURES = ["score", "constraint", "effective_size", "efficiency", "hierarchy"]
COUNTS = ["strong_ties", "weak_ties", "groups_bridged", "open_pairs", "simmelian_ties", "degree"]
# Gould and Fernandez's brokerage counts (engine.measures.brokerage): in the table, not stored.
BROKERAGE = ["coordinator", "itinerant", "representative", "liaison"]
SAME = ["rank", "role", "group", "explanation"]


def _planted() -> Any:
    spec = importlib.util.spec_from_file_location("planted", ROOT / "bench" / "planted.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["planted"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def frames(spark: Any, g: TieGraph, groups: np.ndarray | None = None) -> tuple[Any, Any]:
    """``g`` as the Spark engine's people ``(id, name, grp)`` and cleaned ties."""
    from powerconnect.engine.spark_measures import clean_ties  # noqa: PLC0415

    if groups is None:
        groups = np.full(g.n, -1, dtype=np.int64)
    people = spark.createDataFrame(
        [(str(i), f"name {i}", int(k)) for i, k in zip(g.ids, groups, strict=True)],
        "id string, name string, grp long",
    )
    raw = spark.createDataFrame(
        [
            (str(g.ids[a]), str(g.ids[b]), float(w))
            for a, b, w in zip(g.src, g.dst, g.strength, strict=True)
        ],
        "src string, dst string, strength double",
    )
    return people, clean_ties(people, raw)


def spark_rank(
    spark: Any,
    g: TieGraph,
    groups: np.ndarray | None,
    names: list[str] | None,
    strong: float | None,
) -> tuple[pd.DataFrame, float]:
    from powerconnect.engine.spark_ranking import rank_frames  # noqa: PLC0415

    people, ties = frames(spark, g, groups)
    table, used = rank_frames(people, ties, strong=strong, group_names=names)
    return table.toPandas().set_index("id"), used


def assert_same_ranking(
    spark: Any,
    g: TieGraph,
    groups: np.ndarray | None,
    names: list[str] | None,
    strong: float | None = None,
) -> pd.DataFrame:
    """Both engines rank ``g`` the same; ``groups=None``: both detect communities."""
    local = ranking.rank(g, strong=strong, groups=groups, group_names=names).set_index("id")
    theirs, used = spark_rank(spark, g, groups, names, strong)
    assert used == local.attrs["strong"]
    theirs = theirs.loc[local.index]
    for column in MEASURES:
        ours = local[column].to_numpy(dtype=float)
        spark_values = theirs[column].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(ours), np.isnan(spark_values)), column
        np.testing.assert_allclose(
            spark_values, ours, rtol=0, atol=1e-9, equal_nan=True, err_msg=column
        )
    for column in COUNTS + BROKERAGE + SAME:
        mismatch = local.index[local[column].to_numpy() != theirs[column].to_numpy()]
        assert list(mismatch) == [], f"{column} differs for {list(mismatch)[:5]}"
    return local


def test_planted_network_ranks_the_same(spark: Any) -> None:
    planted = _planted()
    params = planted.PlantedParams(
        n_communities=6, n_power=4, n_mega=2, mega_ties=(60, 120), n_hubs=2
    )
    net = planted.planted_network(seed=3, params=params)
    local = assert_same_ranking(
        spark, net.graph, net.organization, list(net.organization_names), strong=0.45
    )
    assert (local["role"] == ranking.POWER).any()  # the comparison covers every role
    assert (local["role"] == ranking.MEGA).any()


def _classics() -> tuple[TieGraph, np.ndarray, list[str]]:
    """Karate club (groups: its clubs), Florentine families and Krackhardt's kite (groups:
    the local engine's communities), unit strengths, and a random graph with random
    strengths and groups (seeded), as one graph of four disjoint parts."""
    edges: list[tuple[str, str, float]] = []
    labels: dict[str, str] = {}
    karate = nx.karate_club_graph()
    edges += [(f"k{u}", f"k{v}", 1.0) for u, v in karate.edges()]
    labels |= {f"k{v}": karate.nodes[v]["club"] for v in karate}
    for prefix, graph in (("f", nx.florentine_families_graph()), ("q", nx.krackhardt_kite_graph())):
        part = TieGraph.from_edges(
            [(f"{prefix}{u}", f"{prefix}{v}", 1.0) for u, v in graph.edges()]
        )
        found = detect_groups(part, strong=0.5)
        labels |= {str(i): f"{prefix} community {k}" for i, k in zip(part.ids, found, strict=True)}
        edges += [
            (str(part.ids[a]), str(part.ids[b]), 1.0)
            for a, b in zip(part.src, part.dst, strict=True)
        ]
    rng = np.random.default_rng(7)
    random_graph = nx.gnm_random_graph(120, 700, seed=7)
    levels, shares = [0.05, 0.15, 0.25, 0.3, 0.9], [0.3, 0.3, 0.2, 0.1, 0.1]
    edges += [
        (f"r{u}", f"r{v}", float(rng.choice(levels, p=shares))) for u, v in random_graph.edges()
    ]
    labels |= {f"r{v}": f"r group {rng.integers(0, 5)}" for v in random_graph if v % 9}
    g = TieGraph.from_edges(edges, nodes=["isolated"])
    codes, uniques = pd.factorize(pd.Series([labels.get(str(i)) for i in g.ids], dtype=object))
    return g, codes.astype(np.int64), [str(u) for u in uniques]


def test_classics_and_a_random_weighted_graph_rank_the_same(spark: Any) -> None:
    g, groups, names = _classics()
    local = assert_same_ranking(spark, g, groups, names)
    # The automatic threshold came from the quartile of the strengths, not from its cap.
    assert ranking.AUTO_FLOOR < local.attrs["strong"] < ranking.DEFAULT_STRONG
    assert (groups < 0).any()  # people of unknown group are covered


@pytest.mark.parametrize(
    ("strengths", "calibrated"),
    [
        ([0.05, 0.2, 0.3, 0.9], 0.0),  # the upper quartile: 0.3
        ([0.05, 0.2, 0.3, 0.9], 1.0),  # calibrated strengths: 0.5
        ([0.2] * 6 + [0.4], 0.0),  # the quartile is the weakest level: the next one up
        ([0.02] * 5, 0.0),  # one level, faint: floored at 0.1
        ([0.05] * 9 + [0.6], 0.49),  # mostly explicit: the data's rule, capped at 0.5
    ],
)
def test_the_automatic_threshold_is_the_local_engines(
    spark: Any, strengths: list[float], calibrated: float
) -> None:
    from powerconnect.engine.spark_ranking import auto_strong  # noqa: PLC0415

    g = TieGraph.from_edges([(f"a{i}", f"b{i}", s) for i, s in enumerate(strengths)])
    ties = spark.createDataFrame(
        [(f"a{i}", f"b{i}", s) for i, s in enumerate(strengths)],
        "a string, b string, strength double",
    )
    assert auto_strong(ties, calibrated) == ranking.auto_strong(g, calibrated)


# ------------------------------------------------------------------ communities (no groups)
def _named(graph: nx.Graph, prefix: str, weight: str | None = None) -> TieGraph:
    """Unit strengths, or the ``weight`` attribute over 31 (Les Misérables' co-appearances
    run from 1 to 31)."""
    return TieGraph.from_edges(
        [
            (f"{prefix}{u}", f"{prefix}{v}", float(d[weight]) / 31.0 if weight else 1.0)
            for u, v, d in graph.edges(data=True)
        ]
    )


def _random_components() -> TieGraph:
    """Seven seeded random parts with random strengths (several components of strong ties,
    some parts falling apart at the threshold), ids with accents, CJK, upper and lower case
    and characters beyond the Basic Multilingual Plane, and two isolated people."""
    rng = np.random.default_rng(23)
    edges: list[tuple[str, str, float]] = []
    marks = ["é", "日本", "Z", "z", "\U0001f600", "a", "Ö"]
    for c, mark in enumerate(marks):
        part = nx.gnm_random_graph(30 + 5 * c, 90 + 20 * c, seed=100 + c)
        levels = rng.choice([0.1, 0.3, 0.55, 0.8, 1.0], size=part.number_of_edges())
        edges += [
            (f"{mark}{u}", f"{mark}{v}" if v % 4 else f"{marks[(c + 1) % 7]}{c}-{v}", float(w))
            for (u, v), w in zip(part.edges(), levels, strict=True)
        ]
    return TieGraph.from_edges(edges, nodes=["é-alone", "\U0001f601"])


def _community_graph() -> TieGraph:
    """One graph of disjoint parts, so that one Spark run covers them all: Zachary's karate
    club, the Florentine families, Krackhardt's kite (unit strengths), Les Misérables
    (co-appearances over 4, at most 1), the planted network (bench/planted.py, seed 3) and
    seven random parts (:func:`_random_components`)."""
    planted = _planted().planted_network(seed=3).graph
    edges = [
        (f"p{planted.ids[a]}", f"p{planted.ids[b]}", float(w))
        for a, b, w in zip(planted.src, planted.dst, planted.strength, strict=True)
    ]
    lesmis = nx.les_miserables_graph()
    edges += [(f"m{u}", f"m{v}", min(1.0, d["weight"] / 4)) for u, v, d in lesmis.edges(data=True)]
    for prefix, graph in (
        ("k", nx.karate_club_graph()),
        ("f", nx.florentine_families_graph()),
        ("q", nx.krackhardt_kite_graph()),
    ):
        edges += [(f"{prefix}{u}", f"{prefix}{v}", 1.0) for u, v in graph.edges()]
    rc = _random_components()
    edges += [
        (str(rc.ids[a]), str(rc.ids[b]), float(w))
        for a, b, w in zip(rc.src, rc.dst, rc.strength, strict=True)
    ]
    return TieGraph.from_edges(edges, nodes=[str(i) for i in rc.ids])


def test_spark_communities_are_the_local_engines(spark: Any) -> None:
    """engine.spark_communities.detect_groups gives each person exactly the community
    number engine.communities.detect_groups gives them, on one graph holding the classics,
    the planted network and random weighted parts (each classic alone is checked without
    Spark in tests/unit/test_spark_communities_buckets.py), in three buckets (the test
    below uses Spark's default number)."""
    from powerconnect.engine.spark_communities import detect_groups as spark_groups  # noqa: PLC0415

    g, strong = _community_graph(), 0.45
    expected = detect_groups(g, strong=strong)
    people, ties = frames(spark, g)
    found = spark_groups(people, ties, strong, buckets=3).toPandas()
    got = found.set_index("id")["grp"].loc[[str(i) for i in g.ids]].to_numpy()
    mismatch = [str(i) for i, a, b in zip(g.ids, got, expected, strict=True) if a != b]
    assert mismatch == []
    sizes = np.bincount(expected)
    assert (sizes > 2).sum() > 20 and (sizes == 1).sum() >= 2  # many communities, loners too


def test_spark_positions_sort_ids_as_numpy_does(spark: Any) -> None:
    """The canonical order (engine.communities.canonical_order sorts ids as numpy strings,
    by code point) is Spark's string order too, for ids outside ASCII."""
    from pyspark.sql import Window  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: N812, PLC0415

    ids = [str(i) for i in _random_components().ids] + ["Ä", "a", "B", "ß", "\uffff", "\U00010000"]
    frame = spark.createDataFrame([(i,) for i in ids], "id string")
    ranked = frame.withColumn("pos", F.row_number().over(Window.orderBy("id")) - 1).toPandas()
    spark_order = ranked.sort_values("pos")["id"].tolist()
    assert spark_order == [ids[k] for k in np.argsort(np.array(ids).astype(str), kind="stable")]


def test_without_groups_both_engines_detect_the_same_communities_and_rank_the_same(
    spark: Any,
) -> None:
    planted = _planted()
    params = planted.PlantedParams(
        n_communities=6, n_power=4, n_mega=2, mega_ties=(60, 120), n_hubs=2
    )
    net = planted.planted_network(seed=3, params=params)
    local = assert_same_ranking(spark, net.graph, None, None, strong=0.45)
    assert (local["role"] == ranking.POWER).any()
    assert local["group"].str.startswith("community ").all()
    assert (local[BROKERAGE].to_numpy() > 0).any(axis=0).all()  # every role counted somewhere
