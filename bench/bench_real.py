"""The ranking on real, public networks: who comes first, and is it the textbook broker?

For each network the table prints the top 5 with their roles, where the textbook
brokers land, the strong threshold and the share of ties at or above it, how many
people are labelled ``power connector``, and whether the top 20 changes across five
seeds (``--seed 0..4``) or when the input rows are shuffled.

The networks and where they come from
-------------------------------------
``florentine-marriage``
    Padgett's Florentine families, marriage ties only: ``networkx.florentine_families_graph()``
    (Breiger and Pattison 1986). Every tie has strength 1. Textbook broker: Medici
    (lowest constraint, highest betweenness; Padgett and Ansell 1993).
``florentine-marriage+business``
    The same families with Padgett's business ties added (the PADGB matrix of the
    UCINET data set, 15 ties, written out below). Strength 1 for a tie of one kind, and
    also 1 when both.
``kite``
    Krackhardt's kite, ``networkx.krackhardt_kite_graph()`` with Krackhardt's names;
    strength 1. Textbook broker: Heather (node 7).
``karate``
    Zachary's karate club, ``networkx.karate_club_graph()``; strength = interaction
    count / 7 (the largest count). Known brokers: 0 (Mr Hi) and 33 (the officer), whose
    factions split the club, and 32.
``les-miserables``
    Co-appearances in Hugo's novel, ``networkx.les_miserables_graph()``; strength =
    co-appearances / the largest (31). Known broker: Valjean.
``collegemsg``
    SNAP CollegeMsg (Panzarasa, Opsahl and Carley 2009; https://snap.stanford.edu/data/
    CollegeMsg.html): 59,835 private messages among 1,899 students, anonymised ids as
    SNAP publishes them. ``bench/data/CollegeMsg.txt.gz`` is SNAP's file, gzipped, as
    carried by the public repository advaithhl/temporal_graph_clustering.
``email-eu-core``
    SNAP email-Eu-core-temporal (Paranjape, Benson and Leskovec 2017;
    https://snap.stanford.edu/data/email-Eu-core-temporal.html), its first 83,083 e-mails
    (150 days) as carried by the public repository camicop/fakenews-diffusion, gzipped in
    ``bench/data/email-Eu-core-temporal-first83k.txt.gz``; anonymised ids.

The two message logs become ties through the interactions loader's own strength model
(:func:`loaders.interactions.derive_ties`, timestamps in seconds from the log's start,
reference date the last message), exactly as ``powerconnect load --interactions`` does.

Run from the repository root (about a minute on one core)::

    .venv/bin/python -m bench.bench_real [--only kite florentine-marriage]
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
import numpy as np
import pandas as pd

from powerconnect.engine.graph import TieGraph
from powerconnect.engine.ranking import rank
from powerconnect.loaders.interactions import Interactions, derive_ties

DATA = Path(__file__).resolve().parent / "data"
SEEDS = range(5)
TOP = 20

#: Padgett's business ties (PADGB), each listed once.
PADGETT_BUSINESS = [
    ("Barbadori", "Castellani"),
    ("Barbadori", "Ginori"),
    ("Barbadori", "Medici"),
    ("Barbadori", "Peruzzi"),
    ("Bischeri", "Guadagni"),
    ("Bischeri", "Lamberteschi"),
    ("Bischeri", "Peruzzi"),
    ("Castellani", "Lamberteschi"),
    ("Castellani", "Peruzzi"),
    ("Ginori", "Medici"),
    ("Guadagni", "Lamberteschi"),
    ("Lamberteschi", "Peruzzi"),
    ("Medici", "Pazzi"),
    ("Medici", "Salviati"),
    ("Medici", "Tornabuoni"),
]
KITE_NAMES = ["Andre", "Beverly", "Carol", "Diane", "Ed"]
KITE_NAMES += ["Fernando", "Garth", "Heather", "Ike", "Jane"]


@dataclass(frozen=True)
class Network:
    name: str
    graph: TieGraph
    brokers: list[str]  # the textbook brokers, to say where they land


def _from_nx(G: nx.Graph, weight: str | None = None, scale: float = 1.0) -> TieGraph:
    edges = [
        (str(a), str(b), (float(d[weight]) / scale) if weight else 1.0)
        for a, b, d in G.edges(data=True)
    ]
    return TieGraph.from_edges(edges)


def florentine_marriage() -> Network:
    return Network("florentine-marriage", _from_nx(nx.florentine_families_graph()), ["Medici"])


def florentine_both() -> Network:
    G = nx.florentine_families_graph()
    G.add_edges_from(PADGETT_BUSINESS)
    return Network("florentine-marriage+business", _from_nx(G), ["Medici"])


def kite() -> Network:
    G = nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE_NAMES)))
    return Network("kite", _from_nx(G), ["Heather"])


def karate() -> Network:
    G = nx.karate_club_graph()
    top = max(d["weight"] for *_, d in G.edges(data=True))
    return Network("karate", _from_nx(G, "weight", top), ["0", "33", "32"])


def les_miserables() -> Network:
    G = nx.les_miserables_graph()
    top = max(d["weight"] for *_, d in G.edges(data=True))
    return Network("les-miserables", _from_nx(G, "weight", top), ["Valjean"])


def message_log(name: str, file: str) -> Network:
    with gzip.open(DATA / file, "rt") as fh:
        log = pd.read_csv(fh, sep=r"\s+", header=None, comment="s", names=["a", "b", "t"])
    log = log[log["a"] != log["b"]]
    events = Interactions(
        sender=log["a"].astype(str).to_numpy(dtype=object),
        recipient=log["b"].astype(str).to_numpy(dtype=object),
        timestamp=pd.DatetimeIndex(pd.to_datetime(log["t"], unit="s", utc=True)),
        channel=np.full(len(log), "", dtype=object),
        has_channels=False,
    )
    ties = derive_ties(events)
    edges = zip(ties.a.tolist(), ties.b.tolist(), ties.strength.tolist(), strict=True)
    return Network(name, TieGraph.from_edges(list(edges)), [])


NETWORKS: dict[str, Callable[[], Network]] = {
    "florentine-marriage": florentine_marriage,
    "florentine-marriage+business": florentine_both,
    "kite": kite,
    "karate": karate,
    "les-miserables": les_miserables,
    "collegemsg": lambda: message_log("collegemsg", "CollegeMsg.txt.gz"),
    "email-eu-core": lambda: message_log("email-eu-core", "email-Eu-core-temporal-first83k.txt.gz"),
}

# The code before issue 13 took a fixed threshold and a seed; after, it derives the
# threshold and has no seed. The bench runs against either, to print "before" and "after".
_HAS_SEED = "seed" in inspect.signature(rank).parameters


def run_rank(g: TieGraph, seed: int) -> tuple[pd.DataFrame, float]:
    if _HAS_SEED:
        return rank(g, strong=0.5, seed=seed), 0.5
    table = rank(g)
    return table, float(table.attrs["strong"])


def shuffled(g: TieGraph, seed: int) -> TieGraph:
    """The same network with people and ties listed in another order."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(g.n)
    ties = rng.permutation(g.m)
    flip = rng.random(g.m) < 0.5
    src, dst = g.src[ties], g.dst[ties]
    src, dst = np.where(flip[ties], dst, src), np.where(flip[ties], src, dst)
    return TieGraph.from_arrays(g.ids[np.argsort(perm)], perm[src], perm[dst], g.strength[ties])


