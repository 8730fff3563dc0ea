"""Rank the network stored in Neo4j and write the results back.

The flow of ``powerconnect rank``:

1. :func:`read_network` reads every person (with the ``--group-by`` property)
   and every tie through the named queries ``people`` and ``ties``;
2. :func:`engine.ranking.rank` computes the measures and the score in Python;
3. :func:`write_results` stores them on each ``:Person`` (``pc_*`` properties
   and a role label) and records a ``(:Run)`` node, replacing the last run.

:func:`open_pairs` runs ``strong_open_pairs``, the Cypher query that lists the
structural holes one person spans with strong ties on both sides, and
:func:`explain_person` (``powerconnect explain``) puts them beside the person's
stored measures, role and explanation.
"""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from powerconnect.engine.db import Batch, Database, Progress
from powerconnect.engine.errors import UsageError
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.people import resolve_person
from powerconnect.engine.ranking import rank

READ_CHUNK = 1_000  # people per record when reading the network
#: People per :RunPart, hence per transaction when the results are settled onto the people.
WRITE_BATCH = 5_000
SCORE_COLUMNS = [
    "rank",
    "score",
    "role",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "strong_ties",
    "weak_ties",
    "groups_bridged",
    "open_pairs",
    "simmelian_ties",
    "group",
    "explanation",
]
#: The columns `powerconnect rank` prints, in order (CSV and JSON); the issue's contract.
OUTPUT_COLUMNS = ["rank", "id", "name", "role", "score"] + [
    c for c in SCORE_COLUMNS if c not in ("rank", "score", "role")
]


@dataclass(frozen=True)
class Network:
    """What crosses from Neo4j to the engine: the tie graph plus names and groups."""

    graph: TieGraph
    names: np.ndarray  # object array, aligned with graph.ids
    groups: np.ndarray | None  # int codes aligned with graph.ids, -1 = unknown; None = detect
    group_names: list[str]
    #: Share of the ties whose strength is the interactions model's P(close) (source
    #: 'interactions' or 'linkedin'); :func:`engine.ranking.auto_strong` uses it.
    calibrated: float = 0.0


@dataclass(frozen=True)
class RankRun:
    """The result of one ranking run."""

    run_id: str
    at: str
    table: pd.DataFrame  # sorted best first; columns as in engine.ranking.rank plus `name`
    timings: dict[str, float]  # seconds spent reading, ranking and writing
    strong: float = 0.5  # the strong threshold used (derived when none was given)
    strong_auto: bool = False  # True when derived from the strengths (engine.ranking.auto_strong)
    strong_rule: str = ""  # which rule of auto_strong chose it, in words ("" when given)
    warnings: tuple[str, ...] = ()  # what engine.ranking.threshold_warnings says about it


@dataclass(frozen=True)
class OpenPair:
    """Two strong contacts of a person who are not strongly tied to each other."""

    a: str
    a_name: str | None
    a_group: str | None
    a_strength: float
    b: str
    b_name: str | None
    b_group: str | None
    b_strength: float
    ab_strength: float | None


def read_network(db: Database, group_by: str | None = None) -> Network:
    """Read all people and ties into a :class:`Network`.

    ``group_by`` names a person property (e.g. ``organization``) whose values
    become the groups; people without it get group -1 (unknown).
    """
    planning = db.plan_ahead(("ties", {"chunk": READ_CHUNK}))  # while the people come
    nodes_list: list[int] = []
    ids_list: list[str] = []
    names_list: list[object] = []
    groups_list: list[str | None] = []
    for record in db.stream("people", group_by=group_by, chunk=READ_CHUNK):
        nodes_list.extend(record["nodes"])
        ids_list.extend(record["ids"])
        names_list.extend(record["names"])
        groups_list.extend(record["groups"])
    if not ids_list:
        raise UsageError("the database holds no people: load some first with `powerconnect load`")
    ids = np.array([str(i) for i in ids_list], dtype=object)
    position = _positions(np.array(nodes_list, dtype=np.int64))
    planning.join()
    sources: list[int] = []
    targets: list[int] = []
    strengths: list[float] = []
    calibrated = 0
    for record in db.stream("ties", chunk=READ_CHUNK):
        sources.extend(record["sources"])
        targets.extend(record["targets"])
        strengths.extend(record["strengths"])
        calibrated += int(record["calibrated"])
    src = position(np.array(sources, dtype=np.int64))
    dst = position(np.array(targets, dtype=np.int64))
    strength = np.array(strengths, dtype=np.float64)
    keep = (src >= 0) & (dst >= 0) & (src != dst) & np.isfinite(strength) & (strength > 0)
    src, dst, strength = _dedupe(src[keep], dst[keep], strength[keep])
    graph = TieGraph.from_arrays(ids, src, dst, strength)
    groups: np.ndarray | None = None
    group_names: list[str] = []
    if group_by is not None:
        values = pd.Series(groups_list, dtype=object)
        if values.isna().all():
            raise UsageError(f"no person has the property {group_by!r} to group by")
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        groups = codes.astype(np.int64)
        group_names = [str(u) for u in uniques]
    names = np.array(names_list, dtype=object)
    share = calibrated / len(strengths) if strengths else 0.0
    return Network(
        graph=graph, names=names, groups=groups, group_names=group_names, calibrated=share
    )


