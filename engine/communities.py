r"""Communities of the strong-tie graph: the groups a broker's ties reach.

When no ``--group-by`` property names people's groups, the ranking takes them
from the network itself: the communities of the graph of strong ties. This
module finds them with weighted label propagation (Raghavan, Albert and Kumara
2007), which is near-linear and hub-safe (every sweep costs the number of
ties, whatever the degrees), updated semi-synchronously over a proper colouring
so that it settles (Cordasco and Gargano 2010), and restarted a fixed number of
times keeping the labelling of highest modularity (Newman 2006).

Same data, same answer
----------------------
Label propagation depends on the order in which nodes are visited and on how
ties between labels are broken, both drawn from a random generator.
:func:`detect_groups` therefore fixes everything that could vary between two
runs on the same network:

* nodes are put in a *canonical order*, by id, and ties by their two ids, before
  anything else, so the order of rows in the input (and hence of ``g.ids``)
  does not matter;
* the restarts use the fixed seeds ``0 .. DETECTION_RESTARTS - 1``, not a
  user seed;
* modularities are compared after rounding to 12 digits (sums of the same
  strengths in another order differ in the last bits), and among equal ones the
  lowest seed wins.

Groups that are tied to each other
----------------------------------
On small dense networks modularity can prefer to cut a tight cluster in two
(Krackhardt's kite: with eight restarts the best labelling cut its seven-person
core into groups of 4 and 3 with five strong ties between them), and then
everyone on the cut looks like a broker between two groups that in fact know
each other well. :func:`merge_tied_communities`
therefore joins two communities when the density of strong ties *between* them
is at least ``MERGE_DENSITY_SHARE`` (0.4) of the density *inside* the sparser
of the two: the stochastic block model's view that two blocks are distinct
groups only when ties between them are much rarer than ties inside (Holland,
Laskey and Leinhardt 1983). Communities of a large sparse network are far
below the line (a handful of ties between two groups of fifty, against a third
of all pairs inside), so it only changes small, dense ones. The value is a
judgement, checked on the networks of ``bench/bench_real.py``: that cut of the
kite (density 0.42 between the halves against 1 inside) is joined; the
Florentine families' communities (at most 0.25 of the density inside on
marriages, 0.36 on marriages and business) are not. At 0.34 the Florentine
marriage and business communities would merge too and the Medici lose their
footholds; at 0.5 the kite's cut would stand. The margin is small on both
sides: this is the least robust rule of the ranking.

The result is a function of the network alone: the same people and ties, in any
order, give the same communities. Restarting and keeping the best modularity is
the remedy Raghavan et al. (2007) suggest for run-to-run differences.

References
----------
Cordasco, G. and Gargano, L. (2010). Community detection via semi-synchronous
    label propagation algorithms. *IEEE BASNA*.
Holland, P. W., Laskey, K. B. and Leinhardt, S. (1983). Stochastic blockmodels:
    first steps. *Social Networks* 5(2), 109-137.
Gebremedhin, A. H. and Manne, F. (2000). Scalable parallel graph coloring
    algorithms. *Concurrency: Practice and Experience* 12(12), 1131-1146.
Newman, M. E. J. (2006). Modularity and community structure in networks.
    *PNAS* 103(23), 8577-8582.
Raghavan, U. N., Albert, R. and Kumara, S. (2007). Near linear time algorithm
    to detect community structures in large-scale networks. *Physical Review E*
    76, 036106.
"""

from __future__ import annotations

import numpy as np

from powerconnect.engine.graph import TieGraph
from powerconnect.engine.measures import _components

__all__ = [
    "DETECTION_RESTARTS",
    "canonical_order",
    "detect_communities",
    "detect_groups",
    "merge_tied_communities",
    "strong_modularity",
]

#: Label propagations tried by :func:`detect_groups`; the best modularity wins. 4 (main
#: had 8): each costs about a second on the 1M-tie benchmark; with 8, bench_real.py gives
#: the same #1 everywhere and bench_quality.py 1.00 instead of 0.95 on one seed.
DETECTION_RESTARTS = 4
#: :func:`merge_tied_communities` joins two communities when the density of strong ties
#: between them is at least this share of the density inside the sparser of the two.
MERGE_DENSITY_SHARE = 0.4
#: Sweeps of label propagation at most (:func:`detect_communities`).
DETECTION_MAX_SWEEPS = 20

