"""Write the bundled demo network, powerconnect/data/sample/{people,ties}.csv.

A made-up team network of a few hundred people in eight organizations, from the planted
generator in bench/planted.py (so the demo has true power connectors, mega connectors and
local hubs to find), with invented names, titles and e-mail addresses. Deterministic:
re-running it rewrites the same files.

Run: .venv/bin/python bench/make_sample.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from planted import PlantedParams, planted_network

OUT = Path(__file__).resolve().parent.parent / "powerconnect" / "data" / "sample"
ORGANIZATIONS = [
    "Acme Robotics",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Ventures",
    "Wayne Capital",
    "Hooli",
    "Vandelay Imports",
]
FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Nils",
    "Olga",
    "Priya",
    "Quinn",
    "Rafael",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Carlos",
    "Dana",
]
LAST = [
    "Adler",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Novak",
    "Park",
]
TITLES = [
    "Engineer",
    "Product Manager",
    "Designer",
    "Sales Lead",
    "Recruiter",
    "Analyst",
    "Founder",
    "Account Executive",
    "Data Scientist",
    "Operations Manager",
]


def main() -> None:
    params = PlantedParams(
        n_communities=len(ORGANIZATIONS),
        community_size=(30, 45),
        inside_strong_degree=(5.0, 8.0),
        n_power=5,
        n_mega=3,
        mega_ties=(90, 140),
        n_hubs=3,
        power_groups=(2, 3),
        power_ties=(3, 5),
    )
    net = planted_network(seed=7, params=params)
    rng = np.random.default_rng(7)
    g = net.graph
    OUT.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    with open(OUT / "people.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "organization", "title", "email"])
        for i in range(g.n):
            while True:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if name not in used:
                    used.add(name)
                    break
            org = ORGANIZATIONS[int(net.organization[i])]
            domain = org.lower().replace(" ", "") + ".example"
            email = name.lower().replace(" ", ".") + "@" + domain
            w.writerow([g.ids[i], name, org, rng.choice(TITLES), email])
    with open(OUT / "ties.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", "strength"])
        for a, b, s in zip(g.src.tolist(), g.dst.tolist(), g.strength.tolist(), strict=True):
            w.writerow([g.ids[a], g.ids[b], f"{max(s, 0.01):.2f}"])
    truth = {"power connector": net.power, "mega connector": net.mega, "local hub": net.hubs}
    with open(OUT / "planted.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "planted_role"])
        for role, nodes in truth.items():
            for v in nodes.tolist():
                w.writerow([g.ids[v], role])
    print(f"wrote {g.n} people and {g.m} ties to {OUT}")


if __name__ == "__main__":
    main()
