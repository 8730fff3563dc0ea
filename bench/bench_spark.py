"""The Spark engine against the local engine on the same graph: wall time and peak memory.

Generates bench_measures.py's seeded preferential-attachment graph (``--m`` ties per person,
hubs with thousands of ties, strengths Beta(2, 5)) with a seeded random organization per
person (one of ``people / 100``), writes it to CSV once, then ranks it with each engine in
a child process of its own:

* **local**: :func:`engine.ranking.rank` on the graph read from the CSV files;
* **spark**: :func:`engine.spark_ranking.rank_frames` on the same CSV files read by Spark
  in local mode (``local[*]``: every core of this machine), the table written to Spark's
  ``noop`` sink so that every row is computed.

Both rank with the organizations as groups and the automatic strong threshold (with
``--communities``, without groups: both detect the communities of the strong-tie graph,
:func:`engine.communities.detect_groups` and :mod:`engine.spark_communities`). Neo4j is
left out on both sides (reading and writing through the connector is measured by
``rank --engine spark`` itself, in its timings): this compares the engines, not the
database. Wall time is the ranking alone (reading the CSV files excluded); peak memory is
the child's peak resident set (for Spark: the Python driver plus the JVM plus its Python
workers, each process's own peak, summed, an upper bound). For Spark the run also reports
the shuffle bytes written, from Spark's monitoring API; for each size the per-tie costs
that docs/scale.md extrapolates from.

With ``--interactions N`` it measures ``load-interactions``' strength model instead: a
seeded log of N rows (bench_strength-like: 20,000 people, four channels, durations, groups,
message ids, logged-twice rows), derived in a child per engine from the same CSV file:
**local** :func:`loaders.interactions.read_interaction_frame` then
:func:`~loaders.interactions.derive_strengths`; **spark**
:func:`loaders.spark_interactions.read_interaction_logs` then
:func:`~loaders.spark_interactions.spark_derive_strengths`, the ties written to ``noop``.
Wall time includes reading and checking the log on both sides; Neo4j is left out.

Run:  .venv/bin/python bench/bench_spark.py [--sizes 100000,300000,1000000] [--runs 1]
                                           [--communities]
      .venv/bin/python bench/bench_spark.py --interactions 1000000 [--runs 3]
(needs the spark extra: make install-spark)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measures import preferential_attachment  # noqa: E402

from powerconnect.engine.graph import TieGraph  # noqa: E402

TIES_PER_PERSON = 10


def write_graph(ties: int, seed: int, folder: Path) -> tuple[int, int]:
    """About ``ties`` ties as people.csv (id, grp) and ties.csv (src, dst, strength)."""
    people = ties // TIES_PER_PERSON
    g = preferential_attachment(people, TIES_PER_PERSON, seed)
    groups = np.random.default_rng(seed).integers(0, max(1, people // 100), people)
    pd.DataFrame({"id": g.ids, "grp": groups}).to_csv(folder / "people.csv", index=False)
    pd.DataFrame({"src": g.ids[g.src], "dst": g.ids[g.dst], "strength": g.strength}).to_csv(
        folder / "ties.csv", index=False, float_format="%.17g"
    )
    return g.n, g.m


def _tree_peak_mb(root: int) -> float:
    """Sum of each process's peak resident set (VmHWM) in the tree under ``root``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def child_local(folder: Path, communities: bool = False) -> dict[str, float]:
    from powerconnect.engine.ranking import rank  # noqa: PLC0415

    people = pd.read_csv(folder / "people.csv", dtype={"id": str})
    ties = pd.read_csv(folder / "ties.csv", dtype={"src": str, "dst": str})
    index = pd.Index(people["id"])
    g = TieGraph.from_arrays(
        people["id"].to_numpy(dtype=object),
        index.get_indexer(ties["src"]),
        index.get_indexer(ties["dst"]),
        ties["strength"].to_numpy(),
    )
    groups = people["grp"].to_numpy(dtype=np.int64)
    names = [f"org {k}" for k in range(int(groups.max()) + 1)]
    clock = time.perf_counter()
    table = rank(g) if communities else rank(g, groups=groups, group_names=names)
    seconds = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "rows": len(table)}


