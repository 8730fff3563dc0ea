"""Quality of the power-connector ranking on planted networks, next to the usual baselines.

For each seed, :func:`bench.planted.planted_network` builds a network with known
power connectors, mega connectors and local hubs. The ranking runs twice: with
the recorded organizations as groups (what ``--group-by`` gives) and with
detected communities (``groups=None``). The table reports, per seed:

* precision@k against the planted power connectors, with ``k`` their number,
  for the ranking and for four baselines: degree, weighted degree (sum of
  strengths), betweenness (igraph, unweighted) and unweighted Burt constraint
  (lowest first);
* how many planted mega connectors get the role ``mega connector``, and how
  many sit in the top ``k`` (for the ranking and, as a contrast, for degree);
* how many planted local hubs get the role ``local hub``;
* the time the ranking took.

Targets: precision@k >= 0.95 on every seed, no mega connector in the top k,
at least 90% of mega connectors labelled. ``--check`` exits 1 if one is missed.

Run from the repository root::

    .venv/bin/python -m bench.bench_quality --seeds 1 2 3 4 5
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import igraph as ig
import numpy as np

from bench.planted import PlantedNetwork, planted_network
from powerconnect.engine import measures
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.ranking import rank

TARGET_PRECISION = 0.95
TARGET_MEGA_LABELLED = 0.9


def top_k(values: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest ``values`` (NaN last), ties broken by id ascending."""
    v = np.where(np.isnan(values), -np.inf, values.astype(np.float64))
    order = np.lexsort((ids.astype(str), -v))
    return order[:k]


def precision(chosen: np.ndarray, truth: np.ndarray) -> float:
    return len(np.intersect1d(chosen, truth)) / len(chosen) if len(chosen) else float("nan")


def betweenness(g: TieGraph) -> np.ndarray:
    h = ig.Graph(n=g.n, edges=np.column_stack([g.src, g.dst]).tolist(), directed=False)
    return np.asarray(h.betweenness(directed=False), dtype=np.float64)


def unweighted_constraint(g: TieGraph) -> np.ndarray:
    flat = TieGraph.from_arrays(g.ids, g.src, g.dst, np.ones(g.m))
    return np.asarray(measures.constraint(flat), dtype=np.float64)


@dataclass
class RankResult:
    precision: float
    mega_labelled: int
    mega_in_top: int
    hubs_labelled: int
    seconds: float


def evaluate_rank(net: PlantedNetwork, *, by_organization: bool, seed: int) -> RankResult:
    g = net.graph
    k = len(net.power)
    start = time.perf_counter()
    if by_organization:
        df = rank(g, groups=net.organization, group_names=net.organization_names)
    else:
        df = rank(g)
    seconds = time.perf_counter() - start
    index = {x: i for i, x in enumerate(g.ids.astype(str).tolist())}
    order = np.array([index[x] for x in df["id"]], dtype=np.int64)
    role = np.empty(g.n, dtype=object)
    role[order] = df["role"].to_numpy()
    chosen = order[:k]
    return RankResult(
        precision=precision(chosen, net.power),
        mega_labelled=int(np.sum(role[net.mega] == "mega connector")),
        mega_in_top=len(np.intersect1d(chosen, net.mega)),
        hubs_labelled=int(np.sum(role[net.hubs] == "local hub")),
        seconds=seconds,
    )


def run(seeds: list[int]) -> tuple[str, bool]:
    """The markdown table for ``seeds`` and whether every target was met."""
    header = (
        "| seed | n | m | k | rank (org) | rank (communities) | degree | weighted degree "
        "| betweenness | constraint | megas labelled (org / comm) | megas in top k "
        "(org / comm / degree) | hubs labelled (org / comm) | rank time s (org / comm) |"
    )
    lines = [header, "|" + "|".join("---" for _ in range(header.count("|") - 1)) + "|"]
    ok = True
    sums: dict[str, list[float]] = {}
    for seed in seeds:
        net = planted_network(seed)
        g = net.graph
        k = len(net.power)
        org = evaluate_rank(net, by_organization=True, seed=seed)
        com = evaluate_rank(net, by_organization=False, seed=seed)
        weighted = np.bincount(
            np.concatenate([g.src, g.dst]), np.concatenate([g.strength, g.strength]), g.n
        )
        base = {
            "degree": top_k(np.asarray(g.degree, dtype=np.float64), g.ids, k),
            "weighted": top_k(weighted, g.ids, k),
            "betweenness": top_k(betweenness(g), g.ids, k),
            "constraint": top_k(-unweighted_constraint(g), g.ids, k),
        }
        p = {name: precision(chosen, net.power) for name, chosen in base.items()}
        mega_deg = len(np.intersect1d(base["degree"], net.mega))
        n_mega, n_hubs = len(net.mega), len(net.hubs)
        lines.append(
            f"| {seed} | {g.n} | {g.m} | {k} | {org.precision:.2f} | {com.precision:.2f} "
            f"| {p['degree']:.2f} | {p['weighted']:.2f} | {p['betweenness']:.2f} "
            f"| {p['constraint']:.2f} "
            f"| {org.mega_labelled}/{n_mega} / {com.mega_labelled}/{n_mega} "
            f"| {org.mega_in_top} / {com.mega_in_top} / {mega_deg} "
            f"| {org.hubs_labelled}/{n_hubs} / {com.hubs_labelled}/{n_hubs} "
            f"| {org.seconds:.2f} / {com.seconds:.2f} |"
        )
        for name, value in [
            ("org", org.precision),
            ("com", com.precision),
            *p.items(),
        ]:
            sums.setdefault(name, []).append(value)
        for r in (org, com):
            ok &= r.precision >= TARGET_PRECISION
            ok &= r.mega_in_top == 0
            ok &= r.mega_labelled >= TARGET_MEGA_LABELLED * n_mega
    mean = {name: float(np.mean(v)) for name, v in sums.items()}
    lines.append(
        f"| mean | | | | {mean['org']:.2f} | {mean['com']:.2f} | {mean['degree']:.2f} "
        f"| {mean['weighted']:.2f} | {mean['betweenness']:.2f} | {mean['constraint']:.2f} "
        "| | | | |"
    )
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table, ok = run(args.seeds)
    print(table)
    print()
    print(f"targets met: {'yes' if ok else 'no'}; total {time.perf_counter() - start:.1f} s")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
