"""Speed of `introduce` and `recommend` on the 1M-tie network.

Generates the seeded preferential-attachment graph of bench_measures.py (100k people,
~1M ties, hubs with thousands of ties), imports it into a throwaway local Neo4j with
`neo4j-admin database import` (as bench_rank.py does), starts the server and ranks it once
(`rank_database`, so that intermediaries have a pc_score and people a pc_group, the groups
`recommend` falls back on). Then, with the database warm (every query run once first):

* `introduce`: `find_paths` for random pairs plus pairs that involve the biggest hubs; the
  median and the maximum time of one answer (a "no path within 3 hops" answer counts too:
  it is the slowest kind, since the search goes down to the weakest ties);
* `introduce --to-group`: `find_paths_to_group` from the same people to a few communities;
* `recommend` for everyone (read, recommend, write; the introductions written), twice: the
  second run also deletes the first's introductions; then for one person (which reads only
  that person's part of the network);
* one `powerconnect introduce` process, launch to exit, for the CLI's own start-up cost.

Target: one `introduce` answer in under 1 s with the database warm.

Run:  .venv/bin/python bench/bench_introduce.py [--people 100000] [--m 10] [--pairs 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from bench_rank import PASSWORD, generated_graph, imported_server  # noqa: E402

from powerconnect.engine.analysis import rank_database  # noqa: E402
from powerconnect.engine.db import Database  # noqa: E402
from powerconnect.engine.errors import UsageError  # noqa: E402
from powerconnect.engine.paths import find_paths, find_paths_to_group
from powerconnect.engine.recommend import recommend_database
from powerconnect.server import LocalServer  # noqa: E402

TARGET_SECONDS = 1.0


def timed(call: Callable[[], Any]) -> tuple[float, str]:
    """Seconds taken by ``call`` and what it answered (paths found, or the error)."""
    t0 = time.perf_counter()
    try:
        answer = call()
        what = f"{len(answer.paths)} paths, best weakest link {answer.paths[0].weakest_link:.2f}"
    except UsageError as exc:
        what = f"error: {str(exc)[:60]}"
    return time.perf_counter() - t0, what


def summary(name: str, seconds: list[float], answers: list[str]) -> None:
    found = sum(not a.startswith("error") for a in answers)
    print(
        f"{name}: {len(seconds)} queries ({found} with paths, {len(seconds) - found} without): "
        f"median {1000 * statistics.median(seconds):.0f} ms, "
        f"max {1000 * max(seconds):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--m", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pairs", type=int, default=20, help="random pairs for introduce")
    parser.add_argument("--hubs", type=int, default=3, help="biggest hubs paired with others")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--verbose", action="store_true", help="print every query's answer")
    args = parser.parse_args()

    g = generated_graph(args.people, args.m, args.seed)
    degree = g.degree
    rng = np.random.default_rng(args.seed + 1)
    ids = g.ids
    pairs = [tuple(ids[rng.choice(g.n, 2, replace=False)]) for _ in range(args.pairs)]
    hubs = ids[np.argsort(-degree)[: args.hubs]]
    for k, hub in enumerate(hubs):
        pairs.append((hub, ids[rng.integers(g.n)]))  # hub to anyone
        pairs.append((ids[rng.integers(g.n)], hub))  # anyone to a hub
        pairs.append((hub, hubs[(k + 1) % len(hubs)]))  # hub to hub

    with imported_server(
        g, heap=args.heap, pagecache=args.pagecache, prefix="pc-bench-introduce-"
    ) as (server, settings):
        with Database.connect(settings) as db:
            t0 = time.perf_counter()
            rank_database(db)
            print(f"rank (for pc_score and pc_group): {time.perf_counter() - t0:.1f} s")
            answered = run_benchmarks(db, pairs, args.verbose)
        cli_once(server, answered)
    print(
        f"{date.today()}, {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def run_benchmarks(db: Database, pairs: list[tuple[str, str]], verbose: bool) -> tuple[str, str]:
    """Time everything; return a pair that has paths (for the CLI run)."""
    # introduce --person A --to C
    calls = [lambda a=a, c=c: find_paths(db, a, c) for a, c in pairs]
    for call in calls:  # warm-up: every query once
        timed(call)
    seconds, answers = zip(*(timed(call) for call in calls), strict=True)
    if verbose:
        for (a, c), s, what in zip(pairs, seconds, answers, strict=True):
            print(f"    {a} -> {c}: {1000 * s:.0f} ms, {what}")
    summary("introduce --to", list(seconds), list(answers))
    answered = next(
        (pair for pair, what in zip(pairs, answers, strict=True) if not what.startswith("error")),
        pairs[0],
    )
    verdict = "meets" if max(seconds) < TARGET_SECONDS else "misses"
    print(f"    {verdict} the target of one answer in under {TARGET_SECONDS:.0f} s (warm)")

    # introduce --person A --to-group G (communities of the ranking run, largest first)
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) WHERE p.pc_group IS NOT NULL AND p.pc_group <> '' "
        "WITH p.pc_group AS g, count(*) AS n ORDER BY n DESC, g LIMIT 3 RETURN g, n"
    )
    groups = [(r["g"], r["n"]) for r in records]
    sources = [a for a, _ in pairs[:10]]
    group_calls = [
        lambda a=a, grp=grp: find_paths_to_group(db, a, grp, group_by="pc_group")
        for a in sources
        for grp, _ in groups
    ]
    for call in group_calls:
        timed(call)
    g_seconds, g_answers = zip(*(timed(call) for call in group_calls), strict=True)
    sizes = ", ".join(f"{grp} ({n} people)" for grp, n in groups)
    summary(f"introduce --to-group [{sizes}]", list(g_seconds), list(g_answers))

    # recommend for everyone (first run, then a run that replaces it), then for one person
    for label in ("first run", "re-run, replacing the first"):
        run = recommend_database(db)
        spent = ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items())
        print(
            f"recommend (everyone, {label}, groups {run.group_by}): "
            f"{sum(run.timings.values()):.1f} s ({spent}); "
            f"{len(run.introductions)} introductions written"
        )
    if run.introductions:
        best = run.introductions[0]
        print(f"    best: {best.broker} introduces {best.a} to {best.c}: {best.reason}")
    person = run.introductions[0].a if run.introductions else pairs[0][0]
    one = recommend_database(db, person=person)
    spent = ", ".join(f"{k} {v:.1f} s" for k, v in one.timings.items())
    print(
        f"recommend --person {person}: {sum(one.timings.values()):.1f} s ({spent}); "
        f"{len(one.introductions)} introductions"
    )
    return answered


def cli_once(server: LocalServer, pair: tuple[str, str]) -> None:
    env = {**os.environ, "NEO4J_URI": server.bolt_uri, "NEO4J_PASSWORD": PASSWORD}
    code = (
        "from powerconnect.cli import main\n"
        "from powerconnect.intro_commands import register\n"
        "register(main)\n"
        "main()\n"
    )
    command = [sys.executable, "-c", code, "introduce", "--person", pair[0], "--to", pair[1]]
    t0 = time.perf_counter()
    child = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    print(
        f"one `powerconnect introduce` process: {wall:.1f} s launch to exit "
        f"(exit code {child.returncode}; Python start-up and imports included)"
    )


if __name__ == "__main__":
    main()
