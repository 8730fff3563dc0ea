r"""Introductions: who can introduce whom, and the warmest path to anyone.

The point of finding power connectors is the introductions they can make. Tools
that show "warm intro paths" rank them by hop count or by the broker's
popularity; here a path is only as warm as its coldest tie.

Paths (``powerconnect introduce``)
----------------------------------
A path from ``A`` to ``C`` has 1 hop (``A`` and ``C`` already know each other),
2 hops (one intermediary) or 3 hops (two). Paths are ranked by
:func:`path_sort_key`:

1. the **weakest link**, :math:`\min_i s_i` over the path's tie strengths,
   highest first (the bottleneck, or maximin, criterion);
2. then **fewer hops**;
3. then the intermediaries' **power-connector score** (``pc_score`` of the last
   ``powerconnect rank`` run), highest first; with two intermediaries the
   lower of the two counts, since both must act; 0 when unranked;
4. then the other strengths, weakest first, highest first (leximin: of two
   paths with the same weakest link, the one whose next-weakest tie is
   stronger), and finally the ids, so that the order is total.

The search (:func:`find_paths`, :func:`find_paths_to_group`) runs the Cypher
queries ``intro_paths`` and ``intro_paths_to_group``, which apply the same order
and keep the best ``top`` paths whose every tie is at least a threshold
:math:`\theta`. :math:`\theta` goes down :data:`THRESHOLDS` (starting at the
strongest tie both ends have) until ``top`` paths are found: any path with a tie
below :math:`\theta` ranks below every path found at :math:`\theta`, so the
answer is exact, and on a large network the first, high thresholds leave only
the small strong-tie graph to search.

Private people (property ``private`` true/yes/1) and the ids of an exclude list
are never suggested as a target or an intermediary.

Recommended introductions (``powerconnect recommend``)
------------------------------------------------------
A broker ``B`` can introduce ``A`` to ``C`` across a structural hole (Burt
1992) when ``B`` has strong ties (:math:`\ge` ``strong``) to both, ``A`` and
``C`` have no tie at all, and they are in different known groups. The score is

.. math::

    \text{score} = \frac{\min(s_{BA}, s_{BC})}{1 + k_A + k_C}

where :math:`\min(s_{BA}, s_{BC})` is the *warmth* (the weakest link of the
path ``A - B - C``) and :math:`k_A` is the number of people in ``C``'s group
other than ``B`` whom ``A`` already knows (any tie), :math:`k_C` likewise: the
hole is widest, and the introduction worth most, when neither knows anyone on
the other side. :func:`recommend` picks introductions greedily, best score first
(ties: the broker with the higher ``pc_score``), each pair of people once (with
its best broker) and at most ``max_per_broker`` per broker, so that one person
is not asked for everything and the best power connectors are not buried.
For everyone, each broker's ``candidates_per_broker`` strongest contacts are
paired (this bounds the work on hubs with thousands of ties, which would
otherwise be quadratic in their strong ties); for one person, every broker and
every strong contact is considered, and only the ties of that person and of their
candidates are read from Neo4j (``intro_ego_network``), which is all the answer
depends on.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.analysis import read_network, settle
from engine.db import Database, stored_number
from engine.db import Progress as DbProgress
from engine.errors import InvalidInput, UsageError
from engine.graph import TieGraph
from engine.people import resolve_person
from engine.ranking import DEFAULT_STRONG

__all__ = [
    "CANDIDATES_PER_BROKER",
    "DEFAULT_MAX_PER_BROKER",
    "MAX_HOPS",
    "THRESHOLDS",
    "IntroAnswer",
    "IntroPath",
    "Introduction",
    "NoPath",
    "RecommendRun",
    "explain_path",
    "find_paths",
    "find_paths_to_group",
    "make_path",
    "path_sort_key",
    "rank_paths",
    "read_exclude_file",
    "recommend",
    "recommend_database",
    "score_introduction",
]

#: The longest path searched, in ties (3 = two intermediaries).
MAX_HOPS = 3
#: Tie-strength floors tried in turn by the path search, highest first; the last is 0 (all ties).
THRESHOLDS = (0.8, 0.6, 0.4, 0.2, 0.0)
#: Introductions one broker is asked for in a `recommend` run, by default.
DEFAULT_MAX_PER_BROKER = 5
#: For everyone, the strongest contacts of each broker that are paired into candidates.
CANDIDATES_PER_BROKER = 25
#: Introductions written per transaction; Introduction nodes deleted per transaction.
WRITE_BATCH = 5_000
DELETE_BATCH = 10_000
READ_CHUNK = 1_000

Progress = Callable[[str], None]


class NoPath(UsageError):
    """The two people are not connected within the hops allowed (exit code 1)."""


# --------------------------------------------------------------------------- typed rows
@dataclass(frozen=True)
class IntroPath:
    """One path from a person to a target, with the strength of each hop.

    ``path`` holds the ids from the person to the target, ``names`` their names
    (``None`` when unknown), ``strengths`` one tie strength per hop, ``via`` the
    intermediaries' ids and ``via_scores`` their ``pc_score`` (``None`` when unranked).
    """

    path: list[str]
    names: list[str | None]
    strengths: list[float]
    via: list[str]
    hops: int
    weakest_link: float
    score: float
    explanation: str
    via_scores: list[float | None] = field(default_factory=list)
    cold: bool = False  # weakest link below the strong threshold (:func:`mark_cold`)

    @property
    def target(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class IntroAnswer:
    """The answer of ``introduce``: the best paths, best first, and what to say about them."""

    source: str
    source_name: str | None
    target: str  # a person id, or the group's value for --to-group
    paths: list[IntroPath]
    max_hops: int
    threshold: float  # the tie-strength floor at which the search stopped
    direct: float | None = None  # strength of the source-target tie (person targets)
    known: list[tuple[str, str | None, float]] = field(default_factory=list)  # group members
    notes: list[str] = field(default_factory=list)  # one-line remarks for stderr


@dataclass(frozen=True)
class Introduction:
    """A recommended introduction: ``broker`` introduces ``a`` to ``c``."""

    rank: int
    broker: str
    broker_name: str | None
    broker_score: float | None
    a: str
    a_name: str | None
    a_group: str
    c: str
    c_name: str | None
    c_group: str
    broker_a: float  # strength of the broker's tie to a
    broker_c: float
    known_a: int  # people in c's group (other than the broker) whom a already knows
    known_c: int
    warmth: float
    score: float
    reason: str


@dataclass(frozen=True)
class RecommendRun:
    """The result of one ``recommend`` run."""

    run_id: str
    at: str
    group_by: str
    person: str | None
    introductions: list[Introduction]
    written: bool
    timings: dict[str, float]
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- ranking (pure)
def path_sort_key(path: IntroPath) -> tuple[Any, ...]:
    """The key that ranks paths, best first (sort ascending).

    Weakest link (highest first), then hops (fewest first), then the
    intermediaries' score (highest first), then the sorted strengths
    (leximin, highest first), then the ids.

    >>> warm = make_path(["a", "b", "c"], [None] * 3, [0.9, 0.6], [None])
    >>> short = make_path(["a", "c"], [None] * 2, [0.5], [])
    >>> long = make_path(["a", "x", "y", "c"], [None] * 4, [0.9, 0.7, 0.9], [None, None])
    >>> [p.path[1] for p in sorted([short, warm, long], key=path_sort_key)]
    ['x', 'b', 'c']
    """
    ascending = sorted(path.strengths)
    return (
        -path.weakest_link,
        path.hops,
        -path.score,
        tuple(-s for s in ascending),
        tuple(path.path[1:]),
    )


def rank_paths(paths: Iterable[IntroPath]) -> list[IntroPath]:
    """Paths best first by :func:`path_sort_key`; a path listed twice is kept once (its best)."""
    best: dict[tuple[str, ...], IntroPath] = {}
    for p in sorted(paths, key=path_sort_key):
        best.setdefault(tuple(p.path), p)
    return list(best.values())


def make_path(
    path: Sequence[str],
    names: Sequence[str | None],
    strengths: Sequence[float],
    via_scores: Sequence[float | None],
) -> IntroPath:
    """Build an :class:`IntroPath` (weakest link, hops, score, explanation) from its parts.

    The score is the lowest ``pc_score`` of the intermediaries (``None`` counts as 0),
    0 for a direct tie.
    """
    if len(path) < 2 or len(strengths) != len(path) - 1 or len(names) != len(path):
        raise ValueError(f"a path of {len(path)} people needs {len(path) - 1} strengths")
    if len(via_scores) != len(path) - 2:
        raise ValueError("one score per intermediary")
    strengths = [float(s) for s in strengths]
    via_scores = [stored_number(s, "pc_score") for s in via_scores]
    scores = [0.0 if s is None else s for s in via_scores]
    return IntroPath(
        path=list(path),
        names=list(names),
        strengths=strengths,
        via=list(path[1:-1]),
        hops=len(strengths),
        weakest_link=min(strengths),
        score=min(scores) if scores else 0.0,
        explanation=explain_path(path, names, strengths, via_scores),
        via_scores=list(via_scores),
    )


def explain_path(
    path: Sequence[str],
    names: Sequence[str | None],
    strengths: Sequence[float],
    via_scores: Sequence[float | None] = (),
) -> str:
    """One sentence: whom to ask, every hop's strength and the weakest link.

    >>> explain_path(["ann", "bob", "cat"], ["Ann", "Bob", None], [0.8, 0.6], [0.71]).split("; ")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Ask Bob (score 0.71) to introduce Ann to cat: Ann-Bob 0.80, Bob-cat 0.60',
     'weakest link Bob-cat (0.60).']
    >>> explain_path(["ann", "cat"], ["Ann", "Cat"], [0.3])
    'Ann and Cat already know each other (tie 0.30).'
    """
    label = [n if n else i for i, n in zip(path, names, strict=True)]
    if len(path) == 2:
        return f"{label[0]} and {label[1]} already know each other (tie {strengths[0]:.2f})."
    scores = list(via_scores) or [None] * (len(path) - 2)

    def who(k: int) -> str:
        s = scores[k - 1]
        return label[k] if s is None or _isnan(s) or s <= 0 else f"{label[k]} (score {s:.2f})"

    hops = ", ".join(f"{label[k]}-{label[k + 1]} {strengths[k]:.2f}" for k in range(len(strengths)))
    w = min(range(len(strengths)), key=lambda k: (strengths[k], k))
    weakest = f"weakest link {label[w]}-{label[w + 1]} ({strengths[w]:.2f})"
    if len(path) == 3:
        ask = f"Ask {who(1)} to introduce {label[0]} to {label[2]}"
    else:
        ask = (
            f"Ask {who(1)} to introduce {label[0]} to {who(2)}, "
            f"who can introduce {label[0]} to {label[3]}"
        )
    return f"{ask}: {hops}; {weakest}."


def mark_cold(answer: IntroAnswer, strong: float) -> IntroAnswer:
    """The same answer with every path whose weakest link is below ``strong`` marked cold.

    A path is only as warm as its coldest tie: when that tie is not strong (Granovetter
    1973), someone on the path hardly knows the next person, and the introduction leans
    on them anyway. Such a path gets ``cold=True`` and its explanation says so.

    >>> weak = make_path(["ann", "bob", "cat"], [None] * 3, [0.9, 0.02], [None])
    >>> answer = IntroAnswer("ann", None, "cat", [weak], max_hops=3, threshold=0.0)
    >>> marked = mark_cold(answer, 0.5).paths[0]
    >>> marked.cold, marked.explanation.split("; ")[-1]
    (True, 'weakest link bob-cat (0.02). Cold: its weakest link is below the strong threshold 0.5.')
    """
    paths = [
        replace(
            p,
            cold=True,
            explanation=f"{p.explanation} Cold: its weakest link is below the strong"
            f" threshold {strong:.3g}.",
        )
        if p.weakest_link < strong
        else p
        for p in answer.paths
    ]
    return replace(answer, paths=paths)


def _isnan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


# --------------------------------------------------------------------------- privacy
def read_exclude_file(path: str | Path) -> frozenset[str]:
    """The ids in an exclude file: one per line (or the first column of a CSV file); blank
    lines, ``#`` comments and a header line ``id`` are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            str(path), None, f"cannot read the exclude file: {exc.strerror}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(str(path), None, "the exclude file is not UTF-8 text") from exc
    ids: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].split(",", 1)[0].strip().strip('"').strip()
        if not value or (number == 1 and value.lower() == "id"):
            continue
        ids.add(value)
    return frozenset(ids)


