"""Connection settings resolve like Neo4j's own tools (pure: no database)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from powerconnect import engine
from powerconnect.engine.settings import DEFAULT_URI, ConnectionSettings, uri_problem


def test_environment_fills_what_options_leave_out() -> None:
    env = {
        "NEO4J_URI": "bolt://db:7687",
        "NEO4J_USER": "alice",
        "NEO4J_PASSWORD": "s3cret",
        "NEO4J_DATABASE": "contacts",
    }
    s = ConnectionSettings.resolve(env=env)
    assert (s.uri, s.user, s.password, s.database) == (
        "bolt://db:7687",
        "alice",
        "s3cret",
        "contacts",
    )


def test_options_win_over_the_environment() -> None:
    s = ConnectionSettings.resolve(
        "bolt://other:1", "bob", "pw", env={"NEO4J_URI": "bolt://db:1", "NEO4J_USER": "alice"}
    )
    assert (s.uri, s.user, s.password) == ("bolt://other:1", "bob", "pw")


def test_defaults_and_the_local_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-file\n")
    s = ConnectionSettings.resolve(env={}, password_file=secret)
    assert (s.uri, s.user, s.password, s.database) == (DEFAULT_URI, "neo4j", "from-file", None)


def test_environment_password_wins_over_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-file\n")
    s = ConnectionSettings.resolve(env={"NEO4J_PASSWORD": "from-env"}, password_file=secret)
    assert s.password == "from-env"


def test_the_password_is_not_in_the_repr() -> None:
    assert "hunter2" not in repr(ConnectionSettings(password="hunter2"))


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(engine.settings).failed == 0


@pytest.mark.parametrize(
    "uri",
    ["neo4j://localhost:7687", "bolt://db:7687", "neo4j+s://x.databases.neo4j.io", "BOLT://h"],
)
def test_bolt_uris_are_accepted(uri: str) -> None:
    assert uri_problem(uri) is None


@pytest.mark.parametrize("uri", ["localhost:7687", "http://localhost:7474", "https://h", "ftp://h"])
def test_other_uris_are_refused_with_a_reason(uri: str) -> None:
    problem = uri_problem(uri)
    assert problem is not None and repr(uri) in problem