# Relative tolerance under which two label weights count as tied in label
# propagation (sums of the same strengths in a different order differ by ulps).
_TIE_RTOL = 1e-12
# Digits to which modularities are rounded before restarts are compared.
_Q_DIGITS = 12


def _first_of_runs(sorted_keys: np.ndarray) -> np.ndarray:
    """Start index of each run of equal values in a sorted, non-empty array."""
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def _smallest_free_color(ego: np.ndarray, colors: np.ndarray, n: int) -> np.ndarray:
    """For each node, the smallest color absent from its ``(ego, colors)`` slots.

    ``ego`` is sorted. Colors are tested 64 at a time as bits of a uint64 mask
    (OR-reduced per node), so no sorting is needed.
    """
    free = np.zeros(n, dtype=np.int64)
    pending = np.ones(n, dtype=bool)
    one, full = np.uint64(1), np.uint64(np.iinfo(np.uint64).max)
    base = 0
    while True:
        inword = (colors >= base) & (colors < base + 64)
        e = ego[inword]
        bits = one << (colors[inword] - base).astype(np.uint64)
        mask = np.zeros(n, dtype=np.uint64)
        if len(e):
            starts = _first_of_runs(e)
            mask[e[starts]] = np.bitwise_or.reduceat(bits, starts)
        settle = pending & (mask != full)
        low_zero = ~mask[settle] & (mask[settle] + one)  # lowest unset bit
        free[settle] = base + np.log2(low_zero.astype(np.float64)).astype(np.int64)
        pending &= ~settle
        if not pending.any():
            return free
        keep = pending[ego]
        ego, colors = ego[keep], colors[keep]
        base += 64


def _greedy_coloring(
    ego: np.ndarray, alter: np.ndarray, n: int, rng: np.random.Generator
) -> np.ndarray:
    """A proper vertex coloring by speculative parallel greedy rounds.

    Each round every uncolored node takes the smallest color unused by its
    colored neighbours; where two adjacent nodes took the same color, the one
    of lower random priority gives it back (Gebremedhin and Manne 2000).
    ``ego`` must be sorted.
    """
    priority = rng.permutation(n)
    color = np.full(n, -1, dtype=np.int64)
    while True:
        todo = np.flatnonzero(color < 0)
        if len(todo) == 0:
            return color
        keep = color[ego] < 0
        ego, alter = ego[keep], alter[keep]
        alter_color = color[alter]
        colored = alter_color >= 0
        pick = _smallest_free_color(ego[colored], alter_color[colored], n)
        e, a = ego[~colored], alter[~colored]
        clash = (pick[e] == pick[a]) & (priority[e] < priority[a])
        loses = np.zeros(n, dtype=bool)
        loses[e[clash]] = True
        winners = todo[~loses[todo]]
        color[winners] = pick[winners]


