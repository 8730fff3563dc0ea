"""Structural holes, strong ties, contact groups and brokerage on a :class:`TieGraph`.

Every function here is pure (no I/O) and returns numpy arrays indexed like
``g.ids``. Ties are undirected and weighted by ``strength`` in (0, 1].

The structural-hole measures (Burt 1992) and the strong-triangle counts all
come from one triangle enumeration per graph (:func:`_triangles`), vectorised
with numpy and cached on the graph the way :func:`functools.cached_property`
caches ``g.csr``: a :class:`TieGraph` is frozen, so the cache never goes stale.
Nothing enumerates pairs of contacts, so a hub with thousands of ties costs no
more than its ties and triangles. Community detection, which finds the groups
that :func:`brokerage` and :func:`group_strong_counts` take, lives in
:mod:`engine.communities`.

References
----------
Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
    *Connections* 20(1), 35-38.
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
    Harvard University Press.
Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. *Sociological Methodology*
    19, 89-126.
Krackhardt, D. (1998). Simmelian ties: super strong and sticky. In Kramer and
    Neale (eds.), *Power and Influence in Organizations*, 21-38.
Krackhardt, D. (1999). The ties that torture: Simmelian tie analysis in
    organizations. *Research in the Sociology of Organizations* 16, 183-210.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from powerconnect.engine.graph import TieGraph

__all__ = [
    "StructuralHoles",
    "structural_holes",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "StrongTieStats",
    "strong_tie_stats",
    "Sides",
    "strong_sides",
    "group_strong_counts",
    "groups_bridged",
    "brokerage",
]

# Most wedges (or triangles) processed at once. Small enough that numpy's
# temporaries (2 MB each) stay in cache and bound memory whatever the graph.
_CHUNK = 1 << 18


# --------------------------------------------------------------------------
# Shared intermediates
# --------------------------------------------------------------------------


def _cached(g: TieGraph, name: str, compute: Callable[[TieGraph], Any]) -> Any:
    """Compute once per graph and keep the result in ``g.__dict__``.

    This is what :func:`functools.cached_property` does for ``g.csr``; a frozen
    dataclass only blocks ``setattr``, not its instance dictionary. (Were
    ``TieGraph`` ever given ``__slots__``, this would just stop caching.)
    """
    cache = getattr(g, "__dict__", None)
    if cache is None:
        return compute(g)
    if name not in cache:
        cache[name] = compute(g)
    return cache[name]


def _degree(g: TieGraph) -> np.ndarray:
    return np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)


@dataclass(frozen=True)
class _Triangles:
    """Every triangle once, in terms of ties oriented by degree rank.

    Nodes are ranked by degree, then index: ``node[r]`` is the node of rank
    ``r``. Oriented tie ``p`` runs from rank ``lo[p]`` up to rank ``hi[p]``
    and is tie ``tie[p]`` of ``g.src``/``g.dst``; oriented ties are sorted by
    ``(lo, hi)``. Triangle ``t`` on ranks ``a < b < c`` is made of the oriented
    ties ``ab[t]`` (a to b), ``ac[t]`` (a to c) and ``bc[t]`` (b to c).
    """

    node: np.ndarray
    tie: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    ab: np.ndarray
    ac: np.ndarray
    bc: np.ndarray

    def __len__(self) -> int:
        return len(self.ab)

    def chunks(
        self, keep: np.ndarray | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Yield ``(ab, ac, bc)`` as int64 arrays, at most ``_CHUNK`` triangles at a time.

        With ``keep`` (a bool per oriented tie), only triangles whose three
        ties are all kept.
        """
        for start in range(0, len(self), _CHUNK):
            ab = self.ab[start : start + _CHUNK].astype(np.int64)
            ac = self.ac[start : start + _CHUNK].astype(np.int64)
            bc = self.bc[start : start + _CHUNK].astype(np.int64)
            if keep is not None:
                kept = keep[ab] & keep[ac] & keep[bc]
                ab, ac, bc = ab[kept], ac[kept], bc[kept]
            yield ab, ac, bc


