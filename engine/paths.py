r"""Warm paths: the warmest path from one person to another, or to anyone in a group.

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

Recommended introductions are in :mod:`engine.recommend`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from powerconnect.engine.analysis import settle
from powerconnect.engine.db import Database, stored_number
from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.engine.people import resolve_person

__all__ = [
    "MAX_HOPS",
    "THRESHOLDS",
    "IntroAnswer",
    "IntroPath",
    "NoPath",
    "explain_path",
    "find_paths",
    "find_paths_to_group",
    "make_path",
    "mark_cold",
    "path_sort_key",
    "rank_paths",
    "read_exclude_file",
]

#: The longest path searched, in ties (3 = two intermediaries).
MAX_HOPS = 3
#: Tie-strength floors tried in turn by the path search, highest first; the last is 0 (all ties).
THRESHOLDS = (0.8, 0.6, 0.4, 0.2, 0.0)


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


def person_ends(db: Database, source: str, target: str | None) -> dict[str, _End]:
    records = db.query("intro_endpoints", **{"from": source, "to": target})
    return {r["id"]: _End(**r.data()) for r in records}


def _check_options(max_hops: int, top: int) -> None:
    if not 1 <= max_hops <= MAX_HOPS:
        raise UsageError(f"a path has at most 3 ties: max_hops must be 1, 2 or 3, got {max_hops}")
    if top < 1:
        raise UsageError(f"the number of paths to show must be at least 1, got {top}")


def check_has_ties(end: _End) -> None:
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
        raise UsageError(f"the two ends of the path are the same person ({source})")
    ends = person_ends(db, source, target)
    a, c = ends[source], ends[target]
    check_has_ties(a)
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
    a = person_ends(db, source, None)[source]
    check_has_ties(a)
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
