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

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from powerconnect.engine.errors import UsageError
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.ranking import (
    CLOSE_PROBABILITY,
    COLUMNS,
    DEFAULT_STRONG,
    auto_strong,
    foothold,
    rank,
)
from powerconnect.loaders.interactions import STRONG_PROBABILITY, derive_strengths

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


# --------------------------------------------------------------------------
# Real networks (issue 13): the textbook brokers, one answer per network
# --------------------------------------------------------------------------

KITE = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]


def from_nx(G: nx.Graph, weight: str | None = None) -> TieGraph:
    top = max((d[weight] for *_, d in G.edges(data=True)), default=1) if weight else 1
    return TieGraph.from_edges(
        [(str(a), str(b), d[weight] / top if weight else 1.0) for a, b, d in G.edges(data=True)]
    )


def kite() -> TieGraph:
    return from_nx(nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE))))


def les_miserables() -> TieGraph:
    return from_nx(nx.les_miserables_graph(), "weight")


def shuffled(g: TieGraph, seed: int) -> TieGraph:
    """The same network with people and ties listed in another order."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(g.n)
    ties = rng.permutation(g.m)
    src, dst = g.src[ties], g.dst[ties]
    return TieGraph.from_arrays(g.ids[np.argsort(perm)], perm[dst], perm[src], g.strength[ties])


def test_medici_first_among_the_florentine_families() -> None:
    # Padgett's marriage network (networkx.florentine_families_graph): the Medici are the
    # textbook broker (Padgett and Ansell 1993): highest betweenness, lowest constraint.
    G = nx.florentine_families_graph()
    betweenness = nx.betweenness_centrality(G)
    assert max(betweenness, key=betweenness.__getitem__) == "Medici"
    df = rank(from_nx(G))
    assert df.attrs["strong"] == 0.5  # every tie has strength 1: all strong
    top = df.iloc[0]
    assert (top["id"], top["role"]) == ("Medici", "power connector")
    # By hand: the Medici's six strong contacts fall into five sides (Ridolfi and
    # Tornabuoni are tied to each other), four footholds of one tie: 4 x 0.25 = 1.0.
    assert top["score"] == pytest.approx(1.0)
    assert top["explanation"].startswith("bridges 5 sides not strongly tied to each other")


def test_heather_first_in_the_kite() -> None:
    # Krackhardt's kite: Heather is the only link between the kite and Ike and Jane, the
    # highest betweenness (networkx), every tie strong.
    G = nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE)))
    betweenness = nx.betweenness_centrality(G)
    assert max(betweenness, key=betweenness.__getitem__) == "Heather"
    df = rank(kite())
    assert df["id"].iloc[0] == "Heather"
    # Heather and Ike both span one hole with one tie on the far side (0.25 each);
    # Heather's lower constraint (0.431 against 0.5, networkx) puts her first.
    assert row(df, "Heather")["score"] == row(df, "Ike")["score"] == pytest.approx(0.25)
    constraint = nx.constraint(G)
    assert constraint["Heather"] < constraint["Ike"]


@pytest.mark.parametrize(
    "make", [kite, les_miserables, lambda: from_nx(nx.karate_club_graph(), "weight")]
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_network_in_any_order_gives_the_same_ranking(make, seed: int) -> None:
    g = make()
    a = rank(g)
    b = rank(shuffled(g, seed))
    assert a["id"].tolist() == b["id"].tolist()
    assert a["role"].tolist() == b["role"].tolist()
    np.testing.assert_allclose(a["score"], b["score"], rtol=1e-12)


def test_no_mega_connector_ranks_above_a_power_connector() -> None:
    # In Les Miserables (strength = co-appearances / 31) Valjean is a mega connector
    # whose score is above some power connectors' (checked here, so that a sort by score
    # alone would fail); he still ranks below every one of them.
    df = rank(les_miserables())
    power = df[df["role"] == "power connector"]
    mega = df[df["role"] == "mega connector"]
    assert len(power) and len(mega)
    assert row(df, "Valjean")["role"] == "mega connector"
    assert row(df, "Valjean")["score"] > power["score"].min()
    assert mega["rank"].min() > power["rank"].max()


def test_equal_scores_are_ordered_by_constraint_not_by_id() -> None:
    df = rank(from_nx(nx.florentine_families_graph()))
    for (_, a), (_, b) in zip(df.iloc[:-1].iterrows(), df.iloc[1:].iterrows(), strict=True):
        if a["score"] == b["score"] and a["role"] == b["role"]:
            assert a["constraint"] <= b["constraint"] + 1e-12
    zeros = df[df["score"] == 0]["id"].tolist()
    assert len(zeros) > 2 and zeros != sorted(zeros)


def test_power_connector_marks_at_most_one_in_five() -> None:
    # Five cliques of four (groups 0-4) and ten brokers, each strongly tied to two
    # members of every clique: every broker scores 4 x f(2) = 2.5, but only
    # 1/5 of the 30 people with ties, 6, may carry the label: the first 6 in order.
    edges = []
    for k in range(5):
        edges += clique([f"c{k}m{i}" for i in range(4)])
        edges += [(f"b{j}", f"c{k}m{(j + i) % 4}", 0.9) for j in range(10) for i in range(2)]
    g = TieGraph.from_edges(edges)
    groups = np.array([int(str(x)[1]) if str(x)[0] == "c" else 5 for x in g.ids])
    df = rank(g, groups=groups)
    brokers = df[df["id"].str.startswith("b")]
    np.testing.assert_allclose(brokers["score"], 2.5)
    assert (df["role"] == "power connector").sum() == 6
    assert df["role"].iloc[:6].eq("power connector").all()


def test_automatic_threshold_and_its_warnings() -> None:
    # Karate (strength = count / 7): counts 1 x6, 2 x24, 3 x27, 4 x12, 5 x7, 6, 7; the
    # "lower" 75th percentile of 78 values is the 58th smallest, a 4: 4/7, capped at 0.5.
    karate = from_nx(nx.karate_club_graph(), "weight")
    assert auto_strong(karate) == 0.5
    # Strengths all below the floor: the threshold is the floor, 0.1, nothing is
    # strong, and rank says so and what to try.
    faint = TieGraph.from_edges([(x, y, 0.02) for x, y, _ in clique(ACME)])
    assert auto_strong(faint) == 0.1
    df = rank(faint)
    assert df.attrs["strong"] == 0.1
    assert len(df.attrs["warnings"]) == 2
    assert all("try" in w for w in df.attrs["warnings"])
    assert rank(karate, strong=0.3).attrs["strong"] == 0.3  # an explicit threshold wins


def test_calibrated_strengths_are_strong_from_even_odds() -> None:
    # The engine's threshold for P(close) strengths is the loader's (written out twice
    # because engine does not import loaders).
    assert CLOSE_PROBABILITY == STRONG_PROBABILITY == 0.5
    # Eight ties: 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35 and 0.6. As explicit strengths the
    # "lower" 75th percentile is the 6th smallest, 0.3; as the interactions model's
    # P(close) (all of them, or half) the threshold is 0.5, and only the 0.6 tie is strong.
    strengths = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.6]
    g = TieGraph.from_edges([("c", f"p{i}", s) for i, s in enumerate(strengths)])
    assert auto_strong(g) == 0.3
    assert auto_strong(g, calibrated=1.0) == 0.5
    assert auto_strong(g, calibrated=0.5) == 0.5
    assert auto_strong(g, calibrated=0.49) == 0.3  # mostly explicit: the data's rule
    table = rank(g, calibrated=1.0)
    assert table.attrs["strong"] == 0.5
    assert "P(close)" in table.attrs["strong_rule"]
    assert "quartile" in rank(g).attrs["strong_rule"]
    assert rank(g, strong=0.2, calibrated=1.0).attrs["strong_rule"] == ""  # given wins


def test_the_weakest_level_is_weak_when_a_stronger_one_exists() -> None:
    # LinkedIn-like: 9 connections at the base strength 0.1, 3 ties with messages at
    # 0.3. The "lower" 75th percentile of the 12 (the 9th smallest) is 0.1, the weakest
    # level; the next level up, 0.3, is used, so the 3 message ties alone are strong.
    edges = [("me", f"c{i}", 0.1) for i in range(9)]
    edges += [("me", f"m{i}", 0.3) for i in range(3)]
    g = TieGraph.from_edges(edges)
    assert auto_strong(g) == 0.3
    # Levels 0.25 (9 ties) and 1.0 (3): the next level, 1.0, capped at 0.5; the 0.25
    # ties stay weak.
    g2 = TieGraph.from_edges([("x", f"y{i}", 0.25 if i < 9 else 1.0) for i in range(12)])
    assert auto_strong(g2) == 0.5
    # Levels 0.5 and 1.0: the cap wins, a tie in the upper half of (0, 1] is never weak.
    g3 = TieGraph.from_edges([("x", f"y{i}", 0.5 if i < 9 else 1.0) for i in range(12)])
    assert auto_strong(g3) == 0.5


def test_a_message_log_through_the_loaders_model_gets_the_calibrated_threshold() -> None:
    # Three people: a and b write each other a hundred times, a sends c one message.
    # derive_strengths gives a-b a high P(close), a-c a low one; auto on the calibrated
    # scale is 0.5, so exactly the a-b tie is strong.
    t = pd.Timestamp("2024-03-01", tz="UTC")
    rows = [("a", "b"), ("b", "a")] * 50 + [("a", "c")]
    frame = pd.DataFrame(
        {
            "source": [r[0] for r in rows],
            "target": [r[1] for r in rows],
            "timestamp": [t + pd.Timedelta(minutes=i) for i in range(len(rows))],
        }
    )
    ties = derive_strengths(frame, now=t + pd.Timedelta(days=1)).ties
    g = TieGraph.from_edges(list(zip(ties.a, ties.b, ties.strength.tolist(), strict=True)))
    strength = dict(zip(zip(ties.a, ties.b, strict=True), ties.strength.tolist(), strict=True))
    assert strength[("a", "b")] >= 0.5 > strength[("a", "c")]
    table = rank(g, calibrated=1.0)
    assert table.attrs["strong"] == 0.5
    assert int(table["strong_ties"].sum()) // 2 == 1


def test_a_group_is_inside_only_when_it_is_the_persons_own() -> None:
    # x (Acme) has one strong tie into Acme and three into Globex, whose members are
    # tied to each other: Globex is the larger side but not x's own group.
    edges = clique(GLOBEX[:4]) + [("x", "a0", 0.9), ("a0", "a1", 0.9)]
    edges += [("x", z, 0.9) for z in GLOBEX[:3]]
    g = TieGraph.from_edges(edges)
    groups = np.array([1 if str(p).startswith("z") else 0 for p in g.ids])
    df = rank(g, groups=groups, group_names=["Acme", "Globex"])
    assert row(df, "x")["explanation"] == (
        "bridges 2 sides not strongly tied to each other: 3 strong ties in Globex and 1 inside"
        " Acme; 0% of ties weak"
    )
