"""The one seam between powerconnect and Neo4j.

Everything that talks to the database goes through :class:`Database`: queries
are named (see :mod:`engine.queries`), values travel only as ``$parameters``,
reads come back as lists of records or pandas DataFrames, writes go in
batches, one transaction per batch, several batches per call
(:meth:`Database.run_batches`).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Query,
    Record,
    Session,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    TransientError,
)

from powerconnect.engine import queries
from powerconnect.engine.errors import STOPPED_CODES, DatabaseUnavailable, UsageError, went_away
from powerconnect.engine.settings import ConnectionSettings, shown_uri, uri_problem

Progress = Callable[[int], None]
#: One batch for :meth:`Database.run_batches`: its rows and its weight (what progress counts,
#: e.g. ties when rows group several ties).
Batch = tuple[list[Any], int]
#: Weight sent in one call of :meth:`Database.run_batches` (e.g. five batches of 20k ties).
CALL_WEIGHT = 100_000
#: Seconds one call of :meth:`Database.run_batches` may take before the server stops it (a call
#: of 100k ties takes a few seconds; a write waiting for a lock that is never released, e.g. held
#: by a transaction the server failed to roll back, would otherwise wait for ever).
WRITE_TIMEOUT = 60.0
#: Tries of one call after a transient failure (deadlock, lock timeout), and the first pause
#: between them in seconds (doubled after each try, as the driver's managed transactions do).
WRITE_TRIES = 3
RETRY_PAUSE = 0.5
_COUNTERS = (
    "nodes_created",
    "relationships_created",
    "properties_set",
    "labels_added",
    "labels_removed",
    "nodes_deleted",
    "relationships_deleted",
)


@dataclass(frozen=True)
class Written:
    """What :meth:`Database.run_batches` returns: every batch's records, summed counters."""

    records: list[Record]
    counters: dict[str, int]
    #: calls tried again after a transient failure (a deadlock, a lock wait that timed out)
    retries: int = 0


