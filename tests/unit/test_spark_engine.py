"""The Spark engine's seams that need no Spark: the install hint, the connector's options,
the write query's shape, and how a Spark error reaches the user."""

from __future__ import annotations

import sys

import pytest

from powerconnect.engine import queries
from powerconnect.engine.errors import UsageError
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.engine.spark_session import (
    SparkFailure,
    connector_options,
    spark_failure,
    spark_session,
)


def test_without_pyspark_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(UsageError, match=r"pip install 'powerconnect\[spark\]'"):
        spark_session()


def test_connector_options_carry_the_connection_settings() -> None:
    settings = ConnectionSettings(uri="neo4j://db:7687", user="u", password="pw", database="d")
    assert connector_options(settings) == {
        "url": "neo4j://db:7687",
        "authentication.type": "basic",
        "authentication.basic.username": "u",
        "authentication.basic.password": "pw",
        "database": "d",
    }
    assert "database" not in connector_options(ConnectionSettings(password="pw"))


def test_the_connector_write_query_starts_with_the_line_the_connector_adds() -> None:
    # engine.spark_session.write_query takes this line off; the rest runs after the
    # connector's own `UNWIND $events AS event`.
    code = queries.get("spark_write_scores").code
    assert code.splitlines()[0] == "UNWIND $events AS event"
    assert "$" not in "\n".join(code.splitlines()[1:])  # values come only from the events


def test_library_errors_pass_and_other_errors_are_left_alone() -> None:
    refused = UsageError("no person has the property 'x' to group by")
    assert spark_failure(refused) is refused
    other = ValueError("not Spark's")
    assert spark_failure(other) is other
    assert issubclass(SparkFailure, Exception) and SparkFailure.exit_code == 2
