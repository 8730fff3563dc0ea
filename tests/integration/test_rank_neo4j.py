"""Ranking against the real Neo4j: read the graph, rank, write back, read the properties back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.engine.analysis import (
    _plan_writes,
    explain_person,
    open_pairs,
    rank_database,
    read_network,
    result_parts,
    settle,
    write_results,
)
from powerconnect.engine.db import Database

ACME = [f"a{i}" for i in range(1, 6)]
GLOBEX = [f"g{i}" for i in range(1, 6)]
INITECH = [f"i{i}" for i in range(1, 41)]


def _two_teams_a_broker_and_a_mega_connector() -> tuple[list[dict], list[dict]]:
    """Acme and Globex are two teams of five, all strongly tied inside (0.9). Bob (Acme) has
    strong ties (0.8) to a1-a3 and g1-g3: the structural hole between the teams. Meg has weak
    ties (0.1) to all ten team members and to forty Initech people who know nobody else."""
    people = [{"id": p, "name": p.upper(), "organization": "Acme"} for p in ACME]
    people += [{"id": p, "name": p.upper(), "organization": "Globex"} for p in GLOBEX]
    people += [{"id": p, "name": p.upper(), "organization": "Initech"} for p in INITECH]
    people += [
        {"id": "bob", "name": "Bob", "organization": "Acme"},
        {"id": "meg", "name": "Meg", "organization": "Initech"},
    ]
    ties = []
    for team in (ACME, GLOBEX):
        ties += [{"a": x, "b": y, "s": 0.9} for i, x in enumerate(team) for y in team[i + 1 :]]
    ties += [{"a": "bob", "b": x, "s": 0.8} for x in ACME[:3] + GLOBEX[:3]]
    ties += [{"a": "meg", "b": x, "s": 0.1} for x in ACME + GLOBEX + INITECH]
    return people, ties


def _load(db: Database, people: list[dict], ties: list[dict]) -> None:
    # Written directly (not through a loader) so that this test checks the ranking alone.
    db.driver.execute_query(
        "UNWIND $people AS p "
        "CREATE (:Person {id: p.id, name: p.name, organization: p.organization})",
        people=people,
    )
    db.driver.execute_query(
        "UNWIND $ties AS t MATCH (a:Person {id: t.a}), (b:Person {id: t.b}) "
        "CREATE (a)-[:KNOWS {strength: t.s}]->(b)",
        ties=ties,
    )


@pytest.fixture
def teams(db: Database) -> Database:
    _load(db, *_two_teams_a_broker_and_a_mega_connector())
    return db


def test_read_network_gives_every_person_and_tie_once(teams: Database) -> None:
    network = read_network(teams, group_by="organization")
    assert network.graph.n == 52
    assert network.graph.m == 2 * 10 + 6 + 50
    assert sorted(network.group_names) == ["Acme", "Globex", "Initech"]


def test_read_network_maps_ties_by_node_id_when_ids_have_gaps_and_were_reused(
    teams: Database,
) -> None:
    # The ties query names people by internal node id: delete ten people (and their ties),
    # create five new ones tied to bob (Neo4j reuses freed ids), and the network read must
    # still be the one Cypher gives by person id.
    teams.driver.execute_query("MATCH (p:Person) WHERE p.id STARTS WITH 'i1' DETACH DELETE p")
    teams.driver.execute_query(
        "MATCH (bob:Person {id: 'bob'}) UNWIND range(1, 5) AS k "
        "CREATE (bob)-[:KNOWS {strength: 0.05 * k}]->(:Person {id: 'new' + k, name: 'N'})"
    )
    network = read_network(teams)
    g = network.graph
    got = {
        frozenset((str(g.ids[a]), str(g.ids[b]))): float(s)
        for a, b, s in zip(g.src, g.dst, g.strength, strict=True)
    }
    records, _, _ = teams.driver.execute_query(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, k.strength AS s"
    )
    assert got == {frozenset((r["a"], r["b"])): r["s"] for r in records}
    assert g.n == 52 - 11 + 5  # i1, i10-i19 deleted


def test_planning_the_writes_ahead_runs_none_of_them(teams: Database) -> None:
    # rank plans its write queries (EXPLAIN) while it computes. A run staged and published
    # but not settled stays so while they are planned; settle() then settles it.
    first = rank_database(teams, strong=0.5)
    table = rank_database(teams, strong=0.95, write=False).table
    teams.run_batches("write_scores", result_parts(table, 20), run="staged")
    teams.write(
        "publish_run", id="staged", parameters="{}", strong=0.95, group_by=None, people=52, ties=76
    )
    _plan_writes(teams, None).join()
    teams.plan_ahead(("settle_run", {})).join()

    def state() -> tuple[int, list[str]]:
        records, _, _ = teams.driver.execute_query(
            "MATCH (p:Person) RETURN count{ MATCH (s:RunPart) } AS parts, "
            "collect(DISTINCT p.pc_run) AS runs"
        )
        return records[0]["parts"], records[0]["runs"]

    assert state() == (3, [first.run_id])  # 52 people in parts of 20
    settle(teams)
    assert state() == (0, ["staged"])


def test_the_broker_outranks_the_mega_connector_and_results_are_stored(teams: Database) -> None:
    run = rank_database(teams, strong=0.5, group_by="organization")
    table = run.table.set_index("id")
    assert table.loc["bob", "rank"] == 1
    assert table.loc["bob", "role"] == "power connector"
    assert table.loc["meg", "role"] == "mega connector"
    assert table.loc["meg", "rank"] > table.loc["bob", "rank"]

    records, _, _ = teams.driver.execute_query(
        "MATCH (p:Person) WHERE p.id IN ['bob', 'meg'] "
        "RETURN p.id AS id, p.pc_rank AS rank, p.pc_role AS role, p.pc_constraint AS c, "
        "p.pc_effective_size AS es, p.pc_strong_ties AS strong, p.pc_weak_ties AS weak, "
        "p.pc_explanation AS why, labels(p) AS labels, p.pc_run AS run"
    )
    stored = {r["id"]: r for r in records}
    # Constraint and effective size as stored equal networkx's on the same weighted graph.
    people, ties = _two_teams_a_broker_and_a_mega_connector()
    g = nx.Graph()
    g.add_weighted_edges_from(((t["a"], t["b"], t["s"]) for t in ties), weight="strength")
    nx_constraint = nx.constraint(g, nodes=["bob", "meg"], weight="strength")
    nx_esize = nx.effective_size(g, nodes=["bob", "meg"], weight="strength")
    for pid in ("bob", "meg"):
        assert stored[pid]["c"] == pytest.approx(nx_constraint[pid], abs=1e-9)
        assert stored[pid]["es"] == pytest.approx(nx_esize[pid], abs=1e-9)
        assert stored[pid]["run"] == run.run_id
    assert (stored["bob"]["strong"], stored["bob"]["weak"]) == (6, 0)
    assert (stored["meg"]["strong"], stored["meg"]["weak"]) == (0, 50)
    assert "PowerConnector" in stored["bob"]["labels"]
    assert "MegaConnector" in stored["meg"]["labels"]
    assert "Acme" in stored["bob"]["why"] and "Globex" in stored["bob"]["why"]

    (run_node,), _, _ = teams.driver.execute_query("MATCH (r:Run) RETURN r")
    assert run_node["r"]["id"] == run.run_id
    assert json.loads(run_node["r"]["parameters"]) == {
        "engine": "local",
        "group_by": "organization",
        "strong": 0.5,
        "strong_auto": False,
        "strong_rule": "",
    }
    assert run_node["r"]["strong"] == 0.5


def test_a_new_run_replaces_the_previous_values(teams: Database) -> None:
    first = rank_database(teams, strong=0.5, group_by="organization")
    # With strong = 0.95 no tie is strong: nobody can be a power connector any more.
    second = rank_database(teams, strong=0.95, group_by="organization")
    records, _, _ = teams.driver.execute_query(
        "MATCH (p:Person) RETURN collect(DISTINCT p.pc_run) AS ids,"
        " count{ MATCH (:PowerConnector) } AS power, count{ MATCH (r:Run) } AS run_nodes,"
        " count{ MATCH (t) WHERE t:ScoreTop OR t:ScoreHigh OR t:ScoreMid OR t:ScoreLow }"
        " AS tiers"
    )
    row = records[0]
    assert row["ids"] == [second.run_id] and second.run_id != first.run_id
    assert row["power"] == 0
    assert row["tiers"] == 0  # nobody has a score any more, so nobody keeps a tier label
    assert row["run_nodes"] == 1


TIER_LABELS = {"ScoreTop", "ScoreHigh", "ScoreMid", "ScoreLow"}


def _tiers(db: Database) -> dict[str, set[str]]:
    """Each person's score-tier labels, for the people who have any."""
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, labels(p) AS labels"
    )
    tiers = {r["id"]: set(r["labels"]) & TIER_LABELS for r in records}
    return {person: labels for person, labels in tiers.items() if labels}


