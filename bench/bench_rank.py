"""End-to-end speed of `powerconnect rank` on a 1M-tie network, with its peak memory.

Generates the seeded preferential-attachment graph of bench_measures.py (100k people,
~1M ties, hubs with thousands of ties), puts it into a throwaway local Neo4j with
`neo4j-admin database import` (the loader has its own benchmark, bench_load.py), starts the
server, then runs the real CLI, `powerconnect rank --top 20 --format csv`, as a child
process: wall time from launch to exit (read from Neo4j, rank, write every person's results
back, record the run) and the child's peak resident memory. Then it times the
structural-hole computation alone against igraph's C `constraint()` on the same graph.

After each rank run it times igraph's constraint() again, so that every run has its yardstick
measured beside it, and prints the must-keep of issue 13: rank wall time / igraph time, the
median over the runs (the first run, on a server just started, apart from the later ones),
beside the same ratio from the figures recorded on 2026-11-26 (:data:`RECORDED`).

The recorded figures come from a faster day of this machine (the same old code takes 15-21 s
on a first run now), so the must-keep is best measured against the old code itself, in the
same minutes: ``--baseline-cli`` runs another checkout's ``powerconnect`` (installed in its
own virtualenv, with the same packages: pyarrow alone changes the times) in turns with this
one, each on a server of its own, ``--rounds`` times, and prints both codes' median ratios.
For issue 13's must-keep the baseline is 2a2368d, main on the day the issue was filed::

    git worktree add /tmp/old 2a2368d && make -C /tmp/old install
    /tmp/old/.venv/bin/pip install pyarrow   # when this virtualenv has it (make install-spark)
    .venv/bin/python bench/bench_rank.py --baseline-cli /tmp/old/.venv/bin/powerconnect \\
        --rounds 4 --runs 2

Run:  .venv/bin/python bench/bench_rank.py [--people 100000] [--m 10] [--runs 3]
      [--baseline-cli PATH --rounds N]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measures import igraph_of, preferential_attachment  # noqa: E402

from powerconnect.engine import measures  # noqa: E402
from powerconnect.engine.db import Database  # noqa: E402
from powerconnect.engine.graph import TieGraph  # noqa: E402
from powerconnect.engine.settings import ConnectionSettings  # noqa: E402
from powerconnect.server import LocalServer, default_home, free_port  # noqa: E402

PASSWORD = "bench-rank-password"


def write_import_csv(g: TieGraph, folder: Path) -> tuple[Path, Path]:
    """The graph in neo4j-admin import's CSV format (header rows name id and types)."""
    people, ties = folder / "people.csv", folder / "ties.csv"
    with people.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id:ID", "name", ":LABEL"])
        for pid in g.ids.tolist():
            w.writerow([pid, f"Person {pid}", "Person"])
    with ties.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID", ":END_ID", "strength:float", ":TYPE"])
        ids = g.ids
        for a, b, s in zip(g.src.tolist(), g.dst.tolist(), g.strength.tolist(), strict=True):
            w.writerow([ids[a], ids[b], f"{s:.4f}", "KNOWS"])
    return people, ties


def generated_graph(people: int, m: int, seed: int) -> TieGraph:
    """bench_measures' seeded preferential-attachment graph, with a line saying what it is."""
    t0 = time.perf_counter()
    g = preferential_attachment(people, m, seed)
    print(
        f"graph: {g.n} people, {g.m} ties, max degree {int(g.degree.max())} "
        f"({time.perf_counter() - t0:.1f} s to generate)"
    )
    return g


