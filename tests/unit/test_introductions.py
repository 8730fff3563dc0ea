"""Unit tests for engine.paths and engine.recommend (no database): the path ranking and
the recommendations.

Every expected value is worked out by hand in the test's docstring or comments, from the
rules in the module docstring: paths by weakest link, then hops, then the intermediaries'
lowest score, then leximin, then ids; introductions scored min(s_BA, s_BC) / (1 + k_A + k_C).
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.paths import (
    explain_path,
    make_path,
    path_sort_key,
    rank_paths,
    read_exclude_file,
)
from powerconnect.engine.recommend import recommend, score_introduction
from powerconnect.intro_commands import register


def path(ids: str, strengths: list[float], scores: list[float | None] | None = None):
    """A path from a string like "a b c" (ids), names unknown."""
    nodes = ids.split()
    return make_path(nodes, [None] * len(nodes), strengths, scores or [None] * (len(nodes) - 2))


# --------------------------------------------------------------------------- path ranking
def test_the_weakest_link_decides_first_so_a_warm_three_hop_path_beats_a_cool_two_hop_one() -> None:
    cool_two = path("a x c", [0.9, 0.4])  # weakest 0.4
    warm_three = path("a y z c", [0.7, 0.8, 0.6])  # weakest 0.6
    direct = path("a c", [0.3])  # they know each other, but barely
    ranked = rank_paths([cool_two, direct, warm_three])
    assert [p.path for p in ranked] == [["a", "y", "z", "c"], ["a", "x", "c"], ["a", "c"]]
    assert [p.weakest_link for p in ranked] == [0.6, 0.4, 0.3]


def test_equal_weakest_links_go_to_fewer_hops_then_to_the_higher_score() -> None:
    three = path("a p q c", [0.6, 0.9, 0.9], [0.9, 0.9])
    two_low = path("a x c", [0.6, 0.6], [0.1])
    two_high = path("a y c", [0.6, 0.6], [0.8])
    direct = path("a c", [0.6])
    ranked = rank_paths([three, two_low, two_high, direct])
    # All weakest links are 0.6: 1 hop, then the 2-hop paths (score 0.8 before 0.1), then 3.
    assert [p.via for p in ranked] == [[], ["y"], ["x"], ["p", "q"]]


def test_two_intermediaries_count_with_the_lower_score_and_unranked_counts_as_zero() -> None:
    p = path("a x y c", [0.5, 0.5, 0.5], [0.9, 0.2])
    assert p.score == 0.2
    assert path("a x y c", [0.5, 0.5, 0.5], [0.9, None]).score == 0.0
    assert path("a c", [0.5]).score == 0.0


def test_after_the_score_the_next_weakest_tie_decides_then_the_ids() -> None:
    # Same weakest link (0.5), hops (2) and score (0): [0.5, 0.9] beats [0.5, 0.7] (leximin).
    warmer = path("a z c", [0.9, 0.5])
    cooler = path("a b c", [0.5, 0.7])
    twin = path("a y c", [0.5, 0.9])  # equal to `warmer` in everything but the id: y < z
    assert [p.via for p in rank_paths([cooler, warmer, twin])] == [["y"], ["z"], ["b"]]


def test_path_sort_key_orders_exactly_like_the_documented_rule() -> None:
    p = path("a x c", [0.8, 0.6], [0.3])
    assert path_sort_key(p) == (-0.6, 2, -0.3, (-0.6, -0.8), ("x", "c"))


def test_rank_paths_keeps_a_path_listed_twice_once() -> None:
    once = rank_paths([path("a x c", [0.8, 0.6]), path("a x c", [0.8, 0.6])])
    assert len(once) == 1


def test_make_path_refuses_inconsistent_parts() -> None:
    with pytest.raises(ValueError):
        make_path(["a", "b", "c"], [None, None, None], [0.5], [None])
    with pytest.raises(ValueError):
        make_path(["a", "b", "c"], [None, None, None], [0.5, 0.5], [])


def test_the_explanation_gives_every_hop_its_strength_and_names_the_weakest_link() -> None:
    text = explain_path(
        ["ann", "bob", "dan", "cat"], ["Ann", "Bob", "Dan", "Cat"], [0.8, 0.9, 0.6], [0.7, None]
    )
    assert text.startswith("Ask Bob (score 0.70) to introduce Ann to Dan, who can introduce")
    assert "Ann-Bob 0.80, Bob-Dan 0.90, Dan-Cat 0.60" in text
    assert text.endswith("weakest link Dan-Cat (0.60).")
    assert explain_path(["a", "c"], [None, None], [0.25]) == (
        "a and c already know each other (tie 0.25)."
    )


# --------------------------------------------------------------------------- exclude file
def test_exclude_file_takes_one_id_per_line_or_a_csv_first_column(tmp_path: Path) -> None:
    f = tmp_path / "exclude.txt"
    f.write_text("id\n# people who asked not to be suggested\nkim\n\n  jon  \nzoe,Zoe Z\n")
    assert read_exclude_file(f) == frozenset({"kim", "jon", "zoe"})


def test_exclude_file_that_cannot_be_read_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read the exclude file"):
        read_exclude_file(tmp_path / "missing.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9\n")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_exclude_file(bad)


# --------------------------------------------------------------------------- recommend
OFFICES_GROUPS = {"a1": 0, "a2": 0, "a3": 0, "bob": 0, "g1": 1, "g2": 1, "meg": 1, "i1": 2}
OFFICES_NAMES = ["Acme", "Globex", "Initech"]
OFFICES_TIES = [
    ("a1", "a2", 0.9),
    ("a1", "a3", 0.9),
    ("a2", "a3", 0.9),
    ("g1", "g2", 0.9),
    ("bob", "a1", 0.8),
    ("bob", "g1", 0.7),
    ("bob", "g2", 0.6),
    ("bob", "i1", 0.9),
    ("a2", "g2", 0.2),
    ("meg", "a3", 0.9),
    ("meg", "i1", 0.9),
]


def offices() -> tuple[TieGraph, np.ndarray]:
    """Acme {a1, a2, a3, bob}, Globex {g1, g2, meg}, Initech {i1}; ties as OFFICES_TIES.

    Worked out by hand with strong = 0.5. Pairs of each broker's strong contacts in
    different groups and not tied, with k = ties a and c already have into each other's
    group, the broker left out; `a` is the contact the broker knows better (equal: the
    smaller id):

    ====  ===========  =====  ==================================================  ======
    via   a -> c       warm   k                                                   score
    ====  ===========  =====  ==================================================  ======
    a3    a1 -> meg    0.9    0 (meg's only Acme tie is a3, the broker)           0.9
    a3    a2 -> meg    0.9    1 (a2 knows g2 at Globex)                           0.45
    bob   i1 -> a1     0.8    0                                                   0.8
    bob   a1 -> g1     0.7    0                                                   0.7
    bob   i1 -> g1     0.7    1 (i1 knows meg at Globex)                          0.35
    bob   a1 -> g2     0.6    1 (g2 knows a2 at Acme)                             0.3
    bob   i1 -> g2     0.6    1 (i1 knows meg)                                    0.3
    meg   a3 -> i1     0.9    1 (i1 knows bob at Acme)                            0.45
    i1    bob -> meg   0.9    3 (bob knows g1, g2 at Globex; meg knows a3)        0.225
    ====  ===========  =====  ==================================================  ======

    Nobody else qualifies: a1, a2 and g1, g2 have strong contacts in one group only or
    tied to each other (g2-bob, g1-bob).
    """
    g = TieGraph.from_edges(OFFICES_TIES, nodes=list(OFFICES_GROUPS))
    groups = np.array([OFFICES_GROUPS[i] for i in g.ids])
    return g, groups


def triples(intros) -> list[tuple[str, str, str, float]]:
    return [(i.broker, i.a, i.c, round(i.score, 6)) for i in intros]


def test_score_is_the_warmth_divided_by_one_plus_the_ties_across() -> None:
    assert score_introduction(0.9, 0.7, 0, 0) == 0.7
    assert score_introduction(0.9, 0.9, 2, 1) == pytest.approx(0.225)


def test_recommend_everyone_on_the_offices_network() -> None:
    g, groups = offices()
    got = recommend(g, groups, OFFICES_NAMES)
    # Best score first; ties (0.45, 0.3) by broker score (all 0), warmth, broker id, a, c.
    assert triples(got) == [
        ("a3", "a1", "meg", 0.9),
        ("bob", "i1", "a1", 0.8),
        ("bob", "a1", "g1", 0.7),
        ("a3", "a2", "meg", 0.45),
        ("meg", "a3", "i1", 0.45),
        ("bob", "i1", "g1", 0.35),
        ("bob", "a1", "g2", 0.3),
        ("bob", "i1", "g2", 0.3),
        ("i1", "bob", "meg", 0.225),
    ]
    assert [i.rank for i in got] == list(range(1, 10))
    top = got[0]
    assert (top.a_group, top.c_group, top.broker_a, top.broker_c) == ("Acme", "Globex", 0.9, 0.9)
    assert top.reason == (
        "a3 knows a1 (Acme, tie 0.90) and meg (Globex, tie 0.90); a1 and meg are not tied, "
        "and neither knows anyone else in the other's group."
    )
    assert (got[-1].known_a, got[-1].known_c) == (2, 1)
    assert "bob already knows 2 other people in Globex and meg already knows 1 other person" in (
        got[-1].reason
    )


def test_max_per_broker_caps_each_broker_and_lets_the_others_through() -> None:
    g, groups = offices()
    got = recommend(g, groups, OFFICES_NAMES, max_per_broker=1)
    # One each for a3, bob, meg, i1: their best.
    assert triples(got) == [
        ("a3", "a1", "meg", 0.9),
        ("bob", "i1", "a1", 0.8),
        ("meg", "a3", "i1", 0.45),
        ("i1", "bob", "meg", 0.225),
    ]


def test_candidates_per_broker_bounds_the_pairs_a_hub_forms() -> None:
    g, groups = offices()
    got = recommend(g, groups, OFFICES_NAMES, candidates_per_broker=2)
    # bob's two strongest contacts are i1 (0.9) and a1 (0.8): his only pair is i1 -> a1.
    assert [t for t in triples(got) if t[0] == "bob"] == [("bob", "i1", "a1", 0.8)]


def test_private_and_excluded_people_are_never_broker_nor_introduced() -> None:
    g, groups = offices()
    private = np.array([i == "a3" for i in g.ids])
    got = recommend(g, groups, OFFICES_NAMES, private=private, excluded={"g1"})
    people = {x for i in got for x in (i.broker, i.a, i.c)}
    assert not people & {"a3", "g1"}
    # Left: bob's pairs without g1, and i1's bob -> meg.
    assert triples(got) == [
        ("bob", "i1", "a1", 0.8),
        ("bob", "a1", "g2", 0.3),
        ("bob", "i1", "g2", 0.3),
        ("i1", "bob", "meg", 0.225),
    ]


def test_recommend_for_one_person_puts_them_first_in_every_introduction() -> None:
    g, groups = offices()
    # g2's strong contacts are g1 (0.9) and bob (0.6). Via g1: bob, tied to g2 already.
    # Via bob: a1 (warmth 0.6, k = 1: g2 knows a2 at Acme) and i1 (0.6, k = 1: i1 knows meg
    # at Globex); g1 is in g2's group. Both 0.3; a1 < i1.
    got = recommend(g, groups, OFFICES_NAMES, person="g2")
    assert triples(got) == [("bob", "g2", "a1", 0.3), ("bob", "g2", "i1", 0.3)]
    with pytest.raises(UsageError, match="no person with id 'zed'"):
        recommend(g, groups, OFFICES_NAMES, person="zed")
    unknown = groups.copy()
    unknown[list(g.ids).index("g2")] = -1
    with pytest.raises(UsageError, match="g2 has no group"):
        recommend(g, unknown, OFFICES_NAMES, person="g2")


def test_a_pair_goes_to_the_broker_with_the_higher_power_connector_score() -> None:
    # x and y both know p (group 0) and q (group 1) at 0.8; p and q know nobody else.
    g = TieGraph.from_edges([("x", "p", 0.8), ("x", "q", 0.8), ("y", "p", 0.8), ("y", "q", 0.8)])
    groups = np.array([{"x": -1, "y": -1, "p": 0, "q": 1}[i] for i in g.ids])
    scores = np.array([{"x": 0.1, "y": 0.9, "p": np.nan, "q": np.nan}[i] for i in g.ids])
    got = recommend(g, groups, ["G0", "G1"], scores=scores)
    assert triples(got) == [("y", "p", "q", 0.8)]  # once, with the better power connector
    assert got[0].broker_score == 0.9
    tie = recommend(g, groups, ["G0", "G1"])  # unranked: the smaller broker id
    assert triples(tie) == [("x", "p", "q", 0.8)]


def test_people_in_the_same_or_an_unknown_group_or_already_tied_are_not_introduced() -> None:
    g = TieGraph.from_edges(
        [("b", "p", 0.9), ("b", "q", 0.9), ("b", "r", 0.9), ("b", "s", 0.9), ("p", "s", 0.1)]
    )
    groups = np.array([{"b": 0, "p": 0, "q": 0, "r": -1, "s": 1}[i] for i in g.ids])
    # p-q: same group; r: unknown group; p-s: tied (weakly). Only q -> s is left.
    assert [(i.a, i.c) for i in recommend(g, groups, ["G0", "G1"])] == [("q", "s")]


def test_recommend_refuses_bad_options() -> None:
    g, groups = offices()
    with pytest.raises(UsageError, match="strong-tie threshold"):
        recommend(g, groups, OFFICES_NAMES, strong=0)
    with pytest.raises(UsageError, match="introductions per broker"):
        recommend(g, groups, OFFICES_NAMES, max_per_broker=0)


def test_recommend_on_a_network_without_ties_gives_nothing() -> None:
    g = TieGraph.from_edges([], nodes=["a", "b"])
    assert recommend(g, np.array([0, 1]), ["G0", "G1"]) == []


# --------------------------------------------------------------------------- CLI wiring
def test_register_adds_both_commands_once_with_help_and_an_example() -> None:
    group = click.Group("g")
    register(group)
    register(group)  # a second call changes nothing
    assert sorted(group.commands) == ["introduce", "recommend"]
    for name in group.commands:
        result = CliRunner().invoke(group, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output
        assert "--exclude FILE" in result.output


def test_mark_cold_flags_paths_whose_weakest_link_is_not_strong() -> None:
    from powerconnect.engine.paths import IntroAnswer, make_path, mark_cold

    warm = make_path(["ann", "bob", "cat"], [None] * 3, [0.9, 0.6], [None])
    cold = make_path(["ann", "dan", "cat"], [None] * 3, [0.9, 0.02], [None])
    answer = IntroAnswer("ann", None, "cat", [warm, cold], max_hops=3, threshold=0.0)
    marked = mark_cold(answer, 0.5).paths
    assert [p.cold for p in marked] == [False, True]
    assert marked[0].explanation == warm.explanation
    assert marked[1].explanation == (
        cold.explanation + " Cold: its weakest link is below the strong threshold 0.5."
    )
    # At a threshold of 0.6 the 0.6 link is strong (>=): still warm.
    assert [p.cold for p in mark_cold(answer, 0.6).paths] == [False, True]
