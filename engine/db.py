"""The one seam between powerconnect and Neo4j.

Everything that talks to the database goes through :class:`Database`: queries
are named (see :mod:`engine.queries`), values travel only as ``$parameters``,
reads come back as lists of records or pandas DataFrames, writes go in
``UNWIND $rows`` batches, one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, Session
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

from engine import queries
from engine.errors import DatabaseUnavailable
from engine.settings import ConnectionSettings

Progress = Callable[[int], None]


class Database:
    """A connected Neo4j database (a driver plus the database name to use)."""

    def __init__(self, driver: Driver, settings: ConnectionSettings) -> None:
        self.driver = driver
        self.settings = settings

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def connect(cls, settings: ConnectionSettings) -> Database:
        """Open a driver and check that the server answers and accepts the login.

        Raises :class:`DatabaseUnavailable` with a message that says what to do.
        """
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
        except (ValueError, Neo4jError) as exc:
            raise DatabaseUnavailable(f"cannot use the URI {settings.uri!r}: {exc}") from exc
        try:
            driver.verify_connectivity()
            if settings.database:
                driver.execute_query("RETURN 1", database_=settings.database)
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
                session.run(statement).consume()

    # ------------------------------------------------------------ writes
    def write_batches(
        self,
        name: str,
        rows: Sequence[dict[str, Any]] | Iterable[dict[str, Any]],
        *,
        batch_size: int = 10_000,
        progress: Progress | None = None,
        **params: Any,
    ) -> dict[str, int]:
        """Run the named ``UNWIND $rows ...`` query over ``rows`` in batches.

        One transaction per batch; ``progress`` is called with the number of
        rows written after each batch. Returns the summed update counters.
        """
        query = queries.load(name)
        totals: dict[str, int] = {}

        def work(tx: ManagedTransaction, batch: list[dict[str, Any]]) -> dict[str, int]:
            summary = tx.run(query, {**params, "rows": batch}).consume()
            c = summary.counters
            return {
                "nodes_created": c.nodes_created,
                "relationships_created": c.relationships_created,
                "properties_set": c.properties_set,
                "nodes_deleted": c.nodes_deleted,
                "relationships_deleted": c.relationships_deleted,
            }

        with self.session() as session:
            for batch in _batched(rows, batch_size):
                counts = session.execute_write(work, batch)
                for key, value in counts.items():
                    totals[key] = totals.get(key, 0) + value
                if progress is not None:
                    progress(len(batch))
        return totals

    def run_auto_commit(self, name: str, **params: Any) -> None:
        """Run a named query in an auto-commit transaction, as ``CALL {...} IN TRANSACTIONS``
        (batched deletes and updates) requires."""
        with self.session() as session:
            session.run(queries.load(name), params).consume()

    def clear(self) -> None:
        """Delete every node and relationship (schema kept). Used by tests and the demo."""
        with self.session() as session:
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