def child_spark(folder: Path, communities: bool = False) -> dict[str, float]:
    from pyspark.sql import SparkSession  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: N812, PLC0415

    from powerconnect.engine.spark_measures import clean_ties  # noqa: PLC0415
    from powerconnect.engine.spark_ranking import rank_frames  # noqa: PLC0415
    from powerconnect.engine.spark_session import LOCAL_PARTITIONS  # noqa: PLC0415

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[*]")
        .appName("bench_spark")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.shuffle.partitions", str(LOCAL_PARTITIONS))
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    people = spark.read.csv(str(folder / "people.csv"), header=True, schema="id STRING, grp LONG")
    people = people.withColumn("name", F.col("id")).localCheckpoint()
    raw = spark.read.csv(
        str(folder / "ties.csv"), header=True, schema="src STRING, dst STRING, strength DOUBLE"
    )
    top = people.agg(F.max("grp")).first()
    names = [f"org {k}" for k in range(int(top[0] if top else 0) + 1)]
    ties = clean_ties(people, raw).localCheckpoint()
    clock = time.perf_counter()
    table, _ = rank_frames(people, ties, strong=None, group_names=None if communities else names)
    table.write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - clock
    shuffle = 0
    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    if url:
        with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages") as answer:
            stages = json.load(answer)
        shuffle = sum(int(s.get("shuffleWriteBytes", 0)) for s in stages)
    peak = _tree_peak_mb(os.getpid())
    spark.stop()
    return {"seconds": seconds, "peak_mb": peak, "shuffle_mb": shuffle / 1e6}


LOG_PEOPLE = 20_000
#: the log's "now": later than every generated row
LOG_NOW = "2026-01-01T00:00:00Z"


