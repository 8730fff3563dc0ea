r"""Rank people as power connectors: strong ties on both sides of structural holes.

A *power connector* really knows people in two or more groups that do not know
each other: strong ties on both sides of a structural hole (Burt 1992). Degree,
betweenness and plain constraint all rank *mega connectors* first instead: open
networkers whose hundreds of ties are almost all weak (Granovetter 1973), and
whose low constraint comes from volume, not from knowing anyone on the other
side. This module turns the measures of :mod:`engine.measures` into one score,
a role and a sentence per person.

The score
---------
A tie is strong when its strength is at least ``strong``. The score is a
product of three parts, each of which can be read off the explanation:

.. math::

    \text{score}(v) = \underbrace{\sum_{g \ne \text{home}} f(c_g)}_{\text{footholds}}
        \cdot \underbrace{\frac{\text{open}_\times(v)}{\sum_{g < h} c_g c_h}}_{\text{open share}}
        \cdot \underbrace{\min\Big(1, \frac{\phi(v)}{\phi_0}\Big)}_{\text{attention}}

*Footholds.* Let ``c_1 >= c_2 >= ...`` be the numbers of ``v``'s strong
contacts in each group (contacts of unknown group are left out). The largest
is ``v``'s home side; every other group ``g`` is a foothold worth
:math:`f(c) = 1 - 2^{1 - c}`: one strong tie is worth 0 (a contact, not a
foothold), two 0.5, three 0.75, four 0.875, and further ties into the same
group add less and less, so several real sides beat one huge one. Since
``c_1 >= c_g``, each foothold has at least as many strong ties on the home
side: strong ties on *both* sides of the hole.

*Open share.* Of the pairs of ``v``'s strong contacts that lie in different
groups, the share not strongly tied to each other; for a person of known
group, :math:`\text{open}_\times` is representative + liaison (Gould and
Fernandez 1989). This is Burt's redundancy argument applied to strong ties: if
the people ``v`` knows on both sides already know each other well, there is no
hole to span and the share drops towards 0.

*Attention.* :math:`\phi(v)` is the share of ``v``'s total tie strength
carried by strong ties (:func:`strong_focus`; Burt's proportional tie
strength :math:`p_{ij}` summed over the strong ties), and
:math:`\phi_0 =` ``FULL_ATTENTION`` (0.5). People who put at least half their
tie strength into strong ties are not discounted; an open networker whose
strength is spread over hundreds of weak ties is. Without this part the score
cannot tell a real foothold from the strong ties that someone with 700
contacts picks up by chance (two or three into a few groups), which look the
same locally.

Weak ties never raise the score: they enter only through the attention part,
which they can only lower.

Roles
-----
Checked in this order; the first that applies wins, otherwise ``""``.
Thresholds relative to the network are taken over people with ties.

``mega connector``
    Many ties, mostly weak: ``degree >= max(MEGA_DEGREE_FACTOR (5) x median
    degree, 95th percentile of degree)`` and at least ``MEGA_WEAK_SHARE``
    (75%) of the ties weak. First, because it describes how the network is
    built whatever the strong ties; the explanation still names the groups
    their strong ties reach.
``power connector``
    ``score >= POWER_MIN_SCORE`` (0.6): three strong ties into a second group
    with 80% of the cross-group pairs open, or two into each of two more groups.
``local hub``
    Many strong ties, nearly all in one group: ``strong_ties >=
    max(HUB_STRONG_FACTOR (2) x median strong ties, 95th percentile of strong
    ties)`` and at least ``HUB_INSIDE_SHARE`` (85%) of them in the largest group.

References
----------
.. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
   Competition*. Harvard University Press.
.. [2] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a
   formal approach to brokerage in transaction networks. *Sociological
   Methodology* 19, 89-126.
.. [3] Granovetter, M. S. (1973). The strength of weak ties. *American Journal
   of Sociology* 78(6), 1360-1380.
.. [4] Newman, M. E. J. (2006). Modularity and community structure in
   networks. *PNAS* 103(23), 8577-8582.
.. [5] Raghavan, U. N., Albert, R. and Kumara, S. (2007). Near linear time
   algorithm to detect community structures in large-scale networks.
   *Physical Review E* 76, 036106.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from engine import measures
from engine.errors import UsageError
from engine.graph import TieGraph

__all__ = [
    "DEFAULT_STRONG",
    "FULL_ATTENTION",
    "POWER_MIN_SCORE",
    "MEGA_DEGREE_FACTOR",
    "MEGA_WEAK_SHARE",
    "HUB_STRONG_FACTOR",
    "HUB_INSIDE_SHARE",
    "COLUMNS",
    "detect_groups",
    "foothold",
    "rank",
    "strong_modularity",
    "strong_focus",
]

#: A tie is strong when its strength is at least this. Strengths are in (0, 1];
#: 0.5 is the midpoint of the scale, i.e. a tie at least half as strong as the
#: strongest possible one. Granovetter (1973) leaves the cut-off to the data;
#: pass ``strong=`` when a loader's scale calls for another one.
DEFAULT_STRONG = 0.5

#: Share of tie strength in strong ties from which the attention part is 1.
FULL_ATTENTION = 0.5
#: Least score for the ``power connector`` role: f(3) = 0.75 with 80% of the
#: cross-group pairs open.
POWER_MIN_SCORE = 0.6
#: ``mega connector``: degree at least this many times the median degree ...
MEGA_DEGREE_FACTOR = 5.0
#: ... and at least this share of the ties weak.
MEGA_WEAK_SHARE = 0.75
#: ``local hub``: strong ties at least this many times the median number ...
HUB_STRONG_FACTOR = 2.0
#: ... and at least this share of them in one group.
HUB_INSIDE_SHARE = 0.85
#: Label propagations tried by :func:`detect_groups`; the best modularity wins.
DETECTION_RESTARTS = 8
#: Percentile of degree (mega) or strong ties (hub) a person must also reach.
TOP_PERCENTILE = 95.0

#: The columns of :func:`rank`, in order.
COLUMNS = [
    "rank",
    "id",
    "role",
    "score",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "strong_ties",
    "weak_ties",
    "groups_bridged",
    "open_pairs",
    "simmelian_ties",
    "coordinator",
    "itinerant",
    "representative",
    "liaison",
    "explanation",
    "group",
    "degree",
]

POWER = "power connector"
MEGA = "mega connector"
HUB = "local hub"


def foothold(count: np.ndarray | int) -> np.ndarray:
    """Worth of ``count`` strong ties into one group beyond the home side: ``1 - 2**(1 - c)``.

    Zero for a single tie, then halving the distance to 1 with each further tie.

    >>> foothold(np.array([0, 1, 2, 3, 4])).tolist()
    [0.0, 0.0, 0.5, 0.75, 0.875]
    """
    c = np.asarray(count, dtype=np.float64)
    return np.where(c >= 1, 1.0 - np.exp2(1.0 - np.maximum(c, 1.0)), 0.0)


def rank(
    g: TieGraph,
    *,
    strong: float = DEFAULT_STRONG,
    groups: np.ndarray | None = None,
    group_names: Sequence[str] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Rank everyone in ``g`` as a power connector, best first.

    Parameters
    ----------
    g : TieGraph
        The contact network; tie strengths in (0, 1].
    strong : float
        Ties with strength ``>= strong`` are strong, the others weak.
    groups : array of int, optional
        Group of each person (indexed like ``g.ids``), ``-1`` when unknown,
        e.g. the organization from ``--group-by``. When ``None``, groups are
        the communities of the strong-tie graph (:func:`detect_groups`),
        named ``"community 3"``, and ``group_names`` is ignored.
    group_names : sequence of str, optional
        Name of group ``k`` at position ``k``; defaults to ``"group k"``.
    seed : int
        Seed for community detection (only used when ``groups`` is ``None``).

    Returns
    -------
    pandas.DataFrame
        One row per person with the columns of :data:`COLUMNS`, sorted by
        ``score`` descending, then ``id`` ascending; ``rank`` is 1-based.
        ``constraint``, ``effective_size``, ``efficiency`` and ``hierarchy``
        are Burt's measures on the whole weighted network (NaN for isolated
        people); the other counts are over strong ties only:
        ``groups_bridged`` is the number of known groups among a person's
        strong contacts, ``open_pairs`` the pairs of strong contacts not
        strongly tied to each other, and the brokerage columns split those
        pairs by group (Gould and Fernandez 1989; 0 when the person's own
        group is unknown). ``group`` is the person's own group name (``""``
        if unknown) and ``degree`` their number of ties. See the module
        docstring for ``score``, ``role`` and ``explanation``.

    Raises
    ------
    UsageError
        If ``strong`` is outside (0, 1] or ``groups``/``group_names`` do not fit.

    Notes
    -----
    Runs in about linear time in the number of ties plus strong triangles
    (the measures never list pairs of contacts); detecting communities costs
    ``DETECTION_RESTARTS`` label propagations.

    Examples
    --------
    Two groups of three, all strongly tied inside, and ``b`` who knows both well:

    >>> edges = [(x, y, 0.9) for grp in ("a1 a2 a3", "z1 z2 z3")
    ...          for x in grp.split() for y in grp.split() if x < y]
    >>> edges += [("b", x, 0.9) for x in ("a1", "a2", "a3", "z1", "z2", "z3")]
    >>> g = TieGraph.from_edges(edges)
    >>> groups = np.array([0 if str(i).startswith("a") else 1 for i in g.ids])
    >>> groups[list(g.ids).index("b")] = 0
    >>> top = rank(g, groups=groups, group_names=["Acme", "Globex"]).iloc[0]
    >>> top.id, top.role, float(top.score)
    ('b', 'power connector', 0.75)
    >>> top.explanation
    'bridges Acme (3 strong ties) and Globex (3); 9 of 9 cross-group pairs open; 0% of ties weak'
    """
    if not 0.0 < strong <= 1.0:
        raise UsageError(f"strong must be in (0, 1], got {strong}")
    n = g.n
    if groups is None:
        groups = detect_groups(g, strong=strong, seed=seed)
        top = int(groups.max()) + 1 if n else 0
        names = [f"community {k}" for k in range(top)]
    else:
        groups = np.asarray(groups)
        if groups.shape != (n,):
            raise UsageError(f"groups must have one entry per person ({n}), got {groups.shape}")
        groups = groups.astype(np.int64)
        top = int(groups.max()) + 1 if n else 0
        if group_names is None:
            names = [f"group {k}" for k in range(top)]
        else:
            names = [str(x) for x in group_names]
            if top > len(names):
                raise UsageError(f"group {top - 1} has no name ({len(names)} names given)")
    if n and int(groups.min()) < -1:
        raise UsageError("groups must be >= 0, or -1 for unknown")

    degree = np.asarray(g.degree, dtype=np.int64)
    stats = measures.strong_tie_stats(g, strong)
    strong_ties = np.asarray(stats.strong_ties, dtype=np.int64)
    weak_ties = np.asarray(stats.weak_ties, dtype=np.int64)
    broker = measures.brokerage(g, groups, strong)
    node, grp, count = (
        np.asarray(a, dtype=np.int64) for a in measures.group_strong_counts(g, groups, strong)
    )

    # Footholds: per node, every group but the first (largest) triple.
    first = np.ones(len(node), dtype=bool)
    first[1:] = node[1:] != node[:-1]
    feet = np.bincount(node[~first], weights=foothold(count[~first]), minlength=n)
    largest = np.zeros(n, dtype=np.int64)
    largest[node[first]] = count[first]
    total = np.bincount(node, weights=count, minlength=n)
    squares = np.bincount(node, weights=count.astype(np.float64) ** 2, minlength=n)
    cross_pairs = np.rint((total**2 - squares) / 2).astype(np.int64)
    cross_open = _cross_open_pairs(g, groups, strong, broker)
    open_share = np.divide(
        cross_open, cross_pairs, out=np.zeros(n, dtype=np.float64), where=cross_pairs > 0
    )
    focus = strong_focus(g, strong)
    attention = np.minimum(1.0, focus / FULL_ATTENTION)
    score = feet * np.clip(open_share, 0.0, 1.0) * attention

    role = _roles(score, degree, weak_ties, strong_ties, largest)

    per_node: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for v, k, c in zip(node.tolist(), grp.tolist(), count.tolist(), strict=True):
        per_node[v].append((k, c))
    explanation = [
        _explain(
            role[v],
            int(degree[v]),
            int(weak_ties[v]),
            int(strong_ties[v]),
            per_node[v],
            names,
            int(cross_open[v]),
            int(cross_pairs[v]),
            float(focus[v]),
        )
        for v in range(n)
    ]
    own = [names[k] if k >= 0 else "" for k in groups.tolist()]

    df = pd.DataFrame(
        {
            "id": g.ids.astype(str),
            "role": role,
            "score": score,
            "constraint": measures.constraint(g),
            "effective_size": measures.effective_size(g),
            "efficiency": measures.efficiency(g),
            "hierarchy": measures.hierarchy(g),
            "strong_ties": strong_ties,
            "weak_ties": weak_ties,
            "groups_bridged": np.asarray(
                measures.groups_bridged(g, groups, strong), dtype=np.int64
            ),
            "open_pairs": np.asarray(stats.strong_open_pairs, dtype=np.int64),
            "simmelian_ties": np.asarray(stats.simmelian_ties, dtype=np.int64),
            "coordinator": np.asarray(broker["coordinator"], dtype=np.int64),
            "itinerant": np.asarray(broker["itinerant"], dtype=np.int64),
            "representative": np.asarray(broker["representative"], dtype=np.int64),
            "liaison": np.asarray(broker["liaison"], dtype=np.int64),
            "explanation": explanation,
            "group": own,
            "degree": degree,
        }
    )
    df = df.sort_values(["score", "id"], ascending=[False, True], kind="mergesort")
    df.insert(0, "rank", np.arange(1, n + 1, dtype=np.int64))
    return df.reset_index(drop=True)[COLUMNS]