def _positions(nodes: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function from internal node ids to their positions in ``nodes`` (-1 for an id not
    there: a person created after the people were read). The ties query names people by
    internal node id (no property read per tie on the server, and integers to map here:
    1M ties read in about 1.5 s instead of 2.7 s on a warm server, 2026-12-03).

    >>> where = _positions(np.array([40, 7, 12]))
    >>> where(np.array([12, 40, 7, 99])).tolist()
    [2, 0, 1, -1]
    """
    order = np.argsort(nodes, kind="stable")
    known = nodes[order]

    def position(ids: np.ndarray) -> np.ndarray:
        if not len(known):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        return np.where(known[at] == ids, order[at], -1).astype(np.int64)

    return position


def _dedupe(src: np.ndarray, dst: np.ndarray, strength: np.ndarray) -> tuple[np.ndarray, ...]:
    """One tie per unordered pair (the strongest), whichever way it was stored.

    Sorted by pair; one sort on a single pair key, as ties come nearly in order and
    mostly without repeats; only when a pair repeats are its copies sorted strongest first.
    """
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo * (int(hi.max()) + 1 if len(hi) else 1) + hi
    order = np.argsort(key, kind="stable")
    pair = key[order]
    if len(pair) > 1 and bool((pair[1:] == pair[:-1]).any()):
        order = np.lexsort((-strength, key))
        pair = key[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    order = order[first]
    return lo[order], hi[order], strength[order]


def rank_database(
    db: Database,
    *,
    strong: float | None = None,
    group_by: str | None = None,
    write: bool = True,
    progress: Callable[[str], None] | None = None,
) -> RankRun:
    """Rank everyone in the database; with ``write``, store the results in Neo4j.

    ``strong=None`` derives the strong threshold from the ties' strengths
    (:func:`engine.ranking.auto_strong`); the threshold used is in the result
    and stored as ``strong`` on the ``:Run``.
    """
    if strong is not None and not 0 < strong <= 1:
        raise UsageError(f"the strong threshold must be in (0, 1], got {strong}")
    say = progress or (lambda _m: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    say("reading the network from Neo4j")
    network = read_network(db, group_by)
    timings["read"] = time.perf_counter() - clock
    say(f"ranking {network.graph.n} people and {network.graph.m} ties")
    clock = time.perf_counter()
    planning = _plan_writes(db, group_by) if write else None  # the server is idle meanwhile
    try:
        table = rank(
            network.graph,
            strong=strong,
            groups=network.groups,
            group_names=network.group_names or None,
            calibrated=network.calibrated,
        )
    except Exception:
        if planning is not None:  # done with the server before the caller closes it
            planning.join()
        raise
    used = float(table.attrs["strong"])
    warnings = tuple(table.attrs.get("warnings", ()))
    name_of = dict(zip(network.graph.ids, network.names, strict=True))
    table.insert(int(list(table.columns).index("id")) + 1, "name", table["id"].map(name_of))
    timings["rank"] = time.perf_counter() - clock
    run_id = uuid.uuid4().hex[:12]
    at = ""
    if write:
        say("writing the results to Neo4j")
        clock = time.perf_counter()
        parameters = {
            "engine": "local",
            "strong": used,
            "strong_auto": strong is None,
            "strong_rule": str(table.attrs.get("strong_rule", "")),
            "group_by": group_by,
        }
        if planning is not None:
            planning.join()
        at = write_results(db, table, run_id, parameters, ties=network.graph.m)
        timings["write"] = time.perf_counter() - clock
    return RankRun(
        run_id=run_id,
        at=at,
        table=table,
        timings=timings,
        strong=used,
        strong_auto=strong is None,
        strong_rule=str(table.attrs.get("strong_rule", "")),
        warnings=warnings,
    )


def _plan_writes(db: Database, group_by: str | None) -> threading.Thread:
    """Plan :func:`write_results`' queries in the background (:meth:`Database.plan_ahead`),
    with its parameters' types: on a server just started, a rank's write waited about 3 s
    for them to be planned (``settle_run`` alone 1.5 s), while the engine ranks for about as
    long with the server idle."""
    one_part = [[{"part": 0, "ids": [""], "rank": [0], "score": [0.0]}]]
    return db.plan_ahead(
        ("settle_run", {}),
        ("drop_run_parts", {}),
        ("write_scores", {"run": "", "batches": one_part}),
        (
            "publish_run",
            {
                "id": "",
                "parameters": "",
                "strong": 0.5,
                "group_by": group_by,
                "people": 0,
                "ties": 0,
            },
        ),
    )


#: The result columns staged for a run (each an array on a :RunPart; see :func:`result_parts`)
#: and how each is stored: as integers, as floats (NaN for none) or as strings.
INT_COLUMNS = ["rank", "strong_ties", "weak_ties", "groups_bridged", "open_pairs", "simmelian_ties"]
FLOAT_COLUMNS = ["score", "constraint", "effective_size", "efficiency", "hierarchy"]


#: The score tiers above ``low``, best first: a score at least this share of the run's best.
SCORE_TIERS = (("top", 0.75), ("high", 0.5), ("mid", 0.25))


def score_tiers(score: np.ndarray) -> list[str]:
    """Each score as a share of the run's best score, in quarters: ``top`` (at least 3/4 of
    the best), ``high`` (1/2), ``mid`` (1/4), ``low`` (above 0), and ``""`` for no score
    (0 or NaN).

    >>> score_tiers(np.array([0.8, 0.5, 0.3, 0.1, 0.0, np.nan]))
    ['top', 'high', 'mid', 'low', '', '']
    """
    score = np.asarray(score, dtype=np.float64)
    scored = score > 0  # False for 0 and NaN: no score, no tier
    best = float(score[scored].max()) if scored.any() else 0.0
    tier = np.select(
        [score >= share * best for _, share in SCORE_TIERS],
        [name for name, _ in SCORE_TIERS],
        default="low",
    )
    return np.where(scored, tier, "").tolist()


def result_parts(table: pd.DataFrame, part_size: int) -> Iterator[Batch]:
    """What a ranking run stores, as ``write_scores`` stages it: ``table`` (one row per person,
    with ``id`` and :data:`SCORE_COLUMNS`) cut into parts of ``part_size`` people, each one
    :data:`~engine.db.Batch` holding one map: ``part`` (its number from 0), ``ids`` and one array
    per column at the same positions, plus ``score_tier`` (:func:`score_tiers`). Arrays hold no
    nulls: a missing number is NaN (stored as null by ``settle_run``), no tier is ``""``.

    ``settle_run`` then writes each person's values as ``pc_<column>`` properties (null for
    NaN) with ``pc_run``, the role label and the score-tier label: the layout any writer of
    results must follow (stage parts, ``publish_run``, ``settle_run``).
    """
    columns: dict[str, list[Any]] = {"ids": [str(i) for i in table["id"].tolist()]}
    for column in SCORE_COLUMNS:
        if column in INT_COLUMNS:
            columns[column] = np.asarray(table[column], dtype=np.int64).tolist()
        elif column in FLOAT_COLUMNS:
            columns[column] = np.asarray(table[column], dtype=np.float64).tolist()
        else:
            columns[column] = table[column].tolist()
    columns["score_tier"] = score_tiers(table["score"].to_numpy(dtype=np.float64))
    for part, start in enumerate(range(0, len(table), part_size)):
        chunk = {name: values[start : start + part_size] for name, values in columns.items()}
        yield [{"part": part} | chunk], len(chunk["ids"])


def write_results(
    db: Database,
    table: pd.DataFrame,
    run_id: str,
    parameters: dict[str, Any],
    *,
    ties: int,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> str:
    """Store this run's results on every person (replacing the previous run's, since every
    person is ranked in each run) and record the ``:Run``.

    Nothing of the run is visible until it is complete: the results are first staged under
    the run id, as :RunPart nodes of ``batch_size`` people (default :data:`WRITE_BATCH`;
    :func:`result_parts`, ``write_scores``; ``progress`` gets each call's count of people),
    then ``publish_run`` makes this run the ``:Run`` in one small transaction, then
    :func:`settle` writes the staged values onto the people. A rank stopped before
    ``publish_run`` leaves the previous run whole (its parts are dropped by the next rank);
    one stopped after it is settled by the next reader (:func:`settle`).

    The score tier (:func:`score_tiers`) becomes the labels :ScoreTop, :ScoreHigh, :ScoreMid
    and :ScoreLow, which size people in Neo4j Browser (``cypher/browser/powerconnect.grass``).
    """
    size = batch_size or WRITE_BATCH
    settle(db)  # a run published but not settled: its values go in first
    db.write("drop_run_parts")  # parts of runs stopped before they were published
    db.run_batches("write_scores", result_parts(table, size), progress=progress, run=run_id)
    record = db.write(
        "publish_run",
        id=run_id,
        parameters=json.dumps(parameters, sort_keys=True),
        strong=parameters["strong"],
        group_by=parameters["group_by"],
        people=len(table),
        ties=ties,
    )[0]
    settle(db)
    return str(record["at"])


#: How many times :func:`settle` runs ``settle_run`` when concurrent readers race for a part.
SETTLE_ATTEMPTS = 5


def settle(db: Database) -> None:
    """Finish what a ranking run stopped after ``publish_run`` left: write the values staged
    for the current ``:Run`` onto the people, one :RunPart per transaction (``settle_run``).

    Every reader of the results calls it first (``report``, ``explain``, ``introduce``,
    ``recommend``), and every writer before and after it stages a run, so none sees a mix
    of two runs. ``settle_run`` finds the current run itself and writes nothing when there
    is no run or no part left, so there is nothing to look up first.
    """
    from neo4j.exceptions import Neo4jError  # noqa: PLC0415 (the driver is heavy)

    for attempt in range(SETTLE_ATTEMPTS):
        try:
            db.run_auto_commit("settle_run")
            return
        except Neo4jError:
            # Another reader settling the same run at the same time wrote and deleted a
            # part this one had matched (its transaction then fails and rolls back): go
            # again over the parts that are left. A failure that is not such a race comes
            # back every time, and is raised after the last attempt.
            if attempt == SETTLE_ATTEMPTS - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def _plain(value: Any) -> Any:
    """numpy scalars to Python ones; NaN to null (Neo4j stores no NaN we want to show)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def open_pairs(
    db: Database,
    person_id: str,
    *,
    strong: float,
    group_by: str | None = None,
    limit: int = 25,
) -> list[OpenPair]:
    """The structural holes ``person_id`` spans with strong ties on both sides (Cypher):
    pairs of strong contacts in different groups not strongly tied to each other.

    A contact's group is its ``group_by`` property, or with ``None`` the group the last
    ranking run stored on it (``pc_group``).
    """
    records = db.query(
        "strong_open_pairs", id=person_id, strong=strong, group_by=group_by, limit=limit
    )
    return [OpenPair(**record.data()) for record in records]


def run_strong(db: Database) -> float | None:
    """The strong threshold of the last ranking run, ``None`` when there is none."""
    rows = db.query("run_strong")
    value = rows[0]["strong"] if rows else None
    return None if value is None else float(value)


@dataclass(frozen=True)
class PersonRanking:
    """One person's stored ranking, the run it comes from, and the holes they span."""

    id: str
    name: str | None
    rank: int
    role: str
    score: float
    constraint: float | None
    effective_size: float | None
    efficiency: float | None
    hierarchy: float | None
    strong_ties: int
    weak_ties: int
    groups_bridged: int
    open_pairs: int
    simmelian_ties: int
    group: str
    explanation: str
    run: str
    strong: float
    group_by: str | None
    holes: list[OpenPair]


def explain_person(db: Database, person_id: str, *, limit: int = 25) -> PersonRanking:
    """Why ``person_id`` ranks where they do in the last stored run: their measures, role
    and explanation (``explain_person``), and up to ``limit`` of the structural holes they
    span at the run's strong threshold and groups (``strong_open_pairs``). ``person_id`` may
    also be a LinkedIn profile URL, an e-mail or a name (:func:`engine.people.resolve_person`)."""
    settle(db)  # a ranking run stopped after it was published: finish it first
    person_id = resolve_person(db, person_id)
    rows = db.query("explain_person", id=person_id)
    if not rows:
        raise UsageError(f"no person has the id {person_id!r}")
    row = rows[0].data()
    if row["run"] is None or row["rank"] is None:
        raise UsageError(
            f"{person_id!r} has no stored ranking: the database holds no ranking run that"
            " includes them yet"
        )
    holes = open_pairs(
        db, person_id, strong=float(row["strong"]), group_by=row["group_by"], limit=limit
    )
    return PersonRanking(**(row | {"holes": holes}))
