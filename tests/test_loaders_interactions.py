"""`powerconnect load-interactions` against the real Neo4j: derived strengths read back,
explicit strengths winning in either order, idempotence.

Expected strengths are computed by hand from the model in ``loaders/interactions.py``:
reference date 2024-03-10T00:00Z (the latest interaction), half-life 180 days, scale 10.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from engine.db import Database
from loaders import load_csv, load_interactions
from powerconnect.cli import main
from powerconnect.load_commands import register

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).parent / "data" / "loaders"
LOG = DATA / "interactions.csv"
register(main)


def ties_of(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p",
        database_=db.settings.database,
    )
    return {(r["a"], r["b"]): r["p"] for r in records}


def ann_bob() -> float:
    # ann->bob 8.625 and 0 days old, bob->ann 7.625 days old, channels email + meeting
    w_ab = 2 ** (-8.625 / 180) + 1.0
    w_ba = 2 ** (-7.625 / 180)
    w = w_ab + w_ba
    r = 2 * min(w_ab, w_ba) / w
    return 1 - math.exp(-(w * (1 + r) / 2 * 1.5) / 10)


ANN_EVE = 1 - math.exp(-(2 ** (-30 / 180) * 0.5) / 10)  # one call, 30 days old: 0.0436
CY_DEE = 1 - math.exp(-(2 ** (-(4 + 13 / 24) / 180) * 0.5) / 10)  # one email, 4 d 13 h old


def test_strengths_are_derived_and_people_created(db: Database) -> None:
    summary = load_interactions(db, [LOG])

    assert (summary.people_created, summary.ties_created) == (5, 3)
    ties = ties_of(db)
    assert set(ties) == {("ann", "bob"), ("cy", "dee"), ("ann", "eve")}
    ab = ties[("ann", "bob")]
    assert ab["strength"] == pytest.approx(ann_bob())
    assert ab["strength_interactions"] == ab["strength"]
    assert ab["source"] == "interactions"
    assert ab["interactions"] == 3
    assert ab["channels"] == ["email", "meeting"]
    assert ab["last_interaction"].to_native() == datetime(2024, 3, 10, tzinfo=UTC)
    assert ties[("ann", "eve")]["strength"] == pytest.approx(ANN_EVE)
    assert ties[("cy", "dee")]["strength"] == pytest.approx(CY_DEE)
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person {id: 'eve'}) RETURN properties(p) AS p"
    )
    assert records[0]["p"] == {"id": "eve"}


def test_an_explicit_strength_wins_and_keeps_winning(db: Database) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    load_interactions(db, [LOG])
    ab = ties_of(db)[("ann", "bob")]
    assert (ab["strength"], ab.get("source")) == (0.8, None)  # from ties.csv: explicit
    assert ab["strength_interactions"] == pytest.approx(ann_bob())  # kept alongside
    assert ties_of(db)[("cy", "dee")]["strength"] == 0.2

    # a later log changes the derived value, never the explicit one
    later = load_interactions(db, [LOG], as_of=datetime(2024, 6, 1, tzinfo=UTC))
    assert later.ties_updated == 3
    ab = ties_of(db)[("ann", "bob")]
    assert (ab["strength"], ab.get("source")) == (0.8, None)
    assert ab["strength_interactions"] < ann_bob()


def test_interactions_after_as_of_are_left_out_and_counted(db: Database) -> None:
    # the log's 5 rows run from 2024-02-09 to 2024-03-10; by hand, 2 come after March 2nd
    # 09:00 UTC (ann-bob's meeting on the 10th, cy-dee on the 5th); bob's email sent at
    # exactly that time counts
    some = load_interactions(db, [LOG], as_of=datetime(2024, 3, 2, 9, tzinfo=UTC))
    assert set(ties_of(db)) == {("ann", "bob"), ("ann", "eve")}
    assert some.after_as_of == 2
    db.clear()
    none = load_interactions(db, [LOG], as_of=datetime(2020, 1, 1, tzinfo=UTC))
    assert (none.ties_created, none.after_as_of) == (0, 5)
    assert "5 interactions after --as-of ignored" in str(none)


def test_a_ties_file_loaded_after_the_log_overrides_the_derived_strength(db: Database) -> None:
    load_interactions(db, [LOG])
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    assert ties_of(db)[("ann", "bob")]["strength"] == 0.8
    again = load_interactions(db, [LOG])
    assert (again.ties_created, again.ties_updated) == (0, 0)
    assert ties_of(db)[("ann", "bob")]["strength"] == 0.8


def test_loading_the_same_log_twice_changes_nothing(db: Database, cli_env: dict[str, str]) -> None:
    first = CliRunner().invoke(main, ["load-interactions", str(LOG)], env=cli_env)
    assert first.exit_code == 0, first.output
    before = ties_of(db)
    second = CliRunner().invoke(main, ["load-interactions", str(LOG)], env=cli_env)
    assert second.exit_code == 0, second.output
    assert (
        "people: 0 created, 0 updated, 5 unchanged; ties: 0 created, 0 updated, 3 unchanged"
        in second.stdout
    )
    assert ties_of(db) == before


def test_half_life_option_changes_recency(db: Database, cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["load-interactions", str(LOG), "--half-life", "30"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    # ann-eve's call is exactly one half-life (30 days) old: it counts 1/2
    assert ties_of(db)[("ann", "eve")]["strength"] == pytest.approx(1 - math.exp(-(0.5 * 0.5) / 10))


def test_skip_invalid_loads_the_good_interactions(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text("from,to,timestamp\nann,bob,2024-01-01\nann,bob,soon\nbob,bob,2024-01-02\n")
    result = CliRunner().invoke(
        main, ["load-interactions", str(log), "--skip-invalid"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "2 rejected" in result.stdout
    with (tmp_path / "log.rejected.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["line", "reason", "from", "to", "timestamp"],
        [
            "3",
            "timestamp 'soon' is not an ISO 8601 date or date-time "
            "(like 2024-03-01 or 2024-03-01T09:30:00Z)",
            "ann",
            "bob",
            "soon",
        ],
        ["4", "interaction of 'bob' with themself", "bob", "bob", "2024-01-02"],
    ]
    assert set(ties_of(db)) == {("ann", "bob")}
