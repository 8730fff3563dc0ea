"""Writing people and ties: compare with the database, then write only what differs.

Every loader hands its validated :class:`~loaders.model.People` and
:class:`~loaders.model.Ties` to :func:`write_people` and :func:`write_ties`, which

1. read what the database already holds for those people and ties (named read queries,
   batched), and compare in Python, so that the summary's *created* and *updated* are
   honest and a second identical load writes nothing at all;
2. write the differences in batches, one transaction per batch, several batches per
   call (:meth:`engine.db.Database.run_batches`: the server goes from one batch to the
   next without waiting for the client, which builds the next call meanwhile):
   ``load_people_create`` / ``load_people_update`` / ``load_people_organizations``,
   ``load_ties_create`` (or ``load_ties_create_with_properties``) / ``load_ties_merge`` /
   ``load_ties_update``.

The fast path: a tie one of whose people was created by this load (or any tie, when
the database holds no tie at all) cannot exist yet, so it is neither looked up nor
merged but created, in rows grouped by its first person, with ``strength`` (and
``source`` for derived ties) as the only properties when there are no others (a
second property record per relationship costs about a third more server time, a
``SET`` per tie another 4%, and even a ``source`` on each explicit tie about 8%).

People are named by their internal node ids (Cypher's ``id()``) while a load runs: the
loader reads or creates them, and uses the ids within seconds. Integers cost less to
send and to look up than element-id strings (about 6% of a million-tie load); both name
the same record and are reused alike once a node is deleted, so ``id()``'s deprecation
(about keeping ids outside the database) does not apply here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerconnect.engine.db import Batch, Database, batched
from powerconnect.engine.errors import UsageError
from powerconnect.loaders.model import (
    DERIVED_SOURCES,
    LoadSummary,
    People,
    Progress,
    Ties,
    canonical,
    changed_properties,
    tie_properties,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "READ_BATCH",
    "SYNC_SHARE_LIMIT",
    "DatabaseState",
    "PeopleWritten",
    "SyncPlan",
    "TooManyDeletions",
    "TiesWritten",
    "apply_sync",
    "plan_sync",
    "prepare",
    "preparing",
    "read_existing",
    "sync_to_files",
    "write_load",
    "write_people",
    "write_ties",
]

#: Rows per transaction. 20k ties per transaction measured as fast as 50k on 2 cores, and
#: keeps each transaction's memory small.
DEFAULT_BATCH_SIZE = 20_000
#: Ids (or pairs) per lookup transaction when a load reads what the database holds.
READ_BATCH = 20_000
_SYNC_CHUNK = 1_000  # first people per record when reading explicit ties for --sync


@dataclass(frozen=True)
class PeopleWritten:
    created: int
    updated: int
    unchanged: int
    node_ids: dict[str, int]  # person id -> internal node id, for every person written
    new: set[str]  # ids of the people this load created


#: The people of a load already in the database, by id: (internal id, properties, names of
#: the organizations they WORKS_AT), as ``load_people_existing`` returns them.
Existing = dict[str, tuple[int, dict[str, Any], list[str]]]


def read_existing(db: Database, ids: list[str]) -> Existing:
    """Which of ``ids`` the database holds, and as what (``load_people_existing``, through
    the unique index on ``Person.id`` once the schema is there)."""
    existing: Existing = {}
    for rec in db.read_batches("load_people_existing", batched(ids, READ_BATCH)):
        for pid, eid, props, orgs in rec["people"]:
            existing[pid] = (eid, props, orgs)
    return existing


@dataclass(frozen=True)
class TiesWritten:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class DatabaseState:
    """What a load needs to know before it writes: whether there is anything already."""

    any_people: bool
    any_ties: bool


def prepare(db: Database, *, schema: bool = True) -> DatabaseState:
    """Create the schema if it is missing (unique ``Person.id``, ``Organization.name``;
    not when ``schema`` is false, for a dry run) and see whether the database holds any
    person and any tie yet (both at once: on a server just started each takes a second or
    two, mostly planning)."""
    with ThreadPoolExecutor(1) as pool:
        created = pool.submit(db.setup_schema) if schema else None
        row = db.query("load_database_state")[0]
        if created is not None:
            created.result()
    return DatabaseState(any_people=bool(row["people"]), any_ties=bool(row["ties"]))


@contextmanager
def preparing(db: Database, *, schema: bool = True) -> Iterator[Future[DatabaseState]]:
    """Run :func:`prepare` in the background while the caller reads and validates its files.

    On a server just started, the schema statements and the first query take a second or
    two to plan, as long as reading a million ties; this overlaps them. Nothing but the
    schema is written (nothing at all without ``schema``, for a dry run), so a refused
    load still leaves the data as it was. The block waits for it on the way out.
    """
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(prepare, db, schema=schema)


def write_load(
    db: Database,
    people: People,
    ties: Ties,
    *,
    state: Future[DatabaseState] | DatabaseState | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    read_seconds: float = 0.0,
    rejected: int = 0,
    rejects_files: list[Path] | None = None,
    duplicates_merged: int = 0,
    dry_run: bool = False,
    existing: Existing | None = None,
) -> LoadSummary:
    """Write validated people, then ties (the last step of every loader), and sum it up.

    The load is recorded as started, then finished (``load_started``, ``load_finished``):
    one stopped in the middle shows in ``powerconnect info``, and the same load run again
    completes it. ``state`` comes from :func:`prepare` (or :func:`preparing`); without it, it is
    prepared first. ``existing``: :func:`read_existing` of all of ``people``, when the
    caller has read it already. ``dry_run`` compares with the database as a load would, writes
    nothing, and sums up what the load would do.
    """
    started = time.perf_counter()
    if state is None:
        state = prepare(db, schema=not dry_run)
    elif isinstance(state, Future):
        state = state.result()
    if not dry_run:  # `info` tells a load stopped before load_finished
        db.write("load_started", source=ties.source)
    # The ties' person codes do not depend on the database: work them out while the
    # server writes the people (half a second for a million ties).
    with ThreadPoolExecutor(1) as pool:
        coded = pool.submit(code_people, ties)
        written = write_people(
            db,
            people,
            batch_size=batch_size,
            progress=progress,
            any_people=state.any_people,
            dry_run=dry_run,
            existing=existing,
        )
        people_done = time.perf_counter()
        tw = write_ties(
            db,
            ties,
            written.node_ids,
            written.new,
            batch_size=batch_size,
            progress=progress,
            any_ties=state.any_ties,
            coded=coded.result(),
            dry_run=dry_run,
        )
    if not dry_run:
        db.write("load_finished")
    return LoadSummary(
        people_created=written.created,
        people_updated=written.updated,
        people_unchanged=written.unchanged,
        ties_created=tw.created,
        ties_updated=tw.updated,
        ties_unchanged=tw.unchanged,
        rejected=rejected,
        duplicates_merged=duplicates_merged,
        rejects_files=list(rejects_files or []),
        seconds={
            "read": read_seconds,
            "people": people_done - started,
            "ties": time.perf_counter() - people_done,
        },
        dry_run=dry_run,
    )


#: A sync that would delete more than this share of the people in the database, or take
#: away more than this share of its explicit ties, stops unless the user confirms: a file
#: cut short (10 of 2,498 ties) must not empty the graph by itself.
SYNC_SHARE_LIMIT = 0.5


class TooManyDeletions(UsageError):
    """A sync would delete more than :data:`SYNC_SHARE_LIMIT` of what it covers."""


@dataclass(frozen=True)
class SyncPlan:
    """What a sync would delete (:func:`plan_sync`), read before anything is written."""

    keep: list[str] | None  # the people file's ids (None: people are left alone)
    gone: set[str]  # people to delete
    gone_ties: int  # ties that go with them, each counted once
    people_total: int  # people in the database
    deletes: list[int]  # explicit ties to delete (internal ids)
    fallbacks: list[list[Any]]  # [internal id, {strength, source}] of ties that fall back
    unlisted: int  # explicit ties the ties file does not list (with those of `gone`)
    explicit_total: int  # explicit ties in the database

    @property
    def counts(self) -> tuple[int, int, int]:
        """(people deleted, ties deleted, ties fallen back), as :func:`sync_to_files`."""
        return len(self.gone), self.gone_ties + len(self.deletes), len(self.fallbacks)

    def excess(self) -> str | None:
        """Why this sync deletes too much (None when it stays within the share)."""
        too_much = []
        if self.people_total and len(self.gone) > SYNC_SHARE_LIMIT * self.people_total:
            too_much.append(
                f"delete {len(self.gone)} of the {self.people_total} people in the database "
                f"(with {self.gone_ties} ties)"
            )
        if self.explicit_total and self.unlisted > SYNC_SHARE_LIMIT * self.explicit_total:
            too_much.append(
                f"remove {self.unlisted} of the {self.explicit_total} explicit ties in the "
                f"database ({len(self.deletes)} deleted, {len(self.fallbacks)} back to a "
                "derived strength, the rest with their people)"
            )
        if not too_much:
            return None
        return (
            f"syncing to these files would {' and '.join(too_much)}: more than "
            f"{SYNC_SHARE_LIMIT:.0%}; is a file cut short?"
        )


def plan_sync(db: Database, people: People | None, ties: Ties | None) -> SyncPlan:
    """What :func:`sync_to_files` would delete; reads only.

    With ``people``: every person whose id is not among them. With ``ties``: every explicit
    tie (no ``source``) the ties do not list, between people who stay: it falls back to its
    largest derived strength, or is deleted when there is none.
    """
    keep = list(people.ids) if people is not None else None
    gone: set[str] = set()
    gone_ties = people_total = 0
    if keep is not None:
        row = db.query("load_sync_people_preview", keep=keep)[0]
        gone, gone_ties = set(row["ids"]), int(row["ties"])
        people_total = int(db.query("database_counts")[0]["people"])
    deletes: list[int] = []
    fallbacks: list[list[Any]] = []
    unlisted = explicit_total = 0
    if ties is not None:
        a, b = canonical(ties.a, ties.b)
        listed = set(zip(a.tolist(), b.tolist(), strict=True))
        for rec in db.stream("load_sync_ties", chunk=_SYNC_CHUNK):
            explicit_total += len(rec["ties"])
            for tie, x, y, *derived in rec["ties"]:
                if (x, y) in listed or (y, x) in listed:
                    continue
                unlisted += 1
                if x in gone or y in gone:
                    continue  # deleted with its people
                found = [(v, s) for v, s in zip(derived, DERIVED_SOURCES, strict=True) if v]
                if found:
                    value, source = max(found)
                    fallbacks.append([tie, {"strength": value, "source": source}])
                else:
                    deletes.append(tie)
    return SyncPlan(
        keep, gone, gone_ties, people_total, deletes, fallbacks, unlisted, explicit_total
    )


def apply_sync(
    db: Database, plan: SyncPlan, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, int, int]:
    """Delete what ``plan`` says; returns (people deleted, ties deleted, with those of the
    people deleted, ties fallen back). The plan stays right across a load of the same files
    in between: a load adds and updates the people and ties it lists, never others."""
    people_deleted = ties_deleted = 0
    if plan.keep is not None:
        rows = db.run_auto_commit("load_sync_people", keep=plan.keep, batch=batch_size)
        if rows:
            people_deleted, ties_deleted = int(rows[0]["deleted"]), int(rows[0]["ties"] or 0)
        db.query("load_sync_organizations")
    db.run_batches("load_ties_delete", batched(plan.deletes, batch_size))
    db.run_batches("load_ties_update", batched(plan.fallbacks, batch_size))
    return people_deleted, ties_deleted + len(plan.deletes), len(plan.fallbacks)


def sync_to_files(
    db: Database,
    people: People | None,
    ties: Ties | None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> tuple[int, int, int]:
    """``load --sync``: after a load, delete what the files no longer list.

    With ``people``: every person whose id is not among them is deleted, with their ties
    and the introductions they take part in (``load_sync_people``), and organizations
    left without anyone. With ``ties``: every explicit tie (no ``source``) between
    people that the ties do not list loses its explicit strength: it falls back to the
    largest strength derived for it by ``load-interactions`` / ``load-linkedin``, or is
    deleted when there is none. ``None`` leaves that part alone. Returns (people deleted,
    ties deleted, with those of the people deleted, ties fallen back). ``dry_run`` counts
    them and deletes nothing. (No share limit here: :func:`loaders.load_csv` checks
    :meth:`SyncPlan.excess` before it writes.)
    """
    plan = plan_sync(db, people, ties)
    return plan.counts if dry_run else apply_sync(db, plan, batch_size=batch_size)


# ------------------------------------------------------------------------ people
def write_people(
    db: Database,
    people: People,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    any_people: bool | None = None,
    dry_run: bool = False,
    existing: Existing | None = None,
) -> PeopleWritten:
    """Create the people who are missing, update the ones whose properties differ.

    ``any_people``: whether the database holds any person (None: ask it). ``existing``:
    :func:`read_existing` of all of ``people``, if already read (None: read it). ``dry_run``
    writes nothing and gives the people it would create negative stand-in node ids, good
    only for :func:`write_ties` with ``dry_run`` (which never looks them up).
    """
    if existing is None:
        if any_people is None:
            any_people = bool(db.query("load_database_state")[0]["people"])
        existing = read_existing(db, people.ids) if len(people) and any_people else {}

    creates: list[list[Any]] = []
    updates: list[list[Any]] = []
    org_rows: list[list[Any]] = []  # [node id, organization or None]
    new_orgs: list[tuple[str, str]] = []
    updated = 0
    node_ids: dict[str, int] = {}
    for pid, props in zip(people.ids, people.properties, strict=True):
        found = existing.get(pid)
        if found is None:
            creates.append([pid, {k: v for k, v in props.items() if v is not None}])
            if props.get("organization") is not None:
                new_orgs.append((pid, props["organization"]))
            continue
        eid, current, orgs = found
        node_ids[pid] = eid
        changes = changed_properties(current, props)
        org_changed = False
        if "organization" in props:
            wanted = [props["organization"]] if props["organization"] is not None else []
            org_changed = sorted(orgs) != wanted
            if org_changed:
                org_rows.append([eid, props["organization"]])
        if changes:
            updates.append([eid, changes])
        if changes or org_changed:
            updated += 1

    if dry_run:
        node_ids.update((row[0], -1 - k) for k, row in enumerate(creates))
    else:
        total = len(creates) + len(updates) + len(org_rows) + len(new_orgs)
        done = _Counter("people", total, progress)
        created = db.run_batches("load_people_create", batched(creates, batch_size), progress=done)
        for rec in created.records:
            node_ids.update(rec["people"])
        db.run_batches("load_people_update", batched(updates, batch_size), progress=done)
        org_rows += [[node_ids[pid], org] for pid, org in new_orgs]
        db.run_batches("load_people_organizations", batched(org_rows, batch_size), progress=done)
    return PeopleWritten(
        created=len(creates),
        updated=updated,
        unchanged=len(people) - len(creates) - updated,
        node_ids=node_ids,
        new={row[0] for row in creates},
    )


# ------------------------------------------------------------------------ ties
#: (codes, person ids): ``codes[i]`` numbers the person of end ``a`` of tie ``i``, and
#: ``codes[n + i]`` that of end ``b``; ``person ids[code]`` is the person's id.
PeopleCodes = tuple[np.ndarray, np.ndarray]


def code_people(ties: Ties) -> PeopleCodes:
    """Number the people the ties name, through one factorisation of both ends (node ids
    are then looked up once per person rather than once per end of each tie)."""
    codes, uniques = pd.factorize(np.concatenate([ties.a, ties.b]))
    return codes, np.asarray(uniques, dtype=object)


def write_ties(
    db: Database,
    ties: Ties,
    node_ids: dict[str, int],
    new_people: set[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    any_ties: bool | None = None,
    coded: PeopleCodes | None = None,
    dry_run: bool = False,
) -> TiesWritten:
    """Create new ties, update the ones whose properties differ, leave the rest alone.

    ``node_ids`` must hold every person the ties name (see :func:`write_people`);
    ``new_people`` are the ids created by this load: their ties cannot exist yet;
    ``any_ties``: whether the database holds any tie (None: ask it); ``coded``:
    :func:`code_people` of ``ties``, if already worked out. ``dry_run`` writes nothing
    and counts what it would write (a merge as a creation).
    """
    n = len(ties)
    if n == 0:
        return TiesWritten(0, 0, 0)
    codes, uniques = coded if coded is not None else code_people(ties)
    people = pd.Series(uniques, dtype=object)
    eids = people.map(node_ids).to_numpy(dtype=object)
    if pd.isna(eids).any():
        raise ValueError("write_ties: a tie names a person that was not written first")
    ca, cb = codes[:n], codes[n:]
    ea, eb = eids[ca], eids[cb]
    if any_ties is None:
        any_ties = bool(db.query("load_database_state")[0]["ties"])
    if not any_ties:
        known_new = np.ones(n, dtype=bool)
    elif new_people:
        fresh = people.isin(new_people).to_numpy(dtype=bool)
        known_new = fresh[ca] | fresh[cb]
    else:
        known_new = np.zeros(n, dtype=bool)

    # Look up the ties that may exist already, and decide what each one needs.
    maybe = np.flatnonzero(~known_new)
    found_tie: list[int] = []
    found_value: list[Any] = []  # the strength alone, or the properties (map)
    hit = np.full(len(maybe), -1, dtype=np.int64)  # where each of maybe is in found_*
    if len(maybe):
        lookups = _grouped(ea[maybe], ca[maybe], [eb[maybe]], READ_BATCH)
        found_a: list[int] = []
        found_b: list[int] = []
        for rec in db.read_batches("load_ties_existing", lookups):
            found_a += rec["a"]
            found_b += rec["b"]
            found_tie += rec["tie"]
            found_value += rec["value"]
        hit = _positions(found_a, found_b, ea[maybe], eb[maybe])
    plain_csv = ties.source == "csv" and ties.properties is None
    todo = np.arange(len(maybe))
    if plain_csv and found_value:
        # the common reload, in bulk: a tie whose only property is the same strength
        value = np.array([v if type(v) is float else np.nan for v in found_value])
        same = np.zeros(len(maybe), dtype=bool)
        known = hit >= 0
        same[known] = value[hit[known]] == ties.strength[maybe[known]]
        todo = np.flatnonzero(~same)
    merges: list[list[Any]] = []
    updates: list[list[Any]] = []
    strengths = ties.strength.tolist()
    ea_list, eb_list = ea.tolist(), eb.tolist()
    maybe_list, hit_list = maybe.tolist(), hit.tolist()
    for j in todo.tolist():
        i, h = maybe_list[j], hit_list[j]
        extra = ties.properties[i] if ties.properties is not None else None
        if h < 0:
            props = tie_properties(None, ties.source, strengths[i], extra)
            merges.append(
                [ea_list[i], eb_list[i], {k: v for k, v in props.items() if v is not None}]
            )
            continue
        v = found_value[h]
        current = v if isinstance(v, dict) else {"strength": v}
        if plain_csv and "source" not in current and current.get("strength") == strengths[i]:
            continue  # the file has no other column: other properties stay as they are
        changes = changed_properties(
            current, tie_properties(current, ties.source, strengths[i], extra)
        )
        if changes:
            updates.append([found_tie[h], changes])

    creates = np.flatnonzero(known_new)
    if dry_run:
        created = len(creates) + len(merges)
        return TiesWritten(
            created=created, updated=len(updates), unchanged=n - created - len(updates)
        )
    total = len(creates) + len(merges) + len(updates)
    done = _Counter("ties", total, progress)
    created = 0
    if len(creates):
        extras = _create_extras(ties, creates)
        columns: list[np.ndarray] = [eb[creates], ties.strength[creates]]
        if extras is not None:
            columns.append(extras)
        query = "load_ties_create" if extras is None else "load_ties_create_with_properties"
        batches = _grouped(ea[creates], ca[creates], columns, batch_size)
        # explicit (csv) ties get no source property (see loaders.model)
        source = None if ties.source == "csv" else ties.source
        for rec in db.run_batches(query, batches, progress=done, source=source).records:
            created += rec["created"]
    for rec in db.run_batches(
        "load_ties_merge", batched(merges, batch_size), progress=done
    ).records:
        created += rec["written"]
    db.run_batches("load_ties_update", batched(updates, batch_size), progress=done)
    return TiesWritten(created=created, updated=len(updates), unchanged=n - created - len(updates))


def _create_extras(ties: Ties, rows: np.ndarray) -> np.ndarray | None:
    """The properties besides strength and source of new ties (None: there are none)."""
    if ties.source == "csv" and ties.properties is None:
        return None
    out = np.empty(len(rows), dtype=object)
    strengths = ties.strength.tolist()
    for k, i in enumerate(rows.tolist()):
        extra = ties.properties[i] if ties.properties is not None else None
        props = tie_properties(None, ties.source, strengths[i], extra)
        del props["strength"], props["source"]
        out[k] = {key: v for key, v in props.items() if v is not None}
    return out


def _positions(found_a: list[int], found_b: list[int], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair ``(a[i], b[i])``, where it first is among ``zip(found_a, found_b)``,
    or -1 (pairs of internal node ids, matched in bulk rather than through a dict)."""
    if not found_a:
        return np.full(len(a), -1, dtype=np.int64)
    found = pd.MultiIndex.from_arrays(
        [np.asarray(found_a, dtype=np.int64), np.asarray(found_b, dtype=np.int64)]
    )
    first = np.flatnonzero(~found.duplicated(keep="first"))
    got = found[first].get_indexer(
        pd.MultiIndex.from_arrays([a.astype(np.int64), b.astype(np.int64)])
    )
    return np.where(got >= 0, first[got], -1)


