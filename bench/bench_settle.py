"""Speed of settling a ranking run on a server just started: the current ``settle_run``
(one part per transaction, serially, each first taking the ``:Run``'s write lock) against a
candidate tried on 2026-12-03 and not kept, :data:`CONCURRENT`: the parts in concurrent
transactions, each taking its own part's lock, marking it done (the done parts deleted by a
second query), and the same candidate run serially (``IN TRANSACTIONS``), to tell what
concurrency itself gives.

For each round and each query: a throwaway local Neo4j with 100k people (``neo4j-admin
database import``, the preferential-attachment graph of bench_measures.py with one tie per
person: settling writes people only), started; the results of a run (every result column,
as ``rank`` stages them: ``result_parts`` of WRITE_BATCH people) staged with
``write_scores`` and published with ``publish_run``; then the settle timed. The queries
alternate, each on a new server; the medians are printed with their ratio to the current
query, and whether the people's pc_* values and labels came out the same.

Run:  .venv/bin/python bench/bench_settle.py [--people 100000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measures import preferential_attachment  # noqa: E402
from bench_rank import imported_server  # noqa: E402

from powerconnect.engine.analysis import WRITE_BATCH, result_parts, score_tiers, settle  # noqa: E402
from powerconnect.engine.db import Database  # noqa: E402

CYPHER = Path(__file__).resolve().parents[1] / "cypher"

#: The candidate: settle_run with each part's own lock, in concurrent transactions; BODY is
#: the current settle_run's write of one part's people.
CONCURRENT = """
MATCH (run:Run)
WITH run.id AS id ORDER BY run.at DESC LIMIT 1
MATCH (s:RunPart {run: id})
WHERE s.done IS NULL
WITH DISTINCT id, s.part AS part
CALL (id, part) {
  // one settler at a time per part: take the part's write lock first, then read s.done (the
  // value another reader committed meanwhile): a part done by another one is skipped; one
  // deleted by DROP_DONE meanwhile was done, and is no longer found
  MATCH (s:RunPart {run: id, part: part})
  SET s.settling = true
  REMOVE s.settling
  WITH id, s
  WHERE s.done IS NULL
  CALL (s, id) {
    BODY
  }
  SET s.done = true
  REMOVE s.ids, s.rank, s.score, s.role, s.constraint, s.effective_size, s.efficiency,
         s.hierarchy, s.strong_ties, s.weak_ties, s.groups_bridged, s.open_pairs,
         s.simmelian_ties, s.group, s.explanation, s.score_tier
} IN CONCURRENT TRANSACTIONS OF 1 ROW
"""

#: The candidate's second query: the done parts deleted.
DROP_DONE = "MATCH (s:RunPart) WHERE s.done = true DETACH DELETE s"


def candidate(concurrent: bool) -> str:
    """CONCURRENT with the current settle_run's write of the people (``IN TRANSACTIONS``
    instead when not ``concurrent``)."""
    text = (CYPHER / "settle_run.cypher").read_text()
    body = text[text.index("WITH s.ids AS ids") : text.index("  }\n  DELETE s")]
    query = CONCURRENT.replace("BODY", body.strip())
    return query if concurrent else query.replace("IN CONCURRENT TRANSACTIONS", "IN TRANSACTIONS")


def run_table(ids: list[str], seed: int) -> pd.DataFrame:
    """A run's results for ``ids``: random values in every column, some NaN, every role."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    score = rng.random(n)
    score[rng.random(n) < 0.1] = np.nan
    table = pd.DataFrame({"id": ids, "rank": np.arange(1, n + 1), "score": score})
    for column in ["constraint", "effective_size", "efficiency", "hierarchy"]:
        table[column] = rng.random(n)
    for column in ["strong_ties", "weak_ties", "groups_bridged", "open_pairs", "simmelian_ties"]:
        table[column] = rng.integers(0, 50, n)
    roles = np.array(["power connector", "mega connector", "local hub", ""])
    table["role"] = roles[rng.integers(0, 4, n)]
    table["group"] = [f"g{k}" for k in rng.integers(0, 30, n)]
    table["explanation"] = [f"why {k}" for k in range(n)]
    table["score_tier"] = score_tiers(score)
    return table


def settled(db: Database) -> list[tuple]:
    rows = db.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, labels(p) AS labels, "
        "[k IN keys(p) WHERE k STARTS WITH 'pc_' | [k, p[k]]] AS values ORDER BY id",
        database_=db.settings.database,
    )[0]
    return [(r["id"], sorted(r["labels"]), sorted(map(tuple, r["values"]))) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    args = parser.parse_args()
    g = preferential_attachment(args.people, 1, seed=1)
    table = run_table(g.ids.tolist(), seed=0)
    times: dict[str, list[float]] = {"current": [], "candidate": [], "candidate-serial": []}
    results: dict[str, list[tuple]] = {}
    for _ in range(args.rounds):
        for name in times:
            with (
                imported_server(
                    g, heap=args.heap, pagecache=args.pagecache, prefix="pc-bench-settle-"
                ) as (_, settings),
                Database.connect(settings) as db,
            ):
                db.run_batches("write_scores", result_parts(table, WRITE_BATCH), run="r1")
                db.write(
                    "publish_run",
                    id="r1",
                    parameters="{}",
                    strong=0.5,
                    group_by=None,
                    people=len(table),
                    ties=0,
                )
                t0 = time.perf_counter()
                if name == "current":
                    settle(db)
                else:
                    with db.session() as session:
                        session.run(candidate(name == "candidate")).consume()
                        session.run(DROP_DONE).consume()
                times[name].append(time.perf_counter() - t0)
                print(f"{name}: settle {times[name][-1]:.2f} s", flush=True)
                results.setdefault(name, settled(db))
    old = statistics.median(times["current"])
    for name, taken in times.items():
        new = statistics.median(taken)
        print(
            f"{name}: settle {args.people} people on a server just started, median of "
            f"{args.rounds}: {new:.2f} s, {new / old:.2f} x the current settle_run"
        )
    same = all(r == results["current"] for r in results.values())
    print(f"pc_* values and labels identical: {same}")


if __name__ == "__main__":
    main()
