"""Unit tests for engine.measures: pure, no database.

Where expected values come from is said in each test: networkx 3.x as the
reference implementation of Burt's constraint and effective size; Borgatti's
(1997) published seven-node example; hand computations written out here; and
brute-force pair enumeration for the counts that the module computes from
triangles.
"""

from __future__ import annotations

import doctest
import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pytest

from powerconnect.engine import communities, measures
from powerconnect.engine.communities import detect_communities
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.measures import (
    brokerage,
    constraint,
    effective_size,
    efficiency,
    group_strong_counts,
    groups_bridged,
    hierarchy,
    strong_tie_stats,
    structural_holes,
)

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def tie_graph(G: nx.Graph) -> TieGraph:
    """TieGraph with the nodes of ``G`` in ``G``'s order and its 'strength' attributes."""
    return TieGraph.from_edges(
        [(str(u), str(v), d["strength"]) for u, v, d in G.edges(data=True)],
        nodes=[str(v) for v in G],
    )


def with_strength(G: nx.Graph, strength: float | None = None) -> nx.Graph:
    """Copy of ``G`` with 'strength' = 'weight' scaled into (0, 1], or a constant."""
    G = G.copy()
    top = max((d.get("weight", 1) for _, _, d in G.edges(data=True)), default=1)
    for _, _, d in G.edges(data=True):
        d["strength"] = strength if strength is not None else d["weight"] / top
    return G


def borgatti_graph() -> nx.Graph:
    """Borgatti's (1997) seven-node example, as in networkx's test_structuralholes.py."""
    G = nx.Graph()
    G.add_edges_from(
        [
            ("A", "B"),
            ("A", "F"),
            ("A", "G"),
            ("A", "E"),
            ("E", "G"),
            ("F", "G"),
            ("B", "G"),
            ("B", "D"),
            ("D", "G"),
            ("G", "C"),
        ]
    )
    return G


# Tie weights networkx's tests use for Borgatti's graph; scaled by 1/10 into (0, 1].
BORGATTI_WEIGHTS = {
    ("A", "B"): 2,
    ("A", "F"): 3,
    ("A", "G"): 5,
    ("A", "E"): 2,
    ("E", "G"): 8,
    ("F", "G"): 3,
    ("B", "G"): 4,
    ("B", "D"): 1,
    ("D", "G"): 3,
    ("G", "C"): 10,
}


def borgatti_weighted() -> nx.Graph:
    G = borgatti_graph()
    nx.set_edge_attributes(G, {e: w / 10 for e, w in BORGATTI_WEIGHTS.items()}, "strength")
    return G


def random_graph(seed: int, n: int = 40, p: float = 0.2) -> nx.Graph:
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    for _, _, d in G.edges(data=True):
        d["strength"] = float(rng.choice([0.1, 0.3, 0.6, 0.9, 1.0]))
    return G


REFERENCE_GRAPHS = {
    "karate_weighted": lambda: with_strength(nx.karate_club_graph()),
    "les_miserables_weighted": lambda: with_strength(nx.les_miserables_graph()),
    "florentine_unweighted": lambda: with_strength(nx.florentine_families_graph(), 1.0),
    "borgatti_unweighted": lambda: with_strength(borgatti_graph(), 1.0),
    "borgatti_weighted": borgatti_weighted,
    "random_with_isolates": lambda: random_graph(3, n=60, p=0.05),
}


def by_node(G: nx.Graph, values: dict) -> np.ndarray:
    return np.array([values[v] for v in G], dtype=float)


def assert_same(ours: np.ndarray, expected: np.ndarray, tol: float = 1e-9) -> None:
    assert ours.shape == expected.shape
    assert np.array_equal(np.isnan(ours), np.isnan(expected))
    both = ~np.isnan(expected)
    np.testing.assert_allclose(ours[both], expected[both], rtol=0, atol=tol)


