"""The generic CSV format: a people file and a ties file.

People (``id,name`` and any further columns, which become properties)::

    id,name,email,organization
    ann,Ann Lee,ann@example.org,Acme

Ties (``source,target,strength`` with strength in (0, 1], and optional columns kept
as properties of the tie)::

    source,target,strength,context
    ann,bob,0.8,worked together

A tie is undirected: ``ann,bob`` and ``bob,ann`` are the same tie. When a tie is listed
more than once the largest strength wins, with the other columns of that row (see
:func:`loaders.model.merge_duplicate_ties`). A strength from a ties file is *explicit*:
it wins over strengths derived from interactions or LinkedIn, on this load and later ones.

An empty cell in a people or ties file removes that property (the file is the truth);
a row that is no longer in the file is not deleted from the database.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError
from powerconnect.loaders.model import (
    MAX_ID_BYTES,
    MAX_INDEXED_BYTES,
    LoadSummary,
    People,
    Progress,
    Ties,
    merge_duplicate_pairs,
    oversize,
)
from powerconnect.loaders.tables import ProblemLog, Table, check_property_names, read_table
from powerconnect.loaders.writer import (
    DEFAULT_BATCH_SIZE,
    DatabaseState,
    Existing,
    SyncPlan,
    TooManyDeletions,
    apply_sync,
    plan_sync,
    preparing,
    read_existing,
    write_load,
)

__all__ = ["PEOPLE_COLUMNS", "TIE_COLUMNS", "load_csv", "read_people", "read_ties"]

PEOPLE_COLUMNS = ("id", "name")
TIE_COLUMNS = ("source", "target", "strength")
#: Tie properties the model owns; a ties file cannot set them through extra columns.
RESERVED_TIE_PROPERTIES = (
    ("id", "strength", "source", "target")
    + tuple(f"strength_{s}" for s in ("csv", "interactions", "linkedin", "explicit", "derived"))
    + (  # what load-interactions and load-linkedin write on a tie
        "interactions",
        "last_interaction",
        "channels",
        "connected_on",
        "linkedin_messages",
        "last_linkedin_message",
    )
)
#: Person properties the engine owns: ``rank`` writes ``pc_*`` (cypher/write_scores.cypher).
RESERVED_PEOPLE_PREFIXES = ("pc_",)


def load_csv(
    db: Database,
    people_path: Path | None,
    ties_path: Path | None,
    *,
    create_missing: bool = False,
    skip_invalid: bool = False,
    sync: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
    allow_deletions: bool = False,
    confirm: Callable[[str], bool] | None = None,
) -> LoadSummary:
    """Load a people file and/or a ties file into the database.

    The whole input is read and validated first; any problem refuses the load before
    anything is written (:class:`~engine.errors.InvalidInput` with file, line and
    reason), unless ``skip_invalid``, which loads the good rows and writes the rejected
    ones to ``<name>.rejected.csv`` beside each input ``<name>.csv``. A tie naming
    someone who is not in the people file is a problem, unless ``create_missing`` (then
    they are created with just their ``id``); without a people file, a tie may name
    anyone already in the database. Loading the same files again changes nothing.

    ``sync`` makes the files the whole truth: after the load, people the people file
    does not list, and explicit ties the ties file does not list, are removed
    (:func:`loaders.writer.sync_to_files`). It cannot go with ``skip_invalid``: a
    rejected row would count as removed. A sync that would delete more than half of the
    people in the database, or take away more than half of its explicit ties
    (:data:`loaders.writer.SYNC_SHARE_LIMIT`), raises
    :class:`~loaders.writer.TooManyDeletions` before anything is written, unless
    ``allow_deletions`` or ``confirm(reason)`` returns true (a dry run only reports it).

    ``dry_run`` reads, validates and compares with the database as a load would, then
    writes nothing (not even the schema) and sums up what the load would do.
    """
    if people_path is None and ties_path is None:
        raise UsageError("nothing to load: give a people file, a ties file, or both")
    if sync and skip_invalid:
        raise UsageError(
            "--sync cannot go with --skip-invalid: a rejected row would be deleted from the "
            "database as if the file no longer listed it"
        )
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        people = read_people(Path(people_path), problems) if people_path is not None else None
        ties = Ties.empty("csv")
        merged = 0
        in_database = _InDatabase(db, state) if people is None else None
        if ties_path is not None:
            if in_database is not None:
                known: set[str] | _InDatabase = in_database
            else:
                assert people is not None
                known = set(people.ids)
            ties, merged = read_ties(
                Path(ties_path),
                problems,
                known=known,
                create_missing=create_missing,
                people_file_given=people is not None,
            )
        rejects = problems.settle(skip_invalid)

        everyone = people if people is not None else People([], [])
        if (create_missing or people is None) and len(ties):
            # the people the ties name beyond the people file: created bare (create_missing),
            # or already in the database (no people file), where bare changes nothing
            listed = set(everyone.ids)
            ids = pd.unique(np.concatenate([ties.a, ties.b]))
            missing = sorted(i for i in ids.tolist() if i not in listed)
            everyone = everyone + People.bare(missing)
        plan: SyncPlan | None = None
        if sync:  # read before the load writes, so that a refusal leaves everything as it was
            plan = plan_sync(
                db,
                everyone if people_path is not None else None,
                ties if ties_path is not None else None,
            )
            excess = plan.excess()
            refused = excess and not dry_run and not allow_deletions
            if excess and refused and (confirm is None or not confirm(excess)):
                raise TooManyDeletions(f"{excess} Nothing was written.")

        summary = write_load(
            db,
            everyone,
            ties,
            state=state,
            batch_size=batch_size,
            progress=progress,
            read_seconds=time.perf_counter() - started,
            rejected=len(problems),
            rejects_files=rejects,
            duplicates_merged=merged,
            dry_run=dry_run,
            # a ties file alone: its people were read from the database to check the ties
            existing=in_database.existing if in_database is not None else None,
        )
    if plan is None:
        return summary
    synced = plan.counts if dry_run else apply_sync(db, plan, batch_size=batch_size)
    return dataclasses.replace(summary, synced=synced)


class _InDatabase:
    """Which of some person ids the database holds, for a ties file loaded without a
    people file; what it reads (:func:`loaders.writer.read_existing`) is kept, so that
    writing the people does not look them up again."""

    def __init__(self, db: Database, state: Future[DatabaseState]) -> None:
        self.db, self.state = db, state
        self.existing: Existing | None = None

    def __call__(self, ids: list[str]) -> set[str]:
        state = self.state.result()  # once the schema is there: through the unique index
        self.existing = read_existing(self.db, ids) if state.any_people else {}
        return set(self.existing)


def read_people(path: Path, problems: ProblemLog) -> People:
    """Read and check a people file; rejected rows go to ``problems``."""
    table = read_table(path, problems)
    table.require(PEOPLE_COLUMNS)
    extra = [h for h in table.header if h not in PEOPLE_COLUMNS]
    check_property_names(table, extra, reserved_prefixes=RESERVED_PEOPLE_PREFIXES)
    ids = table.column("id")
    empty = ids == ""
    problems.add(table, np.flatnonzero(empty), "empty id")
    long_id = oversize(ids, MAX_ID_BYTES)
    problems.add(table, np.flatnonzero(long_id), lambda i: _too_long("id", ids[i], MAX_ID_BYTES))
    empty |= long_id
    if "organization" in table.columns:  # Organization.name is unique: indexed
        orgs = table.column("organization")
        long_org = oversize(orgs, MAX_INDEXED_BYTES) & ~empty
        problems.add(
            table,
            np.flatnonzero(long_org),
            lambda i: _too_long("organization", orgs[i], MAX_INDEXED_BYTES),
        )
        empty |= long_org
    names = ["name", *extra]
    values = {h: table.column(h) for h in names}

    first_row: dict[str, int] = {}
    out_ids: list[str] = []
    out_props: list[dict[str, Any]] = []
    for i in np.flatnonzero(~empty).tolist():
        pid = ids[i]
        props = {h: (values[h][i] or None) for h in names}
        if pid in first_row:
            j = first_row[pid]
            if out_props[j] != props:
                line = int(table.lines[_row_of(table, ids, pid)])
                problems.add(table, [i], f"id {pid!r} is already on line {line} with other values")
            continue  # an identical repeat says nothing new
        first_row[pid] = len(out_ids)
        out_ids.append(pid)
        out_props.append(props)
    return People(out_ids, out_props)


def _too_long(what: str, value: str, limit: int) -> str:
    size = len(value.encode("utf-8", "surrogateescape"))
    return (
        f"{what} of {size} bytes (UTF-8) is too long to index in Neo4j: at most {limit} bytes "
        f"(it starts {value[:20]!r})"
    )


def _row_of(table: Table, ids: np.ndarray, pid: str) -> int:
    return int(np.flatnonzero(ids == pid)[0])


def read_ties(
    path: Path,
    problems: ProblemLog,
    *,
    known: Collection[str] | Callable[[list[str]], set[str]],
    create_missing: bool = False,
    people_file_given: bool = True,
) -> tuple[Ties, int]:
    """Read and check a ties file; returns the ties (canonical, merged) and the number of
    duplicate rows merged. Rejected rows go to ``problems``.

    ``known``: the ids a tie may name (unless ``create_missing``), or a function that
    tells which of the ids the ties name are known (the database, without a people file).
    """
    table = read_table(path, problems)
    table.require(TIE_COLUMNS)
    extra = [h for h in table.header if h not in TIE_COLUMNS]
    check_property_names(table, extra, RESERVED_TIE_PROPERTIES)
    src = table.column("source")
    dst = table.column("target")
    raw_strength = table.column("strength")
    strength = pd.to_numeric(pd.Series(raw_strength, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64
    )

    bad = np.zeros(len(table), dtype=bool)

    def reject(mask: np.ndarray, reason: Any) -> None:
        rows = np.flatnonzero(mask & ~bad)
        problems.add(table, rows, reason)
        bad[rows] = True

    # One factorisation of the ids serves every check below (a million ties: 0.4 s).
    n = len(table)
    codes, uniques = pd.factorize(np.concatenate([src, dst]))
    cs, cd = codes[:n], codes[n:]
    reject(src == "", "empty source id")
    reject(dst == "", "empty target id")
    long_id = oversize(np.asarray(uniques, dtype=object), MAX_ID_BYTES)
    if long_id.any():
        reject(long_id[cs], lambda i: _too_long("source id", str(src[i]), MAX_ID_BYTES))
        reject(long_id[cd], lambda i: _too_long("target id", str(dst[i]), MAX_ID_BYTES))
    reject(cs == cd, lambda i: f"tie of {src[i]!r} to itself")
    reject(raw_strength == "", "empty strength")
    reject(np.isnan(strength), lambda i: f"strength {raw_strength[i]!r} is not a number")
    reject(
        ~((strength > 0) & (strength <= 1)),  # also rejects nan and inf
        lambda i: f"strength {raw_strength[i]} is out of range: it must be in (0, 1]",
    )
    if not create_missing:
        if callable(known):
            known = known([u for u in uniques.tolist() if u != ""])
        where = (
            "is not in the people file; add them there"
            if people_file_given
            else "is not in the database, and no people file was given; load them with --people"
        )
        listed = pd.Series(uniques, dtype=object).isin(known).to_numpy(dtype=bool)
        for ids, c in ((src, cs), (dst, cd)):
            reject(
                ~listed[c],
                lambda i, ids=ids: f"person {ids[i]!r} {where}, or use --create-missing",
            )

    good = np.flatnonzero(~bad)
    # canonical order (a < b) through the rank of each id among all ids
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(uniques.astype(object), kind="stable")] = np.arange(len(uniques))
    rs, rd = rank[cs[good]], rank[cd[good]]
    swap = rs > rd
    a = np.where(swap, dst[good], src[good])
    b = np.where(swap, src[good], dst[good])
    pair = np.minimum(rs, rd) * len(uniques) + np.maximum(rs, rd)
    keep, merged = merge_duplicate_pairs(pair, strength[good])
    rows = good[keep]
    properties = None
    if extra:
        cols = {h: table.column(h)[rows].tolist() for h in extra}
        properties = [{h: (cols[h][k] or None) for h in extra} for k in range(len(rows))]
    return Ties(a[keep], b[keep], strength[rows], "csv", properties), merged
