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
import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.image import imread

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
    render_html,
    render_png,
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


def test_mega_and_power_connectors_fall_into_opposite_corners(sample_report: ReportData) -> None:
    by_role = _plotted(sample_report)
    truth = planted()
    mega, power = by_role["mega connector"], by_role["power connector"]
    # The ranking finds every planted mega and power connector (the demo's own check) ...
    assert truth["mega connector"] <= set(mega.index)
    assert truth["power connector"] <= set(power.index)
    planted_mega = mega.loc[sorted(truth["mega connector"])]
    planted_power = power.loc[sorted(truth["power connector"])]
    # ... and each planted mega connector has more ties and a lower mean strength than
    # every planted power connector: bottom right against top left.
    assert planted_mega["ties"].min() > planted_power["ties"].max()
    assert planted_mega["mean_strength"].max() < planted_power["mean_strength"].min()
    # The same holds for the roles as a whole, and the weak-tie side is below the cut-off.
    assert mega["ties"].median() > 3 * power["ties"].median()
    assert mega["mean_strength"].max() < sample_report.run.strong < power["mean_strength"].median()


def test_people_without_ties_are_not_plotted() -> None:
    people = pd.DataFrame(
        {
            "rank": [1, 2],
            "id": ["a", "loner"],
            "name": ["A", "Loner"],
            "role": ["", ""],
            "score": [0.0, 0.0],
            "ties": [1, 0],
            "mean_strength": [0.5, np.nan],
        }
    )
    data = ReportData(run=RunInfo("r", "2026-01-01", 0.5, None), people=people)
    assert scatter_points(people)["id"].tolist() == ["a"]
    assert len(figure(data).axes[0].collections) == 1


def test_png_is_an_image_of_the_figure(sample_report: ReportData) -> None:
    png = render_png(sample_report, dpi=100)
    assert png.startswith(PNG_SIGNATURE)
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[:2] == (600, 900)  # 9 x 6 inches at 100 dpi


def test_html_is_self_contained_with_the_figure_and_the_top_tables(
    sample_report: ReportData,
) -> None:
    png = render_png(sample_report, dpi=60)
    page = render_html(sample_report, png, top=10)
    assert page.startswith("<!DOCTYPE html>")
    # The figure is embedded, and nothing is loaded from elsewhere.
    assert f"data:image/png;base64,{base64.b64encode(png).decode()}" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<script" not in page
    people = sample_report.people
    tables = page.split("<h2>")[1:]
    assert [t.split("</h2>")[0] for t in tables] == [
        "Top 10 by power-connector score",
        "Mega connectors (most ties first)",
        "Local hubs",
    ]
    # The top table lists the ten best in rank order; the mega table every mega connector.
    top_names = re.findall(r'<td class="name">([^<]*)</td>', tables[0])
    assert top_names == people.sort_values("rank")["name"].head(10).tolist()
    megas = people[people["role"] == "mega connector"]
    mega_names = re.findall(r'<td class="name">([^<]*)</td>', tables[1])
    assert sorted(mega_names) == sorted(megas["name"])
    assert len(re.findall(r"<tr>", tables[2])) - 1 == min(10, (people["role"] == "local hub").sum())


def test_html_escapes_what_comes_from_the_data() -> None:
    people = pd.DataFrame(
        [
            {
                "rank": 1,
                "id": "x1",
                "name": "<script>alert('x')</script>",
                "role": "power connector",
                "score": 0.75,
                "ties": 3,
                "mean_strength": 0.8,
                "strong_ties": 3,
                "weak_ties": 0,
                "groups_bridged": 2,
                "group": "R&D",
                "explanation": 'bridges "R&D" and <Sales>',
            }
        ]
    )
    data = ReportData(run=RunInfo("r<1>", "2026-01-01", 0.5, "team"), people=people)
    page = render_html(data, b"not really a png", top=5)
    assert "<script>" not in page and "<Sales>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "R&amp;D" in page and "r&lt;1&gt;" in page


# --------------------------------------------------------------------------- the command


@pytest.fixture
def ranked(db: Database) -> RankRun:
    load_sample(db)
    return rank_database(db, group_by="organization")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.txt"], "must end in .html or .png"),
        (["--out", "r.png", "--png", "s.png"], "goes with an HTML --out"),
    ],
)
def test_report_refuses_outputs_it_cannot_write(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli(), ["report", *args])
    assert result.exit_code == 1  # usage errors are bad input (exit 1), not database errors
    assert message in result.output


def test_report_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli(), ["report", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--out" in result.output
