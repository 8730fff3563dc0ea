"""The per-bucket half of the Spark communities, without Spark: label propagation run on
some components at a time (:func:`engine.spark_communities.bucket_communities`) gives the
labels of :func:`engine.communities.detect_groups`, run on the whole graph.

The expected labels are the local engine's own (``detect_groups``); this only checks that
cutting the strong-tie graph into buckets of whole components changes nothing, which
``engine.spark_communities`` argues step by step. The Spark steps around it (positions,
components, seed choice, numbering) are redone here in numpy so that every bucketing can
be tried quickly; tests/spark runs the real ones.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from powerconnect.engine.communities import canonical_order, detect_groups
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.measures import _components
from powerconnect.engine.spark_communities import _best_seed, bucket_communities


def bucketed_groups(g: TieGraph, strong: float, buckets: int) -> np.ndarray:
    """detect_groups' labels, computed the way engine.spark_communities.detect_groups does."""
    keep = g.strength >= strong
    h, position = canonical_order(
        TieGraph.from_arrays(g.ids, g.src[keep], g.dst[keep], g.strength[keep])
    )
    component = _components(h.src, h.dst, h.n)
    bucket = component[h.src] % buckets
    total = float(h.strength.sum())
    frames = [
        bucket_communities(
            h.src[bucket == k], h.dst[bucket == k], h.strength[bucket == k], h.n, total
        )
        for k in range(buckets)
        if (bucket == k).any()
    ]
    community = np.arange(h.n)
    if frames:
        rows = np.concatenate([f.to_numpy() for f in frames])
        seeds = rows[:, 0].astype(int)
        q = {int(s): float(rows[seeds == s, 3].sum()) for s in np.unique(seeds)}
        chosen = rows[seeds == _best_seed(q, 4)]
        community[chosen[:, 1].astype(int)] = chosen[:, 2].astype(int)
    _, inverse, size = np.unique(community, return_inverse=True, return_counts=True)
    first = np.unique(community)  # each community's key is its smallest position
    number = np.empty(len(size), dtype=np.int64)
    number[np.lexsort((first, -size))] = np.arange(len(size))
    return number[inverse.reshape(-1)][position]


def _graphs() -> list[tuple[str, TieGraph]]:
    rng = np.random.default_rng(5)
    parts = [nx.karate_club_graph(), nx.florentine_families_graph(), nx.krackhardt_kite_graph()]
    parts += [nx.les_miserables_graph()]
    out = []
    for name, graph in zip(("karate", "florentine", "kite", "lesmis"), parts, strict=True):
        out.append((name, TieGraph.from_edges([(str(u), str(v), 1.0) for u, v in graph.edges()])))
    edges = []
    for c in range(6):  # six random parts, weighted, some ids not ASCII
        part = nx.gnm_random_graph(40, 120, seed=c)
        edges += [
            (
                f"é{c}-{u}",
                f"日{c}-{v}" if v % 3 else f"z{c}-{v}",
                float(rng.choice([0.2, 0.6, 0.9])),
            )
            for u, v in part.edges()
        ]
    out.append(("random", TieGraph.from_edges(edges, nodes=["lonely"])))
    return out


@pytest.mark.parametrize(("name", "g"), _graphs(), ids=[n for n, _ in _graphs()])
@pytest.mark.parametrize("buckets", [1, 2, 5])
def test_buckets_of_components_give_the_whole_graphs_communities(
    name: str, g: TieGraph, buckets: int
) -> None:
    strong = 0.5
    expected = detect_groups(g, strong=strong)
    assert np.array_equal(bucketed_groups(g, strong, buckets), expected)
    if name == "random":
        assert len(np.unique(expected)) > 6  # several components and several communities


def test_docstring_examples_run() -> None:
    import doctest  # noqa: PLC0415

    from powerconnect.engine import spark_communities  # noqa: PLC0415

    result = doctest.testmod(spark_communities)
    assert result.attempted >= 3
    assert result.failed == 0
