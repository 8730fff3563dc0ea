"""Fixtures shared by every test directory: one Spark session per test session.

Tests of the Spark engine (marked ``spark``) need the ``spark`` extra
(``pip install -e '.[spark]'``: pyspark 3.5) and Java 17; without pyspark they are
skipped with that reason. The session runs in local mode on two cores with few
shuffle partitions, and resolves the Neo4j connector jar through Ivy once.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

NO_PYSPARK = "the Spark engine's extra is not installed (pip install -e '.[spark]')"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if importlib.util.find_spec("pyspark") is not None:
        return
    skip = pytest.mark.skip(reason=NO_PYSPARK)
    for item in items:
        if "spark" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The test session's SparkSession (local[2], 4 shuffle partitions), stopped at the end."""
    from powerconnect.engine.spark_session import spark_session  # noqa: PLC0415

    session = spark_session("local[2]", partitions=4)
    yield session
    session.stop()