def _slots_of(nodes: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The slots ``start[v] .. start[v + 1] - 1`` of every node ``v`` in ``nodes``, concatenated."""
    first, count = start[nodes], start[nodes + 1] - start[nodes]
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offset = np.repeat(first - np.cumsum(count) + count, count)
    return offset + np.arange(total, dtype=np.int64)


def _best_labels(
    ego: np.ndarray,
    labels_of_alter: np.ndarray,
    weight: np.ndarray,
    labels: np.ndarray,
    priority: np.ndarray,
    label_of_priority: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each ego's heaviest neighbouring label: ``(nodes, new labels)``.

    The current label wins any tie; other ties go to the lowest ``priority``.
    """
    n = len(labels)
    key = ego * n + labels_of_alter
    order = np.argsort(key, kind="stable")
    key = key[order]
    runs = _first_of_runs(key)
    sums = np.add.reduceat(weight[order], runs)
    run_ego, run_label = np.divmod(key[runs], n)
    per_ego = _first_of_runs(run_ego)
    heaviest = np.maximum.reduceat(sums, per_ego)
    tied = sums >= np.repeat(heaviest, np.diff(np.r_[per_ego, len(sums)])) * (1 - _TIE_RTOL)
    keeps = np.logical_or.reduceat(tied & (run_label == labels[run_ego]), per_ego)
    nodes = run_ego[per_ego]
    first = np.minimum.reduceat(np.where(tied, priority[run_label], n), per_ego)
    return nodes, np.where(keeps, labels[nodes], label_of_priority[first])


def detect_communities(
    g: TieGraph,
    *,
    strong: float | None = None,
    seed: int = 0,
    max_iter: int = DETECTION_MAX_SWEEPS,
) -> np.ndarray:
    r"""Communities by weighted label propagation (Raghavan, Albert and Kumara 2007).

    Every node starts with its own label and repeatedly adopts the label with
    the largest total tie strength among its neighbours,

    .. math::

       \ell_i \leftarrow \arg\max_\ell \sum_{j \in N(i),\, \ell_j = \ell} w_{ij},

    keeping its current label when that is among the heaviest and otherwise
    breaking ties at random. Fully synchronous updates can oscillate (two
    nodes swapping labels forever), so updates are *semi-synchronous*
    (Cordasco and Gargano 2010): the nodes are split by a proper coloring and
    each color class, having no ties inside, updates at once. A node changes
    label only for a strictly heavier one, so the total strength of ties
    inside communities grows at every change and the process settles; it
    stops when a sweep changes nothing, or after ``max_iter`` sweeps.

    Parameters
    ----------
    g : TieGraph
    strong : float, optional
        Use only ties with strength at least ``strong``.
    seed : int
        Seeds the coloring and tie-breaking; the same seed gives the same result.
    max_iter : int
        Maximum number of sweeps over all nodes.

    Returns
    -------
    numpy.ndarray
        int64 labels ``0..k-1`` indexed like ``g.ids``, numbered by community
        size (largest first; ties by first node). Nodes with no (strong) ties
        are communities of their own.

    Examples
    --------
    Two triangles joined by one weak tie, and a loner:

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0),
    ...                          ("d", "e", 1.0), ("e", "f", 1.0), ("d", "f", 1.0),
    ...                          ("c", "d", 0.1)], nodes=["z"])
    >>> detect_communities(g).tolist()
    [2, 0, 0, 0, 1, 1, 1]
    """
    return _propagate(*_slots(g, strong), g.n, seed=seed, max_iter=max_iter)


def _slots(g: TieGraph, strong: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ego, alter, weight)``: both ends of each tie (of strength at least ``strong``), in
    the order of :attr:`TieGraph.csr` (by ego, then alter), without building the whole CSR."""
    keep = slice(None) if strong is None else g.strength >= strong
    return _tie_slots(g.src[keep], g.dst[keep], g.strength[keep])


def _tie_slots(
    src: np.ndarray, dst: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ego, alter, weight)``: both ends of each tie ``(src, dst, w)``, by ego, then alter."""
    ego, alter = np.concatenate([src, dst]), np.concatenate([dst, src])
    order = np.lexsort((alter, ego))
    return ego[order], alter[order], np.concatenate([w, w])[order]


def _propagate(
    ego: np.ndarray, alter: np.ndarray, weight: np.ndarray, n: int, *, seed: int, max_iter: int
) -> np.ndarray:
    """:func:`detect_communities` on the slots of :func:`_slots`."""
    return _number_by_size(_propagate_raw(ego, alter, weight, n, seed=seed, max_iter=max_iter))


def _propagate_raw(
    ego: np.ndarray, alter: np.ndarray, weight: np.ndarray, n: int, *, seed: int, max_iter: int
) -> np.ndarray:
    """:func:`_propagate` before numbering: each node's label is the index of the node it
    came from (always one of the same connected component of the slots).

    The Spark engine runs it on the slots of some components only, with the whole
    network's ``n`` (:mod:`engine.spark_communities`, which says why that gives the same
    labels on those components).
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(n, dtype=np.int64)
    if len(ego):
        color = _greedy_coloring(ego, alter, n, rng)
        # Each node's neighbours (ego is sorted here), to wake them when its label changes.
        neighbour_start = np.searchsorted(ego, np.arange(n + 1))
        neighbours = alter
        # Group slots by their ego's color (stable: egos stay sorted inside).
        by_color = np.argsort(color[ego], kind="stable")
        ego, alter, weight = ego[by_color], alter[by_color], weight[by_color]
        bounds = np.searchsorted(color[ego], np.arange(int(color.max()) + 2))
        # A node none of whose neighbours changed label since it last chose keeps its label
        # (it chose one of the heaviest, and those sums are the same), so only "awake" nodes
        # are evaluated: the same labels, sweep for sweep, as evaluating every node.
        awake = np.ones(n, dtype=bool)
        for _ in range(max_iter):
            priority = rng.permutation(n)
            label_of_priority = np.empty(n, dtype=np.int64)
            label_of_priority[priority] = np.arange(n)
            changed = 0
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                if lo == hi:
                    continue
                e, a, w = ego[lo:hi], alter[lo:hi], weight[lo:hi]
                pick = awake[e]
                if not pick.all():
                    if not pick.any():
                        continue
                    e, a, w = e[pick], a[pick], w[pick]
                nodes, new = _best_labels(e, labels[a], w, labels, priority, label_of_priority)
                awake[nodes] = False
                moved = new != labels[nodes]
                changed += int(np.count_nonzero(moved))
                nodes, new = nodes[moved], new[moved]
                labels[nodes] = new
                awake[neighbours[_slots_of(nodes, neighbour_start)]] = True
            if changed == 0:
                break
    return labels


def _number_by_size(labels: np.ndarray) -> np.ndarray:
    """Communities numbered ``0..k-1`` by size, largest first, ties by their first node
    (7 and 3 both have two members; 7 comes first).

    >>> _number_by_size(np.array([7, 3, 3, 7, 5])).tolist()
    [0, 1, 1, 0, 2]
    """
    _, first, inverse, size = np.unique(
        labels, return_index=True, return_inverse=True, return_counts=True
    )
    number = np.empty(len(size), dtype=np.int64)
    number[np.lexsort((first, -size))] = np.arange(len(size))
    return number[inverse].reshape(-1)


def strong_modularity(g: TieGraph, labels: np.ndarray, strong: float) -> float:
    r"""Newman's (2006) weighted modularity of ``labels`` on the strong-tie graph.

    .. math:: Q = \sum_c \Big(\frac{W_c}{W} - \Big(\frac{D_c}{2W}\Big)^2\Big)

    with :math:`W` the total strength of strong ties, :math:`W_c` that of the
    strong ties inside community ``c`` and :math:`D_c` the summed strong
    strength of its members. 0 when there are no strong ties.

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("c", "d", 1.0)])
    >>> strong_modularity(g, np.array([0, 0, 1, 1]), strong=0.5)
    0.5
    """
    keep = g.strength >= strong
    src, dst, w = g.src[keep], g.dst[keep], g.strength[keep]
    total = float(w.sum())
    if total == 0.0:
        return 0.0
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1
    return float(np.sum(_modularity_terms(labels[src], labels[dst], w, total, k)))


def _modularity_terms(
    label_src: np.ndarray, label_dst: np.ndarray, w: np.ndarray, total: float, k: int
) -> np.ndarray:
    """Per community ``c`` of ``0..k-1`` (the labels of the two ends of each strong tie, with
    strength ``w``; ``total`` the strength of all strong ties): ``W_c / W - (D_c / 2W)^2``
    of :func:`strong_modularity`. A community's sums run over its own ties in their order."""
    same = label_src == label_dst
    inside = np.bincount(label_src[same], w[same], minlength=k)
    strength = np.bincount(label_src, w, minlength=k) + np.bincount(label_dst, w, minlength=k)
    return np.asarray(inside / total - (strength / (2 * total)) ** 2)