# --------------------------------------------------------------------------
# Constraint and effective size against networkx (reference implementation)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_GRAPHS)
def test_constraint_equals_networkx(name):
    # Expected: networkx.constraint(G, weight="strength"), the reference implementation.
    G = REFERENCE_GRAPHS[name]()
    expected = by_node(G, nx.constraint(G, weight="strength"))
    assert_same(constraint(tie_graph(G)), expected)


@pytest.mark.parametrize("name", REFERENCE_GRAPHS)
def test_effective_size_equals_networkx(name):
    # Expected: networkx.effective_size(G, weight="strength"), the reference implementation.
    G = REFERENCE_GRAPHS[name]()
    expected = by_node(G, nx.effective_size(G, weight="strength"))
    assert_same(effective_size(tie_graph(G)), expected)


def test_random_graph_fixture_has_isolated_nodes():
    # Guards the NaN comparisons above from silently testing nothing.
    assert nx.number_of_isolates(REFERENCE_GRAPHS["random_with_isolates"]()) > 0


@pytest.mark.parametrize("seed", range(5))
def test_constraint_and_effective_size_equal_networkx_on_random_graphs(seed):
    # Expected: networkx, on denser random graphs with many triangles.
    G = random_graph(seed, n=35, p=0.3)
    g = tie_graph(G)
    assert_same(constraint(g), by_node(G, nx.constraint(G, weight="strength")))
    assert_same(effective_size(g), by_node(G, nx.effective_size(G, weight="strength")))


def test_borgatti_published_values():
    # Expected: Borgatti (1997), Connections 20(1), the seven-node example, to the
    # precision published there (also the values networkx's own tests check).
    g = tie_graph(with_strength(borgatti_graph(), 1.0))
    at = {name: i for i, name in enumerate(g.ids)}
    c, e = constraint(g), effective_size(g)
    assert c[at["G"]] == pytest.approx(0.400, abs=1e-3)
    assert c[at["A"]] == pytest.approx(0.595, abs=1e-3)
    assert c[at["C"]] == pytest.approx(1.0, abs=1e-3)
    assert e[at["G"]] == pytest.approx(4.67, abs=1e-2)
    assert e[at["A"]] == pytest.approx(2.50, abs=1e-2)
    assert e[at["C"]] == pytest.approx(1.0, abs=1e-2)


def test_borgatti_weighted_values_from_ucinet_and_igraph():
    # Expected: networkx's test_structuralholes.py, which took them from UCINET and
    # igraph. Scaling the weights by 1/10 changes neither measure.
    g = tie_graph(borgatti_weighted())
    at = {name: i for i, name in enumerate(g.ids)}
    c, e = constraint(g), effective_size(g)
    assert c[at["G"]] == pytest.approx(0.299, abs=1e-3)
    assert c[at["A"]] == pytest.approx(0.795, abs=1e-3)
    assert c[at["C"]] == pytest.approx(1.0, abs=1e-3)
    assert e[at["G"]] == pytest.approx(5.47, abs=1e-2)
    assert e[at["A"]] == pytest.approx(2.47, abs=1e-2)
    assert e[at["C"]] == pytest.approx(1.0, abs=1e-2)


def borgatti_simplification(G: nx.Graph) -> np.ndarray:
    """n - 2t/n per node, t = ties among the n contacts (Borgatti 1997), by brute force."""
    out = []
    for v in G:
        alters = set(G[v])
        n = len(alters)
        t = sum(1 for a, b in itertools.combinations(alters, 2) if G.has_edge(a, b))
        out.append(n - 2 * t / n if n else math.nan)
    return np.array(out)


@pytest.mark.parametrize("make", [nx.karate_club_graph, nx.les_miserables_graph])
def test_effective_size_with_equal_strengths_is_borgatti_simplification(make):
    # Expected: Borgatti's (1997) n - 2t/n, computed by brute force above.
    G = with_strength(make(), 0.3)
    G.add_node("loner")
    assert_same(effective_size(tie_graph(G)), borgatti_simplification(G))


def test_efficiency_is_effective_size_per_contact():
    G = with_strength(nx.les_miserables_graph())
    G.add_node("loner")
    g = tie_graph(G)
    assert_same(efficiency(g), effective_size(g) / np.array([G.degree(v) for v in G]))