# --------------------------------------------------------------------------- paths (database)
@dataclass(frozen=True)
class _End:
    id: str
    found: bool
    name: str | None
    private: bool
    ties: int
    strongest: float | None
    direct: float | None


def _ends(db: Database, source: str, target: str | None) -> dict[str, _End]:
    records = db.query("intro_endpoints", **{"from": source, "to": target})
    return {r["id"]: _End(**r.data()) for r in records}


def _check_options(max_hops: int, top: int) -> None:
    if not 1 <= max_hops <= MAX_HOPS:
        raise UsageError(f"--max-hops must be 1, 2 or 3 (ties on the path), got {max_hops}")
    if top < 1:
        raise UsageError(f"--top must be at least 1, got {top}")


def _check_source(end: _End) -> None:
    if not end.found:
        raise UsageError(f"no person with id {end.id!r} in the database")
    if end.ties == 0:
        raise UsageError(f"{end.id} has no ties in the database: nobody can introduce them")


def _label(end: _End) -> str:
    return f"{end.name} ({end.id})" if end.name and end.name != end.id else end.id


def _search(
    fetch: Callable[[float], list[Any]], cap: float | None, top: int
) -> tuple[list[Any], float]:
    """Run ``fetch(theta)`` for each threshold not above ``cap`` until it gives ``top`` rows."""
    levels = [t for t in THRESHOLDS if cap is None or t <= cap]
    rows: list[Any] = []
    theta = 0.0
    for theta in levels:
        rows = fetch(theta)
        if len(rows) >= top:
            break
    return rows, theta


