"""`powerconnect report`: the scatter's data, the PNG and the HTML (no database), then the
command against the real Neo4j.

The network is the bundled sample (powerconnect/data/sample), whose generator planted
5 power connectors and 3 mega connectors (planted.csv). The unit tests rank it with
``engine.ranking.rank`` in memory and work out each person's ties and mean tie strength
from the same deduplicated tie graph; the integration tests load the CSV files into
Neo4j with plain ``UNWIND`` queries (not through a loader, so that these tests check the
report alone), rank them with ``rank_database`` and run the command.
"""

from __future__ import annotations

import base64
import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from powerconnect.cli import PowerConnectGroup
from powerconnect.demo import sample_path
from powerconnect.engine.analysis import RankRun, rank_database
from powerconnect.engine.db import Database
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.ranking import rank
from powerconnect.engine.report import (
    PEOPLE_COLUMNS,
    ROLE_COLOURS,
    ReportData,
    RunInfo,
    figure,
    read_report,
    role_label,
    scatter_points,
)
from powerconnect.report_commands import register

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def cli() -> PowerConnectGroup:
    """The report commands on a group like `powerconnect` (same error mapping)."""
    group = PowerConnectGroup(name="powerconnect")
    register(group)
    return group


def planted() -> dict[str, set[str]]:
    with sample_path("planted.csv").open(encoding="utf-8") as fh:
        out: dict[str, set[str]] = {}
        for row in csv.DictReader(fh):
            out.setdefault(row["planted_role"], set()).add(row["id"])
    return out


def sample_rows() -> tuple[list[dict], list[dict]]:
    with sample_path("people.csv").open(encoding="utf-8") as fh:
        people = [
            {"id": r["id"], "name": r["name"], "organization": r["organization"]}
            for r in csv.DictReader(fh)
        ]
    with sample_path("ties.csv").open(encoding="utf-8") as fh:
        ties = [
            {"a": r["source"], "b": r["target"], "s": float(r["strength"])}
            for r in csv.DictReader(fh)
        ]
    return people, ties


def load_sample(db: Database) -> None:
    """The sample as people, organizations and ties, written with parameterised UNWINDs."""
    people, ties = sample_rows()
    db.driver.execute_query(
        "UNWIND $people AS p "
        "CREATE (x:Person {id: p.id, name: p.name, organization: p.organization}) "
        "MERGE (o:Organization {name: p.organization}) CREATE (x)-[:WORKS_AT]->(o)",
        people=people,
    )
    db.driver.execute_query(
        "UNWIND $ties AS t MATCH (a:Person {id: t.a}), (b:Person {id: t.b}) "
        "CREATE (a)-[:KNOWS {strength: t.s}]->(b)",
        ties=ties,
    )


@pytest.fixture(scope="module")
def sample_report() -> ReportData:
    """The sample ranked in memory by organization, as the report reads it from Neo4j."""
    people, ties = sample_rows()
    g = TieGraph.from_edges(
        [(t["a"], t["b"], t["s"]) for t in ties], nodes=[p["id"] for p in people]
    )
    org = {p["id"]: p["organization"] for p in people}
    codes, names = pd.factorize(pd.Series([org[str(i)] for i in g.ids]))
    table = rank(g, strong=0.5, groups=codes.astype(np.int64), group_names=list(names))
    # Ties and mean strength per person over the deduplicated tie graph, worked out here
    # independently of the Cypher query that gives them in production.
    ends = np.concatenate([g.src, g.dst])
    weights = np.concatenate([g.strength, g.strength])
    ties_per = np.bincount(ends, minlength=g.n)
    mean = np.bincount(ends, weights=weights, minlength=g.n) / np.maximum(ties_per, 1)
    by_id = pd.DataFrame({"id": g.ids.astype(str), "ties": ties_per, "mean_strength": mean})
    table = table.merge(by_id, on="id")
    table["name"] = table["id"].map({p["id"]: p["name"] for p in people})
    run = RunInfo(id="sample", at="2026-11-25T12:00:00Z", strong=0.5, group_by="organization")
    return ReportData(run=run, people=table[PEOPLE_COLUMNS])