# ------------------------------------------------------------------------ batching
class _Counter:
    """Turns per-batch increments into ``progress(stage, done, total)`` calls."""

    def __init__(self, stage: str, total: int, progress: Progress | None) -> None:
        self.stage, self.total, self.done, self.progress = stage, total, 0, progress

    def __call__(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.stage, self.done, self.total)


def _grouped(
    key: np.ndarray, code: np.ndarray, columns: list[np.ndarray], size: int
) -> Iterator[Batch]:
    """Batches of ``size`` items, each a list of ``[key, [col values], [col values], ...]``
    rows, one per distinct key in the batch. ``code`` is an integer per key (sorting
    one integer code per person is faster than sorting the keys)."""
    order = np.argsort(code, kind="stable")
    key, code = key[order], code[order]
    columns = [c[order] for c in columns]
    for start in range(0, len(key), size):
        c = code[start : start + size]
        keys = key[start : start + size].tolist()
        cols = [col[start : start + size].tolist() for col in columns]
        bounds = [0, *(np.flatnonzero(c[1:] != c[:-1]) + 1).tolist(), len(c)]
        rows: list[list[Any]] = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            row: list[Any] = [keys[lo]]
            for col in cols:
                row.append(col[lo:hi])
            rows.append(row)
        yield rows, len(c)