def _run_note(db: Database) -> list[str]:
    settle(db)  # a ranking run stopped after it was published: finish it first
    row = db.query("intro_context")[0]
    if row["run_id"] is None:
        return [
            "No ranking run yet: intermediaries' power-connector scores count as 0 "
            "(run `powerconnect rank` to use them)."
        ]
    return []


def find_paths(
    db: Database,
    source: str,
    target: str,
    *,
    max_hops: int = MAX_HOPS,
    top: int = 5,
    excluded: Iterable[str] = (),
) -> IntroAnswer:
    """The best ``top`` paths from ``source`` to ``target``, best first (:func:`path_sort_key`).

    ``source`` and ``target`` are ids, LinkedIn profile URLs, e-mail addresses or names
    (:func:`engine.people.find_person`).

    Raises :class:`UsageError` for an unknown id, a person without ties, a target
    that is private or excluded, and :class:`NoPath` when no path has at most
    ``max_hops`` ties.
    """
    _check_options(max_hops, top)
    excluded = sorted(set(excluded))
    source, target = resolve_person(db, source), resolve_person(db, target)
    if source == target:
        raise UsageError(f"--person and --to are the same person ({source})")
    ends = _ends(db, source, target)
    a, c = ends[source], ends[target]
    _check_source(a)
    if not c.found:
        raise UsageError(f"no person with id {target!r} in the database")
    if c.private:
        raise UsageError(f"{target} is private: powerconnect never suggests them")
    if target in excluded:
        raise UsageError(f"{target} is in the exclude list: powerconnect never suggests them")
    if c.ties == 0:
        raise UsageError(
            f"{target} has no ties in the database: nobody can introduce anyone to them"
        )
    notes = _run_note(db)

    def fetch(theta: float) -> list[Any]:
        return db.query(
            "intro_paths",
            **{"from": source, "to": target},
            max_hops=max_hops,
            min_strength=theta,
            excluded=excluded,
            limit=top,
        )

    cap = min(a.strongest or 0.0, c.strongest or 0.0)
    rows, theta = _search(fetch, cap, top)
    paths = rank_paths(
        make_path(
            [source, *r["via"], target],
            [a.name, *r["via_names"], c.name],
            r["strengths"],
            r["via_scores"],
        )
        for r in rows
    )
    if not paths:
        raise NoPath(_no_path_message(_label(a), _label(c), max_hops, excluded))
    if a.direct is not None:
        notes.insert(
            0, f"{_label(a)} and {_label(c)} already know each other (tie {a.direct:.2f})."
        )
    return IntroAnswer(
        source=source,
        source_name=a.name,
        target=target,
        paths=paths[:top],
        max_hops=max_hops,
        threshold=theta,
        direct=a.direct,
        notes=notes,
    )