def describe(net: Network) -> dict[str, str]:
    g = net.graph
    clock = time.perf_counter()
    table, strong = run_rank(g, 0)
    seconds = time.perf_counter() - clock
    top20 = table["id"].head(TOP).tolist()
    seeds_same = all(run_rank(g, s)[0]["id"].head(TOP).tolist() == top20 for s in SEEDS)
    order_same = run_rank(shuffled(g, 1), 0)[0]["id"].head(TOP).tolist() == top20
    where = {}
    for b in net.brokers:
        row = table[table["id"] == b].iloc[0]
        where[b] = f"{int(row['rank'])} ({row['role'] or '-'})"
    top5 = "; ".join(
        f"{r.id} {float(r.score):.2f} {r.role or '-'}" for r in table.head(5).itertuples()
    )
    tied = int((table["degree"] > 0).sum())
    return {
        "network": net.name,
        "people/ties": f"{g.n}/{g.m}",
        "strong": f"{strong:.3g} ({100 * float(np.mean(g.strength >= strong)):.0f}% of ties)",
        "top 5 (score role)": top5,
        "textbook brokers (rank, role)": ", ".join(f"{b} {w}" for b, w in where.items()) or "-",
        "power connectors": f"{int((table['role'] == 'power connector').sum())} of {tied}",
        "scored": str(int((table["score"] > 0).sum())),
        "top 20 same over seeds 0-4 / shuffled rows": f"{'yes' if seeds_same else 'NO'} / "
        f"{'yes' if order_same else 'NO'}",
        "seconds": f"{seconds:.2f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", choices=list(NETWORKS), default=list(NETWORKS))
    args = parser.parse_args()
    for name in args.only:
        row = describe(NETWORKS[name]())
        print(f"\n## {row.pop('network')}")
        for key, value in row.items():
            print(f"  {key:44} {value}")


if __name__ == "__main__":
    main()