# --------------------------------------------------------------------------
# Hierarchy (networkx lacks it: hand computation)
# --------------------------------------------------------------------------


def test_hierarchy_by_hand_on_triangle_with_pendant():
    # Triangle a-b-c (strength 1) with a pendant d on c (strength 0.5) and a loner e.
    g = TieGraph.from_edges(
        [("a", "b", 1.0), ("a", "c", 1.0), ("b", "c", 1.0), ("c", "d", 0.5)], nodes=["e"]
    )
    e, a, b, c, d = range(5)  # "e" is listed first
    # Strength sums: a 2, b 2, c 2.5, d 0.5. Shares p_ij = w_ij / sum_k w_ik:
    p_ab = p_ac = p_ba = p_bc = 0.5
    p_ca, p_cb, p_cd = 1 / 2.5, 1 / 2.5, 0.5 / 2.5
    # Local constraint c_ij = (p_ij + sum over common contacts q of p_iq p_qj)^2:
    c_ab = (p_ab + p_ac * p_cb) ** 2  # 0.49
    c_ac = (p_ac + p_ab * p_bc) ** 2  # 0.5625
    c_ca = (p_ca + p_cb * p_ba) ** 2  # 0.36
    c_cb = (p_cb + p_ca * p_ab) ** 2  # 0.36
    c_cd = p_cd**2  # 0.04, d shares no contact with c

    def burt_hierarchy(local: list[float]) -> float:
        N, C = len(local), sum(local)
        return sum((x / (C / N)) * math.log(x / (C / N)) for x in local) / (N * math.log(N))

    h = hierarchy(g)
    assert h[a] == pytest.approx(burt_hierarchy([c_ab, c_ac]), abs=1e-12)
    assert h[b] == pytest.approx(h[a], abs=1e-12)  # b mirrors a
    assert h[c] == pytest.approx(burt_hierarchy([c_ca, c_cb, c_cd]), abs=1e-12)
    # r = c_cj / (C_c / 3): 1.42105 (a and b) and 0.15789 (d), so
    # H_c = (2 * 1.42105 * ln 1.42105 + 0.15789 * ln 0.15789) / (3 ln 3) = 0.70724 / 3.29584
    assert h[c] == pytest.approx(0.2146, abs=1e-4)
    assert h[d] == 0.0  # one contact: ln 1 = 0 over ln 1 = 0, defined as 0
    assert math.isnan(h[e])
    # The same local constraints sum to Burt's constraint.
    assert constraint(g)[[a, c]] == pytest.approx([c_ab + c_ac, c_ca + c_cb + c_cd], abs=1e-12)


def test_hierarchy_is_zero_when_all_contacts_constrain_equally():
    # A cycle and a star: every contact of every node carries the same constraint.
    cycle = TieGraph.from_edges([(str(i), str((i + 1) % 6), 0.7) for i in range(6)])
    star = TieGraph.from_edges([("hub", str(i), 0.4) for i in range(5)])
    np.testing.assert_allclose(hierarchy(cycle), 0.0, atol=1e-12)
    np.testing.assert_allclose(hierarchy(star), 0.0, atol=1e-12)


def test_hierarchy_lies_between_zero_and_one():
    h = hierarchy(tie_graph(with_strength(nx.les_miserables_graph())))
    assert np.all((h >= -1e-12) & (h <= 1 + 1e-12))
    assert h.max() > 0.3  # some nodes do depend on one contact


# --------------------------------------------------------------------------
# Edge cases of the structural-hole measures
# --------------------------------------------------------------------------


def test_isolated_node_gets_nan_for_every_structural_hole_measure():
    # As networkx: with no contacts the measures are undefined.
    g = TieGraph.from_edges([("a", "b", 0.5)], nodes=["loner"])
    sh = structural_holes(g)
    for values in (sh.constraint, sh.effective_size, sh.efficiency, sh.hierarchy):
        assert math.isnan(values[0])
        assert not np.isnan(values[1:]).any()


