"""The Spark engine ranks as the local engine does: same measures (to 1e-9), same counts,
roles, ranks and explanations, on the same graphs.

The expected values are the local engine's (:func:`engine.ranking.rank`, itself checked
against networkx and the published examples in tests/unit); these tests only check that
the Spark engine computes the same thing. Groups are given to both engines (the Spark
engine does not detect communities): the planted network's recorded organizations, the
karate club's two clubs (networkx's ``club`` attribute, Zachary 1977), and, for the
Florentine families and Krackhardt's kite, the local engine's own detected communities,
handed to both engines as given groups.
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
SAME = ["rank", "role", "group", "explanation"]


def _planted() -> Any:
    spec = importlib.util.spec_from_file_location("planted", ROOT / "bench" / "planted.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["planted"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def spark_rank(
    spark: Any, g: TieGraph, groups: np.ndarray, names: list[str], strong: float | None
) -> tuple[pd.DataFrame, float]:
    from powerconnect.engine.spark_measures import clean_ties  # noqa: PLC0415
    from powerconnect.engine.spark_ranking import rank_frames  # noqa: PLC0415

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
    table, used = rank_frames(people, clean_ties(people, raw), strong=strong, group_names=names)
    return table.toPandas().set_index("id"), used


def assert_same_ranking(
    spark: Any, g: TieGraph, groups: np.ndarray, names: list[str], strong: float | None = None
) -> pd.DataFrame:
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
    for column in COUNTS + SAME:
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