def _no_path_message(a: str, c: str, max_hops: int, excluded: Sequence[str]) -> str:
    hops = "1 hop" if max_hops == 1 else f"{max_hops} hops"
    message = f"no path from {a} to {c} within {hops}"
    if excluded:
        message += f" (private people and the {len(excluded)} excluded are never intermediaries)"
    else:
        message += " (private people are never intermediaries)"
    if max_hops < MAX_HOPS:
        message += f"; try --max-hops {MAX_HOPS}"
    return message


def find_paths_to_group(
    db: Database,
    source: str,
    group: str,
    *,
    group_by: str = "organization",
    max_hops: int = MAX_HOPS,
    top: int = 5,
    excluded: Iterable[str] = (),
) -> IntroAnswer:
    """The best ``top`` paths from ``source`` to anyone whose ``group_by`` is ``group``.

    A direct tie to a member is a 1-hop answer; intermediaries are never members
    themselves. Raises :class:`UsageError` when nobody is in the group (or
    everyone there is private or excluded) and :class:`NoPath` when no member is
    within ``max_hops`` ties.
    """
    _check_options(max_hops, top)
    excluded = sorted(set(excluded))
    source = resolve_person(db, source)
    a = _ends(db, source, None)[source]
    _check_source(a)
    where = _group_phrase(group_by, group)
    row = db.query(
        "intro_group_members",
        **{"from": source},
        group_by=group_by,
        group=group,
        excluded=excluded,
    )[0]
    if row["members"] == 0:
        raise UsageError(f"nobody in the database has {group_by} = {group!r}")
    if row["reachable"] == 0:
        raise UsageError(
            f"nobody {where} may be suggested (they are private, excluded or {source} alone)"
        )
    notes = _run_note(db)

    def fetch(theta: float) -> list[Any]:
        return db.query(
            "intro_paths_to_group",
            **{"from": source},
            group_by=group_by,
            group=group,
            max_hops=max_hops,
            min_strength=theta,
            excluded=excluded,
            limit=top,
        )

    rows, theta = _search(fetch, a.strongest or 0.0, top)
    paths = rank_paths(
        make_path(
            [source, *r["via"], r["target"]],
            [a.name, *r["via_names"], r["target_name"]],
            r["strengths"],
            r["via_scores"],
        )
        for r in rows
    )
    if not paths:
        raise NoPath(_no_path_message(_label(a), f"anyone {where}", max_hops, excluded))
    known = [(k["id"], k["name"], float(k["strength"])) for k in row["known"]]
    if known:
        people = ", ".join(f"{n or i} ({s:.2f})" for i, n, s in known[:5])
        more = f" and {len(known) - 5} more" if len(known) > 5 else ""
        count = "1 person" if len(known) == 1 else f"{len(known)} people"
        notes.insert(0, f"{_label(a)} already knows {count} {where}: {people}{more}.")
    return IntroAnswer(
        source=source,
        source_name=a.name,
        target=group,
        paths=paths[:top],
        max_hops=max_hops,
        threshold=theta,
        known=known,
        notes=notes,
    )


