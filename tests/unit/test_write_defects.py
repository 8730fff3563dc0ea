"""Issue 16, "Nothing half-written, nothing leaked": the part of the write path that needs
no database (how a lost database is reported); the rest is in
``tests/integration/test_write_defects.py``.

"""

from __future__ import annotations

from powerconnect.engine.errors import database_failure


def test_the_database_going_away_mid_command_is_not_called_busy() -> None:
    """What the driver raises when the server stops under a command: a transient 'database
    shutting down' error, a lost connection, or a reset socket (neo4j 5 codes)."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

    shutdown = TransientError._hydrate_neo4j(  # type: ignore[attr-defined]
        code="Neo.TransientError.General.DatabaseUnavailable",
        message="Database 'neo4j' is unavailable. Database is shutting down.",
    )
    for exc in (
        shutdown,
        ServiceUnavailable("gone"),
        SessionExpired("gone"),
        ConnectionResetError(104, "Connection reset by peer"),
    ):
        message = str(database_failure(exc))
        assert "went away" in message and "busy" not in message


def test_staged_parts_hold_every_person_once_with_no_nulls() -> None:
    """result_parts, what write_scores stages: 5 people in parts of 2 give parts 0, 1, 2 of
    2, 2 and 1 people; arrays hold no null (Neo4j arrays cannot): a missing measure is NaN
    and no score tier is ''. Tiers by hand: best score 0.8, so 0.8 >= 3/4 * 0.8 is top,
    0.5 >= 0.4 high, 0.3 >= 0.2 mid, 0.1 > 0 low, 0 none."""
    import doctest
    import math

    import numpy as np
    import pandas as pd

    from powerconnect.engine import analysis
    from powerconnect.engine.analysis import SCORE_COLUMNS, result_parts

    assert doctest.testmod(analysis).failed == 0
    table = pd.DataFrame(
        {column: [0, 0, 0, 0, 0] for column in SCORE_COLUMNS}
        | {
            "id": ["a", "b", "c", "d", "e"],
            "rank": [1, 2, 3, 4, 5],
            "score": [0.8, 0.5, 0.3, 0.1, 0.0],
            "constraint": [0.5, 0.25, np.nan, 1.0, np.nan],
            "role": ["power connector", "", "", "", ""],
            "group": ["A", "A", "", "B", "B"],
            "explanation": ["x"] * 5,
        }
    )
    parts = list(result_parts(table, 2))
    assert [(rows[0]["part"], weight) for rows, weight in parts] == [(0, 2), (1, 2), (2, 1)]
    keys = set(parts[0][0][0]) - {"part"}
    joined = {key: sum((rows[0][key] for rows, _ in parts), []) for key in keys}
    assert joined["ids"] == ["a", "b", "c", "d", "e"] and joined["rank"] == [1, 2, 3, 4, 5]
    assert joined["score_tier"] == ["top", "high", "mid", "low", ""]
    assert [math.isnan(v) for v in joined["constraint"]] == [False, False, True, False, True]
    assert all(v is not None for values in joined.values() for v in values)
    assert keys == {"ids", "score_tier", *SCORE_COLUMNS}
