"""The Spark interaction model derives what the local one derives: same ties, strengths to
1e-9, same counts, last interaction, channels and minutes, same rows left out by reason.

The expected values are the local model's (:func:`loaders.interactions.derive_strengths`
on what :func:`loaders.interactions.read_interaction_frame` reads; the model itself is
checked by hand computations in tests/unit and calibrated in bench/bench_strength.py);
these tests only check that the Spark path computes the same thing from the same files.
The generated log exercises every rule: durations, an undirected channel, duplicates by
message id and by time (both directions), group ids, self rows, placeholders (padded, in
any case), one-sided and reciprocated pairs, several channels, rows after ``as_of``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from powerconnect.engine.errors import InvalidInput
from powerconnect.loaders.interactions import derive_strengths, read_interaction_frame
from powerconnect.loaders.tables import ProblemLog

pytestmark = pytest.mark.spark

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _log(seed: int = 5, rows: int = 1200) -> pd.DataFrame:
    """A random log with every rule's case in it (see the module docstring)."""
    rng = np.random.default_rng(seed)
    people = [f"p{i:02d}" for i in range(24)] + ["Zoë", "zoe\u0308x"]
    channels = ["email", "meeting", "call", "chat", ""]
    start = pd.Timestamp("2024-01-01", tz="UTC").value // 1000
    span = 600 * 86_400_000_000
    out: list[dict[str, Any]] = []
    for i in range(rows):
        a, b = rng.choice(people, 2, replace=rng.random() > 0.03)  # some self rows
        t = start + int(rng.integers(0, span))
        row = {
            "from": a,
            "to": b,
            "timestamp": pd.Timestamp(t * 1000, tz="UTC").isoformat(),
            "channel": str(rng.choice(channels, p=[0.4, 0.2, 0.2, 0.1, 0.1])),
            "duration": str(int(rng.integers(0, 4000))) if rng.random() < 0.3 else "",
            "group": f"g{rng.integers(0, 12)}" if rng.random() < 0.25 else "",
            "message_id": f"<m{rng.integers(0, 300)}>" if rng.random() < 0.3 else "",
        }
        out.append(row)
        r = rng.random()
        if r < 0.08:  # the same interaction logged by the other side, seconds later
            twin = dict(row, timestamp=pd.Timestamp((t + 4_000_000) * 1000, tz="UTC").isoformat())
            if rng.random() < 0.5:
                twin["from"], twin["to"] = row["to"], row["from"]
            out.append(twin)
        elif r < 0.12:  # the same message in both mailboxes, a minute apart
            out.append(
                dict(
                    row,
                    message_id=row["message_id"] or f"<dup{i}>",
                    timestamp=pd.Timestamp((t + 60_000_000) * 1000, tz="UTC").isoformat(),
                )
            )
        elif r < 0.14:  # the same time exactly, both ends
            out.append(dict(row, **{"from": row["to"], "to": row["from"]}))
    for who in ["unknown", "  N/A ", "", "Private Number", "-"]:  # placeholders
        out.append(dict(out[0], to=who))
    out.append(dict(out[1], **{"from": " p01 ", "to": "p02\t"}))  # padded ids
    return pd.DataFrame(out)