# --------------------------------------------------------------------------- the data


def _plotted(data: ReportData) -> dict[str, pd.DataFrame]:
    """Per role, the (ties, mean strength) of every point the figure draws, with its id."""
    points = scatter_points(data.people)
    ax = figure(data).axes[0]
    out = {}
    for collection in ax.collections:
        label = str(collection.get_label())
        role = label.rsplit(" (", 1)[0]
        role = "" if role == "no role" else role
        expected = points[points["role"] == role]
        offsets = np.asarray(collection.get_offsets())
        # The figure plots exactly the data scatter_points gives, in that order.
        np.testing.assert_allclose(
            offsets, expected[["ties", "mean_strength"]].to_numpy(dtype=float)
        )
        assert label == f"{role_label(role)} ({len(expected)})"
        assert collection.get_facecolor()[0][:3] == pytest.approx(
            tuple(int(ROLE_COLOURS[role][i : i + 2], 16) / 255 for i in (1, 3, 5))
        )
        out[role] = expected.set_index("id")
    return out


# --------------------------------------------------------------------------- the command


@pytest.fixture
def ranked(db: Database) -> RankRun:
    load_sample(db)
    return rank_database(db, group_by="organization")


@pytest.mark.neo4j
def test_report_reads_the_ties_the_ranking_counted(db: Database, ranked: RankRun) -> None:
    data = read_report(db)
    assert data.run.id == ranked.run_id
    assert data.run.strong == 0.5 and data.run.group_by == "organization"
    got = data.people.set_index("id")
    want = ranked.table.set_index("id")
    assert list(data.people["rank"]) == sorted(data.people["rank"])
    assert (got["ties"] == want.loc[got.index, "degree"]).all()
    assert (got["role"] == want.loc[got.index, "role"]).all()
    # Mean strength as worked out in memory from the CSV (the strongest tie per pair).
    people, ties = sample_rows()
    g = TieGraph.from_edges([(t["a"], t["b"], t["s"]) for t in ties])
    ends = np.concatenate([g.src, g.dst])
    sums = np.bincount(ends, weights=np.concatenate([g.strength, g.strength]), minlength=g.n)
    mean = pd.Series(sums / np.bincount(ends, minlength=g.n), index=g.ids.astype(str))
    np.testing.assert_allclose(got["mean_strength"], mean.loc[got.index], rtol=1e-12)


@pytest.mark.neo4j
def test_report_command_writes_html_and_png(
    ranked: RankRun, cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(cli(), ["report", "--out", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    png = (tmp_path / "out" / "report.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert base64.b64encode(png).decode() in page
    best = ranked.table.head(20)["name"].tolist()
    assert re.findall(r'<td class="name">([^<]*)</td>', page)[:20] == best
    assert f"Run {ranked.run_id}" in page
    assert str(out) in result.stderr


@pytest.mark.neo4j
def test_report_png_alone_and_png_elsewhere(
    ranked: RankRun, cli_env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    alone = runner.invoke(cli(), ["report", "--out", str(tmp_path / "f.png")], env=cli_env)
    assert alone.exit_code == 0, alone.output
    assert (tmp_path / "f.png").read_bytes().startswith(PNG_SIGNATURE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]
    args = ["report", "--out", str(tmp_path / "r.html"), "--png", str(tmp_path / "img/s.png")]
    both = runner.invoke(cli(), args, env=cli_env)
    assert both.exit_code == 0, both.output
    assert (tmp_path / "img" / "s.png").exists() and not (tmp_path / "r.png").exists()


@pytest.mark.neo4j
def test_report_without_a_run_says_to_rank_first(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    load_sample(db)
    result = CliRunner().invoke(cli(), ["report", "--out", str(tmp_path / "r.html")], env=cli_env)
    assert result.exit_code == 1
    assert "run `powerconnect rank` first" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()
