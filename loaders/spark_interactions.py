"""The interaction strength model on Apache Spark: ``load-interactions --engine spark``.

The same model as :func:`loaders.interactions.derive_strengths` (its docstring and
``loaders/README.md`` define it), computed with DataFrame operations so that a log larger
than one process's memory is aggregated on a cluster; only small things come back to the
driver (the reference date, the counts of rows left out, the first bad rows of a refused
log). Each step follows :func:`loaders.interactions.tie_signals`:

1. ids, channels, groups and message ids are cleaned (stripped, NFC) as the local reader
   does; rows with a placeholder, with oneself, without a timestamp, after the time of the
   load or after ``as_of`` are left out and counted, in that order;
2. a group of ``n`` participants weighs ``1/(n - 1)`` per row;
3. duplicates: rows of a pair with the same message id after the first (in the order
   pair, channel, direction, time, input order), and rows without one at most
   ``duplicate_seconds`` after the previous row of the same pair, channel and direction;
4. per pair, the amounts (undirected, a to b, b to a), reciprocity, multiplexity, the
   share against each person's total, and the frequency over the days met;
5. ``P(close)`` by a pandas UDF that calls
   :func:`loaders.interactions.probability_from_signals` itself (the formula's one home),
   clipped to [:data:`~loaders.interactions.FLOOR`, 1].

Timestamps and durations are parsed by pandas UDFs around the local parsers
(:func:`~loaders.interactions.parse_timestamps`, ``pandas.to_numeric``), so both paths read
the same values the same way. ``pyspark`` is an optional extra; nothing else imports this
module.
"""

from __future__ import annotations

import csv
import time
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.engine.spark_session import (
    WRITE_BATCH,
    spark_failure,
    spark_session,
    write_query,
)
from powerconnect.loaders.interactions import (
    DUPLICATE_SECONDS,
    FLOOR,
    FUTURE_TOLERANCE,
    HALF_LIFE_DAYS,
    LOG_COLUMNS,
    OPTIONAL_COLUMNS,
    PLACEHOLDERS,
    SHARE_PRIOR_MINUTES,
    UNTIMED_MINUTES,
    check_half_life,
    parse_timestamps,
    probability_from_signals,
    with_left_out,
)
from powerconnect.loaders.model import DERIVED_SOURCES, MAX_ID_BYTES, LoadSummary, Progress

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from powerconnect.engine.db import Database

__all__ = [
    "SparkDerived",
    "load_interactions_spark",
    "read_interaction_logs",
    "spark_derive_strengths",
]

_DAY_US = 86_400_000_000
#: Problems shown when a log is refused (the first one is the message; the rest are counted).
_SHOWN = 1


@dataclass
class SparkDerived:
    """What :func:`spark_derive_strengths` returns: the ties (a DataFrame, not collected)
    with ``a < b``, ``strength``, ``interactions``, ``last_us`` (epoch microseconds, UTC),
    ``channels`` and ``minutes`` (null where the local loader sets none), the rows left out
    by reason (as :class:`loaders.interactions.DerivedTies`) and the reference date."""

    ties: DataFrame
    left_out: dict[str, int] = field(default_factory=dict)
    as_of: datetime | None = None
    has_channel: bool = False


def _in_utc(when: datetime) -> pd.Timestamp:
    """``when`` in UTC; a naive one is taken as UTC already (as the local model does)."""
    stamp = pd.Timestamp(when)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


# ------------------------------------------------------------------------ cleaning (UDFs)
def _clean_text(values: pd.Series) -> pd.Series:
    """Each value as the local reader leaves it: NFC, stripped; missing as ""."""

    def one(v: Any) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        s = str(v)
        if not s.isascii():
            s = unicodedata.normalize("NFC", s)
        return s.strip()

    return values.map(one).astype(object)


def _timestamp_us(values: pd.Series) -> pd.Series:
    """:func:`parse_timestamps` as epoch microseconds (null where unreadable)."""
    ts = parse_timestamps(values.to_numpy(dtype=object))
    out = pd.Series(ts.asi8, dtype="Int64")
    out[np.asarray(ts.isna())] = pd.NA
    return out


def _seconds(values: pd.Series) -> pd.Series:
    """A duration column as the local reader takes it (``pandas.to_numeric``, NaN where not)."""
    return pd.to_numeric(values.astype(object), errors="coerce").astype(np.float64)