def _group_phrase(group_by: str, group: str) -> str:
    return f"at {group}" if group_by == "organization" else f"with {group_by} = {group!r}"


# --------------------------------------------------------------------------- recommend (pure)
def score_introduction(broker_a: float, broker_c: float, known_a: int, known_c: int) -> float:
    """``min(s_BA, s_BC) / (1 + k_A + k_C)``: the warmth of the path ``A - B - C``, divided
    by one plus the ties ``A`` and ``C`` already have into each other's groups.

    >>> score_introduction(0.8, 0.9, 0, 0)
    0.8
    >>> score_introduction(0.8, 0.9, 1, 0)
    0.4
    """
    return min(broker_a, broker_c) / (1 + known_a + known_c)


def recommend(
    graph: TieGraph,
    groups: np.ndarray,
    group_names: Sequence[str],
    *,
    names: Sequence[str | None] | None = None,
    private: np.ndarray | None = None,
    scores: np.ndarray | None = None,
    excluded: Iterable[str] = (),
    person: str | None = None,
    strong: float = DEFAULT_STRONG,
    max_per_broker: int = DEFAULT_MAX_PER_BROKER,
    candidates_per_broker: int = CANDIDATES_PER_BROKER,
    group_word: str = "group",
) -> list[Introduction]:
    """The introductions across structural holes most worth making, best first.

    Parameters
    ----------
    graph : TieGraph
    groups : array of int
        Group code of each person (``-1``: unknown); ``group_names[k]`` names code ``k``.
    names, private, scores : optional, aligned with ``graph.ids``
        Display names; who is private (never broker, ``a`` or ``c``); ``pc_score``
        (NaN when unranked), which breaks ties between brokers.
    excluded : ids never suggested (like private people).
    person : str, optional
        Only introductions of this person (as ``a``) to someone else; every broker and
        every strong contact is considered. ``None``: everyone, pairing each broker's
        ``candidates_per_broker`` strongest contacts.
    strong, max_per_broker : the strong-tie threshold and the cap per broker.

    Returns
    -------
    list of Introduction, ranked 1, 2, ... by score (module docstring for the formula).

    Examples
    --------
    Bob knows Ann (Acme) and Cat (Globex) well; they have never met:

    >>> g = TieGraph.from_edges([("bob", "ann", 0.8), ("bob", "cat", 0.9)])
    >>> groups = np.array([0, 0, 1])  # bob, ann: Acme; cat: Globex
    >>> [(i.broker, i.a, i.c, i.score) for i in recommend(g, groups, ["Acme", "Globex"])]
    [('bob', 'cat', 'ann', 0.8)]
    """
    if not 0 < strong <= 1:
        raise UsageError(f"--strong must be in (0, 1], got {strong}")
    if max_per_broker < 1:
        raise UsageError(f"--max-per-broker must be at least 1, got {max_per_broker}")
    n = graph.n
    groups = np.asarray(groups, dtype=np.int64)
    blocked = np.zeros(n, dtype=bool) if private is None else np.asarray(private, dtype=bool)
    blocked = blocked.copy()
    skip = set(excluded)
    if skip:
        blocked |= pd.Index(graph.ids).isin(list(skip))
    bscore = np.zeros(n) if scores is None else np.nan_to_num(np.asarray(scores, dtype=float))
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[np.argsort(graph.ids.astype(str), kind="stable")] = np.arange(n)

    csr = graph.csr
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(csr.indptr))
    other = csr.indices.astype(np.int64)
    weight = csr.weights
    usable = (weight >= strong) & ~blocked[owner] & ~blocked[other] & (groups[other] >= 0)
    sb, sx, sw = owner[usable], other[usable], weight[usable]  # strong arcs broker -> contact

    if person is not None:
        where = np.flatnonzero(graph.ids == person)
        if len(where) == 0:
            raise UsageError(f"no person with id {person!r} in the database")
        p = int(where[0])
        if groups[p] < 0:
            raise UsageError(
                f"{person} has no {group_word}: cannot tell which of their contacts are on the "
                "other side of a hole (pass --group-by PROPERTY)"
            )
        # Strong arcs into p (p's group is known; p may be private: they are asking).
        into_p = (weight >= strong) & (other == p) & ~blocked[owner]
        brokers, s_bp = owner[into_p], weight[into_p]
        order = np.argsort(sb, kind="stable")
        sb, sx, sw = sb[order], sx[order], sw[order]
        lo = np.searchsorted(sb, brokers, side="left")
        hi = np.searchsorted(sb, brokers, side="right")
        count = hi - lo
        left = np.repeat(np.arange(len(brokers)), count)
        pos = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        arc = np.repeat(lo, count) + pos
        b, a, c = brokers[left], np.full(len(arc), p, dtype=np.int64), sx[arc]
        s_ba, s_bc = s_bp[left], sw[arc]
        keep = c != p
        b, a, c, s_ba, s_bc = b[keep], a[keep], c[keep], s_ba[keep], s_bc[keep]
    else:
        # Each broker's strongest contacts first (ties by id), at most candidates_per_broker.
        order = np.lexsort((id_rank[sx], -sw, sb))
        sb, sx, sw = sb[order], sx[order], sw[order]
        start = np.searchsorted(sb, sb, side="left")
        rank_in = np.arange(len(sb)) - start
        keep = rank_in < candidates_per_broker
        sb, sx, sw, rank_in = sb[keep], sx[keep], sw[keep], rank_in[keep]
        size = np.bincount(sb, minlength=n)[sb]  # kept contacts of the arc's broker
        later = size - 1 - rank_in  # partners after this arc within its broker
        first = np.repeat(np.arange(len(sb)), later)
        offset = np.arange(int(later.sum())) - np.repeat(np.cumsum(later) - later, later) + 1
        second = first + offset
        b, a, c = sb[first], sx[first], sx[second]
        s_ba, s_bc = sw[first], sw[second]
        # Name the contact the broker knows better `a` (on equal ties, the smaller id).
        swap = (s_bc > s_ba) | ((s_bc == s_ba) & (id_rank[c] < id_rank[a]))
        a, c = np.where(swap, c, a), np.where(swap, a, c)
        s_ba, s_bc = np.where(swap, s_bc, s_ba), np.where(swap, s_ba, s_bc)

    # Different groups, and no tie at all between a and c.
    keep = groups[a] != groups[c]
    tie_keys = np.sort(np.minimum(graph.src, graph.dst) * n + np.maximum(graph.src, graph.dst))
    pair = np.minimum(a, c) * n + np.maximum(a, c)
    keep &= ~_contains(tie_keys, pair)
    b, a, c, s_ba, s_bc, pair = (x[keep] for x in (b, a, c, s_ba, s_bc, pair))

    # Ties each of a and c already has into the other's group, the broker left out.
    width = int(groups.max()) + 2 if n else 1
    known_to = groups[other] >= 0
    keys, counts = np.unique(owner[known_to] * width + groups[other][known_to], return_counts=True)
    known_a = _lookup(keys, counts, a * width + groups[c]) - (groups[b] == groups[c])
    known_c = _lookup(keys, counts, c * width + groups[a]) - (groups[b] == groups[a])
    warmth = np.minimum(s_ba, s_bc)
    score = warmth / (1 + known_a + known_c)

    # Greedy: best first; each pair once; at most max_per_broker per broker.
    order = np.lexsort((id_rank[c], id_rank[a], id_rank[b], -warmth, -bscore[b], -score))
    taken_pairs: set[int] = set()
    per_broker: dict[int, int] = {}
    chosen: list[int] = []
    for i, bi, pk in zip(order.tolist(), b[order].tolist(), pair[order].tolist(), strict=True):
        if per_broker.get(bi, 0) >= max_per_broker or pk in taken_pairs:
            continue
        taken_pairs.add(pk)
        per_broker[bi] = per_broker.get(bi, 0) + 1
        chosen.append(i)

    label = (
        list(graph.ids)
        if names is None
        else [nm or i for nm, i in zip(names, graph.ids, strict=True)]
    )
    out: list[Introduction] = []
    raw_scores = None if scores is None else np.asarray(scores, dtype=float)
    for rank, i in enumerate(chosen, start=1):
        bi, ai, ci = int(b[i]), int(a[i]), int(c[i])
        ga, gc = group_names[groups[ai]], group_names[groups[ci]]
        ka, kc = int(known_a[i]), int(known_c[i])
        bs = None if raw_scores is None or math.isnan(raw_scores[bi]) else float(raw_scores[bi])
        out.append(
            Introduction(
                rank=rank,
                broker=str(graph.ids[bi]),
                broker_name=None if names is None else names[bi],
                broker_score=bs,
                a=str(graph.ids[ai]),
                a_name=None if names is None else names[ai],
                a_group=ga,
                c=str(graph.ids[ci]),
                c_name=None if names is None else names[ci],
                c_group=gc,
                broker_a=float(s_ba[i]),
                broker_c=float(s_bc[i]),
                known_a=ka,
                known_c=kc,
                warmth=float(warmth[i]),
                score=float(score[i]),
                reason=_reason(
                    label[bi],
                    label[ai],
                    label[ci],
                    ga,
                    gc,
                    float(s_ba[i]),
                    float(s_bc[i]),
                    ka,
                    kc,
                    group_word,
                ),
            )
        )
    return out


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _lookup(keys: np.ndarray, counts: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    if len(keys) == 0:
        return np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, counts[at], 0).astype(np.int64)