def write_log(rows: int, seed: int, folder: Path) -> None:
    """A seeded interaction log of ``rows`` rows as log.csv (every column the model reads)."""
    rng = np.random.default_rng(seed)
    a = rng.zipf(1.6, rows) % LOG_PEOPLE
    b = (a + 1 + rng.zipf(1.4, rows) % (LOG_PEOPLE - 1)) % LOG_PEOPLE
    start = pd.Timestamp("2024-01-01", tz="UTC").value // 1000
    t = start + rng.integers(0, 700 * 86_400_000_000, rows)
    twin = rng.random(rows) < 0.05  # logged by both ends, 3 s apart
    t[twin] = np.roll(t, 1)[twin] + 3_000_000
    channel = rng.choice(["email", "meeting", "call", "chat"], rows, p=[0.5, 0.2, 0.2, 0.1])
    frame = pd.DataFrame(
        {
            "from": [f"p{i}" for i in a],
            "to": [f"p{i}" for i in b],
            "timestamp": pd.to_datetime(t * 1000, utc=True).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "channel": channel,
            "duration": np.where(channel == "email", "", rng.integers(30, 3600, rows).astype(str)),
            "group": np.where(
                rng.random(rows) < 0.1, [f"g{i}" for i in rng.integers(0, rows // 20, rows)], ""
            ),
            "message_id": np.where(
                channel == "email", [f"<m{i}>" for i in rng.integers(0, rows, rows)], ""
            ),
        }
    )
    frame.to_csv(folder / "log.csv", index=False)


def child_log_local(folder: Path) -> dict[str, float]:
    from powerconnect.loaders.interactions import derive_strengths, read_interaction_frame  # noqa: PLC0415
    from powerconnect.loaders.tables import ProblemLog  # noqa: PLC0415

    now = pd.Timestamp(LOG_NOW).to_pydatetime()
    clock = time.perf_counter()
    frame = read_interaction_frame([folder / "log.csv"], ProblemLog(), now=now)
    derived = derive_strengths(frame, undirected_channels=["meeting"], now=now)
    seconds = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "ties": len(derived.ties)}


def child_log_spark(folder: Path) -> dict[str, float]:
    from powerconnect.engine.spark_session import spark_session  # noqa: PLC0415
    from powerconnect.loaders.spark_interactions import (  # noqa: PLC0415
        read_interaction_logs,
        spark_derive_strengths,
    )

    now = pd.Timestamp(LOG_NOW).to_pydatetime()
    spark = spark_session("local[*]")
    clock = time.perf_counter()
    frame = read_interaction_logs(spark, [folder / "log.csv"], now=now)
    derived = spark_derive_strengths(frame, undirected_channels=["meeting"], now=now)
    derived.ties.write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - clock
    peak = _tree_peak_mb(os.getpid())
    spark.stop()
    return {"seconds": seconds, "peak_mb": peak}


def bench_interactions(rows: int, runs: int, seed: int) -> None:
    print(f"load-interactions model, {rows:,} log rows, median of {runs} run(s)")
    print("| rows | local s | spark s | time ratio | local MB | spark MB | memory ratio |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-spark-log-") as tmp:
        folder = Path(tmp)
        write_log(rows, seed, folder)
        local = [run_child("log-local", folder) for _ in range(runs)]
        spark = [run_child("log-spark", folder) for _ in range(runs)]
    ls = float(np.median([r["seconds"] for r in local]))
    ss = float(np.median([r["seconds"] for r in spark]))
    lm = float(np.median([r["peak_mb"] for r in local]))
    sm = float(np.median([r["peak_mb"] for r in spark]))
    print(
        f"| {rows} | {ls:.1f} | {ss:.1f} | {ss / ls:.1f}x | {lm:.0f} | {sm:.0f} | {sm / lm:.1f}x |",
        flush=True,
    )


def run_child(engine: str, folder: Path, communities: bool = False) -> dict[str, float]:
    extra = ["--communities"] if communities else []
    out = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--dir", str(folder), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"the {engine} child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--interactions", type=int, default=0, metavar="ROWS")
    parser.add_argument("--child", choices=["local", "spark", "log-local", "log-spark"])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--communities", action="store_true", help="rank without groups")
    args = parser.parse_args()
    if args.child:
        if args.child in ("local", "spark"):
            rank_child = child_local if args.child == "local" else child_spark
            print(json.dumps(rank_child(args.dir, args.communities)))
        else:
            log_child = child_log_local if args.child == "log-local" else child_log_spark
            print(json.dumps(log_child(args.dir)))
        return
    print(
        f"bench_spark, {date.today()}, {platform.processor() or platform.machine()},"
        f" {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.interactions:
        bench_interactions(args.interactions, args.runs, args.seed)
        return
    print(
        "| ties | people | local s | spark s | time ratio | local MB | spark MB | memory ratio"
        " | spark shuffle MB | spark us/tie | shuffle B/tie |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
            folder = Path(tmp)
            n, m = write_graph(size, args.seed, folder)
            local = [run_child("local", folder, args.communities) for _ in range(args.runs)]
            spark = [run_child("spark", folder, args.communities) for _ in range(args.runs)]
        ls = float(np.median([r["seconds"] for r in local]))
        ss = float(np.median([r["seconds"] for r in spark]))
        lm = float(np.median([r["peak_mb"] for r in local]))
        sm = float(np.median([r["peak_mb"] for r in spark]))
        sh = float(np.median([r["shuffle_mb"] for r in spark]))
        print(
            f"| {m} | {n} | {ls:.1f} | {ss:.1f} | {ss / ls:.1f}x | {lm:.0f} | {sm:.0f} |"
            f" {sm / lm:.1f}x | {sh:.0f} | {ss / m * 1e6:.0f} | {sh * 1e6 / m:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