def test_single_tie_is_fully_constraining_and_nonredundant():
    # By hand: p = 1 and no third party, so c = 1, e = 1, efficiency 1, hierarchy 0.
    sh = structural_holes(TieGraph.from_edges([("a", "b", 0.2)]))
    assert sh.constraint.tolist() == [1.0, 1.0]
    assert sh.effective_size.tolist() == [1.0, 1.0]
    assert sh.efficiency.tolist() == [1.0, 1.0]
    assert sh.hierarchy.tolist() == [0.0, 0.0]


def test_empty_graph_gives_empty_arrays():
    g = TieGraph.from_edges([])
    sh = structural_holes(g)
    for values in (sh.constraint, sh.effective_size, sh.efficiency, sh.hierarchy):
        assert values.shape == (0,)
    stats = strong_tie_stats(g, 0.5)
    assert stats.strong_ties.shape == stats.simmelian_ties.shape == (0,)
    assert detect_communities(g).shape == (0,)
    groups = np.zeros(0, dtype=np.int64)
    assert all(len(x) == 0 for x in group_strong_counts(g, groups, 0.5))
    assert all(v.shape == (0,) for v in brokerage(g, groups, 0.5).values())


def test_graph_without_ties_gives_nan_and_zero_counts():
    g = TieGraph.from_edges([], nodes=["a", "b"])
    assert np.isnan(constraint(g)).all() and np.isnan(hierarchy(g)).all()
    assert strong_tie_stats(g, 0.5).strong_open_pairs.tolist() == [0, 0]
    assert detect_communities(g).tolist() == [0, 1]


def test_returned_arrays_are_the_callers_to_modify():
    # Results are cached on the graph; modifying one answer must not change the next.
    g = tie_graph(with_strength(nx.karate_club_graph()))
    first = constraint(g)
    first[:] = -1
    structural_holes(g).effective_size[:] = -1
    assert (constraint(g) > 0).all()
    assert (effective_size(g) > 0).all()


def test_small_chunks_give_the_same_answers(monkeypatch):
    # Forces the wedge and triangle loops through many small blocks.
    G = with_strength(nx.les_miserables_graph())
    expected = structural_holes(tie_graph(G))
    expected_stats = strong_tie_stats(tie_graph(G), 0.2)
    monkeypatch.setattr(measures, "_CHUNK", 7)
    g = tie_graph(G)
    got = structural_holes(g)
    assert_same(got.constraint, expected.constraint, tol=1e-12)
    assert_same(got.effective_size, expected.effective_size, tol=1e-12)
    assert_same(got.hierarchy, expected.hierarchy, tol=1e-12)
    got_stats = strong_tie_stats(g, 0.2)
    for field in ("strong_ties", "weak_ties", "strong_open_pairs", "simmelian_ties"):
        assert np.array_equal(getattr(got_stats, field), getattr(expected_stats, field)), field


# --------------------------------------------------------------------------
# Strong ties, brokerage, groups: a hand-made graph
# --------------------------------------------------------------------------
#
# v (group 0) has strong ties to a1, a2 (group 0), b1, b2 (group 1), c1 (group 2)
# and u1 (group unknown), and a weak tie to w (group 1).
# Among its contacts: a1-a2 strong, a1-b1 strong, b1-b2 weak.
# Elsewhere: c1-x1 strong (x1 in group 0).

HAND_GROUPS = {"v": 0, "a1": 0, "a2": 0, "b1": 1, "b2": 1, "c1": 2, "u1": -1, "w": 1, "x1": 0}
STRONG, WEAK = 0.8, 0.2


def hand_graph() -> tuple[TieGraph, dict[str, int], np.ndarray]:
    ties = [
        ("v", "a1", STRONG),
        ("v", "a2", STRONG),
        ("v", "b1", STRONG),
        ("v", "b2", STRONG),
        ("v", "c1", STRONG),
        ("v", "u1", STRONG),
        ("v", "w", WEAK),
        ("a1", "a2", STRONG),
        ("a1", "b1", STRONG),
        ("b1", "b2", WEAK),
        ("c1", "x1", STRONG),
    ]
    g = TieGraph.from_edges(ties, nodes=list(HAND_GROUPS))
    at = {name: i for i, name in enumerate(g.ids)}
    groups = np.array([HAND_GROUPS[name] for name in g.ids])
    return g, at, groups


