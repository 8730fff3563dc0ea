r"""Recommended introductions: who can introduce whom across a structural hole.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from powerconnect.engine.analysis import read_network, settle
from powerconnect.engine.db import Database, stored_number
from powerconnect.engine.db import Progress as DbProgress
from powerconnect.engine.errors import UsageError
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.paths import check_has_ties, person_ends, read_exclude_file
from powerconnect.engine.people import resolve_person
from powerconnect.engine.ranking import DEFAULT_STRONG

__all__ = [
    "CANDIDATES_PER_BROKER",
    "DEFAULT_MAX_PER_BROKER",
    "Introduction",
    "RecommendRun",
    "read_exclude_file",
    "recommend",
    "recommend_database",
    "score_introduction",
]

#: Introductions one broker is asked for in a `recommend` run, by default.
DEFAULT_MAX_PER_BROKER = 5
#: For everyone, the strongest contacts of each broker that are paired into candidates.
CANDIDATES_PER_BROKER = 25
#: Introductions written per transaction; Introduction nodes deleted per transaction.
WRITE_BATCH = 5_000
DELETE_BATCH = 10_000
READ_CHUNK = 1_000

Progress = Callable[[str], None]


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
        raise UsageError(f"the strong-tie threshold must be in (0, 1], got {strong}")
    if max_per_broker < 1:
        raise UsageError(f"the introductions per broker must be at least 1, got {max_per_broker}")
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
    # The strong arcs broker -> contact: who brokers, whom they know, how strongly.
    arc_broker, arc_contact, arc_strength = owner[usable], other[usable], weight[usable]

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
        brokers, strength_bp = owner[into_p], weight[into_p]
        order = np.argsort(arc_broker, kind="stable")
        arc_broker, arc_contact, arc_strength = (
            arc_broker[order],
            arc_contact[order],
            arc_strength[order],
        )
        lo = np.searchsorted(arc_broker, brokers, side="left")
        hi = np.searchsorted(arc_broker, brokers, side="right")
        count = hi - lo
        left = np.repeat(np.arange(len(brokers)), count)
        pos = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        arc = np.repeat(lo, count) + pos
        b, a, c = brokers[left], np.full(len(arc), p, dtype=np.int64), arc_contact[arc]
        strength_ba, strength_bc = strength_bp[left], arc_strength[arc]
        keep = c != p
        b, a, c, strength_ba, strength_bc = (
            b[keep],
            a[keep],
            c[keep],
            strength_ba[keep],
            strength_bc[keep],
        )
    else:
        # Each broker's strongest contacts first (ties by id), at most candidates_per_broker.
        order = np.lexsort((id_rank[arc_contact], -arc_strength, arc_broker))
        arc_broker, arc_contact, arc_strength = (
            arc_broker[order],
            arc_contact[order],
            arc_strength[order],
        )
        start = np.searchsorted(arc_broker, arc_broker, side="left")
        rank_in = np.arange(len(arc_broker)) - start
        keep = rank_in < candidates_per_broker
        arc_broker, arc_contact, arc_strength, rank_in = (
            arc_broker[keep],
            arc_contact[keep],
            arc_strength[keep],
            rank_in[keep],
        )
        size = np.bincount(arc_broker, minlength=n)[arc_broker]  # kept contacts of the arc's broker
        later = size - 1 - rank_in  # partners after this arc within its broker
        first = np.repeat(np.arange(len(arc_broker)), later)
        offset = np.arange(int(later.sum())) - np.repeat(np.cumsum(later) - later, later) + 1
        second = first + offset
        b, a, c = arc_broker[first], arc_contact[first], arc_contact[second]
        strength_ba, strength_bc = arc_strength[first], arc_strength[second]
        # Name the contact the broker knows better `a` (on equal ties, the smaller id).
        swap = (strength_bc > strength_ba) | (
            (strength_bc == strength_ba) & (id_rank[c] < id_rank[a])
        )
        a, c = np.where(swap, c, a), np.where(swap, a, c)
        strength_ba, strength_bc = (
            np.where(swap, strength_bc, strength_ba),
            np.where(swap, strength_ba, strength_bc),
        )

    # Different groups, and no tie at all between a and c.
    keep = groups[a] != groups[c]
    tie_keys = np.sort(np.minimum(graph.src, graph.dst) * n + np.maximum(graph.src, graph.dst))
    pair = np.minimum(a, c) * n + np.maximum(a, c)
    keep &= ~_contains(tie_keys, pair)
    b, a, c, strength_ba, strength_bc, pair = (
        x[keep] for x in (b, a, c, strength_ba, strength_bc, pair)
    )

    # Ties each of a and c already has into the other's group, the broker left out.
    width = int(groups.max()) + 2 if n else 1
    known_to = groups[other] >= 0
    keys, counts = np.unique(owner[known_to] * width + groups[other][known_to], return_counts=True)
    known_a = _lookup(keys, counts, a * width + groups[c]) - (groups[b] == groups[c])
    known_c = _lookup(keys, counts, c * width + groups[a]) - (groups[b] == groups[a])
    warmth = np.minimum(strength_ba, strength_bc)
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
                broker_a=float(strength_ba[i]),
                broker_c=float(strength_bc[i]),
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
                    float(strength_ba[i]),
                    float(strength_bc[i]),
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
    strength_ba: float,
    strength_bc: float,
    known_a: int,
    known_c: int,
    group_word: str,
) -> str:
    """Why this introduction: who knows whom how well, and how wide the hole is."""
    head = (
        f"{broker} knows {a} ({ga}, tie {strength_ba:.2f}) and {c} ({gc}, tie {strength_bc:.2f}); "
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
        raise UsageError(f"the strong-tie threshold must be in (0, 1], got {strong}")
    if max_per_broker < 1:
        raise UsageError(f"the introductions per broker must be at least 1, got {max_per_broker}")
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
        end = person_ends(db, person, None)[person]
        check_has_ties(end)
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