def test_score_tier_labels_follow_the_score_and_move_with_a_new_run(teams: Database) -> None:
    # First run: Bob has the best score (0.8125: his strong contacts form two sides, a1-a3
    # and g1-g3, a foothold of three ties, f(3) = 1 - 0.75 / 4), the top tier. g1-g3 each
    # reach Bob, anchored in Acme, besides their own team: a foothold of one tie, f(1) =
    # 0.25, with 2 of the 4 pairs across (Bob and the other two) open: 0.125, under 1/4 of
    # the best, the low tier. The rest of the teams (all strong ties on one side) and Meg
    # (no strong tie) score 0 and get none.
    first = rank_database(teams, strong=0.5, group_by="organization")
    scores = first.table.set_index("id")["score"]
    assert scores["bob"] == pytest.approx(0.8125)
    assert scores[GLOBEX[:3]].tolist() == pytest.approx([0.125] * 3)
    low = {"ScoreLow"}
    assert _tiers(teams) == {"bob": {"ScoreTop"}, "g1": low, "g2": low, "g3": low}

    # Then Bob's ties to Globex weaken to 0.3, g1 gets strong ties (0.9) to i1-i3 and a4 to
    # i4-i5 (by hand: g1's side is g2-g5, and i1, i2, i3, tied to no one else strongly, are
    # three more sides of one tie each, 3 x f(1) = 0.75; a4 likewise has a1-a3 and a5,
    # plus i4 and i5: 2 x 0.25 = 0.5, which is 2/3 of the best, the high tier; Bob's
    # strong contacts are all in Acme now: 0).
    teams.driver.execute_query(
        "MATCH (:Person {id: 'bob'})-[k:KNOWS]-(g:Person) WHERE g.id IN $globex "
        "SET k.strength = 0.3",
        globex=GLOBEX[:3],
    )
    teams.driver.execute_query(
        "UNWIND $ties AS t MATCH (a:Person {id: t[0]}), (b:Person {id: t[1]}) "
        "CREATE (a)-[:KNOWS {strength: 0.9}]->(b)",
        ties=[["g1", i] for i in INITECH[:3]] + [["a4", i] for i in INITECH[3:5]],
    )
    second = rank_database(teams, strong=0.5, group_by="organization")
    scores = second.table.set_index("id")["score"]
    assert (scores["g1"], scores["a4"], scores["bob"]) == pytest.approx((0.75, 0.5, 0.0))
    assert set(scores[scores > 0].index) == {"g1", "a4"}
    # Bob's top tier is gone although his row has no tier to set now.
    assert _tiers(teams) == {"g1": {"ScoreTop"}, "a4": {"ScoreHigh"}}