def test_strong_tie_stats_by_hand():
    g, at, _ = hand_graph()
    s = strong_tie_stats(g, strong=0.5)
    # v: 6 strong ties, 1 weak; C(6,2) = 15 pairs minus 2 strong triangles
    # (v,a1,a2) and (v,a1,b1) = 13 open; Simmelian: v-a1, v-a2, v-b1.
    assert s.strong_ties[at["v"]] == 6
    assert s.weak_ties[at["v"]] == 1
    assert s.strong_open_pairs[at["v"]] == 13
    assert s.simmelian_ties[at["v"]] == 3
    # a1: strong contacts v, a2, b1; pairs (v,a2), (v,b1) closed, (a2,b1) open;
    # all three of its ties lie in a strong triangle.
    assert (s.strong_ties[at["a1"]], s.strong_open_pairs[at["a1"]]) == (3, 1)
    assert s.simmelian_ties[at["a1"]] == 3
    # b1: strong to v and a1 (closed), weak to b2.
    assert (s.strong_ties[at["b1"]], s.weak_ties[at["b1"]]) == (2, 1)
    assert (s.strong_open_pairs[at["b1"]], s.simmelian_ties[at["b1"]]) == (0, 2)
    # c1: strong to v and x1, who are not tied: one open pair, no Simmelian tie.
    assert (s.strong_open_pairs[at["c1"]], s.simmelian_ties[at["c1"]]) == (1, 0)
    assert s.strong_ties[at["w"]] == 0 and s.weak_ties[at["w"]] == 1


def test_brokerage_by_hand():
    g, at, groups = hand_graph()
    roles = brokerage(g, groups, strong=0.5)
    v = at["v"]
    # v's known strong contacts: a1, a2 (its own group 0), b1, b2 (1), c1 (2); u1 unknown.
    # coordinator (a1,a2): closed by the strong a1-a2 tie -> 0
    # itinerant (b1,b2): only a weak b1-b2 tie, so open -> 1
    # representative: {a1,a2} x {b1,b2,c1} = 6 pairs, (a1,b1) closed -> 5
    # liaison: (b1,c1), (b2,c1) -> 2
    assert {k: int(x[v]) for k, x in roles.items()} == {
        "coordinator": 0,
        "itinerant": 1,
        "representative": 5,
        "liaison": 2,
    }
    # a1 (group 0): open pair (a2, b1), a2 in its group, b1 not -> representative.
    assert {k: int(x[at["a1"]]) for k, x in roles.items()} == {
        "coordinator": 0,
        "itinerant": 0,
        "representative": 1,
        "liaison": 0,
    }
    # c1 (group 2): open pair (v, x1), both group 0 -> itinerant (G&F's consultant).
    assert roles["itinerant"][at["c1"]] == 1
    # u1's group is unknown: it brokers nothing.
    assert sum(int(x[at["u1"]]) for x in roles.values()) == 0


def test_group_strong_counts_by_hand():
    g, at, groups = hand_graph()
    node, group, count = group_strong_counts(g, groups, strong=0.5)
    triples = list(zip(node.tolist(), group.tolist(), count.tolist(), strict=True))
    v = at["v"]
    # Sorted by node, count descending, then group; u1 (unknown) and w (weak) skipped.
    assert [t for t in triples if t[0] == v] == [(v, 0, 2), (v, 1, 2), (v, 2, 1)]
    assert [t for t in triples if t[0] == at["a1"]] == [(at["a1"], 0, 2), (at["a1"], 1, 1)]
    assert [t for t in triples if t[0] == at["w"]] == []
    assert node.tolist() == sorted(node.tolist())
    bridged = groups_bridged(g, groups, strong=0.5)
    assert bridged[v] == 3 and bridged[at["a1"]] == 2 and bridged[at["w"]] == 0


