"""The Spark side of powerconnect: a session with the Neo4j Connector for Apache Spark.

``pyspark`` is an optional extra (``pip install 'powerconnect[spark]'``); nothing
else in powerconnect imports this module. :func:`spark_session` starts (or reuses)
a session whose class path holds the connector, resolved from Maven Central through
``spark.jars.packages`` (Ivy caches it in ``~/.ivy2``); :func:`read_query` and
:func:`write_query` move DataFrames through the connector with the named queries of
:mod:`engine.queries`.

Versions (checked 2026-12-03): ``pyspark`` 3.5.x wheels are built for Scala 2.12, so
the connector is ``org.neo4j:neo4j-connector-apache-spark_2.12:<v>_for_spark_3``.
The newest such version Maven Central lists here, 5.0.3, depends on a ``_common``
artifact of the same version that Central does not serve (404), so Ivy cannot
resolve it; 5.0.0 resolves completely (connector, ``_common``, Neo4j Java driver
4.4.9) and reads and writes Neo4j 5.26 over Bolt.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from powerconnect.engine import queries
from powerconnect.engine.errors import PowerConnectError, UsageError
from powerconnect.engine.settings import ConnectionSettings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Maven coordinates of the connector (see the module docstring for why this version).
CONNECTOR = "org.neo4j:neo4j-connector-apache-spark_2.12:5.0.0_for_spark_3"
#: The master when none is given: every core of this machine.
LOCAL_MASTER = "local[*]"
#: Shuffle partitions in local mode: Spark's default of 200 costs seconds of task
#: overhead on small graphs; a few per core keep both small and large graphs moving.
LOCAL_PARTITIONS = 8
#: How the connector writes: people per transaction.
WRITE_BATCH = 5_000
DATA_SOURCE = "org.neo4j.spark.DataSource"


def _pyspark() -> Any:
    try:
        import pyspark  # noqa: PLC0415 (optional extra)
    except ImportError as exc:
        raise UsageError(
            "the Spark engine needs pyspark 3.5: pip install 'powerconnect[spark]' (and Java 17)"
        ) from exc
    return pyspark


def spark_session(master: str | None = None, *, partitions: int | None = None) -> SparkSession:
    """The Spark session for powerconnect (the active one when it exists), with the connector.

    ``master`` is a Spark master URL (``spark://host:7077``, ``yarn``, ``local[4]``);
    ``None`` means ``SPARK_MASTER`` from the environment, else :data:`LOCAL_MASTER`.
    Under ``spark-submit`` the master and packages given there win.
    """
    _pyspark()
    from pyspark.sql import SparkSession  # noqa: PLC0415 (optional extra)

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:
        # Started by spark-submit: its --master, --packages and --conf settings hold.
        return SparkSession.builder.appName("powerconnect").getOrCreate()
    master = master or os.environ.get("SPARK_MASTER") or LOCAL_MASTER
    builder = (
        SparkSession.builder.appName("powerconnect")
        .master(master)
        .config("spark.jars.packages", CONNECTOR)
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        # Python workers run this interpreter, which has powerconnect (a worker started
        # as `python3` from PATH might not); on a cluster, install powerconnect on the nodes.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config(
            "spark.sql.shuffle.partitions", str(partitions or LOCAL_PARTITIONS)
        ).config("spark.ui.enabled", "false")
    elif partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connector_options(settings: ConnectionSettings) -> dict[str, str]:
    """The connector's connection options for ``settings`` (the password is never logged)."""
    options = {
        "url": settings.uri,
        "authentication.type": "basic",
        "authentication.basic.username": settings.user,
        "authentication.basic.password": settings.password or "",
    }
    if settings.database:
        options["database"] = settings.database
    return options


def read_query(
    spark: SparkSession, settings: ConnectionSettings, name: str, schema: str
) -> DataFrame:
    """The rows of the named read query ``cypher/<name>.cypher`` as a DataFrame.

    ``schema`` (``"id STRING, name STRING"``) fixes the column types, so that the
    connector does not sample rows to guess them.
    """
    reader = spark.read.format(DATA_SOURCE).options(**connector_options(settings))
    return (
        reader.option("query", queries.get(name).code)
        .option("schema.strategy", "string")
        .load()
        .selectExpr(
            *[
                f"CAST(`{c.split()[0]}` AS {c.split()[1]}) AS `{c.split()[0]}`"
                for c in schema.split(",")
            ]
        )
    )


def write_query(
    frame: DataFrame, settings: ConnectionSettings, name: str, *, batch: int = WRITE_BATCH
) -> None:
    """Write ``frame`` through the named query ``cypher/<name>.cypher``.

    The file starts with ``UNWIND $events AS event`` (so that it runs in Neo4j
    Browser after ``:param events => [...]``); the connector adds that line itself,
    so it is taken off here. Each batch of ``batch`` rows is one transaction.
    """
    code = queries.get(name).code
    head, _, body = code.partition("\n")
    if head.strip() != "UNWIND $events AS event":
        raise ValueError(f"{name}.cypher must start with `UNWIND $events AS event`")
    (
        frame.write.format(DATA_SOURCE)
        .options(**connector_options(settings))
        .option("query", body.strip())
        .option("batch.size", str(batch))
        .mode("Overwrite")
        .save()
    )


class SparkFailure(PowerConnectError):
    """Spark, or the connector inside it, failed (no Java, a lost executor, Neo4j refusing the
    connector's login or a write)."""

    exit_code = 2


def spark_failure(exc: Exception) -> Exception:
    """``exc`` as the library reports it: powerconnect's own errors unchanged, a Spark or
    JVM error as one line naming what failed (the password is never part of it)."""
    if isinstance(exc, PowerConnectError):
        return exc
    module = type(exc).__module__
    if not (module.startswith("pyspark") or module.startswith("py4j")):
        return exc
    text = (getattr(exc, "desc", None) or str(exc)).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cause = next((line for line in lines if "Exception:" in line), lines[0] if lines else "")
    return SparkFailure(f"Spark failed: {cause[:300] or type(exc).__name__}")