@contextmanager
def imported_server(
    g: TieGraph, *, heap: str, pagecache: str, prefix: str
) -> Iterator[tuple[LocalServer, ConnectionSettings]]:
    """A throwaway local Neo4j holding ``g``, put there with ``neo4j-admin database import``,
    started, with powerconnect's constraints online; stopped and deleted on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        tmpdir = Path(tmp)
        server = LocalServer(
            home=default_home(),
            server_dir=tmpdir / "server",
            bolt_port=free_port(),
            http_port=free_port(),
            heap=heap,
            pagecache=pagecache,
        )
        people_csv, ties_csv = write_import_csv(g, tmpdir)
        t0 = time.perf_counter()
        proc = server.admin(
            "database",
            "import",
            "full",
            f"--nodes={people_csv}",
            f"--relationships={ties_csv}",
            "--overwrite-destination",
            "neo4j",
        )
        if proc.returncode != 0:
            sys.exit(f"neo4j-admin import failed:\n{proc.stdout}\n{proc.stderr}")
        print(f"neo4j-admin import: {time.perf_counter() - t0:.1f} s")
        server.start(password=PASSWORD)
        try:
            settings = ConnectionSettings(uri=server.bolt_uri, password=PASSWORD)
            with Database.connect(settings) as db:
                db.setup_schema()
                db.driver.execute_query("CALL db.awaitIndexes(300)")
            yield server, settings
        finally:
            server.stop()


#: The must-keep of issue 13: `rank` on 1M ties no slower than on 2026-11-26 (README of that
#: day, `bench/bench_rank.py` at 02:31): end to end 15.7 s on a server just started and 10.8 s
#: for a second run, while igraph's constraint() took 2.11 s on the same graph.
RECORDED_AT = "2026-11-26 02:31"
RECORDED: dict[str, float] = {"first": 15.7, "later": 10.8, "igraph": 2.11}
_PHASES = re.compile(r"read ([0-9.]+) s, rank ([0-9.]+) s, write ([0-9.]+) s")


@dataclass(frozen=True)
class RankTime:
    """One `powerconnect rank` run and the igraph yardstick timed right after it."""

    wall: float
    read: float
    rank: float
    write: float
    rss_mb: float
    igraph: float

    @property
    def ratio(self) -> float:
        return self.wall / self.igraph


def time_rank(cli: str, env: dict[str, str]) -> tuple[float, float, str, str]:
    """Run `powerconnect rank --top 20 --format csv` as a child: (wall s, peak RSS MB, out, err)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [cli, "rank", "--top", "20", "--format", "csv"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(child.pid, 0)  # its own peak RSS (the output is small)
    wall = time.perf_counter() - t0
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    if status != 0:
        sys.exit(f"powerconnect rank failed:\n{err}")
    return wall, usage.ru_maxrss / 1024, out, err


def time_igraph(ig: Any) -> float:
    """Seconds for igraph's C constraint() on the weighted graph (the yardstick)."""
    t0 = time.perf_counter()
    ig.constraint(weights="strength")
    return time.perf_counter() - t0


def must_keep(times: list[RankTime]) -> None:
    """Print the must-keep ratio (rank wall / igraph constraint, same run) beside 2026-11-26's."""
    then_first = RECORDED["first"] / RECORDED["igraph"]
    then_later = RECORDED["later"] / RECORDED["igraph"]
    first = times[:1]
    later = times[1:]
    print(
        "must-keep (issue 13): rank wall time / igraph constraint() time in the same run "
        f"(lower is faster); {RECORDED_AT}: first {RECORDED['first']} s / "
        f"{RECORDED['igraph']} s = {then_first:.2f}, later {RECORDED['later']} s / "
        f"{RECORDED['igraph']} s = {then_later:.2f}"
    )
    for label, group, then in (("first run", first, then_first), ("later runs", later, then_later)):
        if not group:
            continue
        ratio = statistics.median(t.ratio for t in group)
        verdict = "no slower" if ratio <= then else "SLOWER"
        print(
            f"  {label}: median ratio {ratio:.2f} over {len(group)} "
            f"(wall {statistics.median(t.wall for t in group):.1f} s, igraph "
            f"{statistics.median(t.igraph for t in group):.2f} s) against {then:.2f}: {verdict}"
        )


def rank_runs(
    label: str, cli: str, g: TieGraph, ig: Any, args: argparse.Namespace
) -> tuple[list[RankTime], str]:
    """``args.runs`` runs of ``cli rank`` on a server just started with ``g`` imported, each
    followed by igraph's constraint() (the yardstick); returns them and the last CSV."""
    times: list[RankTime] = []
    out = ""
    with imported_server(g, heap=args.heap, pagecache=args.pagecache, prefix="pc-bench-rank-") as (
        server,
        _settings,
    ):
        env = {**os.environ, "NEO4J_URI": server.bolt_uri, "NEO4J_PASSWORD": PASSWORD}
        for run in range(1, args.runs + 1):
            wall, rss_mb, out, err = time_rank(cli, env)
            phases = _PHASES.search(err)
            read, ranked, written = (float(x) for x in phases.groups()) if phases else (0, 0, 0)
            theirs = time_igraph(ig)
            times.append(RankTime(wall, read, ranked, written, rss_mb, theirs))
            summary = [line for line in err.splitlines() if line.startswith("Ranked")]
            print(
                f"{label}powerconnect rank run {run}: {wall:.1f} s wall (read {read:.1f}, rank "
                f"{ranked:.1f}, write {written:.1f} s), peak RSS {rss_mb:.0f} MB; igraph "
                f"constraint() right after {theirs:.2f} s, ratio {wall / theirs:.2f}"
                f" - {summary[-1] if summary else err.strip().splitlines()[-1]}",
                flush=True,
            )
    return times, out


def against_baseline(ours: list[list[RankTime]], theirs: list[list[RankTime]]) -> None:
    """Print this code's ratios (rank wall / igraph, same run) beside the baseline's, run in
    turns with it on servers of their own: the must-keep measured in the same minutes."""
    print("must-keep (issue 13): this code against the baseline, run in turns (lower is faster):")
    picks = (("first run", slice(0, 1)), ("later runs", slice(1, None)), ("all runs", slice(None)))
    for label, pick in picks:
        mine = [t for rnd in ours for t in rnd[pick]]
        base = [t for rnd in theirs for t in rnd[pick]]
        if not mine or not base:
            continue
        r_mine = statistics.median(t.ratio for t in mine)
        r_base = statistics.median(t.ratio for t in base)
        verdict = "no slower" if r_mine <= r_base else "SLOWER"
        print(
            f"  {label}: median ratio {r_mine:.2f} over {len(mine)} (wall "
            f"{statistics.median(t.wall for t in mine):.1f} s; read / rank / write "
            f"{statistics.median(t.read for t in mine):.1f} / "
            f"{statistics.median(t.rank for t in mine):.1f} / "
            f"{statistics.median(t.write for t in mine):.1f} s) against the baseline's "
            f"{r_base:.2f} over {len(base)} (wall {statistics.median(t.wall for t in base):.1f} s; "
            f"{statistics.median(t.read for t in base):.1f} / "
            f"{statistics.median(t.rank for t in base):.1f} / "
            f"{statistics.median(t.write for t in base):.1f} s): {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--m", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="rank runs on one server")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument(
        "--baseline-cli",
        help="the powerconnect executable of another checkout (e.g. 2a2368d, the code of the "
        "day issue 13 was filed, installed in its own virtualenv): run in turns with this code, "
        "each on a server of its own, and compared with it",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="servers per code (with --baseline-cli, in turns)"
    )
    args = parser.parse_args()

    g = generated_graph(args.people, args.m, args.seed)
    ig = igraph_of(g)
    cli = str(Path(sys.executable).parent / "powerconnect")
    codes = {"": cli} if not args.baseline_cli else {"this: ": cli, "baseline: ": args.baseline_cli}
    rounds: dict[str, list[list[RankTime]]] = {label: [] for label in codes}
    out = ""
    for round_ in range(args.rounds):
        labels = list(codes) if round_ % 2 == 0 else list(codes)[::-1]
        for label in labels:
            times, csv_out = rank_runs(label, codes[label], g, ig, args)
            rounds[label].append(times)
            out = csv_out if codes[label] == cli else out
    print("top 5 by score:")
    for line in out.splitlines()[:6]:
        print("   ", line[:150])

    fresh = TieGraph.from_arrays(g.ids, g.src, g.dst, g.strength)
    t0 = time.perf_counter()
    measures.constraint(fresh)
    measures.effective_size(fresh)
    ours = time.perf_counter() - t0
    mine = [t for rnd in rounds[next(iter(codes))] for t in rnd]
    theirs = statistics.median(t.igraph for t in mine)
    print(
        f"structural holes (constraint + effective size): ours {ours:.2f} s, "
        f"igraph constraint() {theirs:.2f} s (median), ratio {ours / theirs:.2f}"
    )
    if args.baseline_cli:
        against_baseline(rounds["this: "], rounds["baseline: "])
    else:
        for times in rounds[""]:
            must_keep(times)
    print(
        f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
        f" MB; {date.today()}, {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