def _strength(share: pd.Series, frequency: pd.Series) -> pd.Series:
    """P(close), clipped as :func:`loaders.interactions.derive_strengths` clips it."""
    p = probability_from_signals(share.to_numpy(dtype=np.float64), frequency.to_numpy())
    return pd.Series(np.clip(p, FLOOR, 1.0))


def _minutes(values: pd.Series) -> pd.Series:
    """Python's ``round(x, 1)``, as the local loader stores ``minutes``."""
    return values.map(lambda v: round(float(v), 1) if v is not None and v == v else None)


def _fields(lines: pd.Series) -> pd.Series:
    """Each line's fields as Python's :mod:`csv` reads them (as the local reader does)."""
    return lines.map(lambda line: next(csv.reader([line]), []))


def _udfs() -> dict[str, Any]:
    from pyspark.sql.functions import pandas_udf  # noqa: PLC0415 (optional extra)

    return {
        "fields": pandas_udf(_fields, "array<string>"),  # type: ignore[call-overload]
        "clean": pandas_udf(_clean_text, "string"),  # type: ignore[call-overload]
        "ts": pandas_udf(_timestamp_us, "long"),  # type: ignore[call-overload]
        "seconds": pandas_udf(_seconds, "double"),  # type: ignore[call-overload]
        "strength": pandas_udf(_strength, "double"),  # type: ignore[call-overload]
        "minutes": pandas_udf(_minutes, "double"),  # type: ignore[call-overload]
    }


# ------------------------------------------------------------------------ reading logs
def _numbered(frame: DataFrame, spark: SparkSession) -> DataFrame:
    """``frame`` with ``_pos``: each row's 0-based position in the file it was read from
    (Spark reads the splits of one file in order; no row goes to the driver, only one
    count per partition)."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    tagged = frame.withColumn("_pid", F.spark_partition_id()).withColumn(
        "_mid", F.monotonically_increasing_id()
    )
    counts = sorted(
        (r["_pid"], r["n"]) for r in tagged.groupBy("_pid").agg(F.count("*").alias("n")).collect()
    )
    offsets, total = [], 0
    for pid, n in counts:
        offsets.append((pid, total))
        total += n
    table = spark.createDataFrame(offsets or [(0, 0)], "_pid INT, _off LONG")
    return (
        tagged.join(F.broadcast(table), "_pid")
        .withColumn(
            "_pos", F.col("_off") + F.col("_mid") - F.shiftleft(F.col("_pid").cast("long"), 33)
        )
        .drop("_pid", "_mid", "_off")
    )


def _csv_rows(spark: SparkSession, path: Path) -> tuple[DataFrame, list[str]]:
    """A CSV log as string columns named by its header, with ``_line`` (1-based, the header
    is line 1) and ``_problem`` (a row that cannot be read: wrong field count, not UTF-8)."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    try:
        head = path.open("rb").readline()
    except OSError as exc:
        raise InvalidInput(str(path), None, f"cannot read the file: {exc.strerror}") from exc
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("utf-8", "replace").rstrip("\r\n")
    if not text.strip():
        raise InvalidInput(str(path), None, "the file is empty")
    header = [h.strip() for h in next(csv.reader([text]))]
    lines = _numbered(spark.read.text(str(path)), spark).where(F.col("_pos") > 0)
    lines = lines.withColumn("_line", F.col("_pos") + 1).where(F.trim("value") != "")
    width = len(header)
    parsed = lines.withColumn("_rec", _udfs()["fields"](F.col("value")))
    count = F.size("_rec")
    quotes = F.length("value") - F.length(F.regexp_replace("value", '"', ""))
    problem = (
        F.when(F.col("value").contains("\ufffd"), F.lit("the row has bytes that are not UTF-8"))
        .when(
            quotes % 2 == 1,
            F.lit(
                "a quoted field runs past the end of the line (the Spark reader takes one"
                " record per line; the local engine reads such files)"
            ),
        )
        .when(
            count != width,
            F.format_string(
                f"%d field%s, but the header has {width}",
                count,
                F.when(count != 1, F.lit("s")).otherwise(F.lit("")),
            ),
        )
    )
    out = parsed.select(
        *[F.col("_rec")[i].alias(name) for i, name in enumerate(header)],
        "_line",
        "_pos",
        problem.alias("_problem"),
    )
    return out, header


