"""Unit tests for engine.communities (no database): same network, same communities."""

from __future__ import annotations

import doctest

import networkx as nx
import numpy as np
import pytest

from powerconnect.engine import communities
from powerconnect.engine.communities import canonical_order, detect_groups, merge_tied_communities
from powerconnect.engine.graph import TieGraph


def shuffled(g: TieGraph, seed: int) -> TieGraph:
    """The same people and ties, listed in another order and with ties reversed at random."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(g.n)  # person i of g becomes person perm[i]
    ties = rng.permutation(g.m)
    flip = rng.random(g.m) < 0.5
    src, dst = g.src[ties], g.dst[ties]
    src, dst = np.where(flip, dst, src), np.where(flip, src, dst)
    return TieGraph.from_arrays(g.ids[np.argsort(perm)], perm[src], perm[dst], g.strength[ties])


def weighted(G: nx.Graph) -> TieGraph:
    top = max((d.get("weight", 1) for *_, d in G.edges(data=True)), default=1)
    return TieGraph.from_edges(
        [(str(a), str(b), d.get("weight", 1) / top) for a, b, d in G.edges(data=True)]
    )


def partition(g: TieGraph, labels: np.ndarray) -> set[frozenset[str]]:
    out: dict[int, set[str]] = {}
    for person, label in zip(g.ids.astype(str), labels.tolist(), strict=True):
        out.setdefault(label, set()).add(person)
    return {frozenset(members) for members in out.values()}


GRAPHS = {
    "karate": lambda: weighted(nx.karate_club_graph()),
    "les_miserables": lambda: weighted(nx.les_miserables_graph()),
    "florentine": lambda: weighted(nx.florentine_families_graph()),
    "random": lambda: weighted(nx.gnp_random_graph(300, 0.02, seed=4)),
}


@pytest.mark.parametrize("name", list(GRAPHS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_order_of_the_input_does_not_change_the_communities(name: str, seed: int) -> None:
    g = GRAPHS[name]()
    other = shuffled(g, seed)
    assert list(other.ids) != list(g.ids)
    a = detect_groups(g, strong=0.2)
    b = detect_groups(other, strong=0.2)
    assert partition(g, a) == partition(other, b)
    # Numbered the same way too (by size, then smallest id), so names like "community 3" agree.
    by_id = dict(zip(other.ids.astype(str), b.tolist(), strict=True))
    assert a.tolist() == [by_id[x] for x in g.ids.astype(str)]


def test_canonical_order_is_the_same_for_any_listing() -> None:
    g = GRAPHS["karate"]()
    h1, _ = canonical_order(g)
    h2, _ = canonical_order(shuffled(g, 9))
    assert list(h1.ids) == list(h2.ids)
    assert np.array_equal(h1.src, h2.src) and np.array_equal(h1.dst, h2.dst)
    assert np.array_equal(h1.strength, h2.strength)


def test_the_kite_core_is_one_group_apart_from_ike_and_jane() -> None:
    # Krackhardt's kite (networkx numbering: 0-6 the core, 7 Heather, 8 Ike, 9 Jane).
    # Label propagation cuts the core in two with five ties between the halves (density
    # 5/12 = 0.42 against 1 inside); the block-model rule joins them again.
    g = weighted(nx.krackhardt_kite_graph())
    groups = partition(g, detect_groups(g, strong=0.5))
    core = next(group for group in groups if "0" in group)
    assert {str(i) for i in range(7)} <= core
    assert not {"8", "9"} & core  # Ike and Jane are a group of their own


def test_sparse_communities_are_not_joined() -> None:
    # Two cliques of 10 (density 1) joined by 3 ties (3/100): far below the line.
    left = [f"l{i}" for i in range(10)]
    right = [f"r{i}" for i in range(10)]
    edges = [(x, y, 1.0) for side in (left, right) for x in side for y in side if x < y]
    edges += [("l0", "r0", 1.0), ("l1", "r1", 1.0), ("l2", "r2", 1.0)]
    g = TieGraph.from_edges(edges)
    labels = np.array([0 if str(x)[0] == "l" else 1 for x in g.ids])
    assert merge_tied_communities(g, labels, 0.5).tolist() == labels.tolist()


def test_docstring_examples_run() -> None:
    result = doctest.testmod(communities)
    assert result.attempted >= 6
    assert result.failed == 0
