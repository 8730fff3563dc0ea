"""`powerconnect load-interactions` against the real Neo4j: derived strengths read back,
explicit strengths winning in either order, idempotence.

Expected strengths are computed by hand from the model in ``loaders/interactions.py``:
reference date 2024-03-10T00:00Z (the latest interaction), half-life 180 days; each row
without a duration counts 1 minute times ``2^(-age/180)``; a pair's directed amount is
scaled by ``(1 + r)/2`` and by ``1 + (k - 1)/2`` for ``k`` channels; the share is
``sqrt(x/(240 + X_a) * x/(240 + X_b))``; the frequency ``f`` is the pair's weighted days met
over the less active one's weighted active days (1 for every pair of the fixture log: each
pair met on all the days the less active of the two met anyone); the strength is
``sigmoid(3.88 + 0.99 ln share + 1.04 f)``.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders import load_csv, load_interactions

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parent.parent / "data" / "loaders"
LOG = DATA / "interactions.csv"
register(main)


def ties_of(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p",
        database_=db.settings.database,
    )
    return {(r["a"], r["b"]): r["p"] for r in records}


def p_close(share: float, frequency: float = 1.0) -> float:
    return 1 / (1 + math.exp(-(3.88 + 0.99 * math.log(share) + 1.04 * frequency)))


def fixture_strengths(half_life: float = 180.0) -> dict[tuple[str, str], float]:
    """The fixture log by hand (no undirected channel declared)."""
    # ann->bob 8.625 and 0 days old, bob->ann 7.625 days old, channels email + meeting
    w_ab = 2 ** (-8.625 / half_life) + 1.0
    w_ba = 2 ** (-7.625 / half_life)
    r = 2 * min(w_ab, w_ba) / (w_ab + w_ba)
    ab = (w_ab + w_ba) * (1 + r) / 2 * 1.5
    ae = 2 ** (-30 / half_life) * 0.5  # one call, 30 days old, one way
    cd = 2 ** (-(4 + 13 / 24) / half_life) * 0.5  # one email, 4 d 13 h old
    ann = ab + ae
    return {
        ("ann", "bob"): p_close(math.sqrt(ab / (240 + ann) * ab / (240 + ab))),
        ("ann", "eve"): p_close(math.sqrt(ae / (240 + ann) * ae / (240 + ae))),
        ("cy", "dee"): p_close(cd / (240 + cd)),
    }


def ann_bob() -> float:
    return fixture_strengths()[("ann", "bob")]


ANN_EVE = fixture_strengths()[("ann", "eve")]
CY_DEE = fixture_strengths()[("cy", "dee")]


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
    assert ties_of(db)[("ann", "eve")]["strength"] == pytest.approx(
        fixture_strengths(30.0)[("ann", "eve")]
    )


def test_skip_invalid_loads_the_good_interactions(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "from,to,timestamp\nann,bob,2024-01-01\nann,bob,soon\nann,bob,2099-01-01\n"
        "bob,bob,2024-01-02\n"
    )
    result = CliRunner().invoke(
        main, ["load-interactions", str(log), "--skip-invalid"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "2 rejected" in result.stdout
    assert "1 interactions with oneself left out" in result.stdout
    with (tmp_path / "log.rejected.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[:2] == [
        ["line", "reason", "from", "to", "timestamp"],
        [
            "3",
            "timestamp 'soon' is not an ISO 8601 date or date-time "
            "(like 2024-03-01 or 2024-03-01T09:30:00Z)",
            "ann",
            "bob",
            "soon",
        ],
    ]
    assert rows[2][0] == "4"
    assert rows[2][1].startswith("timestamp '2099-01-01' is in the future (after the time of")
    assert set(ties_of(db)) == {("ann", "bob")}


# ------------------------------------------------------------------------ issue 16, defect 7
def exchanges(path: Path, extra: str = "") -> Path:
    """60 exchanges between ann and bob in 2024 (alternating directions), plus ``extra``."""
    rows = [
        f"{'ann,bob' if i % 2 else 'bob,ann'},2024-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
        for i in range(60)
    ]
    path.write_text("from,to,timestamp\n" + "\n".join(rows) + "\n" + extra)
    return path


def test_a_mistyped_future_date_is_refused_with_its_line(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = exchanges(tmp_path / "log.csv", "ann,bob,2099-03-01\n")
    result = CliRunner().invoke(main, ["load-interactions", str(log)], env=cli_env)
    assert result.exit_code == 1
    assert f"{log}:62: timestamp '2099-03-01' is in the future" in result.output
    assert "Traceback" not in result.output
    assert ties_of(db) == {}


def test_an_id_too_long_for_neo4js_index_is_refused_with_its_line_before_any_write(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # Issue 16, defect 3, for logs: 9,000 bytes is over the 4,000-byte id limit of
    # loaders.model (Neo4j 5.26 refuses index keys over 8,164 bytes, measured by input).
    log = exchanges(tmp_path / "log.csv", "ann," + "x" * 9_000 + ",2024-03-01\n")
    result = CliRunner().invoke(main, ["load-interactions", str(log)], env=cli_env)
    assert result.exit_code == 1, result.output
    assert f"{log}:62: to id is 9,000 bytes long" in result.output
    assert "Traceback" not in result.output
    assert ties_of(db) == {}


def test_a_future_date_left_out_does_not_move_the_strength(db: Database, tmp_path: Path) -> None:
    clean = load_interactions(db, [exchanges(tmp_path / "clean.csv")])
    before = ties_of(db)[("ann", "bob")]["strength"]
    assert clean.ties_created == 1
    db.clear()
    typo = exchanges(tmp_path / "typo.csv", "ann,bob,2099-03-01\n")
    summary = load_interactions(db, [typo], skip_invalid=True)
    assert summary.rejected == 1
    assert ties_of(db)[("ann", "bob")]["strength"] == pytest.approx(before)
    assert ties_of(db)[("ann", "bob")]["last_interaction"].year == 2024


# ------------------------------------------------------------------------ issue 16, defect 9
@pytest.mark.parametrize("value", ["nan", "inf", "0", "-3"])
def test_a_half_life_that_is_not_finite_and_positive_is_refused(
    db: Database, cli_env: dict[str, str], value: str
) -> None:
    result = CliRunner().invoke(
        main, ["load-interactions", str(LOG), "--half-life", value], env=cli_env
    )
    assert result.exit_code == 1  # usage is bad input (powerconnect/cli.py)
    assert "half-life must be a finite positive number of days" in result.output
    assert ties_of(db) == {}


# ------------------------------------------------------------------------ issue 15 rules
def test_durations_make_the_longer_tie_stronger(db: Database, tmp_path: Path) -> None:
    log = tmp_path / "calls.csv"
    log.write_text(
        "from,to,timestamp,channel,duration\n"
        "ann,bob,2024-01-01T10:00:00Z,call,3600\n"
        "ann,cy,2024-01-01T11:00:00Z,call,60\n"
        "ann,dee,2024-01-01T12:00:00Z,call,\n"
    )
    load_interactions(db, [log], undirected_channels=["call"])
    ties = ties_of(db)
    # minutes: ann-bob 60, ann-cy 1, ann-dee 1 (no duration: UNTIMED_MINUTES), aged 2 h,
    # 1 h and 0 h at the reference date (12:00)
    bob = 60 * 2 ** (-(2 / 24) / 180)
    cy = 2 ** (-(1 / 24) / 180)
    ann = bob + cy + 1
    assert ties[("ann", "bob")]["minutes"] == round(bob, 1) == 60.0
    assert "minutes" not in ties[("ann", "dee")]
    assert ties[("ann", "bob")]["strength"] == pytest.approx(
        p_close(math.sqrt(bob / (240 + ann) * bob / (240 + bob)))
    )
    assert ties[("ann", "cy")]["strength"] == pytest.approx(
        p_close(math.sqrt(cy / (240 + ann) * cy / (240 + cy)))
    )


def test_a_bad_duration_is_refused_with_its_line(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "calls.csv"
    log.write_text("from,to,timestamp,duration\nann,bob,2024-01-01,60\nann,cy,2024-01-01,-5\n")
    result = CliRunner().invoke(main, ["load-interactions", str(log)], env=cli_env)
    assert result.exit_code == 1
    assert f"{log}:3: duration '-5' is not a number of seconds (>= 0)" in result.output


def test_undirected_channel_rows_count_for_both_whichever_way_written(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    one = tmp_path / "one.csv"
    one.write_text("from,to,timestamp,channel\na,b,2024-01-01,meeting\na,b,2024-01-02,meeting\n")
    other = tmp_path / "other.csv"
    other.write_text("from,to,timestamp,channel\nb,a,2024-01-01,meeting\na,b,2024-01-02,meeting\n")
    args = ["--undirected-channel", "meeting"]
    first = CliRunner().invoke(main, ["load-interactions", str(one), *args], env=cli_env)
    assert first.exit_code == 0, first.output
    s_one = ties_of(db)[("a", "b")]["strength"]
    # both rows count in full: amount 2^(-1/180) + 1, no one-sided halving
    x = 2 ** (-1 / 180) + 1
    assert s_one == pytest.approx(p_close(x / (240 + x)))
    db.clear()
    CliRunner().invoke(main, ["load-interactions", str(other), *args], env=cli_env)
    assert ties_of(db)[("a", "b")]["strength"] == pytest.approx(s_one)


def test_the_same_interaction_in_both_logs_counts_once(db: Database, tmp_path: Path) -> None:
    ann = tmp_path / "ann.csv"
    ann.write_text(
        "from,to,timestamp,channel,message_id\n"
        "ann,bob,2024-01-01T10:00:00Z,call,\n"
        "ann,bob,2024-01-02T09:00:00Z,email,<m1@x>\n"
    )
    bob = tmp_path / "bob.csv"
    bob.write_text(
        "from,to,timestamp,channel,message_id\n"
        "ann,bob,2024-01-01T10:00:03Z,call,\n"  # the same call on bob's phone, 3 s later
        "ann,bob,2024-01-02T09:02:00Z,email,<m1@x>\n"  # the same email, received
    )
    summary = load_interactions(db, [ann, bob])
    assert summary.left_out == {"duplicate": 2}
    assert "2 duplicate interactions left out" in str(summary)
    assert ties_of(db)[("ann", "bob")]["interactions"] == 2


def test_self_and_placeholder_rows_are_left_out_and_counted(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "phone.csv"
    log.write_text(
        "from,to,timestamp,channel\n"
        "0,0,2024-01-01,call\n"  # one's own voicemail
        "0,1,2024-01-01,call\n"
        "0,unknown,2024-01-02,call\n"
        "0,,2024-01-02,sms\n"
    )
    result = CliRunner().invoke(main, ["load-interactions", str(log)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "0 rejected" in result.stdout
    assert "1 interactions with oneself left out" in result.stdout
    assert "2 interactions with an empty or placeholder id left out" in result.stdout
    assert set(ties_of(db)) == {("0", "1")}


def test_a_group_message_weighs_less_than_a_one_to_one(db: Database, tmp_path: Path) -> None:
    log = tmp_path / "mail.csv"
    log.write_text(
        "from,to,timestamp,group\n"
        "ann,bob,2024-01-01,all-hands\nann,cy,2024-01-01,all-hands\n"
        "ann,dee,2024-01-01,all-hands\nann,eve,2024-01-01,all-hands\n"
        "ann,fay,2024-01-01,\n"
    )
    load_interactions(db, [log])
    ties = ties_of(db)
    # all-hands has 5 people: each tie 1/4 of a one-to-one. Amounts (one way, halved):
    # ann-bob 1/8, ann-fay 1/2; ann's total 4/8 + 1/2 = 1. All on one day: ann and bob
    # met that day only in the all-hands, so their frequency is its group weight, 1/4
    assert ties[("ann", "bob")]["strength"] == pytest.approx(
        p_close(math.sqrt(0.125 / 241 * 0.125 / 240.125), 0.25)
    )
    assert ties[("ann", "fay")]["strength"] == pytest.approx(
        p_close(math.sqrt(0.5 / 241 * 0.5 / 240.5))
    )