def read_interaction_logs(
    spark: SparkSession, paths: Sequence[Path], *, now: datetime | None = None
) -> DataFrame:
    """Read and check logs (CSV as :func:`loaders.interactions.read_interaction_frame`
    takes them, or Parquet with the same columns) into the frame
    :func:`spark_derive_strengths` takes: ``source``, ``target``, ``ts`` (epoch
    microseconds, UTC), the optional columns present in any log, and ``_order`` (input
    order). A bad row refuses the load with :class:`InvalidInput` (file, line, reason) as
    the local reader does: an unreadable row, an empty, unreadable or future timestamp, an
    id too long for Neo4j's index, a duration that is not a number of seconds >= 0.
    """
    return read_checked_logs(spark, paths, now=now)[0]


def read_checked_logs(
    spark: SparkSession,
    paths: Sequence[Path],
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
) -> tuple[DataFrame, int]:
    """:func:`read_interaction_logs`, and with ``skip_invalid`` the bad rows left out
    instead of refused: ``(frame, number of rows left out as bad)``. A missing column or
    an unreadable file still refuses the load."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    if not paths:
        raise UsageError("no interaction log to read")
    udf = _udfs()
    limit = _in_utc(now if now is not None else datetime.now(UTC))
    limit_us = (limit + FUTURE_TOLERANCE).value // 1000
    frames: list[DataFrame] = []
    present: set[str] = set()
    rejected = 0
    for index, path in enumerate(paths):
        path = Path(path)
        parquet = path.suffix.lower() in (".parquet", ".pq")
        if parquet:
            raw = _numbered(spark.read.parquet(str(path)), spark).withColumn(
                "_line", F.lit(None).cast("long")
            )
            header = [c for c in raw.columns if not c.startswith("_")]
            raw = raw.withColumn("_problem", F.lit(None).cast("string"))
        else:
            raw, header = _csv_rows(spark, path)
        missing = [c for c in LOG_COLUMNS if c not in header]
        if missing:
            which = ", ".join(repr(n) for n in missing)
            noun = "column" if len(missing) == 1 else "columns"
            raise InvalidInput(
                str(path),
                None if parquet else 1,
                f"missing {noun} {which} (the header has: {', '.join(header)})",
            )
        cols = [c for c in OPTIONAL_COLUMNS if c in header]
        present.update(cols)
        text = {c: udf["clean"](F.col(f"`{c}`").cast("string")) for c in ("from", "to", *cols)}
        if parquet and dict(raw.dtypes)["timestamp"].startswith("timestamp"):
            ts = F.unix_micros(F.col("timestamp"))
            raw_ts = F.col("timestamp").cast("string")
        else:
            raw_ts = F.col("timestamp").cast("string")
            ts = udf["ts"](raw_ts)
        df = raw.select(
            text["from"].alias("source"),
            text["to"].alias("target"),
            raw_ts.alias("_raw_ts"),
            ts.alias("ts"),
            *[text[c].alias(c) for c in cols if c != "duration"],
            *(
                [F.col("duration").cast("string").alias("_raw_duration")]
                if "duration" in cols
                else []
            ),
            "_line",
            "_pos",
            "_problem",
        )
        problems = [F.col("_problem")]
        blank = F.coalesce(F.trim(F.col("_raw_ts")), F.lit("")) == ""
        problems.append(F.when(blank, F.lit("empty timestamp")))
        problems.append(
            F.when(
                F.col("ts").isNull(),
                F.format_string(
                    "timestamp '%s' is not an ISO 8601 date or date-time "
                    "(like 2024-03-01 or 2024-03-01T09:30:00Z)",
                    F.col("_raw_ts"),
                ),
            )
        )
        problems.append(
            F.when(
                F.col("ts") > F.lit(limit_us),
                F.format_string(
                    "timestamp '%s' is in the future (after the time of the load, "
                    f"{limit:%Y-%m-%d %H:%M} UTC)",
                    F.col("_raw_ts"),
                ),
            )
        )
        for side, name in (("from", "source"), ("to", "target")):
            size = F.octet_length(F.col(name))
            problems.append(
                F.when(
                    size > MAX_ID_BYTES,
                    F.format_string(
                        f"{side} id is %,d bytes long; Neo4j's index takes ids of at most "
                        f"{MAX_ID_BYTES:,} bytes",
                        size,
                    ),
                )
            )
        if "duration" in cols:
            raw_d = F.coalesce(F.col("_raw_duration"), F.lit(""))
            seconds = udf["seconds"](raw_d)
            df = df.withColumn("duration", seconds)
            wrong = (F.trim(raw_d) != "") & (
                F.isnan("duration")
                | F.col("duration").isNull()
                | (F.col("duration") < 0)
                | (F.abs(F.col("duration")) == float("inf"))
            )
            problems.append(
                F.when(
                    wrong,
                    F.format_string("duration '%s' is not a number of seconds (>= 0)", raw_d),
                )
            )
        df = df.withColumn("_why", F.coalesce(*problems)).cache()
        bad = (
            df.where(F.col("_why").isNotNull())
            .orderBy("_pos")
            .select("_line", "_pos", "_why")
            .limit(_SHOWN)
            .collect()
        )
        if bad and skip_invalid:
            rejected += df.where(F.col("_why").isNotNull()).count()
            df = df.where(F.col("_why").isNull())
        elif bad:
            n_bad = df.where(F.col("_why").isNotNull()).count()
            first = bad[0]
            reason = str(first["_why"])
            if parquet:
                reason = f"row {first['_pos'] + 1}: {reason}"
            more = n_bad - 1
            if more:
                reason += f" (and {more} more problem{'s' if more > 1 else ''})"
            df.unpersist()
            raise InvalidInput(str(path), None if parquet else int(first["_line"]), reason)
        frames.append(
            df.withColumn("_order", F.lit(index).cast("long") * (1 << 40) + F.col("_pos")).drop(
                "_raw_ts", "_raw_duration", "_why", "_problem", "_line", "_pos"
            )
        )
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other, allowMissingColumns=True)
    for c in present:
        if c != "duration":
            frame = frame.withColumn(c, F.coalesce(F.col(c), F.lit("")))
    return frame, rejected


# ------------------------------------------------------------------------ the model
def _sum_if(cond: Column, value: Column) -> Column:
    from pyspark.sql import functions as F  # noqa: PLC0415

    return F.sum(F.when(cond, value).otherwise(F.lit(0.0)))


def spark_derive_strengths(
    frame: DataFrame,
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    duplicate_seconds: float = DUPLICATE_SECONDS,
) -> SparkDerived:
    r""":func:`loaders.interactions.derive_strengths` on a Spark DataFrame.

    ``frame`` has ``source``, ``target`` (cleaned ids), ``ts`` (epoch microseconds, UTC,
    null where unknown), ``_order`` (input order, for ties in time as the local sort
    breaks them) and optionally ``channel``, ``duration`` (seconds; null or NaN where
    unknown), ``group``, ``message_id`` ("" where none), as :func:`read_interaction_logs`
    returns it.
    """
    from pyspark.sql import Window  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415

    half_life = check_half_life(half_life_days)
    udf = _udfs()
    cols = set(frame.columns)
    has_channel = "channel" in cols
    spark = frame.sparkSession

    def text(name: str) -> Column:
        return F.coalesce(F.col(name), F.lit("")) if name in cols else F.lit("")

    nobody = sorted(PLACEHOLDERS)
    src, dst = F.coalesce(F.col("source"), F.lit("")), F.coalesce(F.col("target"), F.lit(""))
    limit_us = (
        _in_utc(now if now is not None else datetime.now(UTC)) + FUTURE_TOLERANCE
    ).value // 1000
    reason = (
        F.when(F.lower(src).isin(nobody) | F.lower(dst).isin(nobody), F.lit("placeholder"))
        .when(src == dst, F.lit("self"))
        .when(F.col("ts").isNull(), F.lit("no_timestamp"))
        .when(F.col("ts") > F.lit(limit_us), F.lit("future"))
    )
    rows = frame.select(
        src.alias("s"),
        dst.alias("d"),
        F.col("ts").alias("t"),
        text("channel").alias("channel"),
        (
            F.col("duration").cast("double") if "duration" in cols else F.lit(None).cast("double")
        ).alias("duration"),
        text("group").alias("grp"),
        text("message_id").alias("msg"),
        F.col("_order"),
        reason.alias("_left"),
    ).cache()
    given: int | None = None
    if as_of is not None:
        given = int(_in_utc(as_of).value // 1000)
    # one pass: the rows left out by reason, the latest kept row, the kept rows after as_of
    late = F.col("t") > F.lit(given) if given is not None else F.lit(False)
    stats = (
        rows.groupBy("_left")
        .agg(
            F.count("*").alias("n"),
            F.max("t").alias("t"),
            F.sum(late.cast("long")).alias("late"),
        )
        .collect()
    )
    left_out: dict[str, int] = {r["_left"]: int(r["n"]) for r in stats if r["_left"] is not None}
    kept_stats = next((r for r in stats if r["_left"] is None), None)
    if kept_stats is None:
        rows.unpersist()
        empty = spark.createDataFrame(
            [],
            "a STRING, b STRING, strength DOUBLE, interactions LONG, last_us LONG, "
            "channels ARRAY<STRING>, minutes DOUBLE",
        )
        return SparkDerived(empty, _ordered(left_out), None, has_channel)
    ref = given if given is not None else int(kept_stats["t"])
    if kept_stats["late"]:
        left_out["after_as_of"] = int(kept_stats["late"])
    kept = rows.where(F.col("_left").isNull())
    kept = kept.where(F.col("t") <= F.lit(ref))

    und = sorted(set(undirected_channels))
    undirected = F.col("channel").isin(und) if und else F.lit(False)
    kept = kept.select(
        "*",
        F.least("s", "d").alias("a"),
        F.greatest("s", "d").alias("b"),
        (F.col("s") <= F.col("d")).alias("forward"),
        undirected.alias("undirected"),
    ).withColumn(
        "direction",
        F.when(F.col("undirected"), F.lit(2)).otherwise(F.col("forward").cast("int")),
    )
    # group weight 1/(n - 1): n = the people the group's kept rows name
    members = (
        kept.where(F.col("grp") != "")
        .select("grp", F.explode(F.array("s", "d")).alias("p"))
        .distinct()
        .groupBy("grp")
        .agg(F.count("*").alias("size"))
    )
    kept = kept.join(members, "grp", "left").withColumn(
        "g",
        F.when(F.col("grp") == "", F.lit(1.0)).otherwise(
            1.0 / F.greatest(F.col("size").cast("double") - 1.0, F.lit(1.0))
        ),
    )
    # duplicates (tie_signals' sort: pair, channel, direction, time, input order)
    has_id = F.col("msg") != ""
    by_id = Window.partitionBy("a", "b", "msg").orderBy("channel", "direction", "t", "_order")
    by_time = Window.partitionBy("a", "b", "channel", "direction", has_id).orderBy("t", "_order")
    gap_us = duplicate_seconds * 1e6
    dup = F.when(has_id, F.row_number().over(by_id) > 1).otherwise(
        F.coalesce(F.col("t") - F.lag("t").over(by_time) <= F.lit(gap_us), F.lit(False))
    )
    marked = kept.withColumn("dup", dup).cache()
    n_dup = marked.where("dup").count()
    if n_dup:
        left_out["duplicate"] = int(n_dup)
    events = marked.where(~F.col("dup"))

    timed = F.col("duration").isNotNull() & ~F.isnan("duration")
    weight = F.pow(F.lit(2.0), -((F.lit(ref) - F.col("t")) / 86400e6) / F.lit(half_life)) * F.col(
        "g"
    )
    amount = weight * F.when(timed, F.col("duration") / 60.0).otherwise(F.lit(UNTIMED_MINUTES))
    events = events.withColumn("amount", amount).withColumn("timed", timed)
    pairs = events.groupBy("a", "b").agg(
        _sum_if(F.col("undirected"), F.col("amount")).alias("x_und"),
        _sum_if(~F.col("undirected") & F.col("forward"), F.col("amount")).alias("x_ab"),
        _sum_if(~F.col("undirected") & ~F.col("forward"), F.col("amount")).alias("x_ba"),
        _sum_if(F.col("timed"), F.col("amount")).alias("minutes"),
        F.sum(F.col("timed").cast("long")).alias("timed"),
        F.count("*").alias("interactions"),
        F.max("t").alias("last_us"),
        F.array_sort(F.collect_set("channel")).alias("channels"),
    )
    x_dir = F.col("x_ab") + F.col("x_ba")
    r = F.when(x_dir > 0, 2.0 * F.least("x_ab", "x_ba") / x_dir).otherwise(F.lit(1.0))
    k = F.size("channels").cast("double")
    pairs = pairs.withColumn("r", r).withColumn(
        "x", (F.col("x_und") + x_dir * (1.0 + F.col("r")) / 2.0) * (1.0 + (k - 1.0) / 2.0)
    )
    totals = (
        pairs.select(F.explode(F.array("a", "b")).alias("p"), "x")
        .groupBy("p")
        .agg(F.sum("x").alias("total"))
    )
    prior = F.lit(SHARE_PRIOR_MINUTES)
    pairs = (
        pairs.join(totals.withColumnRenamed("p", "a").withColumnRenamed("total", "ta"), "a")
        .join(totals.withColumnRenamed("p", "b").withColumnRenamed("total", "tb"), "b")
        .withColumn(
            "share",
            F.sqrt(F.col("x") / (F.col("ta") + prior) * F.col("x") / (F.col("tb") + prior)),
        )
    )
    # frequency (loaders.interactions._frequency): the days met, each weighted
    ref_day = ref // _DAY_US
    day = F.floor(F.col("t") / F.lit(float(_DAY_US))).cast("long")
    pair_days = (
        events.groupBy("a", "b", day.alias("day"))
        .agg(F.max("g").alias("g"))
        .withColumn(
            "w", F.pow(F.lit(2.0), -(F.lit(ref_day) - F.col("day")).cast("double") / half_life)
        )
    )
    met = pair_days.groupBy("a", "b").agg(F.sum(F.col("w") * F.col("g")).alias("met"))
    active = (
        pair_days.select(F.explode(F.array("a", "b")).alias("p"), "day", "w")
        .distinct()
        .groupBy("p")
        .agg(F.sum("w").alias("active"))
    )
    pairs = (
        pairs.join(met, ["a", "b"])
        .join(active.withColumnRenamed("p", "a").withColumnRenamed("active", "aa"), "a")
        .join(active.withColumnRenamed("p", "b").withColumnRenamed("active", "ab"), "b")
        .withColumn("frequency", F.col("met") / F.least("aa", "ab"))
    )
    ties = pairs.select(
        "a",
        "b",
        udf["strength"](F.col("share"), F.col("frequency")).alias("strength"),
        "interactions",
        "last_us",
        (F.col("channels") if has_channel else F.lit(None).cast("array<string>")).alias("channels"),
        F.when(F.col("timed") > 0, udf["minutes"](F.col("minutes"))).alias("minutes"),
        "share",
        "frequency",
    )
    as_of_dt = datetime.fromtimestamp(ref / 1e6, UTC).replace(microsecond=ref % 1_000_000)
    return SparkDerived(ties, _ordered(left_out), as_of_dt, has_channel)


def _ordered(left_out: dict[str, int]) -> dict[str, int]:
    """The counts in the order :func:`loaders.interactions.tie_signals` makes them."""
    order = ("placeholder", "self", "no_timestamp", "future", "after_as_of", "duplicate")
    return {k: left_out[k] for k in order if left_out.get(k)}


# ------------------------------------------------------------------------ loading
def load_interactions_spark(
    db: Database,
    settings: ConnectionSettings,
    paths: Sequence[Path],
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    master: str | None = None,
    batch_size: int = WRITE_BATCH,
    progress: Progress | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> LoadSummary:
    """:func:`loaders.interactions.load_interactions` on Spark: read and check the logs,
    derive the strengths in Spark, and write people (``spark_load_people``) and ties
    (``spark_load_ties``, the properties :func:`loaders.model.tie_properties` gives)
    through the Neo4j Connector for Apache Spark, ``batch_size`` rows per transaction
    (ties from one writer: concurrent MERGEs of ties on shared people could deadlock).
    ``progress`` is called once per stage written.

    What is written when something goes wrong, as in the local load: every row of every
    log is read and checked, and every strength derived, before anything is written, so a
    refused log (a bad row, a missing column, an unreadable file) writes nothing. With
    ``skip_invalid`` bad rows are left out and counted (``rejected``; no rejects file:
    they stay in Spark). With ``dry_run`` nothing is written: the people and ties the load
    would create are counted against the database, read through the connector
    (``spark_person_ids``, ``spark_ties``). A failure while writing (Neo4j or an executor
    lost) can leave part of the batches written, as it can in the local load, whose
    batches are one transaction each too; the ``:LoadState`` then stays unfinished
    (``load_started``, ``load_finished``) and running the same load again completes it
    (every write is a MERGE).
    """
    from pyspark.sql import functions as F  # noqa: PLC0415

    if not paths:
        raise UsageError("no interaction log to load")
    check_half_life(half_life_days)
    started = time.perf_counter()
    try:
        spark = spark_session(master)
        frame, rejected = read_checked_logs(spark, paths, now=now, skip_invalid=skip_invalid)
        derived = spark_derive_strengths(
            frame,
            undirected_channels=undirected_channels,
            half_life_days=half_life_days,
            as_of=as_of,
            now=now,
        )
        ties = (
            derived.ties.withColumn("source", F.lit("interactions"))
            .withColumn(
                "others", F.array(*[F.lit(s) for s in DERIVED_SOURCES if s != "interactions"])
            )
            .cache()
        )
        n_ties = ties.count()
        read_done = time.perf_counter()
        people = ties.select(F.explode(F.array("a", "b")).alias("id")).distinct().cache()
        if dry_run:
            summary = _dry_run(spark, settings, people, ties)
            summary.seconds = {"read": read_done - started}
            return _counted(summary, derived.left_out, rejected)
        db.setup_schema()
        before = db.query("database_counts")[0]
        n_people = people.count()
        db.write("load_started", source="interactions")
        write_query(people, settings, "spark_load_people", batch=batch_size)
        if progress is not None:
            progress("people", n_people, n_people)
        people_done = time.perf_counter()
        write_query(
            ties.drop("share", "frequency").coalesce(1),
            settings,
            "spark_load_ties",
            batch=batch_size,
        )
        if progress is not None:
            progress("ties", n_ties, n_ties)
        db.write("load_finished")
        after = db.query("database_counts")[0]
    except Exception as exc:  # noqa: BLE001 (Spark's errors become one line)
        raise spark_failure(exc) from exc
    summary = LoadSummary(
        people_created=after["people"] - before["people"],
        people_unchanged=n_people - (after["people"] - before["people"]),
        ties_created=after["ties"] - before["ties"],
        ties_updated=n_ties - (after["ties"] - before["ties"]),
        seconds={
            "read": read_done - started,
            "people": people_done - read_done,
            "ties": time.perf_counter() - people_done,
        },
    )
    return _counted(summary, derived.left_out, rejected)


def _counted(summary: LoadSummary, left_out: dict[str, int], rejected: int) -> LoadSummary:
    """``summary`` with the rows the model left out and those rejected."""
    summary.rejected = rejected
    return with_left_out(summary, left_out)


def _dry_run(
    spark: SparkSession, settings: ConnectionSettings, people: DataFrame, ties: DataFrame
) -> LoadSummary:
    """What writing ``people`` ``(id)`` and ``ties`` ``(a, b, ...)`` would do, counted against
    the database (read through the connector) as the load counts what it did: people and
    ties not yet there are created, the others unchanged (people) or updated (ties)."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    from powerconnect.engine.spark_session import read_query  # noqa: PLC0415

    stored = read_query(spark, settings, "spark_person_ids", "id STRING")
    n_people = people.count()
    new_people = people.join(stored, "id", "left_anti").count()
    held = read_query(
        spark, settings, "spark_ties", "src STRING, dst STRING, strength DOUBLE, calibrated BOOLEAN"
    ).select(F.least("src", "dst").alias("a"), F.greatest("src", "dst").alias("b"))
    pairs = ties.select("a", "b")
    n_ties = pairs.count()
    new_ties = pairs.join(held.distinct(), ["a", "b"], "left_anti").count()
    return LoadSummary(
        people_created=new_people,
        people_unchanged=n_people - new_people,
        ties_created=new_ties,
        ties_updated=n_ties - new_ties,
        dry_run=True,
    )
