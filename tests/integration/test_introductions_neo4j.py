"""Introductions against the real Neo4j: the path queries, recommend's writes, the CLI.

The village (built by :func:`village`), with every path from Ann to Cat worked out by hand:

=====  ====================  ===================  ======  ====  =====  ==========================
rank   path                  strengths            weak.   hops  score  why here
=====  ====================  ===================  ======  ====  =====  ==========================
1      ann > kim > cat       0.9, 0.85            0.85    2     0      warmest weakest link
2      ann > gus > cat       0.6, 0.6             0.6     2     0      0.6, fewer hops than 3
3      ann > eve > fay > cat 0.8, 0.7, 0.6        0.6     3     0      3 hops beat every 0.5 path
4      ann > dan > cat       0.5, 0.5             0.5     2     0.9    0.5: highest score
5      ann > hal > cat       0.5, 0.9             0.5     2     0.2    ties ida on score; 0.9 > 0.7
6      ann > ida > cat       0.5, 0.7             0.5     2     0.2
7      ann > bob > cat       0.9, 0.4             0.4     2     0
8      ann > zoe > gus > cat 0.3, 0.7, 0.6        0.3     3     0
=====  ====================  ===================  ======  ====  =====  ==========================

Jon (ties 0.95 to both) is private and never appears. No other pair of Ann's and Cat's
contacts is tied, so there is no other 3-hop path.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from unit.test_introductions import OFFICES_GROUPS, OFFICES_NAMES, OFFICES_TIES

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.paths import (
    NoPath,
    find_paths,
    find_paths_to_group,
    make_path,
    path_sort_key,
)
from powerconnect.engine.recommend import recommend, recommend_database
from powerconnect.intro_commands import register

if "introduce" not in main.commands:
    register(main)

PEOPLE = [
    # id, organization, pc_score, private
    ("ann", "Acme", None, None),
    ("bob", "Acme", None, None),
    ("cat", "Globex", None, None),
    ("dan", None, 0.9, None),
    ("eve", None, None, None),
    ("fay", None, None, None),
    ("gus", None, None, None),
    ("hal", None, 0.2, None),
    ("ida", None, 0.2, None),
    ("jon", "Hooli", 0.99, True),
    ("kim", None, None, None),
    ("zoe", "Globex", None, None),
    ("far1", "Globex", None, None),
    ("far2", None, None, None),
    ("loner", None, None, None),
]
TIES = [
    ("ann", "bob", 0.9),
    ("bob", "cat", 0.4),
    ("ann", "dan", 0.5),
    ("dan", "cat", 0.5),
    ("ann", "eve", 0.8),
    ("eve", "fay", 0.7),
    ("fay", "cat", 0.6),
    ("ann", "gus", 0.6),
    ("gus", "cat", 0.6),
    ("ann", "hal", 0.5),
    ("hal", "cat", 0.9),
    ("ann", "ida", 0.5),
    ("ida", "cat", 0.7),
    ("ann", "jon", 0.95),
    ("jon", "cat", 0.95),
    ("ann", "kim", 0.9),
    ("kim", "cat", 0.85),
    ("ann", "zoe", 0.3),
    ("gus", "zoe", 0.7),
    ("cat", "far1", 0.9),
    ("far1", "far2", 0.9),
]
ANN_TO_CAT = [
    ("ann > kim > cat", 0.85),
    ("ann > gus > cat", 0.6),
    ("ann > eve > fay > cat", 0.6),
    ("ann > dan > cat", 0.5),
    ("ann > hal > cat", 0.5),
    ("ann > ida > cat", 0.5),
    ("ann > bob > cat", 0.4),
    ("ann > zoe > gus > cat", 0.3),
]


def _load(db: Database, people: list[dict], ties: list[tuple[str, str, float]]) -> None:
    # Written directly (not through a loader) so that these tests check introductions alone.
    db.driver.execute_query(
        "UNWIND $people AS p CREATE (n:Person {id: p.id, name: p.name}) "
        "SET n.organization = p.organization, n.pc_score = p.score, n.private = p.private",
        people=people,
    )
    db.driver.execute_query(
        "UNWIND $ties AS t MATCH (a:Person {id: t[0]}), (b:Person {id: t[1]}) "
        "CREATE (a)-[:KNOWS {strength: t[2]}]->(b)",
        ties=[list(t) for t in ties],
    )


@pytest.fixture
def village(db: Database) -> Database:
    people = [
        {"id": i, "name": i.capitalize(), "organization": o, "score": s, "private": p}
        for i, o, s, p in PEOPLE
    ]
    _load(db, people, TIES)
    db.driver.execute_query("CREATE (:Run {id: 'r0', at: datetime()})")
    return db


def shown(paths) -> list[tuple[str, float]]:
    return [(" > ".join(p.path), p.weakest_link) for p in paths]


# --------------------------------------------------------------------------- introduce
def test_paths_from_ann_to_cat_are_ranked_as_worked_out_by_hand(village: Database) -> None:
    answer = find_paths(village, "ann", "cat", top=10)
    assert shown(answer.paths) == ANN_TO_CAT
    by_path = {" > ".join(p.path): p for p in answer.paths}
    assert by_path["ann > eve > fay > cat"].strengths == [0.8, 0.7, 0.6]
    assert by_path["ann > dan > cat"].score == 0.9
    assert by_path["ann > hal > cat"].via_scores == [0.2]
    assert answer.direct is None and answer.notes == []  # a ranking run exists: no remark


def test_the_top_cut_keeps_the_order_of_the_full_ranking(village: Database) -> None:
    # The search stops at tie strength 0.4, where the query itself cuts at 5: hal (0.5, 0.9)
    # must win over ida (0.5, 0.7) inside Cypher exactly as in Python.
    for top in (1, 3, 5, 6):
        assert shown(find_paths(village, "ann", "cat", top=top).paths) == ANN_TO_CAT[:top]
    assert find_paths(village, "ann", "cat", top=3).threshold == 0.6


def test_excluded_people_and_max_hops_narrow_the_paths(village: Database) -> None:
    without_kim = find_paths(village, "ann", "cat", top=10, excluded={"kim"})
    assert shown(without_kim.paths) == ANN_TO_CAT[1:]
    two_hops = find_paths(village, "ann", "cat", top=10, max_hops=2)
    assert [p for p, _ in shown(two_hops.paths)] == [p for p, _ in ANN_TO_CAT if p.count(">") == 2]


def test_people_who_already_know_each_other_are_told_so(village: Database) -> None:
    # Ann-Zoe is a weak direct tie (0.3); via Gus the weakest link is 0.6, so it ranks first.
    answer = find_paths(village, "ann", "zoe")
    assert shown(answer.paths) == [("ann > gus > zoe", 0.6), ("ann > zoe", 0.3)]
    assert answer.direct == 0.3
    assert answer.notes == ["Ann (ann) and Zoe (zoe) already know each other (tie 0.30)."]
    assert answer.paths[1].explanation == "Ann and Zoe already know each other (tie 0.30)."


def test_without_a_ranking_run_scores_count_as_zero_and_that_is_said(village: Database) -> None:
    village.driver.execute_query("MATCH (r:Run) DELETE r")
    answer = find_paths(village, "ann", "cat", top=1)
    assert answer.notes == [
        "No ranking run yet: intermediaries' power-connector scores count as 0 "
        "(run `powerconnect rank` to use them)."
    ]


@pytest.mark.parametrize(
    ("source", "target", "options", "message"),
    [
        (
            "nobody",
            "cat",
            {},
            "no person with the id, LinkedIn profile URL, e-mail or name 'nobody' in the database",
        ),
        (
            "ann",
            "nobody",
            {},
            "no person with the id, LinkedIn profile URL, e-mail or name 'nobody' in the database",
        ),
        ("ann", "ann", {}, "the two ends of the path are the same person (ann)"),
        ("loner", "ann", {}, "loner has no ties in the database: nobody can introduce them"),
        ("ann", "loner", {}, "loner has no ties in the database: nobody can introduce anyone"),
        ("ann", "jon", {}, "jon is private: powerconnect never suggests them"),
        ("ann", "kim", {"excluded": {"kim"}}, "kim is in the exclude list"),
        ("ann", "cat", {"max_hops": 4}, "max_hops must be 1, 2 or 3"),
        (
            "ann",
            "far1",
            {"max_hops": 2},
            "no path from Ann (ann) to Far1 (far1) within 2 hops (private people are never "
            "intermediaries); try --max-hops 3",
        ),
        ("ann", "far2", {}, "no path from Ann (ann) to Far2 (far2) within 3 hops"),
    ],
)
def test_impossible_requests_raise_usage_errors_that_say_why(
    village: Database, source: str, target: str, options: dict, message: str
) -> None:
    with pytest.raises(UsageError) as info:
        find_paths(village, source, target, **options)
    assert message in str(info.value)


def test_no_path_is_its_own_error(village: Database) -> None:
    with pytest.raises(NoPath):
        find_paths(village, "ann", "far2")


def test_warmest_paths_to_anyone_at_globex(village: Database) -> None:
    # Globex: cat, zoe, far1. Members are never intermediaries (zoe > gus > cat is out);
    # gus > zoe (0.6, 0.7) beats gus > cat (0.6, 0.6) on the next-weakest tie; the direct tie
    # to Zoe (0.3, 1 hop) comes last.
    answer = find_paths_to_group(village, "ann", "Globex", top=10)
    assert shown(answer.paths) == [
        ("ann > kim > cat", 0.85),
        ("ann > gus > zoe", 0.6),
        ("ann > gus > cat", 0.6),
        ("ann > eve > fay > cat", 0.6),
        ("ann > dan > cat", 0.5),
        ("ann > hal > cat", 0.5),
        ("ann > ida > cat", 0.5),
        ("ann > bob > cat", 0.4),
        ("ann > zoe", 0.3),
    ]
    assert answer.known == [("zoe", "Zoe", 0.3)]
    assert answer.notes == ["Ann (ann) already knows 1 person at Globex: Zoe (0.30)."]
    top5 = find_paths_to_group(village, "ann", "Globex", top=5)
    assert shown(top5.paths) == shown(answer.paths)[:5]


def test_to_group_with_another_property_and_impossible_groups(village: Database) -> None:
    village.driver.execute_query("MATCH (p:Person {id: 'far1'}) SET p.team = 'red'")
    # Far1, the only red, is reached through Cat: every 2-hop path Ann-x-Cat, plus Cat-Far1
    # (0.9). Cat has no score, so every path scores 0 (the lower of x's and Cat's) and the
    # 0.5 paths go by leximin: hal (0.5, 0.9, 0.9), ida (0.5, 0.7, 0.9), dan (0.5, 0.5, 0.9).
    answer = find_paths_to_group(village, "ann", "red", group_by="team")
    assert shown(answer.paths) == [
        ("ann > kim > cat > far1", 0.85),
        ("ann > gus > cat > far1", 0.6),
        ("ann > hal > cat > far1", 0.5),
        ("ann > ida > cat > far1", 0.5),
        ("ann > dan > cat > far1", 0.5),
    ]
    with pytest.raises(UsageError, match="nobody in the database has organization = 'Initech'"):
        find_paths_to_group(village, "ann", "Initech")
    with pytest.raises(UsageError, match="nobody at Hooli may be suggested"):
        find_paths_to_group(village, "ann", "Hooli")  # Jon alone, and private
    with pytest.raises(NoPath, match="no path from Ann \\(ann\\) to anyone at Globex within 1 hop"):
        find_paths_to_group(village, "ann", "Globex", max_hops=1, excluded={"zoe"})


# --------------------------------------------------------------------------- recommend
# The offices network of the unit tests (tests/unit/test_introductions.py::offices).
OFFICES = {person: OFFICES_NAMES[k] for person, k in OFFICES_GROUPS.items()}
# Worked out by hand in tests/unit/test_introductions.py::offices.
OFFICES_EXPECTED = [
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


@pytest.fixture
def offices(db: Database) -> Database:
    people = [
        {"id": i, "name": i.upper(), "organization": o, "score": None, "private": None}
        for i, o in OFFICES.items()
    ]
    _load(db, people, OFFICES_TIES)
    return db


def triples(intros) -> list[tuple[str, str, str, float]]:
    return [(i.broker, i.a, i.c, round(i.score, 6)) for i in intros]


def stored(db: Database) -> list[dict]:
    records, _, _ = db.driver.execute_query(
        "MATCH (b:Person)-[:CAN_INTRODUCE]->(i:Introduction)-[ia:INTRODUCES]->(a:Person), "
        "(i)-[ic:TO]->(c:Person) "
        "RETURN b.id AS broker, a.id AS a, c.id AS c, i.score AS score, i.run AS run, "
        "i.rank AS rank, i.reason AS reason, ia.strength AS sa, ic.strength AS sc "
        "ORDER BY i.rank"
    )
    return [r.data() for r in records]


def test_recommend_everyone_writes_introductions_for_browser(offices: Database) -> None:
    run = recommend_database(offices)
    assert run.group_by == "organization"
    assert triples(run.introductions) == OFFICES_EXPECTED
    assert any("No ranking run yet" in note for note in run.notes)
    rows = stored(offices)
    assert [(r["broker"], r["a"], r["c"], round(r["score"], 6)) for r in rows] == OFFICES_EXPECTED
    assert {r["run"] for r in rows} == {run.run_id}
    assert (rows[0]["sa"], rows[0]["sc"]) == (0.9, 0.9)
    assert rows[0]["reason"].startswith("A3 knows A1 (Acme, tie 0.90) and MEG (Globex, tie 0.90)")
    # The saved Browser query shows the best introductions with the broker's ties.
    browser = offices.query("browser/recommended_introductions", limit=2)
    assert [(r["b"]["id"], r["a"]["id"], r["c"]["id"]) for r in browser] == [
        ("a3", "a1", "meg"),
        ("bob", "i1", "a1"),
    ]
    assert all(r["ka"] is not None and r["kc"] is not None for r in browser)


def test_a_new_run_replaces_the_previous_one_in_its_scope(offices: Database) -> None:
    first = recommend_database(offices)
    capped = recommend_database(offices, max_per_broker=1)
    rows = stored(offices)
    assert {r["run"] for r in rows} == {capped.run_id} != {first.run_id}
    assert len(rows) == 4  # a3, bob, meg, i1: one each
    everyone = recommend_database(offices)
    for_g2 = recommend_database(offices, person="g2")
    assert triples(for_g2.introductions) == [("bob", "g2", "a1", 0.3), ("bob", "g2", "i1", 0.3)]
    rows = stored(offices)
    # The run for g2 replaced the two introductions of g2 and left the other seven.
    assert len(rows) == 9
    assert sorted((r["a"], r["c"]) for r in rows if r["run"] == for_g2.run_id) == [
        ("g2", "a1"),
        ("g2", "i1"),
    ]
    assert sum(r["run"] == everyone.run_id for r in rows) == 7


def test_recommend_respects_private_people_and_the_exclude_list(offices: Database) -> None:
    offices.driver.execute_query("MATCH (p:Person {id: 'a3'}) SET p.private = 'yes'")
    run = recommend_database(offices, excluded={"g1"}, write=False)
    assert triples(run.introductions) == [
        ("bob", "i1", "a1", 0.8),
        ("bob", "a1", "g2", 0.3),
        ("bob", "i1", "g2", 0.3),
        ("i1", "bob", "meg", 0.225),
    ]
    assert stored(offices) == []  # write=False


def test_recommend_groups_default_to_the_ranking_runs_communities(offices: Database) -> None:
    offices.driver.execute_query("MATCH (p:Person) REMOVE p.organization")
    with pytest.raises(UsageError, match="no groups to tell the sides of a hole apart"):
        recommend_database(offices)
    # A ranking run's pc_group stands in; here set by hand to the old organizations.
    offices.driver.execute_query(
        "UNWIND $rows AS row MATCH (p:Person {id: row[0]}) SET p.pc_group = row[1], "
        "p.pc_score = CASE p.id WHEN 'bob' THEN 0.8 ELSE 0.0 END",
        rows=[[i, o] for i, o in OFFICES.items()],
    )
    offices.driver.execute_query("CREATE (:Run {id: 'r0', at: datetime()})")
    run = recommend_database(offices, write=False)
    assert run.group_by == "pc_group"
    # Bob's score (0.8) would only break ties between brokers; his scores tie only with his
    # own (0.3), so the order is the same as by organization.
    assert triples(run.introductions) == OFFICES_EXPECTED
    assert run.introductions[1].broker_score == 0.8


def test_recommend_for_a_person_checks_them_first(offices: Database) -> None:
    with pytest.raises(
        UsageError, match="no person with the id, LinkedIn profile URL, e-mail or name 'zed'"
    ):
        recommend_database(offices, person="zed")
    offices.driver.execute_query("CREATE (:Person {id: 'solo', organization: 'Acme'})")
    with pytest.raises(UsageError, match="solo has no ties"):
        recommend_database(offices, person="solo")
    with pytest.raises(UsageError, match="a2 has no tie of strength >= 0.95"):
        recommend_database(offices, person="a2", strong=0.95)


# --------------------------------------------------------------------------- CLI
def test_introduce_prints_csv_with_the_documented_columns(
    village: Database, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        main, ["introduce", "--person", "ann", "--to", "cat", "--format", "csv"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rank,path,via,hops,weakest_link,score,explanation")
    assert lines[1].startswith("1,ann > kim > cat,kim,2,0.85,0.0,")
    assert lines[3].startswith("3,ann > eve > fay > cat,eve > fay,3,0.6,0.0,")
    assert len(lines) == 1 + 5


def test_introduce_table_shows_every_hops_strength(
    village: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("kim\n")
    result = CliRunner().invoke(
        main,
        ["introduce", "-p", "ann", "--to", "cat", "--top", "2", "--exclude", str(exclude)],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    assert "ann -0.60- gus -0.60- cat" in result.stdout
    assert "ann -0.80- eve -0.70- fay -0.60- cat" in result.stdout
    assert "2. Ask Eve to introduce Ann to Fay, who can introduce Ann to Cat: Ann-Eve 0.80," in (
        result.stdout
    )
    assert "kim" not in result.stdout


def test_introduce_to_group_prints_json_and_the_known_people(
    village: Database, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        main,
        ["introduce", "-p", "ann", "--to-group", "Globex", "--format", "json", "--top", "2"],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    assert "already knows 1 person at Globex: Zoe (0.30)" in result.stderr
    rows = json.loads(result.stdout)
    assert [(r["path"], r["target"]) for r in rows] == [
        ("ann > kim > cat", "cat"),
        ("ann > gus > zoe", "zoe"),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--person", "nobody", "--to", "cat"],
            1,
            "Error: no person with the id, LinkedIn profile URL, e-mail or name 'nobody'",
        ),
        (["--person", "loner", "--to", "cat"], 1, "Error: loner has no ties"),
        (["--person", "ann", "--to", "far2"], 1, "Error: no path from Ann (ann) to Far2"),
        (["--person", "ann", "--to", "far1", "--max-hops", "2"], 1, "try --max-hops 3"),
        (["--person", "ann"], 1, "give exactly one of --to PERSON and --to-group VALUE"),
        (["--person", "ann", "--to", "cat", "--to-group", "X"], 1, "give exactly one of"),
        (["--person", "ann", "--to", "cat", "--max-hops", "4"], 1, "--max-hops"),
    ],
)
def test_introduce_errors_are_one_line_with_the_right_exit_code(
    village: Database, cli_env: dict[str, str], args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(main, ["introduce", *args], env=cli_env)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_recommend_command_prints_stores_and_points_to_browser(
    offices: Database, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        main, ["recommend", "--top", "3", "--format", "csv", "--max-per-broker", "1"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rank,broker,a,c,score,warmth")
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["1", "a3", "a1", "meg"],
        ["2", "bob", "i1", "a1"],
        ["3", "meg", "a3", "i1"],
    ]
    assert "4 introductions, groups by organization" in result.stderr
    assert "cypher/browser/recommended_introductions.cypher" in result.stderr
    assert len(stored(offices)) == 4  # all four stored, three printed

    table = CliRunner().invoke(main, ["recommend", "--person", "g2", "--no-write"], env=cli_env)
    assert table.exit_code == 0, table.output
    assert "G2 (Globex)" in table.stdout and "A1 (Acme)" in table.stdout
    assert "1. BOB knows G2 (Globex, tie 0.60) and A1 (Acme, tie 0.80)" in table.stdout


def test_recommend_command_says_so_when_there_is_nothing_to_recommend(
    offices: Database, cli_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(main, ["recommend", "--strong", "0.95"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "No introductions to recommend: no broker has ties >= 0.95" in result.stderr
    unknown = CliRunner().invoke(main, ["recommend", "--person", "zed"], env=cli_env)
    assert unknown.exit_code == 1
    assert (
        "Error: no person with the id, LinkedIn profile URL, e-mail or name 'zed'" in unknown.output
    )


def test_recommend_for_one_person_reads_only_their_part_and_agrees_with_the_whole(
    db: Database,
) -> None:
    # A seeded random network; for every person, the introductions computed from the part of
    # the network read by intro_ego_network equal those computed on the whole network.
    rng = np.random.default_rng(7)
    ids = [f"p{i:02d}" for i in range(40)]
    orgs = [None, "Acme", "Globex", "Initech"]
    people = [
        {
            "id": i,
            "name": i,
            "organization": orgs[int(rng.integers(4))],
            "score": float(rng.random()),
            "private": bool(rng.random() < 0.08) or None,
        }
        for i in ids
    ]
    pairs = {tuple(sorted(rng.choice(40, 2, replace=False))) for _ in range(120)}
    ties = [(ids[a], ids[b], round(float(rng.uniform(0.05, 1.0)), 2)) for a, b in pairs]
    _load(db, people, ties)
    graph = TieGraph.from_edges(ties, nodes=ids)
    group_of = {p["id"]: p["organization"] for p in people}
    names = ["Acme", "Globex", "Initech"]
    groups = np.array([names.index(group_of[i]) if group_of[i] else -1 for i in graph.ids])
    private = np.array(
        [bool(next(p for p in people if p["id"] == i)["private"]) for i in graph.ids]
    )
    scores = np.array([next(p for p in people if p["id"] == i)["score"] for i in graph.ids])
    checked = found = 0
    for person in ids:
        if group_of[person] is None or not any(person in t[:2] and t[2] >= 0.5 for t in ties):
            continue
        whole = recommend(
            graph, groups, names, private=private, scores=scores, person=person, max_per_broker=2
        )
        part = recommend_database(db, person=person, max_per_broker=2, write=False)
        assert triples(part.introductions) == triples(whole), person
        checked += 1
        found += len(whole)
    assert checked >= 10 and found >= 10


def test_introduce_marks_a_path_below_the_strong_threshold_cold(
    village: Database, cli_env: dict[str, str]
) -> None:
    # Ann-Zoe: via Gus the weakest link is 0.6, the direct tie 0.3. The village's run stored
    # no threshold, so 0.5 applies: the direct tie is cold, the path via Gus is not.
    result = CliRunner().invoke(
        main, ["introduce", "--person", "ann", "--to", "zoe", "--format", "json"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["path"], r["cold"]) for r in rows] == [
        ("ann > gus > zoe", False),
        ("ann > zoe", True),
    ]
    assert rows[1]["explanation"].endswith(
        "Cold: its weakest link is below the strong threshold 0.5."
    )
    # With a run that used 0.7, the path via Gus (0.6) is cold too, in the table as well.
    village.driver.execute_query("MATCH (r:Run) SET r.strong = 0.7")
    table = CliRunner().invoke(main, ["introduce", "--person", "ann", "--to", "zoe"], env=cli_env)
    assert table.exit_code == 0, table.output
    assert table.stdout.count("Cold: its weakest link is below the strong threshold 0.7.") == 2
    assert " cold " in table.stdout.splitlines()[1] + " "


def test_the_cypher_order_of_paths_is_the_python_order(village: Database) -> None:
    # The rule is defined once, engine.paths.path_sort_key; intro_paths.cypher must apply
    # it in its ORDER BY (so that LIMIT keeps the best). Every path ann -> cat of the
    # village, as the query returns them, is already in path_sort_key order.
    rows = village.query(
        "intro_paths",
        **{"from": "ann", "to": "cat"},
        max_hops=3,
        min_strength=0.0,
        excluded=[],
        limit=100,
    )
    got = [
        make_path(
            ["ann", *r["via"], "cat"],
            [None] * (len(r["via"]) + 2),
            r["strengths"],
            r["via_scores"],
        )
        for r in rows
    ]
    assert len(got) >= 8  # ANN_TO_CAT's eight, and any longer ones
    assert [p.path for p in got] == [p.path for p in sorted(got, key=path_sort_key)]
    group = village.query(
        "intro_paths_to_group",
        **{"from": "ann"},
        group_by="organization",
        group="Globex",
        max_hops=3,
        min_strength=0.0,
        excluded=[],
        limit=100,
    )
    paths = [
        make_path(
            ["ann", *r["via"], r["target"]],
            [None] * (len(r["via"]) + 2),
            r["strengths"],
            r["via_scores"],
        )
        for r in group
    ]
    assert len(paths) >= 2
    assert [p.path for p in paths] == [p.path for p in sorted(paths, key=path_sort_key)]
