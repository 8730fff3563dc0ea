"""Benchmark engine.measures on a 1M-tie preferential-attachment graph against igraph.

Generates a seeded Barabasi-Albert-like graph (100k people, m=10 ties each,
hubs with thousands of ties; strengths from Beta(2, 5)), checks on a small
graph that igraph's constraint equals Burt's (networkx as the reference), then
times our constraint + effective size against igraph's C ``Graph.constraint``
on the same big graph, checks they agree, and prints times, the ratio and the
peak resident memory. Also times the other measures, for the 30 s end-to-end
budget.

Run:  .venv/bin/python bench/bench_measures.py [--people 100000] [--m 10] [--seed 0]
      .venv/bin/python bench/bench_measures.py --graph caveman   # clustered contrast
Needs the ``bench`` extra (igraph, networkx).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from powerconnect.engine import measures  # noqa: E402
from powerconnect.engine.graph import TieGraph  # noqa: E402

# Agreement required between our measures and the reference implementations.
TOLERANCE = 1e-9


def preferential_attachment(people: int, m: int, seed: int) -> TieGraph:
    """A Barabasi-Albert-like graph, vectorised as a linearised chord diagram.

    Tie ``e`` (the ``e % m``-th of person ``e // m``) picks its other end at a
    uniformly random earlier position of the list of tie endpoints, which is
    choosing a person with probability proportional to degree (Bollobas and
    Riordan's LCD model); chains of picks are resolved by pointer jumping.
    Self-ties and repeats are dropped, so slightly fewer than ``people * m``
    ties remain. Strengths are Beta(2, 5): most ties weak, a few strong.
    """
    rng = np.random.default_rng(seed)
    ties = people * m
    owner = np.repeat(np.arange(people, dtype=np.int64), m)
    # Endpoint slot 2e is tie e's owner; slot 2e + 1 points at an earlier slot.
    pointer = np.empty(2 * ties, dtype=np.int64)
    pointer[0::2] = np.arange(0, 2 * ties, 2)
    pointer[1::2] = (rng.random(ties) * np.arange(1, 2 * ties, 2)).astype(np.int64)
    while True:
        unresolved = np.flatnonzero(pointer & 1)
        if len(unresolved) == 0:
            break
        pointer[unresolved] = pointer[pointer[unresolved]]
    other = owner[pointer[1::2] // 2]
    keep = owner != other
    lo = np.minimum(owner, other)[keep]
    hi = np.maximum(owner, other)[keep]
    key = np.unique(lo * people + hi)
    src, dst = np.divmod(key, people)
    strength = np.clip(rng.beta(2.0, 5.0, len(src)), 1e-6, 1.0)
    ids = np.array([f"p{i}" for i in range(people)], dtype=object)
    return TieGraph.from_arrays(ids, src, dst, strength)


def caveman(people: int, size: int, seed: int) -> TieGraph:
    """A clustered contrast: cliques of ``size`` people plus ``people // 2`` random ties.

    Every clique of 20 holds 1140 triangles, so this graph has millions of
    them where the PA graph has tens of thousands.
    """
    rng = np.random.default_rng(seed)
    people -= people % size
    a, b = np.triu_indices(size, 1)
    start = np.arange(0, people, size)[:, None]
    extra = rng.integers(0, people, (people // 2, 2))
    src = np.concatenate([(start + a).ravel(), extra[:, 0]])
    dst = np.concatenate([(start + b).ravel(), extra[:, 1]])
    keep = src != dst
    key = np.unique(np.minimum(src, dst)[keep] * people + np.maximum(src, dst)[keep])
    src, dst = np.divmod(key, people)
    strength = np.clip(rng.beta(2.0, 5.0, len(src)), 1e-6, 1.0)
    ids = np.array([f"p{i}" for i in range(people)], dtype=object)
    return TieGraph.from_arrays(ids, src, dst, strength)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"  {label:<42} {seconds:8.3f} s")
    return seconds, result


def igraph_of(g: TieGraph) -> Any:
    import igraph

    ig = igraph.Graph(n=g.n, edges=np.column_stack([g.src, g.dst]))
    ig.es["strength"] = g.strength
    return ig


def check_igraph_is_burt() -> None:
    """igraph's weighted constraint vs networkx's on a small weighted graph."""
    import networkx as nx

    rng = np.random.default_rng(1)
    G = nx.gnm_random_graph(60, 240, seed=1)
    for u, v in G.edges:
        G.edges[u, v]["strength"] = float(rng.uniform(0.05, 1.0))
    G.add_node(60)  # isolated
    g = TieGraph.from_edges(
        [(str(u), str(v), d["strength"]) for u, v, d in G.edges(data=True)],
        nodes=[str(v) for v in G],
    )
    reference = nx.constraint(G, weight="strength")
    expected = np.array([reference[v] for v in G])
    theirs = np.array(igraph_of(g).constraint(weights="strength"))
    ours = measures.constraint(g)
    both = ~np.isnan(expected)
    print("small graph (60 nodes, 240 ties, one isolated), constraint vs networkx:")
    print(f"  igraph max |diff| = {np.max(np.abs(theirs[both] - expected[both])):.2e}")
    print(f"  ours   max |diff| = {np.max(np.abs(ours[both] - expected[both])):.2e}")
    print(f"  isolated node: networkx {expected[-1]}, igraph {theirs[-1]}, ours {ours[-1]}")


def fresh(g: TieGraph) -> TieGraph:
    """The same graph without anything cached on it (the arrays are shared)."""
    return TieGraph.from_arrays(g.ids, g.src, g.dst, g.strength)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--m", type=int, default=10, help="ties added per person")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strong", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    parser.add_argument(
        "--graph",
        choices=["pa", "caveman"],
        default="pa",
        help="pa: the 1M-tie preferential-attachment target (default); "
        "caveman: cliques of 20, a clustered contrast",
    )
    args = parser.parse_args()

    check_igraph_is_burt()

    print(f"\ngenerating {args.graph} graph: people={args.people} m={args.m} seed={args.seed}")
    if args.graph == "pa":
        g = timed("generate", lambda: preferential_attachment(args.people, args.m, args.seed))[1]
    else:
        g = timed("generate", lambda: caveman(args.people, 2 * args.m, args.seed))[1]
    degree = np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)
    print(f"  {g.n} people, {g.m} ties, max degree {degree.max()}")

    print("\nours, constraint + effective_size on a fresh graph (triangles included):")
    ours_runs = []
    for run in range(args.repeat):
        h = fresh(g)
        t_c, ours = timed(f"run {run + 1}: constraint", lambda h=h: measures.constraint(h))
        t_e, _ = timed(f"run {run + 1}: effective_size", lambda h=h: measures.effective_size(h))
        ours_runs.append(t_c + t_e)
    print(f"  {len(measures._triangles(h))} triangles")
    rss_ours = peak_rss_mb()

    print("\nours, the other measures (for the end-to-end budget):")
    timed(
        "hierarchy + efficiency (shared pass)",
        lambda: (measures.hierarchy(h), measures.efficiency(h)),
    )
    timed(
        f"strong_tie_stats(strong={args.strong})", lambda: measures.strong_tie_stats(h, args.strong)
    )
    timed("g.csr (TieGraph, used by detect_communities)", lambda: h.csr)
    labels = timed("detect_communities", lambda: measures.detect_communities(h))[1]
    print(f"  {labels.max() + 1} communities, largest {np.bincount(labels).max()}")
    timed("group_strong_counts", lambda: measures.group_strong_counts(h, labels, args.strong))
    timed("brokerage", lambda: measures.brokerage(h, labels, args.strong))
    rss_all = peak_rss_mb()

    print("\nigraph:")
    ig = timed("build igraph.Graph (not counted)", lambda: igraph_of(g))[1]
    igraph_runs = []
    for run in range(args.repeat):
        t_ig, theirs = timed(
            f"run {run + 1}: Graph.constraint(weights=...)",
            lambda: ig.constraint(weights="strength"),
        )
        igraph_runs.append(t_ig)
    theirs = np.array(theirs)
    both = ~np.isnan(ours)
    diff = float(np.max(np.abs(ours[both] - theirs[both])))
    same_nan = bool(np.array_equal(np.isnan(ours), np.isnan(theirs)))

    # Best of the runs, as timeit does: the machine is shared, and noise only adds time.
    ours_t, igraph_t = min(ours_runs), min(igraph_runs)
    print(f"\nsummary (best of {args.repeat} runs):")
    print(f"  ours constraint + effective_size: {ours_t:.3f} s (first run {ours_runs[0]:.3f} s)")
    print(f"  igraph constraint:                {igraph_t:.3f} s")
    print(f"  ratio ours / igraph:              {ours_t / igraph_t:.2f} (must be <= 2)")
    print(f"  max |ours - igraph| constraint:   {diff:.2e} (must be <= {TOLERANCE:g})")
    print(f"  same nodes nan (isolated):        {same_nan}")
    print(f"  peak RSS after structural holes:  {rss_ours:.0f} MB")
    print(f"  peak RSS after all our measures:  {rss_all:.0f} MB")
    print(f"  peak RSS incl. igraph:            {peak_rss_mb():.0f} MB")
    if diff > TOLERANCE or not same_nan or ours_t > 2 * igraph_t:
        raise SystemExit("FAILED")


if __name__ == "__main__":
    main()
