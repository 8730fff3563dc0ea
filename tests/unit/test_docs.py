"""Docs that cannot drift from the code: the CLI reference and every command's help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from powerconnect.cli import main
from powerconnect.cli_reference import _commands

ROOT = Path(__file__).resolve().parent.parent.parent


def test_cli_reference_in_docs_matches_every_commands_help() -> None:
    # Rendered in a fresh interpreter: click caches each command's help option on first
    # use, so a test that invoked a command on its own would change this process's help.
    fresh = subprocess.run(
        [sys.executable, "-m", "powerconnect.cli_reference"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POWERCONNECT_"))},
    )
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == fresh.stdout, "docs/cli.md is stale: run `make docs` and commit it"


def test_every_command_has_help_with_an_example() -> None:
    missing = []
    for path in _commands(main, ["powerconnect"]):
        command = main
        for name in path[1:]:
            assert isinstance(command, click.Group)
            found = command.get_command(click.Context(command), name)
            assert found is not None
            command = found
        if not isinstance(command, click.Group) and "Example" not in (command.help or ""):
            missing.append(" ".join(path))
    assert missing == []


def test_readme_names_every_top_level_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = main.list_commands(click.Context(main))
    assert [n for n in names if f"`{n}" not in readme and f"powerconnect {n}" not in readme] == []