def test_score_tiers_are_quarters_of_the_best_score(teams: Database) -> None:
    # The run's scores replaced by chosen ones, on the tiers' edges (best 4: 3/4 is 3, 1/2 is
    # 2, 1/4 is 1, each exact in binary), then written as `powerconnect rank` writes them.
    table = rank_database(teams, strong=0.5, group_by="organization").table.copy()
    chosen = {"bob": 4.0, "a1": 3.0, "a2": 2.999, "a3": 2.0, "a4": 1.0, "a5": 0.999, "g1": 1e-6}
    table["score"] = table["id"].map(chosen).fillna(0.0)
    table.loc[table["id"] == "g2", "score"] = float("nan")
    parameters = {"strong": 0.5, "group_by": "organization", "seed": 0}
    write_results(teams, table, "chosen", parameters, ties=0)
    assert _tiers(teams) == {
        "bob": {"ScoreTop"},
        "a1": {"ScoreTop"},
        "a2": {"ScoreHigh"},
        "a3": {"ScoreHigh"},
        "a4": {"ScoreMid"},
        "a5": {"ScoreLow"},
        "g1": {"ScoreLow"},  # any score above 0 has a tier
    }  # g2 (no score: NaN, stored as null) and everyone at 0 have none


def test_strong_open_pairs_lists_the_hole_the_broker_spans(teams: Database) -> None:
    pairs = open_pairs(teams, "bob", strong=0.5, group_by="organization", limit=100)
    # Bob's strong contacts: a1-a3 (tied to each other at 0.9) and g1-g3 (likewise), so the
    # open pairs are exactly the 3 x 3 Acme-Globex pairs (worked out by hand).
    got = {frozenset((p.a, p.b)) for p in pairs}
    assert got == {frozenset((a, g)) for a in ACME[:3] for g in GLOBEX[:3]}
    assert all({p.a_group, p.b_group} == {"Acme", "Globex"} for p in pairs)
    assert all(p.ab_strength is None for p in pairs)
    # Meg has no strong tie: she spans no hole with strong ties on both sides.
    assert open_pairs(teams, "meg", strong=0.5) == []