def _reason(
    broker: str,
    a: str,
    c: str,
    ga: str,
    gc: str,
    s_ba: float,
    s_bc: float,
    known_a: int,
    known_c: int,
    group_word: str,
) -> str:
    """Why this introduction: who knows whom how well, and how wide the hole is."""
    head = (
        f"{broker} knows {a} ({ga}, tie {s_ba:.2f}) and {c} ({gc}, tie {s_bc:.2f}); "
        f"{a} and {c} are not tied"
    )
    if known_a == 0 and known_c == 0:
        return f"{head}, and neither knows anyone else in the other's {group_word}."

    def people(k: int) -> str:
        return "1 other person" if k == 1 else f"{k} other people"

    parts = []
    if known_a:
        parts.append(f"{a} already knows {people(known_a)} in {gc}")
    if known_c:
        parts.append(f"{c} already knows {people(known_c)} in {ga}")
    return f"{head}; " + " and ".join(parts) + "."


# --------------------------------------------------------------------------- recommend (database)
def recommend_database(
    db: Database,
    *,
    person: str | None = None,
    strong: float = DEFAULT_STRONG,
    group_by: str | None = None,
    max_per_broker: int = DEFAULT_MAX_PER_BROKER,
    candidates_per_broker: int = CANDIDATES_PER_BROKER,
    excluded: Iterable[str] = (),
    write: bool = True,
    progress: Progress | None = None,
) -> RecommendRun:
    """Recommend introductions for ``person`` (or everyone) and, with ``write``, store them.

    Groups come from ``group_by``; by default ``organization`` when anyone has one,
    else the last ranking run's ``pc_group``. Written as
    ``(broker)-[:CAN_INTRODUCE]->(:Introduction {id, run, at, rank, score, warmth,
    known_across, reason, group_by, a_group, c_group})-[:INTRODUCES {strength}]->(a)``
    and ``(i)-[:TO {strength}]->(c)``; the introductions of earlier runs in the same
    scope (everyone, or those involving ``person``) are then deleted.
    """
    say = progress or (lambda _m: None)
    if not 0 < strong <= 1:
        raise UsageError(f"--strong must be in (0, 1], got {strong}")
    if max_per_broker < 1:
        raise UsageError(f"--max-per-broker must be at least 1, got {max_per_broker}")
    timings: dict[str, float] = {}
    notes: list[str] = []
    clock = time.perf_counter()
    settle(db)  # a ranking run stopped after it was published: finish it first
    context = db.query("intro_context")[0]
    if group_by is None:
        if context["has_organization"]:
            group_by = "organization"
        elif context["run_id"] is not None:
            group_by = "pc_group"
            notes.append("Groups: the communities of the last ranking run (pc_group).")
        else:
            raise UsageError(
                "no groups to tell the sides of a hole apart: nobody has an organization and "
                "`powerconnect rank` has not run; pass --group-by PROPERTY or rank first"
            )
    if context["run_id"] is None:
        notes.append(
            "No ranking run yet: brokers' power-connector scores count as 0 "
            "(run `powerconnect rank` to use them)."
        )
    if person is None:
        say("reading the network from Neo4j")
        people = _read_everyone(db, group_by)
    else:
        person = resolve_person(db, person)
        end = _ends(db, person, None)[person]
        _check_source(end)
        if (end.strongest or 0.0) < strong:
            raise UsageError(
                f"{person} has no tie of strength >= {strong}: nobody knows them well enough "
                "to vouch for them (lower --strong?)"
            )
        say(f"reading the network around {person} from Neo4j")
        people = _read_ego(db, person, strong, group_by)
    timings["read"] = time.perf_counter() - clock
    clock = time.perf_counter()
    graph = people.graph
    say(f"recommending introductions among {graph.n} people and {graph.m} ties")
    intros = recommend(
        graph,
        people.groups,
        people.group_names,
        names=people.names,
        private=people.private,
        scores=people.scores,
        excluded=excluded,
        person=person,
        strong=strong,
        max_per_broker=max_per_broker,
        candidates_per_broker=candidates_per_broker,
        group_word="organization" if group_by == "organization" else "group",
    )
    timings["recommend"] = time.perf_counter() - clock
    run_id = uuid.uuid4().hex[:12]
    at = datetime.now(UTC).isoformat(timespec="seconds")
    if write:
        clock = time.perf_counter()
        say(f"writing {len(intros)} introduction{'' if len(intros) == 1 else 's'} to Neo4j")
        write_introductions(db, intros, run_id=run_id, at=at, group_by=group_by, person=person)
        timings["write"] = time.perf_counter() - clock
    return RecommendRun(
        run_id=run_id,
        at=at,
        group_by=group_by,
        person=person,
        introductions=intros,
        written=write,
        timings=timings,
        notes=notes,
    )


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class _People:
    """What :func:`recommend` needs to know about the people of a (sub)network."""

    graph: TieGraph
    groups: np.ndarray  # int codes, -1 = no group
    group_names: list[str]
    names: list[str | None]
    private: np.ndarray  # bool
    scores: np.ndarray  # pc_score, NaN when unranked


