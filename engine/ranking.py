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
product of two parts, each of which can be read off the explanation:

.. math::

    \text{score}(v) = \underbrace{\sum_{s \ne \text{home}} f(c_s)}_{\text{footholds}}
        \cdot \underbrace{\min\Big(1, \frac{\phi(v)}{\phi_0}\Big)}_{\text{attention}}

*Sides.* ``v``'s strong contacts fall into sides that are not strongly tied
to each other (:func:`engine.measures.strong_sides`): two contacts share a
side when they are strongly tied to each other, or when both are anchored in
the same group (each strongly tied to another member of it besides ``v``).
Any two contacts on different sides are a structural hole ``v`` spans with a
strong tie at each end: Burt's (1992, ch. 1) non-redundant contacts, counted
on strong ties, with the groups saying which contacts hang together without
``v``.

*Footholds.* Let ``c_1 >= c_2 >= ...`` be the sizes of the sides. The largest
is ``v``'s home side; every other side ``s`` is a foothold worth
:math:`f(c) = 1 - (1 - f_1)\,2^{1-c}` with :math:`f_1 =` ``FOOTHOLD_ONE``
(1/4): one strong tie is worth 1/4, two 5/8, three 13/16, and further ties
into the same side add less and less, so several real sides beat one huge
one. Since ``c_1 >= c_s``, each foothold has at least as many strong ties on
the home side: strong ties on *both* sides of the hole.

*One strong tie counts* (the rule for sparse networks). A broker whose strong
ties reach several sides that are not tied to each other spans a hole
between every two of them even with one tie per side, as Burt's effective
size counts it: the Medici among the Florentine families (Padgett and Ansell
1993), whose marriages each reach a different family, or Heather in
Krackhardt's (1992) kite, the only link from the kite to Ike and Jane. A hub
whose strong contacts all hang together in one group has one side and scores
0, however many ties it has. A single tie is worth less than two (1/4 against
5/8) because a person with many strong ties at home picks up single strong
ties elsewhere by chance; several footholds of one tie each (0.25 each) still
add up.

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

Threshold
---------
``strong=None`` (``--strong auto``, the default) derives the threshold
(:func:`auto_strong`) from what the strengths mean, and else from their
distribution:

1. *Calibrated strengths: 0.5.* A strength derived from interaction logs
   (``load-interactions``, ``load-mail``, ``load-calendar``; the tie's
   ``source`` is ``'interactions'``) or from a LinkedIn export (``load-linkedin``,
   source ``'linkedin'``: its messages through the same model, a connection
   without messages at the model's low prior) is the interactions model's
   estimated probability that the tie is close (:mod:`loaders.interactions`,
   calibrated on a friendship survey). Granovetter's (1973) strong tie is a close one, so
   a tie is strong when it is as likely close as not: ``CLOSE_PROBABILITY``
   (0.5, the loader's ``STRONG_PROBABILITY``). This applies when at least
   ``CALIBRATED_MAJORITY`` (half) of the ties carry such a strength
   (``calibrated``; :func:`engine.analysis.rank_database` counts them in
   Neo4j), whatever share of ties it leaves strong (``bench/bench_real.py``
   prints the share on three public message logs, between an eighth and a
   quarter); when it leaves too few, ``rank`` warns.
2. *Other strengths (a ties file): the upper quartile.* Their
   scale is the user's, so the threshold is the strength below which three
   quarters of the ties fall (numpy's ``"lower"`` quantile, an actual
   strength): Granovetter (1973) leaves the cut-off to the data, and Onnela
   et al. (2007) split ties by their weight percentile because absolute
   strengths depend on how they were measured. When that quantile is the
   weakest strength of all but some ties are stronger (a ties file of mostly
   1s and a few 2s), the next
   strength up is used: a quantile cannot cut inside a level, and the weakest
   level is weak whenever there is a stronger one. When all ties are equally
   strong (a plain, unweighted network) every tie is strong. The result is
   capped at 0.5, the meaning of "strong" on the calibrated scale and the
   midpoint of (0, 1], so a tie the data puts in the upper half is never
   weak, and floored at ``AUTO_FLOOR`` (0.1): a tie a tenth as strong as the
   strongest possible one is not strong, however faint the rest.

The threshold used is in ``table.attrs["strong"]`` and which rule chose it in
``table.attrs["strong_rule"]``; an explicit ``strong`` wins.

Order
-----
Best first by: role (``power connector`` before everyone else, so that no mega
connector ranks above a power connector), then score, then *structure* for
equal scores: lower Burt constraint first (more of the person's network is
non-redundant; Burt 1992), then larger effective size, then more ties. The id
decides only between people equal on all of these (structurally alike; the id
is never the first word).

Roles
-----
Checked in this order; the first that applies wins, otherwise ``""``.
Thresholds relative to the network are taken over people with ties.

``mega connector``
    Many ties, mostly weak: ``degree >= max(MEGA_DEGREE_FACTOR (5) x median
    degree, 95th percentile of degree)`` and at least ``MEGA_WEAK_SHARE``
    (75%) of the ties weak. First, because it describes how the network is
    built whatever the strong ties; the explanation still names the groups
    their strong ties reach, and the measures stay in the table.
``power connector``
    ``score >= POWER_MIN_SCORE`` (0.6: two strong ties into a second side,
    or single ties into three more sides) *and*
    among the first ``POWER_SHARE`` (one in five) of the people with ties,
    in the order above, mega connectors left out. The label marks a minority
    on every network, dense or sparse: a label held by a third of a law firm
    says nothing about who to ask. Below the cap the order still ranks
    everyone.
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
.. [4] Onnela, J.-P. et al. (2007). Structure and tie strengths in mobile
   communication networks. *PNAS* 104(18), 7332-7336.
.. [5] Padgett, J. F. and Ansell, C. K. (1993). Robust action and the rise of
   the Medici, 1400-1434. *American Journal of Sociology* 98(6), 1259-1319.
.. [6] Krackhardt, D. (1992). The strength of strong ties: the importance of
   philos in organizations. In Nohria and Eccles (eds.), *Networks and
   Organizations*, 216-239.

Communities, when no groups are given, come from
:func:`engine.communities.detect_groups`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from powerconnect.engine import measures
from powerconnect.engine.communities import detect_groups
from powerconnect.engine.errors import UsageError
from powerconnect.engine.graph import TieGraph

__all__ = [
    "AUTO_FLOOR",
    "AUTO_QUANTILE",
    "CALIBRATED_MAJORITY",
    "CLOSE_PROBABILITY",
    "DEFAULT_STRONG",
    "POWER_SHARE",
    "FOOTHOLD_ONE",
    "FULL_ATTENTION",
    "POWER_MIN_SCORE",
    "MEGA_DEGREE_FACTOR",
    "MEGA_WEAK_SHARE",
    "HUB_STRONG_FACTOR",
    "HUB_INSIDE_SHARE",
    "COLUMNS",
    "auto_strong",
    "auto_strong_rule",
    "foothold",
    "rank",
    "strong_focus",
    "threshold_warnings",
]

#: The highest threshold :func:`auto_strong` picks: the midpoint of the (0, 1]
#: scale, a tie at least half as strong as the strongest possible one.
DEFAULT_STRONG = 0.5
#: The threshold for calibrated strengths, each the estimated probability that the
#: tie is close: as likely close as not (``loaders.interactions.STRONG_PROBABILITY``;
#: written out because the engine does not import the loaders, and a test checks
#: the two agree).
CLOSE_PROBABILITY = 0.5
#: :func:`auto_strong` uses ``CLOSE_PROBABILITY`` when at least this share of the
#: ties have calibrated strengths.
CALIBRATED_MAJORITY = 0.5
#: :func:`auto_strong` otherwise: the share of ties below the threshold, at most ...
AUTO_QUANTILE = 0.75
#: ... and the lowest threshold it picks (see the module docstring).
AUTO_FLOOR = 0.1
#: ``rank`` warns when fewer than this share of the ties are strong ...
FEW_STRONG_SHARE = 0.05
#: ... or fewer than this share of the people with ties have a score.
FEW_SCORED_SHARE = 0.01
#: At most this share of the people with ties are labelled ``power connector``.
POWER_SHARE = 0.2

#: Worth of a side reached by a single strong tie (see :func:`foothold`).
FOOTHOLD_ONE = 0.25
#: Share of tie strength in strong ties from which the attention part is 1.
FULL_ATTENTION = 0.5
#: Least score for the ``power connector`` role: f(2) = 0.625 (two strong ties
#: into a second side) or 3 f(1) = 0.75 (single ties into three more sides).
POWER_MIN_SCORE = 0.6
#: ``mega connector``: degree at least this many times the median degree ...
MEGA_DEGREE_FACTOR = 5.0
#: ... and at least this share of the ties weak.
MEGA_WEAK_SHARE = 0.75
#: ``local hub``: strong ties at least this many times the median number ...
HUB_STRONG_FACTOR = 2.0
#: ... and at least this share of them in one group.
HUB_INSIDE_SHARE = 0.85
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
    """Worth of a side of ``count`` strong contacts beyond the home side.

    ``1 - (1 - FOOTHOLD_ONE) * 2**(1 - c)``: a quarter for a single tie, then
    halving the distance to 1 with each further tie.

    >>> foothold(np.array([0, 1, 2, 3, 4])).tolist()
    [0.0, 0.25, 0.625, 0.8125, 0.90625]
    """
    c = np.asarray(count, dtype=np.float64)
    return np.where(c >= 1, 1.0 - (1.0 - FOOTHOLD_ONE) * np.exp2(1.0 - np.maximum(c, 1.0)), 0.0)


def auto_strong(g: TieGraph, calibrated: float = 0.0) -> float:
    """The strong threshold that fits ``g``'s strengths (``--strong auto``).

    ``calibrated`` is the share of ties whose strength is the interactions
    model's P(close). From half of them on, ``CLOSE_PROBABILITY`` (0.5).
    Otherwise the strength below which ``AUTO_QUANTILE`` (3/4) of the ties
    fall (numpy's ``"lower"`` quantile), or the next strength up when that is
    the weakest of several, capped at ``DEFAULT_STRONG`` (0.5) and floored at
    ``AUTO_FLOOR`` (0.1); see the module docstring for why.
    ``DEFAULT_STRONG`` when there are no ties.

    >>> auto_strong(TieGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0)]))  # all equal
    0.5
    >>> g = TieGraph.from_edges([("a", "b", 0.05), ("b", "c", 0.2), ("c", "d", 0.3),
    ...                          ("d", "e", 0.9)])
    >>> auto_strong(g), auto_strong(g, calibrated=1.0)
    (0.3, 0.5)
    >>> levels = TieGraph.from_edges([("a", x, 0.2) for x in "bcdefg"] + [("b", "c", 0.4)])
    >>> auto_strong(levels)  # six of seven at the weakest level: the next one up
    0.4
    """
    if g.m == 0:
        return DEFAULT_STRONG
    if calibrated >= CALIBRATED_MAJORITY:
        return CLOSE_PROBABILITY
    q = float(np.quantile(g.strength, AUTO_QUANTILE, method="lower"))
    weakest = float(g.strength.min())
    if q == weakest:
        above = g.strength[g.strength > weakest]
        if len(above):
            q = float(above.min())
    return float(min(DEFAULT_STRONG, max(AUTO_FLOOR, q)))


def auto_strong_rule(calibrated: float = 0.0) -> str:
    """Which rule of :func:`auto_strong` applies, in words, to print beside the threshold.

    >>> auto_strong_rule(1.0)
    'strengths are P(close): strong when as likely close as not'
    """
    if calibrated >= CALIBRATED_MAJORITY:
        return "strengths are P(close): strong when as likely close as not"
    return "the upper quartile of the strengths, between 0.1 and 0.5"


def threshold_warnings(table: pd.DataFrame, strong_share: float, strong: float) -> list[str]:
    """What to say when the threshold leaves too little to rank, and what to try.

    ``table`` is :func:`rank`'s result and ``strong_share`` the share of ties
    at or above ``strong``. Empty when all is well.
    """
    out: list[str] = []
    tied = int((table["degree"] > 0).sum())
    if tied == 0:
        return out
    if strong_share < FEW_STRONG_SHARE:
        out.append(
            f"only {100 * strong_share:.1f}% of ties reach the strong threshold {strong:.3g}; "
            "try a lower threshold (or the automatic one)"
        )
    scored = int((table["score"] > 0).sum())
    if scored < max(1.0, FEW_SCORED_SHARE * tied):
        out.append(
            f"only {scored} of {tied} people with ties have a score (strong ties into two"
            " groups); try a lower strong threshold, or groups from a person property"
            " such as organization"
        )
    return out


def rank(
    g: TieGraph,
    *,
    strong: float | None = None,
    groups: np.ndarray | None = None,
    group_names: Sequence[str] | None = None,
    calibrated: float = 0.0,
) -> pd.DataFrame:
    """Rank everyone in ``g`` as a power connector, best first.

    Parameters
    ----------
    g : TieGraph
        The contact network; tie strengths in (0, 1].
    strong : float, optional
        Ties with strength ``>= strong`` are strong, the others weak. ``None``
        derives it from the strengths (:func:`auto_strong`).
    groups : array of int, optional
        Group of each person (indexed like ``g.ids``), ``-1`` when unknown,
        e.g. the organization from ``--group-by``. When ``None``, groups are
        the communities of the strong-tie graph
        (:func:`engine.communities.detect_groups`, the same for the same
        network in any order), named ``"community 3"``, and ``group_names``
        is ignored.
    group_names : sequence of str, optional
        Name of group ``k`` at position ``k``; defaults to ``"group k"``.
    calibrated : float, optional
        Share of the ties whose strength is the interactions model's P(close)
        (their ``source`` is ``'interactions'`` or ``'linkedin'``); :func:`auto_strong` uses it
        when ``strong`` is ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per person with the columns of :data:`COLUMNS`, in the order
        of the module docstring ("Order"); ``rank`` is 1-based.
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
        ``attrs["strong"]`` is the threshold used, ``attrs["strong_rule"]``
        which rule of :func:`auto_strong` chose it (``""`` when given) and
        ``attrs["warnings"]`` what :func:`threshold_warnings` says about it.

    Raises
    ------
    UsageError
        If ``strong`` is outside (0, 1] or ``groups``/``group_names`` do not fit.

    Notes
    -----
    Runs in about linear time in the number of ties plus strong triangles
    (the measures never list pairs of contacts); detecting communities costs
    ``engine.communities.DETECTION_RESTARTS`` label propagations.

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
    ('b', 'power connector', 0.8125)
    >>> print(*top.explanation.split("; "), sep=";" + chr(10))
    bridges 2 sides not strongly tied to each other: 3 strong ties inside Acme and 3 in Globex;
    0% of ties weak
    """
    rule = ""
    if strong is None:
        strong = auto_strong(g, calibrated)
        rule = auto_strong_rule(calibrated)
    if not 0.0 < strong <= 1.0:
        raise UsageError(f"strong must be in (0, 1], got {strong}")
    n = g.n
    if groups is None:
        groups = detect_groups(g, strong=strong)
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

    # Footholds: per node, every side but the first (largest) one.
    sd = measures.strong_sides(g, groups, strong)
    side_node, side_group, side_size = sd.node, sd.group, sd.size
    home = np.ones(len(side_node), dtype=bool)
    home[1:] = side_node[1:] != side_node[:-1]
    feet = np.bincount(side_node[~home], weights=foothold(side_size[~home]), minlength=n)
    total = np.bincount(side_node, weights=side_size, minlength=n)
    squares = np.bincount(side_node, weights=side_size.astype(np.float64) ** 2, minlength=n)
    cross_pairs = np.rint((total**2 - squares) / 2).astype(np.int64)
    cross_open = cross_pairs - sd.closed
    open_share = np.divide(
        cross_open, cross_pairs, out=np.zeros(n, dtype=np.float64), where=cross_pairs > 0
    )
    first = np.ones(len(node), dtype=bool)
    first[1:] = node[1:] != node[:-1]
    largest = np.zeros(n, dtype=np.int64)
    largest[node[first]] = count[first]
    focus = strong_focus(g, strong)
    attention = np.minimum(1.0, focus / FULL_ATTENTION)
    score = feet * open_share * attention

    sh = measures.structural_holes(g)
    order = _structural_order(g.ids, score, sh.constraint, sh.effective_size, degree)
    role = _roles(score, degree, weak_ties, strong_ties, largest, order)
    order = order[np.argsort(role[order] != POWER, kind="stable")]

    # Per node, its (group, strong ties) rows as slices of two lists, and its sides
    # sentence built once from precomputed pieces (_sides_sentences).
    at = np.searchsorted(node, np.arange(n + 1)).tolist()
    grp_list, count_list = grp.tolist(), count.tolist()
    known = np.bincount(node, weights=count, minlength=n).astype(np.int64).tolist()
    side_text = _sides_sentences(side_node, side_group, side_size, groups, names, n)
    n_sides = np.bincount(side_node, minlength=n).tolist()
    explanation = [
        _explain(
            r,
            d,
            w,
            s,
            grp_list[at[v] : at[v + 1]],
            count_list[at[v] : at[v + 1]],
            kn,
            ns,
            st,
            names,
            co,
            cp,
            f,
            o,
        )
        for v, (r, d, w, s, kn, ns, st, co, cp, f, o) in enumerate(
            zip(
                role.tolist(),
                degree.tolist(),
                weak_ties.tolist(),
                strong_ties.tolist(),
                known,
                n_sides,
                side_text,
                cross_open.tolist(),
                cross_pairs.tolist(),
                focus.tolist(),
                groups.tolist(),
                strict=True,
            )
        )
    ]
    own = [names[k] if k >= 0 else "" for k in groups.tolist()]

    df = pd.DataFrame(
        {
            "id": g.ids.astype(str),
            "role": role,
            "score": score,
            "constraint": sh.constraint,
            "effective_size": sh.effective_size,
            "efficiency": sh.efficiency,
            "hierarchy": sh.hierarchy,
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
    df = df.iloc[order]
    df.insert(0, "rank", np.arange(1, n + 1, dtype=np.int64))
    df = df.reset_index(drop=True)[COLUMNS]
    share = float(np.mean(g.strength >= strong)) if g.m else 0.0
    df.attrs["strong"] = float(strong)
    df.attrs["strong_rule"] = rule
    df.attrs["warnings"] = threshold_warnings(df, share, strong)
    return df


def _structural_order(
    ids: np.ndarray,
    score: np.ndarray,
    constraint: np.ndarray,
    effective_size: np.ndarray,
    degree: np.ndarray,
) -> np.ndarray:
    """Indices best first: score, then lower constraint, larger effective size, more ties.

    Values are rounded to 12 digits first, so that the same network read in
    another order (sums in another order differ in the last bits) sorts the
    same; NaN (isolated people) sorts last. The id only separates people equal
    on all four.
    """
    con = np.where(np.isnan(constraint), np.inf, np.round(constraint, 12))
    esize = np.where(np.isnan(effective_size), -np.inf, np.round(effective_size, 12))
    return np.lexsort((ids.astype(str), -degree, -esize, con, -np.round(score, 12)))


def strong_focus(g: TieGraph, strong: float) -> np.ndarray:
    r"""Share of each person's total tie strength carried by their strong ties.

    Burt (1992, p. 51) measures a relation by the *proportion* of a person's
    network time and energy invested in it, :math:`p_{ij} = w_{ij} / \sum_k
    w_{ik}`; this is the sum of :math:`p_{ij}` over the strong ties. It is 1
    for someone with only strong ties and falls towards 0 as weak ties pile
    up; 0 for isolated people. Rounded to 12 digits, so that the same ties summed in
    another order (another input order, or the Spark engine) give the same share, and
    the explanation's rounded percentages and the ``FULL_ATTENTION`` test agree.

    >>> g = TieGraph.from_edges([("a", "b", 0.8), ("a", "c", 0.2)])
    >>> strong_focus(g, 0.5).round(2).tolist()
    [0.8, 1.0, 0.0]
    """
    n = g.n
    w = g.strength
    total = np.bincount(g.src, w, minlength=n) + np.bincount(g.dst, w, minlength=n)
    ws = np.where(w >= strong, w, 0.0)
    carried = np.bincount(g.src, ws, minlength=n) + np.bincount(g.dst, ws, minlength=n)
    share = np.divide(carried, total, out=np.zeros(n, dtype=np.float64), where=total > 0)
    return np.round(share, 12)


def _roles(
    score: np.ndarray,
    degree: np.ndarray,
    weak_ties: np.ndarray,
    strong_ties: np.ndarray,
    largest: np.ndarray,
    order: np.ndarray,
) -> np.ndarray:
    """Role of each person; see the module docstring for the rules.

    ``order`` lists the people best first by score and structure; the power
    connectors are the first ``POWER_SHARE`` of the people with ties, in that
    order, among those not mega connectors with ``score >= POWER_MIN_SCORE``.
    """
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
    candidates = order[(score[order] >= POWER_MIN_SCORE) & ~mega[order]]
    role[candidates[: int(POWER_SHARE * int(tied.sum()))]] = POWER
    role[mega] = MEGA
    return role


def _count(n: int, word: str) -> str:
    """``"1 strong tie"``, ``"3 strong ties"``; ``word`` is singular."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _sides_sentences(
    side_node: np.ndarray,
    side_group: np.ndarray,
    side_size: np.ndarray,
    groups: np.ndarray,
    names: list[str],
    n: int,
) -> list[str]:
    """Per node, ``"bridges 3 sides not strongly tied to each other: 2 strong ties inside A,
    1 in B and 1 in C"`` (``""`` for nodes without sides).

    Sides of the same size and group, next to each other in
    :func:`engine.measures.strong_sides`'s order, are counted together ("(x2)"); the
    first five such runs are named and the rest counted as more sides. Each run's words
    are formatted once, then joined per node.
    """
    out = [""] * n
    if len(side_node) == 0:
        return out
    k = np.asarray(side_group, dtype=np.int64)
    c = np.asarray(side_size, dtype=np.int64)
    v = np.asarray(side_node, dtype=np.int64)
    start = np.ones(len(v), dtype=bool)
    start[1:] = (v[1:] != v[:-1]) | (c[1:] != c[:-1]) | (k[1:] != k[:-1])
    first = np.flatnonzero(start)
    times = np.diff(np.r_[first, len(v)])
    rv, rc, rk = v[first], c[first], k[first]
    node_first = np.ones(len(rv), dtype=bool)
    node_first[1:] = rv[1:] != rv[:-1]
    run_at = np.flatnonzero(node_first)
    pos = np.arange(len(rv)) - np.repeat(run_at, np.diff(np.r_[run_at, len(rv)]))
    # "of unknown group" for k < 0 (the last entry of both lists); "inside" only for one's own.
    inside = [f"inside {x}" for x in names] + ["of unknown group"]
    elsewhere = [f"in {x}" for x in names] + ["of unknown group"]
    named = pos < 5  # only these runs are written out; the rest are counted
    more = np.bincount(rv[~named], weights=times[~named], minlength=n).astype(np.int64).tolist()
    rv, rc, rk, times, pos = rv[named], rc[named], rk[named], times[named], pos[named]
    own = groups[rv] == rk
    pieces = [
        (f"{cc} strong tie{'' if cc == 1 else 's'} " if p == 0 else f"{cc} ")
        + (inside[kk] if o else elsewhere[kk])
        + (f" (x{t})" if t > 1 else "")
        for cc, p, kk, o, t in zip(
            rc.tolist(), pos.tolist(), rk.tolist(), own.tolist(), times.tolist(), strict=True
        )
    ]
    total = np.bincount(v, minlength=n).tolist()
    run_at = np.flatnonzero(pos == 0)
    bounds = np.r_[run_at, len(rv)].tolist()
    for i, node in enumerate(rv[run_at].tolist()):
        parts = pieces[bounds[i] : bounds[i + 1]]
        if more[node]:
            parts.append(_count(more[node], "more side"))
        out[node] = f"bridges {total[node]} sides not strongly tied to each other: {_join(parts)}"
    return out


def _in(k: int, own: int, names: list[str]) -> str:
    """``"inside Acme"`` for the person's own group, ``"in Globex"`` for another."""
    return f"{'inside' if k == own else 'in'} {names[k]}"


def _explain(
    role: str,
    degree: int,
    weak: int,
    strong: int,
    group_ks: list[int],
    group_cs: list[int],
    known: int,
    n_sides: int,
    sides_text: str,
    names: list[str],
    cross_open: int,
    cross_pairs: int,
    focus: float,
    own: int,
) -> str:
    """One sentence saying why a person has their score and role.

    ``group_ks`` and ``group_cs`` are the groups and strong ties per group, largest
    first, and ``known`` their sum; ``n_sides`` is the number of sides of strong
    contacts (:func:`engine.measures.strong_sides`) and ``sides_text`` their sentence
    (:func:`_sides_sentences`); ``own`` is the person's own group (-1 if unknown): a
    group is called "inside" only when it is the person's own.
    """
    if degree == 0:
        return "no ties"
    weak_part = f"{_percent(weak, degree)} of ties weak"
    if focus < FULL_ATTENTION:
        weak_part += f", carrying {round(100 * (1 - focus))}% of tie strength"
    unknown = f" ({strong - known} with unknown group)" if strong > known else ""
    if role == MEGA:
        k = len(group_ks)
        into = f"strong ties into {_count(k, 'group')}" if strong else "no strong ties"
        return f"{_count(degree, 'tie')}, {_percent(weak, degree)} weak; {into}"
    if strong == 0:
        return f"no strong ties; {_count(weak, 'weak tie')}"
    if n_sides >= 2:
        closed = ""
        if cross_open < cross_pairs:
            closed = f"; {cross_open} of {cross_pairs} pairs across them open"
        return f"{sides_text}{unknown}{closed}; {weak_part}"
    ties = _count(strong, "strong tie")
    if not group_ks:
        return f"{ties}, all with unknown group; {weak_part}"
    k0, c0 = group_ks[0], group_cs[0]
    if len(group_ks) == 1 and not unknown:
        return f"{ties}, all {_in(k0, own, names)}; {weak_part}"
    if role == HUB or len(group_ks) == 1:
        return f"{ties}, {c0} {_in(k0, own, names)}{unknown}; {weak_part}"
    rest = [f"{c} {_in(k, own, names)}" for k, c in zip(group_ks[1:4], group_cs[1:4], strict=True)]
    if len(group_ks) > 4:
        rest.append(_count(len(group_ks) - 4, "more group"))
    return (
        f"{ties}: {c0} {_in(k0, own, names)}, {_join(rest)}{unknown}, all on one side; {weak_part}"
    )