def test_rank_command_prints_csv_best_first(teams: Database, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main,
        ["rank", "--top", "0", "--format", "csv", "--group-by", "organization"],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines[0].split(",")
    assert header[:13] == [
        "rank",
        "id",
        "name",
        "role",
        "score",
        "constraint",
        "effective_size",
        "efficiency",
        "hierarchy",
        "strong_ties",
        "weak_ties",
        "groups_bridged",
        "open_pairs",
    ]
    assert len(lines) == 1 + 52
    assert lines[1].split(",")[1] == "bob"
    assert "groups by organization" in result.stderr


def test_rank_says_which_groups_it_used(teams: Database, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["rank", "--top", "1"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "groups: detected communities (--group-by organization" in result.stderr


def test_rank_refuses_an_unknown_group_property(teams: Database, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["rank", "--group-by", "no_such_property"], env=cli_env)
    assert result.exit_code == 1
    assert "no person has the property 'no_such_property'" in result.output
    assert "Traceback" not in result.output


def test_rank_derives_the_threshold_prints_it_and_stores_it(
    teams: Database, cli_env: dict[str, str]
) -> None:
    # Explicit strengths (no source): 20 ties at 0.9, 6 at 0.8, 50 at 0.1; the "lower"
    # 75th percentile of the 76 is the 57th smallest, 0.8, capped at 0.5: --strong auto
    # gives 0.5 here, by the rule for explicit strengths.
    result = CliRunner().invoke(
        main, ["rank", "--top", "3", "--group-by", "organization"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert (
        "strong threshold 0.5 derived from the strengths (--strong auto: the upper quartile"
        in result.stderr
    )
    (record,), _, _ = teams.driver.execute_query("MATCH (r:Run) RETURN r.strong AS strong")
    assert record["strong"] == 0.5
    explicit = CliRunner().invoke(main, ["rank", "--strong", "0.85", "--top", "1"], env=cli_env)
    assert explicit.exit_code == 0, explicit.output
    assert "strong threshold 0.85 as given" in explicit.stderr
    # At 0.95 nothing is strong: rank warns and says what to try.
    faint = CliRunner().invoke(main, ["rank", "--strong", "0.95", "--top", "1"], env=cli_env)
    assert faint.exit_code == 0, faint.output
    assert "Warning: only 0.0% of ties reach the strong threshold 0.95" in faint.stderr
    bad = CliRunner().invoke(main, ["rank", "--strong", "strong"], env=cli_env)
    assert bad.exit_code == 1 and "neither 'auto' nor a number" in bad.output


def test_rank_takes_even_odds_for_strengths_derived_from_a_log(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # ann and bob write each other 30 times; four ties carry one message one way, and
    # cy-dee one each way. load-interactions derives P(close) for all six ties (source
    # 'interactions'), so --strong auto takes 0.5, even odds. The same strengths as
    # explicit ones (source removed) get the quartile rule: the "lower" 75th percentile
    # of six, the 4th smallest, one of the one-way single messages, well below 0.5.
    rows = [("ann", "bob"), ("bob", "ann")] * 30
    rows += [("ann", "cy"), ("ann", "dee"), ("bob", "eve"), ("cy", "dee"), ("dee", "cy")]
    rows += [("eve", "fay")]
    log = tmp_path / "log.csv"
    log.write_text(
        "from,to,timestamp\n"
        + "".join(
            f"{a},{b},2024-03-01T{i // 60:02d}:{i % 60:02d}:00Z\n" for i, (a, b) in enumerate(rows)
        )
    )
    loaded = CliRunner().invoke(main, ["load-interactions", str(log)], env=cli_env)
    assert loaded.exit_code == 0, loaded.output
    assert read_network(db).calibrated == 1.0
    result = CliRunner().invoke(main, ["rank", "--top", "1"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "strong threshold 0.5 derived from the strengths (--strong auto: strengths are" in (
        result.stderr
    )
    (record,), _, _ = db.driver.execute_query(
        "MATCH (r:Run) RETURN r.strong AS strong, r.parameters AS parameters"
    )
    assert record["strong"] == 0.5
    # the rule that chose the threshold is stored with the run, in the words rank printed
    rule = json.loads(record["parameters"])["strong_rule"]
    assert rule.startswith("strengths are") and rule in result.stderr

    db.driver.execute_query("MATCH ()-[k:KNOWS]->() REMOVE k.source")
    strengths = sorted(read_network(db).graph.strength.tolist())
    assert read_network(db).calibrated == 0.0
    run = rank_database(db, write=False)
    assert run.strong == max(0.1, strengths[3]) < 0.5  # floored at 0.1 (AUTO_FLOOR)
    assert "quartile" in run.strong_rule


def test_medici_rank_first_in_neo4j(db: Database, cli_env: dict[str, str]) -> None:
    # Padgett's Florentine marriages (networkx.florentine_families_graph), every tie 1.0,
    # loaded into Neo4j and ranked by the command with its defaults: the Medici first.
    G = nx.florentine_families_graph()
    people = [{"id": f, "name": f, "organization": None} for f in G]
    ties = [{"a": a, "b": b, "s": 1.0} for a, b in G.edges]
    _load(db, people, ties)
    result = CliRunner().invoke(main, ["rank", "--format", "csv", "--top", "3"], env=cli_env)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[1].split(",")
    assert (first[1], first[3]) == ("Medici", "power connector")
    # The same answer whatever the seed an old script still passes.
    again = CliRunner().invoke(
        main, ["rank", "--format", "csv", "--top", "3", "--seed", "3"], env=cli_env
    )
    assert again.stdout == result.stdout
    assert "--seed is ignored" in again.stderr


def test_explain_shows_the_measures_and_the_holes(teams: Database, cli_env: dict[str, str]) -> None:
    rank_database(teams, strong=0.5, group_by="organization")
    result = CliRunner().invoke(main, ["explain", "bob", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # Bob's holes: the 3 x 3 Acme-Globex pairs of his strong contacts (by hand).
    assert {frozenset((r["a"], r["b"])) for r in rows} == {
        frozenset((a, g)) for a in ACME[:3] for g in GLOBEX[:3]
    }
    assert {(r["rank"], r["role"], r["strong_threshold"]) for r in rows} == {
        (1, "power connector", 0.5)
    }
    assert all({r["a_group"], r["b_group"]} == {"Acme", "Globex"} for r in rows)
    text = CliRunner().invoke(main, ["explain", "bob"], env=cli_env)
    assert text.exit_code == 0, text.output
    assert "Bob (bob): rank 1, power connector, score 0.812" in text.stdout
    assert "bridges 2 sides not strongly tied to each other" in text.stdout
    assert "Structural holes spanned" in text.stdout
    # Meg spans no hole; an unknown id is a clear error.
    meg = CliRunner().invoke(main, ["explain", "meg", "--format", "csv"], env=cli_env)
    assert meg.exit_code == 0 and "mega connector" in meg.stdout
    assert len(meg.stdout.splitlines()) == 2  # header and Meg's row, with no hole
    missing = CliRunner().invoke(main, ["explain", "nobody"], env=cli_env)
    assert missing.exit_code == 1
    assert "no person with the id, LinkedIn profile URL, e-mail or name 'nobody'" in missing.output
    # A person may be named rather than given by id (engine.people.resolve_person).
    by_name = CliRunner().invoke(main, ["explain", "Bob", "--format", "json"], env=cli_env)
    assert by_name.exit_code == 0 and json.loads(by_name.stdout) == rows


def test_explain_before_any_run_says_so(teams: Database, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["explain", "bob"], env=cli_env)
    assert result.exit_code == 1
    assert "no ranking run" in result.output and "Traceback" not in result.output


def test_detected_groups_reach_the_open_pairs_query(teams: Database) -> None:
    # Without --group-by the holes use the communities the run stored (pc_group).
    rank_database(teams, strong=0.5)
    found = explain_person(teams, "bob")
    assert found.group_by is None
    assert len(found.holes) == 9
    assert all(h.a_group and h.b_group and h.a_group != h.b_group for h in found.holes)


def test_the_browser_query_lists_the_same_holes_as_explain(teams: Database) -> None:
    rank_database(teams, strong=0.5, group_by="organization")
    rows = teams.query_df("browser/structural_holes", id="bob")
    holes = {frozenset((h.a, h.b)) for h in explain_person(teams, "bob").holes}
    names = {p.upper(): p for p in ACME + GLOBEX}  # the Browser query shows names
    pairs = zip(rows["a"], rows["b"], strict=True)
    assert {frozenset((names[a], names[b])) for a, b in pairs} == holes
    assert len(holes) == 9
    assert set(rows["role"]) == {"power connector"}