def _enumerate_triangles(src: np.ndarray, dst: np.ndarray, n: int) -> _Triangles:
    """List all triangles with the forward algorithm on degree-ordered ties.

    Each tie is oriented from the endpoint of lower rank (degree, then index)
    to the higher, so no node has more than ``sqrt(2m)`` out-ties and a hub's
    wedges are never formed. For every node ``a`` and every pair ``b < c`` of
    its out-neighbours, the wedge is closed when the tie ``b -> c`` exists.
    A 64-bit signature of each node's out-neighbours (bit ``rank % 64``)
    rejects most open wedges; the rest are looked up by binary search in the
    sorted tie keys. Wedges are built per out-degree class from one
    ``triu_indices`` template, ``_CHUNK`` at a time.
    """
    m = len(src)
    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    node = np.argsort(deg, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[node] = np.arange(n)
    rs, rd = rank[src], rank[dst]
    lo, hi = np.minimum(rs, rd), np.maximum(rs, rd)
    key = lo * n + hi
    tie = np.argsort(key)
    key, lo, hi = key[tie], lo[tie], hi[tie]
    out_deg = np.bincount(lo, minlength=n)
    out_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(out_deg, out=out_ptr[1:])
    signature = np.zeros(n, dtype=np.uint64)
    np.bitwise_or.at(signature, lo, np.uint64(1) << (hi & 63).astype(np.uint64))

    position = np.int32 if m < np.iinfo(np.int32).max else np.int64
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for k in np.unique(out_deg[out_deg >= 2]).tolist():
        owners = np.flatnonzero(out_deg == k)
        ti, tj = np.triu_indices(k, 1)
        per_block = max(1, _CHUNK // len(ti))
        for start in range(0, len(owners), per_block):
            pos = out_ptr[owners[start : start + per_block], None] + np.arange(k)
            h = hi[pos]  # ranks of out-neighbours, ascending along each row
            b, c = h[:, ti].ravel(), h[:, tj].ravel()
            maybe = np.flatnonzero(signature[b] & (np.uint64(1) << (c & 63).astype(np.uint64)))
            q = b[maybe] * n + c[maybe]
            at = np.minimum(np.searchsorted(key, q), m - 1)
            hit = key[at] == q
            if hit.any():
                row, col = np.divmod(maybe[hit], len(ti))
                found.append(
                    (
                        pos[row, ti[col]].astype(position),
                        pos[row, tj[col]].astype(position),
                        at[hit].astype(position),
                    )
                )
    if found:
        ab, ac, bc = (np.concatenate(parts) for parts in zip(*found, strict=True))
    else:
        ab = ac = bc = np.zeros(0, dtype=position)
    return _Triangles(node=node, tie=tie, lo=lo, hi=hi, ab=ab, ac=ac, bc=bc)


def _triangles(g: TieGraph) -> _Triangles:
    """The graph's triangles, enumerated once and cached on ``g``."""
    return _cached(g, "_measures_triangles", lambda g: _enumerate_triangles(g.src, g.dst, g.n))


# --------------------------------------------------------------------------
# Structural holes (Burt 1992)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StructuralHoles:
    """Burt's structural-hole measures, one float array each, indexed like ``g.ids``."""

    constraint: np.ndarray
    effective_size: np.ndarray
    efficiency: np.ndarray
    hierarchy: np.ndarray


def _compute_structural_holes(g: TieGraph) -> StructuralHoles:
    n = g.n
    tri = _triangles(g)
    deg = _degree(g)
    total = np.bincount(g.src, g.strength, minlength=n) + np.bincount(
        g.dst, g.strength, minlength=n
    )
    strongest = np.zeros(n)
    np.maximum.at(strongest, g.src, g.strength)
    np.maximum.at(strongest, g.dst, g.strength)
    with np.errstate(divide="ignore"):
        inv_total = 1.0 / total  # inf for isolated nodes, never read

    # Work over oriented ties (see _Triangles): for tie p from lo[p] up to
    # hi[p], p_up[p] is the share of lo[p]'s strength invested in hi[p] and
    # m_up[p] the tie relative to lo[p]'s strongest tie; *_down from hi[p].
    w = g.strength[tri.tie]
    lo, hi = tri.lo, tri.hi
    inv_r, top_r = inv_total[tri.node], strongest[tri.node]
    p_up, p_down = w * inv_r[lo], w * inv_r[hi]
    m_up, m_down = w / top_r[lo], w / top_r[hi]
    up = np.zeros(len(w))  # indirect investment of lo[p] in hi[p], through third parties
    down = np.zeros(len(w))  # ... of hi[p] in lo[p]
    redundancy_r = np.zeros(n)
    for ab, ac, bc in tri.chunks():
        # Ranks a < b < c; p_xy is x's share in y, m_xy the x-y tie over x's strongest.
        p_ab, p_ba, m_ab, m_ba = p_up[ab], p_down[ab], m_up[ab], m_down[ab]
        p_ac, p_ca, m_ac, m_ca = p_up[ac], p_down[ac], m_up[ac], m_down[ac]
        p_bc, p_cb, m_bc, m_cb = p_up[bc], p_down[bc], m_up[bc], m_down[bc]
        # Constraint: i's investment in j gains p_iq * p_qj through the third node q.
        ties = np.concatenate([ab, ac, bc])
        np.add.at(up, ties, np.concatenate([p_ac * p_cb, p_ab * p_bc, p_ba * p_ac]))
        np.add.at(down, ties, np.concatenate([p_bc * p_ca, p_cb * p_ba, p_ca * p_ab]))
        # Redundancy of ego i: sum over alters j, and q in N(i) & N(j), of p_iq m_jq.
        np.add.at(
            redundancy_r,
            np.concatenate([lo[ab], hi[ab], hi[ac]]),
            np.concatenate(
                [p_ac * m_bc + p_ab * m_cb, p_bc * m_ac + p_ba * m_ca, p_cb * m_ab + p_ca * m_ba]
            ),
        )

    # Local (dyadic) constraint of each tie from each side, and its ego.
    local = np.concatenate([(p_up + up) ** 2, (p_down + down) ** 2])
    ego = tri.node[np.concatenate([lo, hi])]
    redundancy = np.empty(n)
    redundancy[tri.node] = redundancy_r
    isolated = deg == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        # astype: with no ties at all bincount returns int64 even given weights.
        con = np.bincount(ego, local, minlength=n).astype(np.float64)
        con[isolated] = np.nan
        esize = np.where(isolated, np.nan, deg - redundancy)
        eff = esize / deg
        ratio = local * deg[ego] / con[ego]
        theil = np.bincount(ego, ratio * np.log(ratio), minlength=n).astype(np.float64)
        hier = theil / (deg * np.log(deg))
    hier[deg == 1] = 0.0
    hier[isolated] = np.nan
    return StructuralHoles(constraint=con, effective_size=esize, efficiency=eff, hierarchy=hier)


def _structural_holes(g: TieGraph) -> StructuralHoles:
    return _cached(g, "_measures_structural_holes", _compute_structural_holes)


def structural_holes(g: TieGraph) -> StructuralHoles:
    """All four of Burt's structural-hole measures from one pass over the triangles.

    See :func:`constraint`, :func:`effective_size`, :func:`efficiency` and
    :func:`hierarchy` for the formulas. The work is done once per graph and
    cached on ``g``; each call returns fresh arrays the caller may modify.

    Parameters
    ----------
    g : TieGraph

    Returns
    -------
    StructuralHoles
        Float arrays indexed like ``g.ids``; ``nan`` for isolated nodes.

    Examples
    --------
    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0)])
    >>> sh = structural_holes(g)
    >>> sh.constraint.round(4).tolist(), sh.effective_size.tolist()
    ([1.125, 1.125, 1.125], [1.0, 1.0, 1.0])
    """
    sh = _structural_holes(g)
    return StructuralHoles(
        constraint=sh.constraint.copy(),
        effective_size=sh.effective_size.copy(),
        efficiency=sh.efficiency.copy(),
        hierarchy=sh.hierarchy.copy(),
    )


def constraint(g: TieGraph) -> np.ndarray:
    r"""Burt's constraint on each node: how much its contacts are tied to one another.

    With :math:`p_{ij} = w_{ij} / \sum_k w_{ik}` the share of ``i``'s tie
    strength invested in ``j``,

    .. math::

       c_i = \sum_{j \in N(i)} \Bigl(p_{ij} + \sum_{q \in N(i) \cap N(j)} p_{iq} p_{qj}\Bigr)^2

    (Burt 1992, ch. 2). Low constraint means ``i`` spans structural holes. It
    equals ``networkx.constraint(G, weight="strength")``. An isolated node has
    no contacts to be constrained by, so its constraint is ``nan``.

    Parameters
    ----------
    g : TieGraph

    Returns
    -------
    numpy.ndarray
        Float array indexed like ``g.ids``.

    Examples
    --------
    A path ``a - b - c`` plus an isolated ``d`` (listed first, so index 0):

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0)], nodes=["d"])
    >>> constraint(g).tolist()
    [nan, 1.0, 0.5, 1.0]
    """
    return _structural_holes(g).constraint.copy()


def effective_size(g: TieGraph) -> np.ndarray:
    r"""Burt's effective size: the number of contacts, less their redundancy.

    .. math::

       e_i = \sum_{j \in N(i)} \Bigl(1 - \sum_{q \in N(i) \cap N(j)} p_{iq} m_{jq}\Bigr)

    with :math:`p_{iq} = w_{iq} / \sum_k w_{ik}` and
    :math:`m_{jq} = w_{jq} / \max_k w_{jk}` (Burt 1992, p. 52), exactly as
    ``networkx.effective_size(G, weight="strength")`` computes it.

    When all strengths are equal this reduces to Borgatti's (1997)
    simplification :math:`e_i = n - 2t/n`, with ``n`` the number of contacts
    and ``t`` the number of ties among them. Isolated nodes get ``nan``.

    Parameters
    ----------
    g : TieGraph

    Returns
    -------
    numpy.ndarray
        Float array indexed like ``g.ids``.

    Examples
    --------
    A star's centre has three non-redundant contacts; closing one pair of
    them (``b - c``) gives ``3 - 2 * 1 / 3``:

    >>> star = TieGraph.from_edges([("a", "b", 1.0), ("a", "c", 1.0), ("a", "d", 1.0)])
    >>> effective_size(star).tolist()
    [3.0, 1.0, 1.0, 1.0]
    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("a", "c", 1.0), ("a", "d", 1.0),
    ...                          ("b", "c", 1.0)], nodes=["e"])
    >>> effective_size(g).round(4).tolist()
    [nan, 2.3333, 1.0, 1.0, 1.0]
    """
    return _structural_holes(g).effective_size.copy()


def efficiency(g: TieGraph) -> np.ndarray:
    r"""Burt's efficiency: effective size per contact, :math:`e_i / |N(i)|`.

    It lies in (0, 1]; 1 means no contact is redundant (Burt 1992, p. 52).
    Isolated nodes get ``nan``.

    Parameters
    ----------
    g : TieGraph

    Returns
    -------
    numpy.ndarray
        Float array indexed like ``g.ids``.

    Examples
    --------
    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("a", "c", 1.0), ("a", "d", 1.0),
    ...                          ("b", "c", 1.0)])
    >>> efficiency(g).round(4).tolist()
    [0.7778, 0.5, 0.5, 1.0]
    """
    return _structural_holes(g).efficiency.copy()


def hierarchy(g: TieGraph) -> np.ndarray:
    r"""Burt's hierarchy: how far ``i``'s constraint is concentrated in one contact.

    With :math:`c_{ij}` the local (dyadic) constraint of :func:`constraint`
    (one term of its sum), :math:`C_i` their sum and :math:`N_i` the number of
    contacts,

    .. math::

       H_i = \frac{\sum_{j \in N(i)} r_{ij} \ln r_{ij}}{N_i \ln N_i},
       \qquad r_{ij} = \frac{c_{ij}}{C_i / N_i}

    (Burt 1992, p. 71; the Coleman-Theil disorder index). It is 0 when all
    contacts constrain ``i`` equally and tends to 1 as one contact carries it
    all. For a single contact both numerator and denominator are ``ln 1 = 0``;
    like the Theil index of a single value we return 0 (nothing is unequal),
    so pendant nodes rank as unconcentrated rather than unknown. Isolated
    nodes get ``nan``.

    Parameters
    ----------
    g : TieGraph

    Returns
    -------
    numpy.ndarray
        Float array indexed like ``g.ids``.

    Examples
    --------
    Equal contacts give 0; the pendant ``c`` gets 0 by the convention above:

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("a", "c", 1.0)], nodes=["d"])
    >>> hierarchy(g).tolist()
    [nan, 0.0, 0.0, 0.0]
    """
    return _structural_holes(g).hierarchy.copy()


# --------------------------------------------------------------------------
# Strong ties and Simmelian ties
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StrongTieStats:
    """Counts of each node's strong and weak ties, indexed like ``g.ids`` (int64)."""

    strong_ties: np.ndarray
    weak_ties: np.ndarray
    strong_open_pairs: np.ndarray
    simmelian_ties: np.ndarray


def strong_tie_stats(g: TieGraph, strong: float) -> StrongTieStats:
    r"""Strong, weak, open-strong-pair and Simmelian tie counts per node.

    A tie is *strong* when its strength is at least ``strong``. For node ``v``
    with :math:`k_s` strong ties and :math:`t_s` strong triangles (``v`` and
    two contacts, all three ties strong):

    - ``strong_ties`` is :math:`k_s`, ``weak_ties`` the rest of ``v``'s ties;
    - ``strong_open_pairs`` is :math:`\binom{k_s}{2} - t_s`, the pairs of
      strong contacts with no strong tie between them: the structural holes
      that ``v`` spans with strong ties on both sides (Burt 1992;
      Granovetter's forbidden triad, which says these should be rare);
    - ``simmelian_ties`` counts ``v``'s strong ties that lie in at least one
      strong triangle: Krackhardt's (1998, 1999) Simmelian ties, embedded in a
      clique of three and so harder to use for brokerage.

    Counted from the shared triangle list, never by listing pairs.

    Parameters
    ----------
    g : TieGraph
    strong : float
        Strength at or above which a tie is strong.

    Returns
    -------
    StrongTieStats

    Examples
    --------
    A strong triangle ``a, b, c`` plus a strong tie ``a - d``:

    >>> g = TieGraph.from_edges([("a", "b", 0.9), ("b", "c", 0.9), ("a", "c", 0.8),
    ...                          ("a", "d", 0.7), ("c", "d", 0.1)])
    >>> s = strong_tie_stats(g, strong=0.5)
    >>> s.strong_ties.tolist(), s.weak_ties.tolist()
    ([3, 2, 2, 1], [0, 0, 1, 1])
    >>> s.strong_open_pairs.tolist(), s.simmelian_ties.tolist()
    ([2, 0, 0, 0], [2, 2, 2, 0])
    """
    n = g.n
    is_strong = g.strength >= strong
    k_s = np.bincount(g.src[is_strong], minlength=n) + np.bincount(g.dst[is_strong], minlength=n)
    weak = _degree(g) - k_s
    tri = _triangles(g)
    closed_r = np.zeros(n, dtype=np.int64)
    in_triangle = np.zeros(g.m, dtype=bool)  # per oriented tie
    for ab, ac, bc in tri.chunks(keep=is_strong[tri.tie]):
        closed_r += np.bincount(np.concatenate([tri.lo[ab], tri.hi[ab], tri.hi[ac]]), minlength=n)
        in_triangle[ab] = in_triangle[ac] = in_triangle[bc] = True
    closed = np.empty(n, dtype=np.int64)
    closed[tri.node] = closed_r
    simmelian_tie = tri.tie[in_triangle]
    simmelian = np.bincount(g.src[simmelian_tie], minlength=n) + np.bincount(
        g.dst[simmelian_tie], minlength=n
    )
    return StrongTieStats(
        strong_ties=k_s.astype(np.int64),
        weak_ties=weak.astype(np.int64),
        strong_open_pairs=(k_s * (k_s - 1) // 2 - closed).astype(np.int64),
        simmelian_ties=simmelian.astype(np.int64),
    )


# --------------------------------------------------------------------------
# Contact groups and brokerage
# --------------------------------------------------------------------------


def _check_groups(g: TieGraph, groups: np.ndarray) -> np.ndarray:
    groups = np.asarray(groups)
    if groups.shape != (g.n,) or not np.issubdtype(groups.dtype, np.integer):
        raise ValueError(
            f"groups must be an integer array of length {g.n}, "
            f"got dtype {groups.dtype} and shape {groups.shape}"
        )
    return groups.astype(np.int64)


def group_strong_counts(
    g: TieGraph, groups: np.ndarray, strong: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many strong ties each node has into each contact group.

    Parameters
    ----------
    g : TieGraph
    groups : numpy.ndarray
        Integer group per node, indexed like ``g.ids``; negative (conventionally
        -1) means unknown, and ties to such contacts are skipped.
    strong : float
        Strength at or above which a tie is strong.

    Returns
    -------
    (node, group, count) : tuple of int64 numpy.ndarray
        One triple per node and group with at least one strong tie, sorted by
        node, then count descending, then group.

    Examples
    --------
    ``a`` (group 0) has strong ties to two members of group 1 and one of
    group 0; its tie to ``e`` is weak and ``d``'s group is unknown, so ``d``
    counts toward nothing for ``a`` (but ``d`` has one strong tie into group 0):

    >>> g = TieGraph.from_edges([("a", "b", 0.9), ("a", "c", 0.9), ("a", "d", 0.9),
    ...                          ("a", "e", 0.2), ("a", "f", 0.8)])
    >>> groups = np.array([0, 1, 1, -1, 1, 0])
    >>> [x.tolist() for x in group_strong_counts(g, groups, strong=0.5)]
    [[0, 0, 1, 2, 3, 5], [1, 0, 0, 0, 0, 0], [2, 1, 1, 1, 1, 1]]
    """
    node, group, count = _group_strong_counts(g, groups, strong)
    return node.copy(), group.copy(), count.copy()


def _group_strong_counts(
    g: TieGraph, groups: np.ndarray, strong: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`group_strong_counts`, computed once per graph, groups and threshold.

    ``rank`` needs it three times (directly, in :func:`groups_bridged` and in
    :func:`brokerage`); the arrays are shared, so callers must not change them.
    """
    groups = _check_groups(g, groups)
    digest = hashlib.blake2b(groups.tobytes(), digest_size=16).hexdigest()
    return _cached(
        g,
        f"group_strong_counts:{float(strong)!r}:{digest}",
        lambda g: _compute_group_strong_counts(g, groups, strong),
    )


def _compute_group_strong_counts(
    g: TieGraph, groups: np.ndarray, strong: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    is_strong = g.strength >= strong
    ego = np.concatenate([g.src[is_strong], g.dst[is_strong]])
    group = groups[np.concatenate([g.dst[is_strong], g.src[is_strong]])]
    known = group >= 0
    ego, group = ego[known], group[known]
    if len(ego) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    order = np.lexsort((group, ego))
    ego, group = ego[order], group[order]
    runs = np.flatnonzero(np.r_[True, (ego[1:] != ego[:-1]) | (group[1:] != group[:-1])])
    count = np.diff(np.r_[runs, len(ego)])
    node, group = ego[runs], group[runs]
    order = np.lexsort((group, -count, node))
    return node[order], group[order], count[order]


def groups_bridged(g: TieGraph, groups: np.ndarray, strong: float) -> np.ndarray:
    """Number of distinct known groups among each node's strong contacts.

    Parameters
    ----------
    g : TieGraph
    groups : numpy.ndarray
        Integer group per node; negative means unknown (not counted).
    strong : float
        Strength at or above which a tie is strong.

    Returns
    -------
    numpy.ndarray
        int64 array indexed like ``g.ids``; 0 for nodes without strong ties.

    Examples
    --------
    >>> g = TieGraph.from_edges([("a", "b", 0.9), ("a", "c", 0.9), ("a", "d", 0.2)])
    >>> groups_bridged(g, np.array([0, 1, 2, 3]), strong=0.5).tolist()
    [2, 1, 1, 0]
    """
    node, _, _ = _group_strong_counts(g, groups, strong)
    return np.bincount(node, minlength=g.n).astype(np.int64)


_ROLES = ("coordinator", "itinerant", "representative", "liaison")


def _role(g_ego: np.ndarray, g_x: np.ndarray, g_y: np.ndarray) -> np.ndarray:
    """Index into ``_ROLES`` of ego brokering between contacts ``x`` and ``y``."""
    same_pair = g_x == g_y
    with_ego = (g_x == g_ego) | (g_y == g_ego)
    return np.where(same_pair, np.where(g_x == g_ego, 0, 1), np.where(with_ego, 2, 3))


def brokerage(g: TieGraph, groups: np.ndarray, strong: float) -> dict[str, np.ndarray]:
    r"""Gould and Fernandez (1989) brokerage roles over each node's open strong pairs.

    An *open strong pair* of ``v`` is two strong contacts ``a`` and ``b`` of
    ``v`` with no strong tie between them, so that ``v`` is the strong path
    from one to the other. Without direction Gould and Fernandez's five roles
    become four, by the groups of ``a``, ``v`` and ``b``:

    - ``coordinator``: all three in one group;
    - ``itinerant``: ``a`` and ``b`` in one group, ``v`` in another (their
      *consultant*);
    - ``representative``: ``v`` shares a group with exactly one of ``a``,
      ``b`` (their *gatekeeper* and *representative*, which coincide without
      direction);
    - ``liaison``: three different groups.

    Pairs in which any of the three groups is unknown (negative) are not
    counted. With :math:`n_h` the strong contacts of ``v`` in group ``h``,
    :math:`K = \sum_h n_h` and :math:`s = n_{g(v)}`, all pairs number
    :math:`\binom{s}{2}` (coordinator),
    :math:`\sum_{h \ne g(v)} \binom{n_h}{2}` (itinerant),
    :math:`s (K - s)` (representative) and
    :math:`\binom{K - s}{2} - \sum_{h \ne g(v)} \binom{n_h}{2}` (liaison);
    closed pairs, one per strong triangle at ``v``, are then taken off by
    role. Nothing enumerates pairs.

    Parameters
    ----------
    g : TieGraph
    groups : numpy.ndarray
        Integer group per node, indexed like ``g.ids``; negative means unknown.
    strong : float
        Strength at or above which a tie is strong.

    Returns
    -------
    dict of str to numpy.ndarray
        ``coordinator``, ``itinerant``, ``representative`` and ``liaison``,
        int64 arrays indexed like ``g.ids``.

    Examples
    --------
    ``a`` (group 0) ties strongly to ``b`` (group 0) and to ``c`` and ``d``
    (group 1), who are strongly tied to each other:

    >>> g = TieGraph.from_edges([("a", "b", 0.9), ("a", "c", 0.9), ("a", "d", 0.9),
    ...                          ("c", "d", 0.9)])
    >>> roles = brokerage(g, np.array([0, 0, 1, 1]), strong=0.5)
    >>> {role: counts[0].item() for role, counts in roles.items()}
    {'coordinator': 0, 'itinerant': 0, 'representative': 2, 'liaison': 0}
    """
    groups = _check_groups(g, groups)
    n = g.n
    node, group, count = _group_strong_counts(g, groups, strong)
    known = np.bincount(node, count, minlength=n).astype(np.int64)
    same = group == groups[node]
    own = np.bincount(node[same], count[same], minlength=n).astype(np.int64)
    other = known - own
    pairs_other_same = np.bincount(
        node[~same], count[~same] * (count[~same] - 1) // 2, minlength=n
    ).astype(np.int64)
    totals = np.stack(
        [
            own * (own - 1) // 2,
            pairs_other_same,
            own * other,
            other * (other - 1) // 2 - pairs_other_same,
        ]
    )
    totals[:, groups < 0] = 0

    tri = _triangles(g)
    groups_r = groups[tri.node]
    for ab, ac, _ in tri.chunks(keep=g.strength[tri.tie] >= strong):
        a, b, c = tri.lo[ab], tri.hi[ab], tri.hi[ac]
        ga, gb, gc = groups_r[a], groups_r[b], groups_r[c]
        ok = (ga >= 0) & (gb >= 0) & (gc >= 0)
        ego = tri.node[np.concatenate([a[ok], b[ok], c[ok]])]
        role = np.concatenate(
            [
                _role(ga[ok], gb[ok], gc[ok]),
                _role(gb[ok], ga[ok], gc[ok]),
                _role(gc[ok], ga[ok], gb[ok]),
            ]
        )
        totals -= np.bincount(role * n + ego, minlength=4 * n).reshape(4, n)
    return {name: totals[i].copy() for i, name in enumerate(_ROLES)}


def _components(pairs_a: np.ndarray, pairs_b: np.ndarray, size: int) -> np.ndarray:
    """Connected components of ``size`` items linked by the pairs: each item's smallest member.

    Min-label propagation with pointer jumping, all in numpy: each round every
    link pulls both ends to the smaller label and every label jumps to its
    label's label, until nothing changes (rounds grow with the log of the
    longest chain, not with its length).
    """
    label = np.arange(size, dtype=np.int64)
    if len(pairs_a) == 0:
        return label
    while True:
        low = np.minimum(label[pairs_a], label[pairs_b])
        new = label.copy()
        np.minimum.at(new, pairs_a, low)
        np.minimum.at(new, pairs_b, low)
        np.minimum.at(new, label, new)  # a root takes the least label of its members
        new = new[new]
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


@dataclass(frozen=True)
class Sides:
    """The sides of every node's strong contacts (:func:`strong_sides`).

    One entry per side in ``node``, ``group`` and ``size`` (int64 arrays, sorted
    by node, then size descending, then group); ``closed`` (indexed like
    ``g.ids``) counts each node's pairs of contacts on different sides that are
    strongly tied to each other anyway.
    """

    node: np.ndarray
    group: np.ndarray
    size: np.ndarray
    closed: np.ndarray


def strong_sides(g: TieGraph, groups: np.ndarray, strong: float) -> Sides:
    """The sides of each node's structural holes: its strong contacts, split where no tie runs.

    The strong contacts of ``v`` fall into *sides*. A contact is *anchored* in
    its group when it is strongly tied to some member of it other than ``v``:
    contacts anchored in the same group share a side (the group holds them
    together without ``v``). Other contacts (whose only strong tie into their
    group is ``v``, or whose group is unknown) join a side through a direct
    strong tie to one of its members (Burt's 1992 redundancy: ``v`` is not
    their only link); sides are the connected components of these links. A
    detected community can form around ``v`` itself (label propagation spreads
    a hub's label to its contacts), which is why sharing a group counts only
    for anchored contacts. Contacts anchored in two different groups stay on
    different sides even when strongly tied to each other; such pairs are
    counted in ``closed``, so that the caller can discount the hole.

    Any two contacts on different sides, not strongly tied, are a structural
    hole that ``v`` spans with strong ties on both sides; a hub whose contacts
    all hang together in one group has one side and spans none.

    Parameters
    ----------
    g : TieGraph
    groups : numpy.ndarray
        Integer group per node; negative means unknown.
    strong : float
        Strength at or above which a tie is strong.

    Returns
    -------
    Sides
        One entry per side; a side's ``group`` is the commonest known group
        among its contacts (the smallest on a tie; -1 if none is known).

    Examples
    --------
    ``v`` (group 0) has strong ties to ``a`` and ``b`` (group 0, tied to each
    other), ``c`` (group 0, tied to no one else) and ``d`` and ``e`` (group 1,
    not tied to each other, but each to ``f`` of group 1): three sides, of two,
    two and one contacts.

    >>> g = TieGraph.from_edges([("v", x, 0.9) for x in "abcde"]
    ...                         + [("a", "b", 0.9), ("d", "f", 0.9), ("e", "f", 0.9)])
    >>> sides = strong_sides(g, np.array([0, 0, 0, 0, 1, 1, 1]), strong=0.5)
    >>> [(int(s), int(k)) for v, k, s in zip(sides.node, sides.group, sides.size) if v == 0]
    [(2, 0), (2, 1), (1, 0)]
    """
    groups = _check_groups(g, groups)
    n = g.n
    csr = g.csr
    ego = np.repeat(np.arange(n, dtype=np.int64), np.diff(csr.indptr))
    keep = csr.weights >= strong
    ego, alter = ego[keep], csr.indices[keep].astype(np.int64)
    slots = len(ego)
    if slots == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Sides(empty, empty.copy(), empty.copy(), np.zeros(n, dtype=np.int64))
    key = ego * n + alter  # sorted: csr rows are sorted by ego, then alter

    # Contacts anchored in a group: strongly tied to a member of it other than the ego.
    group_of = groups[alter]
    same = (group_of >= 0) & (groups[ego] == group_of)
    inside = np.bincount(ego[same], minlength=n)  # strong ties inside one's own group
    anchored = (group_of >= 0) & (inside[alter] - same > 0)

    links_a: list[np.ndarray] = []
    links_b: list[np.ndarray] = []
    # Contacts strongly tied to each other: one link per strong triangle and corner, unless
    # both are anchored in different groups (that tie closes a hole; it is counted below).
    across: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    tri = _triangles(g)
    for ab, ac, _ in tri.chunks(keep=g.strength[tri.tie] >= strong):
        a, b, c = tri.node[tri.lo[ab]], tri.node[tri.hi[ab]], tri.node[tri.hi[ac]]
        for x, y, z in ((a, b, c), (b, a, c), (c, a, b)):
            sy, sz = np.searchsorted(key, x * n + y), np.searchsorted(key, x * n + z)
            apart = anchored[sy] & anchored[sz] & (group_of[sy] != group_of[sz])
            links_a.append(sy[~apart])
            links_b.append(sz[~apart])
            across.append((x[apart], sy[apart], sz[apart]))
    # Contacts anchored in the same group: linked to the first of their run.
    pos = np.flatnonzero(anchored)
    if len(pos):
        order = pos[np.lexsort((pos, group_of[pos], ego[pos]))]
        gkey = ego[order] * (int(groups.max()) + 1) + group_of[order]
        first = np.maximum.accumulate(
            np.where(np.r_[True, gkey[1:] != gkey[:-1]], np.arange(len(order)), 0)
        )
        links_a.append(order)
        links_b.append(order[first])
    label = _components(
        np.concatenate(links_a) if links_a else np.zeros(0, dtype=np.int64),
        np.concatenate(links_b) if links_b else np.zeros(0, dtype=np.int64),
        slots,
    )
    roots, size = np.unique(label, return_counts=True)
    # Each side's group: the commonest known group of its contacts (the smallest on a tie),
    # or -1 when none is known.
    member_group = groups[alter]
    known = member_group >= 0
    side_group = np.full(slots, -1, dtype=np.int64)
    if known.any():
        lab, grp = label[known], member_group[known]
        order = np.lexsort((grp, lab))
        lab, grp = lab[order], grp[order]
        runs = np.flatnonzero(np.r_[True, (lab[1:] != lab[:-1]) | (grp[1:] != grp[:-1])])
        counts = np.diff(np.r_[runs, len(lab)])
        best = np.lexsort((grp[runs], -counts, lab[runs]))
        first = best[np.r_[True, lab[runs][best][1:] != lab[runs][best][:-1]]]
        side_group[lab[runs][first]] = grp[runs][first]
    node, group = ego[roots], side_group[roots]
    order = np.lexsort((group, -size, node))
    closed = np.zeros(n, dtype=np.int64)
    for x, sy, sz in across:
        differ = label[sy] != label[sz]
        closed += np.bincount(x[differ], minlength=n).astype(np.int64)
    return Sides(
        node=node[order], group=group[order], size=size[order].astype(np.int64), closed=closed
    )