def test_groups_must_match_the_graph():
    g, _, groups = hand_graph()
    with pytest.raises(ValueError, match="length"):
        brokerage(g, groups[:-1], strong=0.5)
    with pytest.raises(ValueError, match="integer"):
        groups_bridged(g, groups.astype(float), strong=0.5)


# --------------------------------------------------------------------------
# Strong ties and brokerage: brute force on random graphs
# --------------------------------------------------------------------------


def brute_force(G: nx.Graph, groups: dict, strong: float) -> dict[str, dict]:
    """Every count by listing pairs of strong contacts (what the module must not do)."""

    def is_strong(a, b):
        return G.has_edge(a, b) and G[a][b]["strength"] >= strong

    out: dict[str, dict] = {
        k: {}
        for k in (
            "strong_ties",
            "weak_ties",
            "strong_open_pairs",
            "simmelian_ties",
            "coordinator",
            "itinerant",
            "representative",
            "liaison",
            "bridged",
        )
    }
    for v in G:
        strong_alters = [a for a in G[v] if is_strong(v, a)]
        out["strong_ties"][v] = len(strong_alters)
        out["weak_ties"][v] = G.degree(v) - len(strong_alters)
        out["simmelian_ties"][v] = sum(
            any(is_strong(a, q) and is_strong(v, q) for q in G[a]) for a in strong_alters
        )
        out["bridged"][v] = len({groups[a] for a in strong_alters if groups[a] >= 0})
        roles: Counter = Counter()
        open_pairs = 0
        for a, b in itertools.combinations(strong_alters, 2):
            if is_strong(a, b):
                continue
            open_pairs += 1
            gv, ga, gb = groups[v], groups[a], groups[b]
            if min(gv, ga, gb) < 0:
                continue
            if ga == gb:
                roles["coordinator" if ga == gv else "itinerant"] += 1
            elif gv in (ga, gb):
                roles["representative"] += 1
            else:
                roles["liaison"] += 1
        out["strong_open_pairs"][v] = open_pairs
        for role in ("coordinator", "itinerant", "representative", "liaison"):
            out[role][v] = roles[role]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_strong_counts_and_brokerage_equal_brute_force(seed):
    G = random_graph(seed, n=30, p=0.3)
    rng = np.random.default_rng(seed)
    groups = {v: int(rng.integers(-1, 3)) for v in G}
    strong = 0.5
    expected = brute_force(G, groups, strong)
    g = tie_graph(G)
    group_array = np.array([groups[v] for v in G])
    stats = strong_tie_stats(g, strong)
    roles = brokerage(g, group_array, strong)
    got = {
        "strong_ties": stats.strong_ties,
        "weak_ties": stats.weak_ties,
        "strong_open_pairs": stats.strong_open_pairs,
        "simmelian_ties": stats.simmelian_ties,
        "bridged": groups_bridged(g, group_array, strong),
        **roles,
    }
    for key, values in got.items():
        assert values.dtype == np.int64, key
        assert values.tolist() == [expected[key][v] for v in G], key


def test_a_hub_with_thousands_of_strong_ties_is_counted_from_group_sizes():
    # A star: hub in group 0, 2500 leaves in group 0 and 2500 in group 1, no
    # leaf-leaf ties. By the formulas: C(2500, 2) coordinator and itinerant
    # pairs, 2500 * 2500 representative pairs, none liaison; 12.5M pairs in all,
    # which the module must count without listing.
    leaves = 5000
    g = TieGraph.from_edges([("hub", f"leaf{i}", 0.9) for i in range(leaves)])
    groups = np.array([0] + [i % 2 for i in range(leaves)])
    roles = brokerage(g, groups, strong=0.5)
    half = leaves // 2
    assert {k: int(x[0]) for k, x in roles.items()} == {
        "coordinator": half * (half - 1) // 2,
        "itinerant": half * (half - 1) // 2,
        "representative": half * half,
        "liaison": 0,
    }
    assert strong_tie_stats(g, 0.5).strong_open_pairs[0] == leaves * (leaves - 1) // 2


