"""Planted networks: a seeded generator with known power connectors, mega connectors and hubs.

The generator builds a contact network the ranking should get right, and keeps the
ground truth next to it:

* **communities** (default 20 of 30-80 people): dense strong ties inside, strengths
  drawn from ``Beta(6, 2)`` (mean 0.75; about 6% of them fall below 0.5, so "strong" is
  not planted exactly), plus weak acquaintance ties inside the community;
* **background**: weak ties between random people anywhere (``Beta(2, 8)``, mean 0.2;
  about 2% of them land at or above 0.5 by chance), and *overlap*: 15% of ordinary
  members have one strong tie into another community, 3% have two or three strong ties
  into one other community (a former team);
* **power connectors**: ordinary members of their own community who also have 3-6
  strong ties into each of 2-4 other communities (Burt 1992: strong ties on both sides
  of a structural hole);
* **mega connectors**: members with hundreds (200-800) of weak ties to people anywhere
  (``Beta(1.5, 8)``, about 1% at or above 0.5 by chance, so they do pick up a few
  scattered "strong" ties), besides their ordinary community ties;
* **local hubs**: members strongly tied to 60-90% of their own community;
* **organization** labels: the community, except for 2% of people whose recorded
  organization is another one (stale records), which is what a ``--group-by``
  column looks like in practice.

Node order is random with respect to role, and ids (``p00017``) are a random
permutation, so ties broken by id favour no one.

Example
-------
>>> net = planted_network(seed=1)
>>> net.graph.n == len(net.community) == len(net.organization)
True
>>> len(net.power), len(net.mega), len(net.hubs)
(20, 10, 10)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from powerconnect.engine.graph import TieGraph

__all__ = ["PlantedParams", "PlantedNetwork", "planted_network"]


@dataclass(frozen=True)
class PlantedParams:
    """Knobs of :func:`planted_network`; ranges are inclusive ``(low, high)``."""

    n_communities: int = 20
    community_size: tuple[int, int] = (30, 80)
    #: mean number of strong ties a member has inside their community (per community)
    inside_strong_degree: tuple[float, float] = (6.0, 12.0)
    #: mean number of weak ties a member has inside their community
    inside_weak_degree: float = 4.0
    #: mean number of weak ties a person has to random people anywhere
    background_weak_degree: float = 3.0
    strong_beta: tuple[float, float] = (6.0, 2.0)
    weak_beta: tuple[float, float] = (2.0, 8.0)
    #: share of ordinary members with one strong tie into another community
    outside_strong_share: float = 0.15
    #: share of ordinary members with 2-3 strong ties into one other community
    outside_cluster_share: float = 0.03
    outside_cluster_ties: tuple[int, int] = (2, 3)
    n_power: int = 20
    power_groups: tuple[int, int] = (2, 4)
    power_ties: tuple[int, int] = (3, 6)
    n_mega: int = 10
    mega_ties: tuple[int, int] = (200, 800)
    mega_beta: tuple[float, float] = (1.5, 8.0)
    n_hubs: int = 10
    hub_share: tuple[float, float] = (0.6, 0.9)
    #: share of people whose recorded organization is not their community
    organization_noise: float = 0.02


@dataclass(frozen=True)
class PlantedNetwork:
    """A planted network and its ground truth; arrays are indexed like ``graph.ids``."""

    graph: TieGraph
    community: np.ndarray  # int, planted community of each person
    organization: np.ndarray  # int, recorded organization (community plus label noise)
    organization_names: tuple[str, ...]
    power: np.ndarray  # int node indices of planted power connectors
    mega: np.ndarray  # int node indices of planted mega connectors
    hubs: np.ndarray  # int node indices of planted local hubs
    params: PlantedParams = field(default_factory=PlantedParams)


def _pairs_with_probability(
    rng: np.random.Generator, members: np.ndarray, p: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each unordered pair of ``members`` independently with probability ``p``."""
    a, b = np.triu_indices(len(members), k=1)
    keep = rng.random(len(a)) < p
    return members[a[keep]], members[b[keep]]


