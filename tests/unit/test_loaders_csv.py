"""`powerconnect load` against the real Neo4j: what is written, updates, idempotence,
and every kind of bad input (message, exit code, database unchanged)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.load_commands import register

register(main)  # until powerconnect/cli.py does it; a second call changes nothing


# ------------------------------------------------------------------------ what is written


@pytest.mark.parametrize("command", ["load", "load-interactions", "load-linkedin"])
def test_each_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"powerconnect {command}" in result.output


def test_registering_twice_is_harmless() -> None:
    before = dict(main.commands)
    register(main)
    assert main.commands == before