def test_brokerage_roles_add_up_to_open_strong_pairs_when_all_groups_known():
    G = with_strength(nx.les_miserables_graph())
    g = tie_graph(G)
    groups = detect_communities(g)
    roles = brokerage(g, groups, strong=0.1)
    assert np.array_equal(sum(roles.values()), strong_tie_stats(g, 0.1).strong_open_pairs)


def test_open_pairs_of_all_ties_count_triangles_like_networkx():
    # With every tie strong, open pairs = C(k, 2) - triangles; triangles from networkx.
    G = with_strength(nx.les_miserables_graph())
    stats = strong_tie_stats(tie_graph(G), strong=0.0)
    k = np.array([G.degree(v) for v in G])
    triangles = by_node(G, nx.triangles(G))
    assert stats.strong_open_pairs.tolist() == (k * (k - 1) // 2 - triangles).tolist()


# --------------------------------------------------------------------------
# Communities
# --------------------------------------------------------------------------


def two_cliques(bridge: float = 0.1) -> TieGraph:
    left = [(f"l{i}", f"l{j}", 1.0) for i, j in itertools.combinations(range(5), 2)]
    right = [(f"r{i}", f"r{j}", 1.0) for i, j in itertools.combinations(range(5), 2)]
    return TieGraph.from_edges([*left, *right, ("l0", "r0", bridge)], nodes=["loner"])


def assert_stable_labelling(g: TieGraph, labels: np.ndarray, strong: float | None = None):
    """Each tied node's label is among the heaviest labels of its neighbours."""
    weights: dict[int, Counter] = {}
    for s, d, w in zip(g.src.tolist(), g.dst.tolist(), g.strength.tolist(), strict=True):
        if strong is not None and w < strong:
            continue
        weights.setdefault(s, Counter())[labels[d]] += w
        weights.setdefault(d, Counter())[labels[s]] += w
    for node, counts in weights.items():
        assert counts[labels[node]] >= max(counts.values()) * (1 - 1e-9), node


def test_two_cliques_joined_by_a_weak_tie_are_two_communities():
    labels = detect_communities(two_cliques())
    # "loner" is node 0; the cliques are l0..l4 and r0..r4.
    assert labels.tolist() == [2, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]


def test_labels_are_numbered_from_zero_by_size():
    g = tie_graph(with_strength(nx.les_miserables_graph()))
    labels = detect_communities(g)
    sizes = np.bincount(labels)
    assert labels.min() == 0 and (sizes > 0).all()
    assert (np.diff(sizes) <= 0).all()


def test_communities_are_deterministic_for_a_seed():
    g = tie_graph(random_graph(7, n=200, p=0.03))
    assert np.array_equal(detect_communities(g, seed=5), detect_communities(g, seed=5))


@pytest.mark.parametrize(
    "name", ["karate_weighted", "les_miserables_weighted", "florentine_unweighted"]
)
def test_label_propagation_reaches_a_stable_labelling(name):
    g = tie_graph(REFERENCE_GRAPHS[name]())
    assert_stable_labelling(g, detect_communities(g, max_iter=100))


def test_label_propagation_reaches_a_stable_labelling_on_a_sparse_random_graph():
    g = tie_graph(random_graph(2, n=300, p=0.02))
    assert_stable_labelling(g, detect_communities(g, max_iter=100))
    assert_stable_labelling(g, detect_communities(g, strong=0.5, max_iter=100), strong=0.5)


def test_label_propagation_does_not_oscillate_on_bipartite_graphs():
    # Fully synchronous propagation swaps the two sides' labels forever on these.
    pair = TieGraph.from_edges([("a", "b", 1.0)])
    assert detect_communities(pair).tolist() == [0, 0]
    k33 = TieGraph.from_edges([(f"x{i}", f"y{j}", 1.0) for i in range(3) for j in range(3)])
    labels = detect_communities(k33, max_iter=100)
    assert_stable_labelling(k33, labels)
    assert len(set(labels.tolist())) == 1


def test_strong_option_ignores_weak_ties():
    g = two_cliques(bridge=0.9)
    # With the bridge weaker than `strong`, the loner and each clique stand apart.
    apart = detect_communities(two_cliques(bridge=0.3), strong=0.5)
    assert apart.tolist() == [2, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    # Only ties at or above `strong` count: with none, everyone is alone.
    alone = detect_communities(g, strong=2.0)
    assert sorted(alone.tolist()) == list(range(g.n))


def test_coloring_is_proper_even_with_more_than_64_colors():
    # A 100-clique needs 100 colors, which crosses the 64-bit word boundary.
    for G in (nx.complete_graph(100), nx.gnp_random_graph(300, 0.1, seed=1)):
        src = np.array([u for u, v in G.edges] + [v for u, v in G.edges])
        dst = np.array([v for u, v in G.edges] + [u for u, v in G.edges])
        order = np.argsort(src, kind="stable")
        color = communities._greedy_coloring(
            src[order], dst[order], G.number_of_nodes(), np.random.default_rng(0)
        )
        assert (color >= 0).all()
        assert not np.any(color[src] == color[dst])
    assert color.max() < 300


# --------------------------------------------------------------------------
# Documentation
# --------------------------------------------------------------------------


def test_docstring_examples_run():
    result = doctest.testmod(measures)
    assert result.attempted > 10
    assert result.failed == 0


def test_every_public_name_is_documented_and_every_function_has_an_example():
    for name in measures.__all__:
        doc = getattr(measures, name).__doc__ or ""
        assert doc.strip(), name
        if callable(getattr(measures, name)) and not isinstance(getattr(measures, name), type):
            assert ">>>" in doc, f"{name} has no example"


# --------------------------------------------------------------------------
# Sides of structural holes (strong_sides), against a direct implementation
# --------------------------------------------------------------------------


def brute_force_sides(G: nx.Graph, groups: dict, strong: float) -> tuple[dict, dict]:
    """Per node: sorted side sizes, and pairs across sides closed by a strong tie."""
    S = nx.Graph()
    S.add_nodes_from(G)
    S.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d["strength"] >= strong)
    sizes, closed = {}, {}
    for v in S:
        contacts = list(S[v])

        anchored = {
            a: groups[a] >= 0 and any(groups[w] == groups[a] for w in S[a] if w != v)
            for a in contacts
        }
        H = nx.Graph()
        H.add_nodes_from(contacts)
        for a, b in itertools.combinations(contacts, 2):
            both = anchored[a] and anchored[b]
            # Anchored in one group: one side; strongly tied: one side, unless anchored in
            # two different groups (then they stay apart and the pair counts as closed).
            if (both and groups[a] == groups[b]) or (S.has_edge(a, b) and not both):
                H.add_edge(a, b)
        parts = list(nx.connected_components(H))
        where = {a: i for i, part in enumerate(parts) for a in part}
        sizes[v] = sorted((len(p) for p in parts), reverse=True)
        closed[v] = sum(
            1
            for a, b in itertools.combinations(contacts, 2)
            if S.has_edge(a, b) and where[a] != where[b]
        )
    return sizes, closed


@pytest.mark.parametrize("seed", range(5))
def test_strong_sides_equal_a_direct_implementation(seed):
    G = random_graph(seed, n=40, p=0.15)
    rng = np.random.default_rng(seed)
    g = tie_graph(G)
    groups = rng.integers(-1, 4, size=g.n)
    by_id = {str(x): int(k) for x, k in zip(g.ids, groups, strict=True)}
    sizes, closed = brute_force_sides(nx.relabel_nodes(G, str), by_id, 0.5)
    sides = measures.strong_sides(g, groups, 0.5)
    for i, person in enumerate(g.ids.astype(str)):
        mine = sorted(sides.size[sides.node == i].tolist(), reverse=True)
        assert mine == sizes[person], person
        assert sides.closed[i] == closed[person], person
