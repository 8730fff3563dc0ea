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
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from unit.test_report import PNG_SIGNATURE, cli, load_sample, sample_rows

from powerconnect.engine.analysis import RankRun, rank_database
from powerconnect.engine.db import Database
from powerconnect.engine.graph import TieGraph
from powerconnect.engine.report import (
    read_report,
)

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
