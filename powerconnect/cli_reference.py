"""The CLI reference (``docs/cli.md``), generated from the commands' own ``--help``.

The reference is never written by hand: ``make docs`` (``python -m
powerconnect.cli_reference docs/cli.md``) regenerates it, and a test fails when
the file in the repository differs from what the commands say today, as
sqlite-utils does with cog for its CLI reference.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

HEADER = """\
# powerconnect CLI reference

Generated from each command's `--help` by `make docs`
(`python -m powerconnect.cli_reference docs/cli.md`); a test fails when this file is stale.
Do not edit it by hand: edit the command's docstring or options.
"""


#: The help must not depend on who generates it: no connection settings from the environment.
_ENV = {
    name: None
    for name in (
        "NEO4J_URI",
        "NEO4J_USER",
        "NEO4J_USERNAME",
        "NEO4J_PASSWORD",
        "NEO4J_DATABASE",
        "POWERCONNECT_HOME",
    )
}


def _commands(group: click.Group, path: list[str]) -> Iterator[list[str]]:
    ctx = click.Context(group, info_name=path[-1])
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from _commands(command, [*path, name])


def render() -> str:
    """The whole reference: every command's ``--help``, in the order ``--help`` lists them."""
    from powerconnect.cli import main

    runner = CliRunner()
    parts = [HEADER]
    for path in [["powerconnect"], *_commands(main, ["powerconnect"])]:
        result = runner.invoke(
            main, [*path[1:], "--help"], prog_name="powerconnect", terminal_width=100, env=_ENV
        )
        if result.exit_code != 0:  # pragma: no cover - a broken command must not hide
            raise RuntimeError(f"{' '.join(path)} --help failed: {result.output}")
        level = "#" * min(len(path) + 1, 4)
        parts.append(f"{level} `{' '.join(path)}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
