"""Unit tests for engine.ranking on small hand-made graphs (no database).

The reference network, built by :func:`office`:

* Acme ``a0..a5`` and Globex ``z0..z5``: two cliques of strong ties (0.9), no
  tie between them;
* ``broker`` (Acme): strong ties to ``a0..a3`` and ``z0..z3``, the true power
  connector; by hand, its strong contacts form two sides (each a clique, with
  no tie across), the home side and a foothold of 4 ties, f(4) = 1 - 0.75 *
  2**-3 = 0.90625, so the score is 0.90625;
* Hooli ``h0..h19``: a ring of strong ties, and ``hub`` strongly tied to all
  twenty, the local hub;
* ``mega`` (Hooli): weak ties (0.1) to everyone above and to 60 outsiders
  ``o0..o59`` (group unknown), plus strong ties to ``h0`` and ``h1``: the mega
  connector.

Scores are checked against hand computations with the formula of
``engine.ranking``: footholds f(c) = 1 - 0.75 * 2**(1 - c) summed over every
side of the person's strong contacts but the largest, times the attention part
min(1, share of tie strength in strong ties / 0.5). The threshold is given
(0.5) where a test adds weak ties, since the automatic threshold follows the
strengths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.errors import UsageError
from engine.graph import TieGraph
from engine.ranking import COLUMNS, DEFAULT_STRONG, foothold, rank

NAMES = ["Acme", "Globex", "Hooli"]
ACME = [f"a{i}" for i in range(6)]
GLOBEX = [f"z{i}" for i in range(6)]
HOOLI = [f"h{i}" for i in range(20)]
OUTSIDERS = [f"o{i}" for i in range(60)]


def clique(people: list[str], w: float = 0.9) -> list[tuple[str, str, float]]:
    return [(x, y, w) for i, x in enumerate(people) for y in people[i + 1 :]]


def office_edges() -> list[tuple[str, str, float]]:
    edges = clique(ACME) + clique(GLOBEX)
    edges += [("broker", x, 0.9) for x in ACME[:4] + GLOBEX[:4]]
    edges += [(HOOLI[i], HOOLI[(i + 1) % 20], 0.8) for i in range(20)]
    edges += [("hub", x, 0.8) for x in HOOLI]
    everyone = ACME + GLOBEX + HOOLI + ["broker", "hub"] + OUTSIDERS
    edges += [("mega", x, 0.1) for x in everyone]
    edges += [("mega", "h0", 0.7), ("mega", "h1", 0.7)]
    return edges


def group_of(person: str) -> int:
    if person[0] == "a" or person == "broker":
        return 0
    if person[0] == "z":
        return 1
    if person[0] == "h" or person == "mega":
        return 2
    return -1


def groups_for(g: TieGraph) -> np.ndarray:
    return np.array([group_of(str(x)) for x in g.ids], dtype=np.int64)


def office() -> TieGraph:
    return TieGraph.from_edges(office_edges())


def row(df: pd.DataFrame, person: str) -> pd.Series:
    return df.loc[df["id"] == person].iloc[0]


@pytest.fixture
def ranked() -> pd.DataFrame:
    g = office()
    return rank(g, groups=groups_for(g), group_names=NAMES)


def test_columns_and_one_row_per_person(ranked: pd.DataFrame) -> None:
    assert list(ranked.columns) == COLUMNS
    assert sorted(ranked["id"]) == sorted(office().ids.astype(str))
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))


def test_roles(ranked: pd.DataFrame) -> None:
    assert row(ranked, "broker")["role"] == "power connector"
    assert row(ranked, "mega")["role"] == "mega connector"
    assert row(ranked, "hub")["role"] == "local hub"
    others = ranked.loc[~ranked["id"].isin(["broker", "mega", "hub"]), "role"]
    assert set(others) == {""}


def test_broker_first_and_above_mega_connector(ranked: pd.DataFrame) -> None:
    assert ranked["id"].iloc[0] == "broker"
    assert row(ranked, "broker")["rank"] < row(ranked, "mega")["rank"]
    assert row(ranked, "broker")["rank"] < row(ranked, "hub")["rank"]


def test_broker_score_by_hand(ranked: pd.DataFrame) -> None:
    # f(4) = 1 - 0.75 * 2**(1 - 4) = 0.90625 for the Globex side.
    b = row(ranked, "broker")
    assert b["score"] == pytest.approx(0.90625)
    assert (b["strong_ties"], b["weak_ties"], b["degree"]) == (8, 1, 9)
    assert b["representative"] + b["liaison"] == 16
    assert b["explanation"] == (
        "bridges 2 sides not strongly tied to each other: 4 strong ties inside Acme and 4 in"
        " Globex; 11% of ties weak"
    )


def test_mega_and_hub_score_nothing(ranked: pd.DataFrame) -> None:
    # The hub's strong ties are all inside Hooli; the mega connector's two strong
    # ties are in Hooli too: neither has a foothold in a second group.
    assert row(ranked, "hub")["score"] == 0.0
    assert row(ranked, "mega")["score"] == 0.0


def test_explanations(ranked: pd.DataFrame) -> None:
    assert row(ranked, "mega")["explanation"] == "94 ties, 98% weak; strong ties into 1 group"
    assert row(ranked, "hub")["explanation"] == (
        "20 strong ties, all inside Hooli; 5% of ties weak"
    )
    assert row(ranked, "o0")["explanation"] == "no strong ties; 1 weak tie"


def test_own_group_column(ranked: pd.DataFrame) -> None:
    assert row(ranked, "broker")["group"] == "Acme"
    assert row(ranked, "z3")["group"] == "Globex"
    assert row(ranked, "o7")["group"] == ""


def extra_weak_ties(person: str, count: int = 1000) -> list[tuple[str, str, float]]:
    """``count`` weak ties from ``person`` to new people, spread over the three groups."""
    return [(person, f"{'azh'[i % 3]}-new{i}", 0.05 + 0.4 * (i % 9) / 9) for i in range(count)]


@pytest.mark.parametrize("person", ["broker", "mega", "hub", "a5", "z0", "o3"])
def test_weak_ties_do_not_raise_the_score(person: str) -> None:
    before = office()
    after = TieGraph.from_edges(office_edges() + extra_weak_ties(person))
    b = rank(before, strong=0.5, groups=groups_for(before), group_names=NAMES)
    a = rank(after, strong=0.5, groups=groups_for(after), group_names=NAMES)
    assert row(a, person)["score"] <= row(b, person)["score"]
    assert row(a, person)["weak_ties"] == row(b, person)["weak_ties"] + 1000


def test_weak_ties_do_not_raise_the_score_with_detected_communities() -> None:
    before = office()
    after = TieGraph.from_edges(office_edges() + extra_weak_ties("broker"))
    b = row(rank(before, strong=0.5), "broker")
    a = row(rank(after, strong=0.5), "broker")
    assert a["score"] <= b["score"]
    assert b["role"] == "power connector"


def test_a_thousand_weak_ties_make_a_mega_connector_not_a_power_connector() -> None:
    g = TieGraph.from_edges(office_edges() + extra_weak_ties("a5"))
    df = rank(g, strong=0.5, groups=groups_for(g), group_names=NAMES)
    assert row(df, "a5")["role"] == "mega connector"
    assert row(df, "a5")["rank"] > row(df, "broker")["rank"]


def test_closed_hole_scores_nothing() -> None:
    # Tie every Acme contact of the broker strongly to every Globex contact: the
    # two sides already know each other, so there is no hole to span.
    edges = office_edges() + [(x, y, 0.9) for x in ACME[:4] for y in GLOBEX[:4]]
    g = TieGraph.from_edges(edges)
    b = row(rank(g, groups=groups_for(g), group_names=NAMES), "broker")
    assert b["score"] == 0.0
    assert b["role"] == ""


def test_single_strong_ties_into_groups_not_tied_to_each_other_are_footholds() -> None:
    # "spread" (Acme) has strong ties to a0 and a1 (tied to each other: the home side)
    # and one strong tie to each of x0..x7, each in a group of its own and tied to no
    # one else: 8 more sides, each a foothold of one tie, f(1) = 0.25: score 2.0.
    edges = clique(ACME) + [("spread", "a0", 0.9), ("spread", "a1", 0.9)]
    edges += [("spread", f"x{k}", 0.9) for k in range(8)]
    g = TieGraph.from_edges(edges)
    groups = np.array(
        [0 if str(x).startswith("a") or x == "spread" else 1 + int(str(x)[1:]) for x in g.ids]
    )
    df = rank(g, groups=groups)
    assert row(df, "spread")["score"] == pytest.approx(8 * 0.25)
    assert row(df, "spread")["rank"] == 1
    # A hub whose strong contacts hang together in one group spans no hole at all.
    assert row(df, "a0")["score"] == 0.0


def test_chance_footholds_of_an_open_networker_are_discounted() -> None:
    # "spread" (Acme) has two strong ties into each of three small groups: on
    # strong ties alone that is 3 x f(2) = 3 x 0.625 = 1.875. With 300 weak ties (0.2 each)
    # on top, strong ties carry 6 * 0.9 + 4 * 0.9 = 9.0 of 69.0 units of tie
    # strength, so the attention part is (9 / 69) / 0.5 and the score drops
    # below the power-connector line; the role is mega connector.
    edges = clique(ACME) + [("spread", x, 0.9) for x in ACME[:4]]
    for k in range(3):
        members = [f"g{k}m{i}" for i in range(4)]
        edges += clique(members) + [("spread", x, 0.9) for x in members[:2]]
    g0 = TieGraph.from_edges(edges)
    weak = [("spread", f"w{i}", 0.2) for i in range(300)]
    g1 = TieGraph.from_edges(edges + weak)

    def groups(g: TieGraph) -> np.ndarray:
        return np.array(
            [-1 if x[0] == "w" else 0 if x[0] in "as" else 1 + int(x[1]) for x in map(str, g.ids)]
        )

    alone = row(rank(g0, strong=0.5, groups=groups(g0)), "spread")
    crowded = row(rank(g1, strong=0.5, groups=groups(g1)), "spread")
    assert alone["score"] == pytest.approx(1.875)
    assert alone["role"] == "power connector"
    assert crowded["score"] == pytest.approx(1.875 * (10 * 0.9 / (10 * 0.9 + 300 * 0.2)) / 0.5)
    assert crowded["role"] == "mega connector"
    assert crowded["explanation"] == "310 ties, 97% weak; strong ties into 4 groups"


def test_unknown_own_group_still_scores() -> None:
    # The broker's own group is unknown: Gould-Fernandez roles are undefined
    # (all 0), but the two sides are still apart and still count.
    g = office()
    groups = groups_for(g)
    groups[list(g.ids).index("broker")] = -1
    b = row(rank(g, groups=groups, group_names=NAMES), "broker")
    assert b["score"] == pytest.approx(0.90625)
    assert b["representative"] == b["liaison"] == 0
    assert b["group"] == ""


def test_contacts_of_unknown_group_join_a_side_through_their_ties() -> None:
    # Two of the broker's Globex contacts have an unknown group, but they are strongly
    # tied to z2 and z3: the Globex side keeps its 4 ties (f(4) = 0.90625), and the
    # explanation says that 2 have no known group.
    g = office()
    groups = groups_for(g)
    for person in ("z0", "z1"):
        groups[list(g.ids).index(person)] = -1
    b = row(rank(g, groups=groups, group_names=NAMES), "broker")
    assert b["score"] == pytest.approx(0.90625)
    assert b["explanation"] == (
        "bridges 2 sides not strongly tied to each other: 4 strong ties inside Acme and 4 in"
        " Globex (2 with unknown group); 11% of ties weak"
    )


def test_detected_communities_find_the_office() -> None:
    df = rank(office())
    assert row(df, "broker")["role"] == "power connector"
    assert row(df, "a1")["group"] == row(df, "a2")["group"] != row(df, "z1")["group"]
    assert df["group"].str.startswith("community ").all()


def test_deterministic() -> None:
    g = office()
    groups = groups_for(g)
    pd.testing.assert_frame_equal(
        rank(g, groups=groups, group_names=NAMES), rank(g, groups=groups, group_names=NAMES)
    )
    pd.testing.assert_frame_equal(rank(g), rank(g))


def test_only_structurally_identical_people_are_ordered_by_id() -> None:
    # Two identical brokers between the same two cliques: same score, constraint,
    # effective size and degree, so only the id is left to order them.
    edges = clique(ACME) + clique(GLOBEX)
    edges += [(b, x, 0.9) for b in ("b2", "b1") for x in ACME[:3] + GLOBEX[:3]]
    g = TieGraph.from_edges(edges)
    groups = np.array([1 if str(x).startswith("z") else 0 for x in g.ids])
    df = rank(g, groups=groups)
    assert df["id"].iloc[:2].tolist() == ["b1", "b2"]
    assert df["score"].iloc[0] == df["score"].iloc[1] > 0
    scores = df["score"].to_numpy()
    assert np.all(np.diff(scores) <= 0)


def test_isolated_person() -> None:
    g = TieGraph.from_edges(clique(ACME), nodes=["loner"])
    df = rank(g, groups=np.zeros(g.n, dtype=np.int64), group_names=["Acme"])
    r = row(df, "loner")
    assert r["score"] == 0.0
    assert r["role"] == ""
    assert r["explanation"] == "no ties"
    assert np.isnan(r["constraint"])


def test_default_group_names() -> None:
    g = office()
    df = rank(g, groups=groups_for(g))
    assert row(df, "broker")["explanation"].startswith(
        "bridges 2 sides not strongly tied to each other: 4 strong ties inside group 0"
    )
    assert rank(g)["group"].str.startswith("community ").all()


def test_strong_threshold_is_used() -> None:
    # At strong=0.95 the 0.9 ties are weak: nobody has strong ties left, so
    # nobody scores and nobody is a power connector or a local hub.
    g = office()
    df = rank(g, strong=0.95, groups=groups_for(g), group_names=NAMES)
    assert (df["score"] == 0.0).all()
    assert (df["strong_ties"] == 0).all()
    assert not df["role"].isin(["power connector", "local hub"]).any()


def test_empty_graph() -> None:
    df = rank(TieGraph.from_edges([]))
    assert list(df.columns) == COLUMNS
    assert df.empty


@pytest.mark.parametrize("strong", [0.0, -0.1, 1.5])
def test_bad_strong(strong: float) -> None:
    with pytest.raises(UsageError):
        rank(office(), strong=strong)


def test_bad_groups() -> None:
    g = office()
    with pytest.raises(UsageError):
        rank(g, groups=np.zeros(3, dtype=np.int64))
    with pytest.raises(UsageError):
        rank(g, groups=groups_for(g), group_names=["Acme"])


def test_foothold() -> None:
    # 1 - 0.75 * 2**(1 - c): 0.25, 0.625, 0.8125, 0.90625, 0.953125
    assert foothold(np.arange(6)).tolist() == [0.0, 0.25, 0.625, 0.8125, 0.90625, 0.953125]
    assert 0.0 < DEFAULT_STRONG <= 1.0