def _write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def _local(paths: list[Path], **options: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    frame = read_interaction_frame(paths, ProblemLog(), now=NOW)
    derived = derive_strengths(frame, now=NOW, **options)
    ties = derived.ties
    props = pd.DataFrame(ties.properties)
    out = pd.DataFrame({"a": ties.a, "b": ties.b, "strength": ties.strength})
    out["interactions"] = props["interactions"].to_numpy()
    out["last"] = [p.isoformat() for p in props["last_interaction"]]
    out["channels"] = props["channels"].map(list) if "channels" in props else None
    out["minutes"] = props["minutes"].to_numpy() if "minutes" in props else np.nan
    return out.sort_values(["a", "b"]).reset_index(drop=True), derived.left_out


def _spark(spark: Any, paths: list[Path], **options: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    from powerconnect.loaders.spark_interactions import (  # noqa: PLC0415
        read_interaction_logs,
        spark_derive_strengths,
    )

    frame = read_interaction_logs(spark, paths, now=NOW)
    derived = spark_derive_strengths(frame, now=NOW, **options)
    rows = derived.ties.toPandas()
    out = rows[["a", "b", "strength", "interactions"]].copy()
    out["last"] = [
        pd.Timestamp(int(us) * 1000, tz="UTC").to_pydatetime().isoformat() for us in rows["last_us"]
    ]
    out["channels"] = rows["channels"].map(lambda c: None if c is None else list(c))
    out["minutes"] = rows["minutes"].astype(float)
    return out.sort_values(["a", "b"]).reset_index(drop=True), derived.left_out


def _same(local: pd.DataFrame, spark: pd.DataFrame) -> None:
    assert len(local) > 50
    assert local[["a", "b"]].values.tolist() == spark[["a", "b"]].values.tolist()
    np.testing.assert_allclose(spark["strength"], local["strength"], rtol=0, atol=1e-9)
    assert spark["interactions"].tolist() == local["interactions"].tolist()
    assert spark["last"].tolist() == local["last"].tolist()
    assert spark["channels"].tolist() == local["channels"].tolist()
    np.testing.assert_array_equal(spark["minutes"].to_numpy(), local["minutes"].to_numpy())


def test_spark_strengths_equal_the_local_model(spark: Any, tmp_path: Path) -> None:
    # two logs; two undirected channels, a short half-life and an as_of before the end
    options: dict[str, Any] = {
        "undirected_channels": ["meeting", "call"],
        "half_life_days": 30.0,
        "as_of": datetime(2025, 3, 1, tzinfo=UTC),
    }
    log = _log()
    first, second = (
        _write(log.iloc[:700], tmp_path / "a.csv"),
        _write(log.iloc[700:], tmp_path / "b.csv"),
    )
    local, local_left = _local([first, second], **options)
    got, got_left = _spark(spark, [first, second], **options)
    _same(local, got)
    assert got_left == local_left
    for reason in ("self", "placeholder", "duplicate"):  # the log exercises each rule
        assert local_left.get(reason, 0) > 0
    assert local["minutes"].notna().any() and local["minutes"].isna().any()
    assert (local["channels"].map(len) > 1).any()
    assert local_left.get("after_as_of", 0) > 0


def test_parquet_log_gives_the_csv_strengths(spark: Any, tmp_path: Path) -> None:
    log = _log(seed=8, rows=400)
    csv_path = _write(log, tmp_path / "log.csv")
    parquet = tmp_path / "log.parquet"
    log.to_parquet(parquet, index=False)
    local, local_left = _local([csv_path], undirected_channels=["meeting"])
    got, got_left = _spark(spark, [parquet], undirected_channels=["meeting"])
    _same(local, got)
    assert got_left == local_left


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("ann,bob,soon,email", "timestamp 'soon' is not an ISO 8601 date"),
        ("ann,bob,,email", "empty timestamp"),
        ("ann,bob,2031-01-01,email", "is in the future"),
        ("ann,bob,2024-01-01,email,extra", "5 fields, but the header has 4"),
    ],
)
def test_bad_rows_are_refused_with_file_and_line(
    spark: Any, tmp_path: Path, row: str, reason: str
) -> None:
    from powerconnect.loaders.spark_interactions import read_interaction_logs  # noqa: PLC0415

    path = tmp_path / "log.csv"
    path.write_text(f"from,to,timestamp,channel\nann,bob,2024-01-01,email\n\n{row}\n")
    problems = ProblemLog()
    read_interaction_frame([path], problems, now=NOW)
    with pytest.raises(InvalidInput) as local:
        problems.settle(skip_invalid=False)
    with pytest.raises(InvalidInput) as got:
        read_interaction_logs(spark, [path], now=NOW)
    assert (
        (got.value.file, got.value.line)
        == (local.value.file, local.value.line)
        == (
            str(path),
            4,
        )
    )
    assert reason in got.value.reason


def test_a_record_spanning_lines_is_refused_not_misread(spark: Any, tmp_path: Path) -> None:
    from powerconnect.loaders.spark_interactions import read_interaction_logs  # noqa: PLC0415

    path = tmp_path / "log.csv"
    path.write_text('from,to,timestamp,channel\nann,bob,2024-01-01,"e\nmail"\n')
    with pytest.raises(InvalidInput) as got:
        read_interaction_logs(spark, [path], now=NOW)
    assert got.value.line == 2
    assert "quoted field runs past the end of the line" in got.value.reason