def canonical_order(g: TieGraph) -> tuple[TieGraph, np.ndarray]:
    """``g`` with its people sorted by id and its ties by their two ids, and the map.

    Returns ``(h, position)`` where person ``i`` of ``g`` is person
    ``position[i]`` of ``h``. Two graphs with the same people and ties, listed
    in any order, give the same ``h``.

    >>> h, position = canonical_order(TieGraph.from_edges([("b", "a", 1.0), ("c", "a", 0.5)]))
    >>> h.ids.tolist(), position.tolist(), h.src.tolist(), h.dst.tolist()
    (['a', 'b', 'c'], [1, 0, 2], [0, 0], [1, 2])
    """
    order = np.argsort(g.ids.astype(str), kind="stable")
    position = np.empty(g.n, dtype=np.int64)
    position[order] = np.arange(g.n, dtype=np.int64)
    a, b = position[g.src], position[g.dst]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ties = np.lexsort((hi, lo))
    h = TieGraph.from_arrays(g.ids[order], lo[ties], hi[ties], g.strength[ties])
    return h, position


def detect_groups(g: TieGraph, *, strong: float, restarts: int = DETECTION_RESTARTS) -> np.ndarray:
    """Communities of the strong-tie graph, the same for the same network in any order.

    Runs :func:`detect_communities` on the strong ties of the canonically
    ordered graph (:func:`canonical_order`) with seeds ``0 .. restarts - 1`` and
    keeps the labelling of highest :func:`strong_modularity` (rounded to 12
    digits; the lowest seed among equals), then joins communities that are
    densely tied to each other (:func:`merge_tied_communities`). See the
    module docstring for why.

    Returns int64 labels ``0..k-1`` indexed like ``g.ids``, numbered by
    community size, largest first (ties by smallest id).

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0),
    ...                          ("d", "e", 1.0), ("e", "f", 1.0), ("d", "f", 1.0),
    ...                          ("c", "d", 0.1)])
    >>> detect_groups(g, strong=0.5).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    # Only the strong ties matter here: ordering and indexing them alone (in the order they
    # have among all ties) gives the same labels and modularities as the whole graph would.
    keep = g.strength >= strong
    h, position = canonical_order(
        TieGraph.from_arrays(g.ids, g.src[keep], g.dst[keep], g.strength[keep])
    )
    slots = _slots(h, None)
    best: np.ndarray | None = None
    best_q = -np.inf
    for seed in range(max(1, restarts)):
        labels = _propagate(*slots, h.n, seed=seed, max_iter=DETECTION_MAX_SWEEPS)
        q = round(strong_modularity(h, labels, strong), _Q_DIGITS)
        if q > best_q:
            best, best_q = labels, q
    assert best is not None
    return merge_tied_communities(h, best, strong)[position]


def merge_tied_communities(g: TieGraph, labels: np.ndarray, strong: float) -> np.ndarray:
    """Join communities whose strong-tie density between them is high (see the module docstring).

    Two communities ``c`` and ``d`` are joined when
    ``ties(c, d) / (n_c n_d) >= MERGE_DENSITY_SHARE * min(density(c), density(d))``,
    with ``density(c) = ties(c) / (n_c (n_c - 1) / 2)`` over strong ties; joins
    are transitive. Returns labels numbered as :func:`detect_communities` numbers
    them (by size, then first node).

    Two triangles (density 1 inside) joined by two strong ties (density 2/9
    between) stay two groups; joined by four (4/9) they are one:

    >>> tri = [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0),
    ...        ("d", "e", 1.0), ("e", "f", 1.0), ("d", "f", 1.0)]
    >>> two = np.array([0, 0, 0, 1, 1, 1])
    >>> across = [("c", "d", 1.0), ("b", "e", 1.0), ("a", "f", 1.0), ("c", "e", 1.0)]
    >>> merge_tied_communities(TieGraph.from_edges(tri + across[:2]), two, 0.5).tolist()
    [0, 0, 0, 1, 1, 1]
    >>> merge_tied_communities(TieGraph.from_edges(tri + across), two, 0.5).tolist()
    [0, 0, 0, 0, 0, 0]
    """
    labels = np.asarray(labels, dtype=np.int64)
    if g.n == 0:
        return labels
    keep = g.strength >= strong
    merged = _join_tied(labels, labels[g.src[keep]], labels[g.dst[keep]])
    return labels if merged is None else _number_by_size(merged)


def _join_tied(labels: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """:func:`merge_tied_communities` before numbering: ``labels`` (``0..k-1``) with joined
    communities under one label, or None when none joins. ``a`` and ``b`` are the labels of
    the two ends of each strong tie. Only communities with a strong tie between them join."""
    k = int(labels.max()) + 1
    size = np.bincount(labels, minlength=k).astype(np.float64)
    inside = np.bincount(a[a == b], minlength=k).astype(np.float64)
    density = np.divide(inside, size * (size - 1) / 2, out=np.zeros(k), where=size > 1)
    lo, hi = np.minimum(a[a != b], b[a != b]), np.maximum(a[a != b], b[a != b])
    if len(lo) == 0:
        return None
    pair, count = np.unique(lo * k + hi, return_counts=True)
    c, d = np.divmod(pair, k)
    between = count / (size[c] * size[d])
    join = between >= MERGE_DENSITY_SHARE * np.minimum(density[c], density[d])
    # A singleton has no inside density; it joins nothing on this rule.
    join &= (size[c] > 1) & (size[d] > 1)
    if not join.any():
        return None
    return np.asarray(_components(c[join], d[join], k)[labels])