def _read_everyone(db: Database, group_by: str) -> _People:
    """The whole network (:func:`engine.analysis.read_network`) plus privacy and scores."""
    network = read_network(db, group_by)
    private, scores = _read_flags(db, network.graph.ids)
    groups, names_of_groups = _no_blank_group(
        np.asarray(network.groups, dtype=np.int64), list(network.group_names)
    )
    return _People(
        graph=network.graph,
        groups=groups,
        group_names=names_of_groups,
        names=[None if _missing(x) else str(x) for x in network.names],
        private=private,
        scores=scores,
    )


def _read_ego(db: Database, person: str, strong: float, group_by: str) -> _People:
    """Only what one person's introductions depend on (query ``intro_ego_network``): the ties
    of the person and of every candidate, so that :func:`recommend` gives the same answer as
    on the whole network, whose size no longer matters."""
    row = db.query("intro_ego_network", person=person, strong=strong, group_by=group_by)[0]
    people = {str(p[0]): p for p in row["people"]}
    ids = list(people)
    graph = TieGraph.from_edges([(str(a), str(b), float(s)) for a, b, s in row["ties"]], nodes=ids)
    order = [people[str(i)] for i in graph.ids]
    codes, uniques = pd.factorize(pd.Series([p[2] for p in order], dtype=object))
    groups, names_of_groups = _no_blank_group(codes.astype(np.int64), [str(u) for u in uniques])
    return _People(
        graph=graph,
        groups=groups,
        group_names=names_of_groups,
        names=[None if _missing(p[1]) else str(p[1]) for p in order],
        private=np.array([bool(p[3]) for p in order], dtype=bool),
        scores=np.array([_score(p[4]) for p in order]),
    )