def strong_modularity(g: TieGraph, labels: np.ndarray, strong: float = DEFAULT_STRONG) -> float:
    r"""Newman's (2006) weighted modularity of ``labels`` on the strong-tie graph.

    .. math:: Q = \sum_c \Big(\frac{W_c}{W} - \Big(\frac{D_c}{2W}\Big)^2\Big)

    with :math:`W` the total strength of strong ties, :math:`W_c` that of the
    strong ties inside community ``c`` and :math:`D_c` the summed strong
    strength of its members. 0 when there are no strong ties.

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("c", "d", 1.0)])
    >>> strong_modularity(g, np.array([0, 0, 1, 1]))
    0.5
    """
    keep = g.strength >= strong
    src, dst, w = g.src[keep], g.dst[keep], g.strength[keep]
    total = float(w.sum())
    if total == 0.0:
        return 0.0
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1
    same = labels[src] == labels[dst]
    inside = np.bincount(labels[src][same], w[same], minlength=k)
    strength = np.bincount(labels[src], w, minlength=k) + np.bincount(labels[dst], w, minlength=k)
    return float(np.sum(inside / total - (strength / (2 * total)) ** 2))


def detect_groups(g: TieGraph, *, strong: float = DEFAULT_STRONG, seed: int = 0) -> np.ndarray:
    """Communities of the strong-tie graph: the best of several label propagations.

    Label propagation (:func:`engine.measures.detect_communities`) depends on
    its random order and, on sparse communities, often splits one community
    into pieces; everyone strongly tied across the cut would then look like a
    broker. So it runs ``DETECTION_RESTARTS`` times (seeds ``seed * R`` to
    ``seed * R + R - 1``) and keeps the labelling of highest modularity on the
    strong-tie graph (:func:`strong_modularity`), the usual remedy for
    order-dependent heuristics (Raghavan, Albert and Kumara 2007 note that
    runs differ and suggest combining several).

    >>> g = TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0),
    ...                          ("d", "e", 1.0), ("e", "f", 1.0), ("d", "f", 1.0),
    ...                          ("c", "d", 0.1)])
    >>> detect_groups(g).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    best: np.ndarray | None = None
    best_q = -np.inf
    for s in range(seed * DETECTION_RESTARTS, (seed + 1) * DETECTION_RESTARTS):
        labels = np.asarray(measures.detect_communities(g, strong=strong, seed=s), dtype=np.int64)
        q = strong_modularity(g, labels, strong)
        if q > best_q:
            best, best_q = labels, q
    assert best is not None
    return best


def strong_focus(g: TieGraph, strong: float = DEFAULT_STRONG) -> np.ndarray:
    r"""Share of each person's total tie strength carried by their strong ties.

    Burt (1992, p. 51) measures a relation by the *proportion* of a person's
    network time and energy invested in it, :math:`p_{ij} = w_{ij} / \sum_k
    w_{ik}`; this is the sum of :math:`p_{ij}` over the strong ties. It is 1
    for someone with only strong ties and falls towards 0 as weak ties pile
    up; 0 for isolated people.

    >>> g = TieGraph.from_edges([("a", "b", 0.8), ("a", "c", 0.2)])
    >>> strong_focus(g).round(2).tolist()
    [0.8, 1.0, 0.0]
    """
    n = g.n
    w = g.strength
    total = np.bincount(g.src, w, minlength=n) + np.bincount(g.dst, w, minlength=n)
    ws = np.where(w >= strong, w, 0.0)
    carried = np.bincount(g.src, ws, minlength=n) + np.bincount(g.dst, ws, minlength=n)
    return np.divide(carried, total, out=np.zeros(n, dtype=np.float64), where=total > 0)


def _cross_open_pairs(
    g: TieGraph, groups: np.ndarray, strong: float, broker: dict[str, np.ndarray]
) -> np.ndarray:
    """Open strong pairs of each person whose two ends are in different known groups.

    For a person of known group this is representative + liaison (Gould and
    Fernandez 1989). :func:`engine.measures.brokerage` does not count anyone
    whose own group is unknown, so when some groups are unknown the count is
    taken from two relabellings instead: with every unknown person in one new
    group ``U``, representative + liaison counts the open pairs across known
    groups plus those between a known group and ``U``; with all known groups
    merged into one and ``U`` the other, representative + liaison counts the
    latter alone.
    """
    unknown = groups < 0
    if not unknown.any():
        return np.asarray(broker["representative"] + broker["liaison"], dtype=np.int64)
    fresh = int(groups.max()) + 1
    a = measures.brokerage(g, np.where(unknown, fresh, groups), strong)
    b = measures.brokerage(g, unknown.astype(np.int64), strong)
    across = a["representative"] + a["liaison"] - b["representative"] - b["liaison"]
    return np.asarray(across, dtype=np.int64)


def _roles(
    score: np.ndarray,
    degree: np.ndarray,
    weak_ties: np.ndarray,
    strong_ties: np.ndarray,
    largest: np.ndarray,
) -> np.ndarray:
    """Role of each person; see the module docstring for the rules."""
    n = len(score)
    role = np.full(n, "", dtype=object)
    tied = degree > 0
    if not tied.any():
        return role
    deg_cut = max(
        MEGA_DEGREE_FACTOR * float(np.median(degree[tied])),
        float(np.percentile(degree[tied], TOP_PERCENTILE)),
    )
    weak_share = np.divide(weak_ties, degree, out=np.zeros(n), where=tied)
    mega = tied & (degree >= deg_cut) & (weak_share >= MEGA_WEAK_SHARE)

    has_strong = strong_ties > 0
    hub = np.zeros(n, dtype=bool)
    if has_strong.any():
        strong_cut = max(
            HUB_STRONG_FACTOR * float(np.median(strong_ties[has_strong])),
            float(np.percentile(strong_ties[has_strong], TOP_PERCENTILE)),
        )
        inside = np.divide(largest, strong_ties, out=np.zeros(n), where=has_strong)
        hub = has_strong & (strong_ties >= strong_cut) & (inside >= HUB_INSIDE_SHARE)

    role[hub] = HUB
    role[score >= POWER_MIN_SCORE] = POWER
    role[mega] = MEGA
    return role


def _count(n: int, word: str) -> str:
    """``"1 strong tie"``, ``"3 strong ties"``; ``word`` is singular."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _explain(
    role: str,
    degree: int,
    weak: int,
    strong: int,
    by_group: list[tuple[int, int]],
    names: list[str],
    cross_open: int,
    cross_pairs: int,
    focus: float,
) -> str:
    """One sentence saying why a person has their score and role."""
    if degree == 0:
        return "no ties"
    weak_part = f"{_percent(weak, degree)} of ties weak"
    if focus < FULL_ATTENTION:
        weak_part += f", carrying {round(100 * (1 - focus))}% of tie strength"
    known = sum(c for _, c in by_group)
    unknown = f" ({strong - known} with unknown group)" if strong > known else ""
    if role == MEGA:
        k = len(by_group)
        into = f"strong ties into {_count(k, 'group')}" if strong else "no strong ties"
        return f"{_count(degree, 'tie')}, {_percent(weak, degree)} weak; {into}"
    if strong == 0:
        return f"no strong ties; {_count(weak, 'weak tie')}"
    if role == POWER:
        sides = [(k, c) for i, (k, c) in enumerate(by_group) if i == 0 or c >= 2]
        parts = [f"{names[sides[0][0]]} ({_count(sides[0][1], 'strong tie')})"]
        parts += [f"{names[k]} ({c})" for k, c in sides[1:5]]
        if len(sides) > 5:
            parts.append(_count(len(sides) - 5, "more group"))
        return (
            f"bridges {_join(parts)}{unknown}; {cross_open} of {cross_pairs} cross-group pairs"
            f" open; {weak_part}"
        )
    ties = _count(strong, "strong tie")
    if not by_group:
        return f"{ties}, all with unknown group; {weak_part}"
    k0, c0 = by_group[0]
    if len(by_group) == 1 and not unknown:
        return f"{ties}, all inside {names[k0]}; {weak_part}"
    if role == HUB or len(by_group) == 1:
        return f"{ties}, {c0} inside {names[k0]}{unknown}; {weak_part}"
    rest = [f"{c} into {names[k]}" for k, c in by_group[1:4]]
    if len(by_group) > 4:
        rest.append(_count(len(by_group) - 4, "more group"))
    return f"{ties}: {c0} inside {names[k0]}, {_join(rest)}{unknown}; {weak_part}"