class Database:
    """A connected Neo4j database (a driver plus the database name to use)."""

    def __init__(
        self,
        driver: Driver,
        settings: ConnectionSettings,
        *,
        write_timeout: float = WRITE_TIMEOUT,
        write_tries: int = WRITE_TRIES,
    ) -> None:
        self.driver = driver
        self.settings = settings
        self.write_timeout = write_timeout
        self.write_tries = write_tries
        #: batched-write calls tried again after a transient failure, over this connection
        #: (the CLI says so after the command's summary)
        self.retries = 0

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def connect(cls, settings: ConnectionSettings) -> Database:
        """Open a driver and check that the server answers and accepts the login.

        Raises :class:`DatabaseUnavailable` with a message that says what to do.
        """
        problem = uri_problem(settings.uri)
        if problem:
            raise UsageError(problem)
        if settings.password is None:
            raise DatabaseUnavailable(
                f"no password for {settings.user}@{settings.uri}: set NEO4J_PASSWORD "
                "(or pass --password), or start the local server with `powerconnect neo4j start`"
            )
        try:
            driver = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                connection_timeout=10,
                notifications_min_severity="OFF",
            )
        except (ValueError, Neo4jError, DriverError) as exc:
            raise UsageError(f"cannot use the URI {shown_uri(settings.uri)!r}: {exc}") from exc
        try:
            driver.verify_connectivity()
            if settings.database:
                driver.execute_query("RETURN 1", database_=settings.database)
        except (ValueError, ConfigurationError) as exc:  # what uri_problem did not foresee
            driver.close()
            raise UsageError(f"cannot use the URI {shown_uri(settings.uri)!r}: {exc}") from exc
        except AuthError as exc:
            driver.close()
            raise DatabaseUnavailable(
                f"Neo4j at {settings.uri} refused the login for user {settings.user!r}: "
                "check NEO4J_USER / NEO4J_PASSWORD (or --user / --password)"
            ) from exc
        except ServiceUnavailable as exc:
            driver.close()
            raise DatabaseUnavailable(
                f"cannot reach Neo4j at {settings.uri}: start it with `powerconnect neo4j start` "
                "(or `docker compose up -d`), or point NEO4J_URI at a running server"
            ) from exc
        except ClientError as exc:
            driver.close()
            if (exc.code or "").endswith("AuthenticationRateLimit"):
                raise DatabaseUnavailable(
                    f"Neo4j at {settings.uri} refuses logins for a few seconds after too many "
                    "wrong passwords in a row: check NEO4J_USER / NEO4J_PASSWORD, wait a few "
                    "seconds, and try again"
                ) from exc
            if (exc.code or "").endswith("DatabaseNotFound"):
                raise DatabaseUnavailable(
                    f"Neo4j at {settings.uri} has no database {settings.database!r}: check "
                    "NEO4J_DATABASE (or --database), or leave it unset for the default one "
                    "(Community Edition has one database, neo4j)"
                ) from exc
            raise DatabaseUnavailable(f"Neo4j at {settings.uri} refused: {exc.message}") from exc
        return cls(driver, settings)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self, **kwargs: Any) -> Iterator[Session]:
        with self.driver.session(database=self.settings.database, **kwargs) as session:
            yield session

    # ------------------------------------------------------------ reads
    def query(self, name: str, **params: Any) -> list[Record]:
        """Run the named query (read or write, auto-routed) and return its records."""
        records, _, _ = self.driver.execute_query(
            queries.load(name), parameters_=params, database_=self.settings.database
        )
        return records

    def query_df(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query and return its rows as a DataFrame (columns as returned)."""
        with self.session() as session:
            result = session.run(queries.load(name), params)
            return result.to_df()

    def stream(self, name: str, fetch_size: int = 10_000, **params: Any) -> Iterator[Record]:
        """Stream the records of a large read without holding them all."""
        with self.session(fetch_size=fetch_size) as session:
            yield from session.run(queries.load(name), params)

    def setup_schema(self) -> None:
        """Create powerconnect's constraints if they do not exist (idempotent)."""
        with self.session() as session:
            for statement in queries.statements("constraints"):
                session.run(Query(statement, timeout=self.write_timeout)).consume()

    def plan_ahead(self, *plans: tuple[str, dict[str, Any]]) -> threading.Thread:
        """Have the server plan the named queries now, in a background thread, so that their
        first run later does not wait for it: ``EXPLAIN`` plans a query and caches its plan
        without running it. Each plan is ``(name, parameters)``; the parameters must have the
        types of the real run's (the server caches a plan per query text and parameter types),
        their values do not matter. Join the thread before the queries run.

        A caller plans ahead what it will need while it computes (the server is otherwise
        idle): on a server just started, planning is slow (``settle_run`` 1.5 s, ``people``
        0.85 s, ``ties`` 0.5 s; 2026-12-03, see docs/performance.md), on a warm one a few
        milliseconds. A warm-up only: a failure here is ignored, the real run reports it.
        """

        def work() -> None:
            try:
                with self.session() as session:
                    for name, params in plans:
                        session.run("EXPLAIN " + queries.load(name), params).consume()
            except (Neo4jError, DriverError, OSError) as exc:
                _log.debug("planning ahead failed (the real run will say why): %s", exc)

        thread = threading.Thread(target=work, name="powerconnect-plan-ahead", daemon=True)
        thread.start()
        return thread

    # ------------------------------------------------------------ batched reads and writes
    def read_batches(self, name: str, batches: Iterable[Batch]) -> list[Record]:
        """Run the named ``UNWIND $rows ...`` read once per batch (one read transaction
        each) and return the records of all batches."""
        query = queries.load(name)
        records: list[Record] = []

        def work(tx: ManagedTransaction, rows: list[Any]) -> list[Record]:
            return list(tx.run(query, {"rows": _Rows(rows)}))

        with self.session() as session:
            for rows, _weight in batches:
                if rows:
                    records.extend(session.execute_read(work, rows))
        return records

    def run_batches(
        self,
        name: str,
        batches: Iterable[Batch],
        *,
        progress: Progress | None = None,
        call_weight: int = CALL_WEIGHT,
        **params: Any,
    ) -> Written:
        """Run a named batched write: each batch is committed in its own transaction.

        The query must have the shape ``UNWIND $batches AS rows CALL (rows) { UNWIND rows
        AS row ... } IN TRANSACTIONS OF 1 ROW`` (one inner transaction per batch). Batches
        are ``(rows, weight)`` pairs; they travel several at a time, up to ``call_weight``
        in one call, so that the server goes from one transaction to the next without
        waiting for a round trip, while a helper thread builds the next call's batches
        (``batches`` may be a lazy generator). ``progress`` gets each call's weight once it
        is committed. Returns the records of every batch, in order, and the summed counters.

        A failure stops at the batch that failed: the batches committed before it stay.
        """
        query = Query(queries.load(name), timeout=self.write_timeout)
        written = Written([], {})
        calls = _calls(batches, call_weight)
        with ThreadPoolExecutor(1) as prepare:
            upcoming = prepare.submit(next, calls, None)
            while (call := upcoming.result()) is not None:
                upcoming = prepare.submit(next, calls, None)
                group, weight = call
                retries = self._run_call(query, group, params, written)
                written = Written(written.records, written.counters, written.retries + retries)
                if progress is not None:
                    progress(weight)
        return written

    def _run_call(
        self, query: Query, group: list[list[Any]], params: dict[str, Any], written: Written
    ) -> int:
        """Run one call of :meth:`run_batches`, trying again after a transient failure from
        the first batch not committed; returns how many times it tried again.

        The batches committed before a failure are known from the records: a batched query
        returns one row per batch (those that return none must be idempotent, e.g. ``SET``,
        and are then sent again whole). A call that keeps failing raises the last error.
        """
        done = 0  # batches of the group committed
        for attempt in range(self.write_tries):
            got = 0
            try:
                with self.session() as session:
                    result = session.run(query, {**params, "batches": _Rows(group[done:])})
                    for record in result:
                        written.records.append(record)
                        got += 1
                    counters = result.consume().counters
                for key in _COUNTERS:
                    written.counters[key] = written.counters.get(key, 0) + getattr(counters, key)
                return attempt
            except (TransientError, ClientError) as exc:
                if not _worth_retrying(exc) or attempt + 1 == self.write_tries:
                    raise
                done += got
                self.retries += 1
                time.sleep(RETRY_PAUSE * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def write_batches(
        self,
        name: str,
        rows: Iterable[Any],
        *,
        batch_size: int = 10_000,
        progress: Progress | None = None,
        **params: Any,
    ) -> dict[str, int]:
        """:meth:`run_batches` over ``rows`` cut into batches of ``batch_size``; returns
        the summed update counters (``nodes_created``, ``properties_set``, ...)."""
        return self.run_batches(
            name, batched(rows, batch_size), progress=progress, **params
        ).counters

    def write(self, name: str, **params: Any) -> list[Record]:
        """Run a named write in one transaction, all or nothing (the driver's managed
        transaction: tried again after a transient failure); return its records."""
        query = queries.load(name)

        @unit_of_work(timeout=self.write_timeout)
        def work(tx: ManagedTransaction) -> list[Record]:
            return list(tx.run(query, params))

        with self.session() as session:
            return session.execute_write(work)

    def run_auto_commit(self, name: str, **params: Any) -> list[Record]:
        """Run a named query in an auto-commit transaction, as ``CALL {...} IN TRANSACTIONS``
        (batched deletes and updates) requires; return its records."""
        with self.session() as session:
            return list(session.run(queries.load(name), params))

    def clear(self) -> None:
        """Delete every node and relationship (schema kept). Used by tests and the demo."""
        with self.session() as session:
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()


def stored_number(value: Any, what: str) -> float | None:
    """A value read back from the database as a number, its type checked rather than trusted:
    an int or float as a float (NaN as None), None as None, and anything else (a string such as
    "abc" that a user's file put in ``pc_score``) as None, with one warning per ``what`` (the
    property's name) on the ``powerconnect`` logger (stderr).

    >>> stored_number(3, "pc_score"), stored_number(None, "pc_score")
    (3.0, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) else float(value)
    if what not in _WARNED:
        _WARNED.add(what)
        _log.warning(
            "Warning: some people's %s is not a number (e.g. %.40r); it is ignored, as if "
            "they had none. Run `powerconnect rank` again to replace it.",
            what,
            value,
        )
    return None


_WARNED: set[str] = set()
_log = logging.getLogger("powerconnect")


def _worth_retrying(exc: Neo4jError) -> bool:
    """A deadlock, a lock wait stopped or timed out: the same write may succeed next time.
    Not when the database is shutting down (it went away: no use waiting)."""
    if went_away(exc):
        return False
    return isinstance(exc, TransientError) or (exc.code or "") in STOPPED_CODES


@dataclass(frozen=True)
class Reset:
    """What :func:`reset_database` deleted, and in how many transactions."""

    nodes: int
    relationships: int
    transactions: int


#: Nodes or relationships deleted per transaction by :func:`reset_database`.
RESET_BATCH = 10_000


def reset_database(db: Database, *, batch: int = RESET_BATCH) -> Reset:
    """Delete every relationship, then every node, ``batch`` at a time, one transaction
    each (``reset_relationships``, ``reset_nodes``), so that a million ties never sit in one
    transaction (a person's ``DETACH DELETE`` would take all of their ties at once). The
    schema (constraints, indexes) stays. Each transaction is retried by the driver after a
    transient failure; one stopped in the middle leaves fewer things to delete next time.
    """
    if batch < 1:
        raise UsageError(f"the batch size must be at least 1, got {batch}")
    counts = {"reset_relationships": 0, "reset_nodes": 0}
    transactions = 0
    for name in counts:
        while deleted := int(db.write(name, batch=batch)[0]["deleted"]):
            counts[name] += deleted
            transactions += 1
    return Reset(counts["reset_nodes"], counts["reset_relationships"], transactions)


def batched(rows: Iterable[Any], size: int) -> Iterator[Batch]:
    """``rows`` cut into :data:`Batch` es of ``size`` rows, each weighing its row count."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch, len(batch)
            batch = []
    if batch:
        yield batch, len(batch)


def _calls(batches: Iterable[Batch], call_weight: int) -> Iterator[tuple[list[list[Any]], int]]:
    """Group batches into calls of about ``call_weight`` (at least one batch per call)."""
    group: list[list[Any]] = []
    weight = 0
    for rows, w in batches:
        if not rows:
            continue
        group.append(rows)
        weight += w
        if weight >= call_weight:
            yield group, weight
            group, weight = [], 0
    if group:
        yield group, weight


class _Rows(list[Any]):
    """A parameter list with a short repr. The driver formats every RUN message for its
    debug log whether or not debug logging is on, which for a 100k-row parameter costs a
    tenth of a second of ``repr``; packing is unchanged (it packs any list)."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"