def _score(value: object) -> float:
    """A stored pc_score as a float, NaN when missing or not a number (:func:`stored_number`)."""
    number = stored_number(value, "pc_score")
    return math.nan if number is None else number


def _no_blank_group(groups: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """A group named "" (how a ranking run stores "no group" in pc_group) becomes -1."""
    blank = [k for k, g in enumerate(names) if g == ""]
    if blank:
        groups = np.where(np.isin(groups, blank), -1, groups)
    return groups, names


def _read_flags(db: Database, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Who is private and each person's pc_score (NaN when unranked), aligned with ``ids``."""
    got_ids: list[str] = []
    got_private: list[bool] = []
    got_scores: list[float] = []
    for record in db.stream("intro_people", chunk=READ_CHUNK):
        got_ids.extend(str(i) for i in record["ids"])
        got_private.extend(bool(p) for p in record["private"])
        got_scores.extend(_score(s) for s in record["scores"])
    at = pd.Index(got_ids).get_indexer(pd.Index(ids))
    private = np.zeros(len(ids), dtype=bool)
    scores = np.full(len(ids), math.nan)
    found = at >= 0
    private[found] = np.asarray(got_private, dtype=bool)[at[found]]
    scores[found] = np.asarray(got_scores, dtype=float)[at[found]]
    return private, scores


def write_introductions(
    db: Database,
    intros: Sequence[Introduction],
    *,
    run_id: str,
    at: str,
    group_by: str,
    person: str | None = None,
    batch_size: int = WRITE_BATCH,
    progress: DbProgress | None = None,
) -> dict[str, int]:
    """Store ``intros`` as one run, then delete earlier runs' introductions in its scope.

    The constraint ``introduction_id`` comes first; then ``UNWIND`` batches of
    ``batch_size`` rows, one transaction each (``intro_write``; ``progress`` gets each
    call's count); then ``intro_publish`` makes the run visible and hides what it replaces
    (all earlier runs, or their introductions involving ``person``), in one transaction;
    then the hidden Introduction nodes go in batched deletes (``intro_delete_previous``).
    Readers (Browser's ``recommended_introductions``) show only published, unhidden
    introductions, so a run stopped in the middle leaves the previous one as it was.
    """
    db.run_auto_commit("intro_constraints")
    rows = [
        {
            "id": f"{run_id}:{i.a}:{i.c}",
            "rank": i.rank,
            "score": i.score,
            "warmth": i.warmth,
            "known_across": i.known_a + i.known_c,
            "reason": i.reason,
            "broker": i.broker,
            "a": i.a,
            "c": i.c,
            "broker_a": i.broker_a,
            "broker_c": i.broker_c,
            "a_group": i.a_group,
            "c_group": i.c_group,
        }
        for i in intros
    ]
    counts = db.write_batches(
        "intro_write",
        rows,
        batch_size=batch_size,
        progress=progress,
        run=run_id,
        at=at,
        group_by=group_by,
    )
    db.write("intro_publish", run=run_id, at=at, person=person, group_by=group_by)
    db.run_auto_commit("intro_delete_previous", run=run_id, person=person, batch=DELETE_BATCH)
    return counts
