"""The pandas functions that loaders.spark_interactions runs as UDFs, without Spark: they
must read values as the local reader and model do (the expected values come from the local
functions themselves, or Python's own str.strip, unicodedata and round)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from powerconnect.loaders.interactions import FLOOR, parse_timestamps, probability_from_signals
from powerconnect.loaders.spark_interactions import (
    _clean_text,
    _fields,
    _minutes,
    _seconds,
    _strength,
    _timestamp_us,
)


def test_text_is_stripped_and_nfc_and_missing_is_empty() -> None:
    raw = pd.Series([" ann ", "zoe\u0308", None, "\tbob\n", float("nan")], dtype=object)
    assert _clean_text(raw).tolist() == ["ann", unicodedata.normalize("NFC", "zoë"), "", "bob", ""]


def test_timestamps_are_parse_timestamps_in_microseconds() -> None:
    raw = pd.Series(["2024-03-01", "2024-03-01T10:00+02:00", "soon", ""], dtype=object)
    got = _timestamp_us(raw)
    expected = parse_timestamps(raw.to_numpy(dtype=object))
    assert got[:2].tolist() == expected.asi8[:2].tolist()
    assert got[2:].isna().all()


def test_fields_follow_python_csv() -> None:
    assert _fields(pd.Series(['a,"b,c",', "x"])).tolist() == [["a", "b,c", ""], ["x"]]


def test_durations_strengths_and_minutes_follow_the_local_model() -> None:
    assert np.isnan(_seconds(pd.Series(["12", "x"], dtype=object))).tolist() == [False, True]
    share, freq = pd.Series([1e-9, 0.01, 0.5]), pd.Series([0.0, 0.1, 1.0])
    want = np.clip(probability_from_signals(share.to_numpy(), freq.to_numpy()), FLOOR, 1.0)
    assert _strength(share, freq).tolist() == want.tolist()
    assert _strength(share, freq)[0] == FLOOR
    assert _minutes(pd.Series([0.25, 2.675, 10.05])).tolist() == [
        round(0.25, 1),
        round(2.675, 1),
        round(10.05, 1),
    ]