def planted_network(seed: int = 0, params: PlantedParams | None = None) -> PlantedNetwork:
    """Generate a planted network; the same ``seed`` and ``params`` give the same network.

    See the module docstring for the model.
    """
    p = params or PlantedParams()
    rng = np.random.default_rng(seed)
    sizes = rng.integers(p.community_size[0], p.community_size[1] + 1, size=p.n_communities)
    n = int(sizes.sum())
    community = np.repeat(np.arange(p.n_communities), sizes)
    order = rng.permutation(n)  # node i of the output is person order[i] of the build
    members = [np.flatnonzero(community == c) for c in range(p.n_communities)]

    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    weight: list[np.ndarray] = []

    def add(a: np.ndarray, b: np.ndarray, beta: tuple[float, float]) -> None:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        src.append(a)
        dst.append(b)
        weight.append(rng.beta(beta[0], beta[1], size=len(a)))

    # Planted roles: distinct people; power connectors, hubs and mega connectors each
    # come from distinct communities (as far as there are communities).
    def pick(count: int, taken: set[int]) -> np.ndarray:
        chosen: list[int] = []
        for c in rng.permutation(p.n_communities).tolist() * (count // p.n_communities + 1):
            if len(chosen) == count:
                break
            free = [int(x) for x in members[c] if int(x) not in taken]
            x = int(rng.choice(free))
            chosen.append(x)
            taken.add(x)
        return np.array(chosen, dtype=np.int64)

    taken: set[int] = set()
    power = pick(p.n_power, taken)
    mega = pick(p.n_mega, taken)
    hubs = pick(p.n_hubs, taken)
    ordinary = np.setdiff1d(np.arange(n), np.fromiter(taken, dtype=np.int64))

    # Communities: strong ties and weak acquaintances inside.
    for mem in members:
        s = len(mem)
        d = rng.uniform(*p.inside_strong_degree)
        add(*_pairs_with_probability(rng, mem, min(1.0, d / (s - 1))), p.strong_beta)
        p_weak = min(1.0, p.inside_weak_degree / (s - 1))
        add(*_pairs_with_probability(rng, mem, p_weak), p.weak_beta)

    # Background weak ties anywhere.
    m_bg = int(round(n * p.background_weak_degree / 2))
    add(rng.integers(0, n, m_bg), rng.integers(0, n, m_bg), p.weak_beta)

    # Overlap: ordinary members with strong ties outside their community.
    def other_community(c: int) -> int:
        o = int(rng.integers(0, p.n_communities - 1))
        return o + (o >= c)

    for v in ordinary.tolist():
        c = int(community[v])
        u = rng.random()
        if u < p.outside_strong_share:
            targets = rng.choice(members[other_community(c)], size=1)
        elif u < p.outside_strong_share + p.outside_cluster_share:
            k = int(rng.integers(p.outside_cluster_ties[0], p.outside_cluster_ties[1] + 1))
            targets = rng.choice(members[other_community(c)], size=k, replace=False)
        else:
            continue
        add(np.full(len(targets), v), targets, p.strong_beta)

    # Power connectors: 3-6 strong ties into each of 2-4 other communities.
    for v in power.tolist():
        c = int(community[v])
        others = np.array([o for o in range(p.n_communities) if o != c])
        n_groups = int(rng.integers(p.power_groups[0], p.power_groups[1] + 1))
        for o in rng.choice(others, size=n_groups, replace=False).tolist():
            k = int(rng.integers(p.power_ties[0], p.power_ties[1] + 1))
            targets = rng.choice(members[o], size=k, replace=False)
            add(np.full(k, v), targets, p.strong_beta)

    # Mega connectors: hundreds of weak ties to anyone.
    for v in mega.tolist():
        k = min(int(rng.integers(p.mega_ties[0], p.mega_ties[1] + 1)), n - 1)
        targets = rng.choice(np.delete(np.arange(n), v), size=k, replace=False)
        add(np.full(k, v), targets, p.mega_beta)

    # Local hubs: strong ties to most of their own community.
    for v in hubs.tolist():
        mem = members[int(community[v])]
        mem = mem[mem != v]
        k = int(round(rng.uniform(*p.hub_share) * len(mem)))
        add(np.full(k, v), rng.choice(mem, size=k, replace=False), p.strong_beta)

    # Simple graph: drop loops, keep the strongest of duplicate ties (as from_edges does).
    a = np.concatenate(src)
    b = np.concatenate(dst)
    w = np.concatenate(weight)
    w = np.clip(w, 1e-6, 1.0)  # strengths live in (0, 1]
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo * n + hi
    idx = np.lexsort((-w, key))
    first = np.ones(len(idx), dtype=bool)
    first[1:] = key[idx][1:] != key[idx][:-1]
    idx = idx[first]
    lo, hi, w = lo[idx], hi[idx], w[idx]

    # Relabel nodes so that index and id say nothing about role.
    new_index = np.empty(n, dtype=np.int64)
    new_index[order] = np.arange(n)
    ids = np.array([f"p{x:05d}" for x in rng.permutation(n)], dtype=object)
    graph = TieGraph.from_arrays(ids, new_index[lo], new_index[hi], w)

    organization = community.copy()
    noisy = rng.random(n) < p.organization_noise
    for v in np.flatnonzero(noisy).tolist():
        organization[v] = other_community(int(community[v]))

    def relabel(values: np.ndarray) -> np.ndarray:
        out = np.empty_like(values)
        out[new_index] = values
        return out

    return PlantedNetwork(
        graph=graph,
        community=relabel(community),
        organization=relabel(organization),
        organization_names=tuple(f"Org {c:02d}" for c in range(p.n_communities)),
        power=np.sort(new_index[power]),
        mega=np.sort(new_index[mega]),
        hubs=np.sort(new_index[hubs]),
        params=p,
    )
