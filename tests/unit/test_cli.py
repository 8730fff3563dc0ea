"""The CLI as a whole: every command documented with an example, errors as one-line messages."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from powerconnect import __version__
from powerconnect.cli import main
from powerconnect.server import free_port


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(_commands(command, (*prefix, name)))
    return out


COMMANDS = _commands(main)


def test_the_cli_has_the_commands_the_readme_names() -> None:
    names = {" ".join(c) for c in COMMANDS}
    for expected in (
        "neo4j start",
        "neo4j stop",
        "neo4j status",
        "demo",
        "load",
        "load-interactions",
        "load-linkedin",
        "rank",
        "introduce",
        "recommend",
        "report",
        "browser",
    ):
        assert expected in names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`powerconnect {' '.join(command)} --help` has no example"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_an_unreachable_database_is_exit_2_with_one_line_and_no_traceback() -> None:
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(
        main, ["rank", "--uri", f"neo4j://localhost:{port}", "--password", "x"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("Error: cannot reach Neo4j")


@pytest.mark.parametrize(
    ("where", "uri", "shown"),
    [
        ("option", "localhost:7687", "has no scheme: write neo4j://localhost:7687"),
        ("env", "http://localhost:7474", "is a web address (Neo4j Browser's)"),
        ("env", "mongodb://db:27017", "is not a Neo4j one"),
        ("env", "neo4j://localhost:abc", "has a host or port that cannot be read"),
        ("option", "neo4j://neo4j:s3cret@db:7687", "carries a user or password"),
    ],
)
def test_a_uri_that_is_not_bolt_is_exit_1_with_what_to_write(
    where: str, uri: str, shown: str
) -> None:
    # bad usage (1), not an unreachable database (2); the driver alone would say
    # "Unexpected error" for the first and raise ModuleNotFoundError for the second
    if where == "option":
        args, env = ["info", "--uri", uri], {}
    else:
        args, env = ["info"], {"NEO4J_URI": uri}
    result = CliRunner().invoke(main, args, env={**env, "NEO4J_PASSWORD": "x"})
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the URI "), lines
    assert shown in lines[0]
    assert "s3cret" not in result.output
    # `browser` builds Browser's address from the URI: the same check
    guide = CliRunner().invoke(main, ["browser", "--uri", uri])
    assert guide.exit_code == 1 and shown in guide.output, guide.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--bogus"], "No such option '--bogus'"),
        ([], "Usage: powerconnect [OPTIONS] COMMAND"),
        (["rank", "--bogus"], "No such option '--bogus'"),
        (["no-such-command"], "No such command 'no-such-command'"),
    ],
)
def test_bad_usage_exits_1_at_every_level(args: list[str], shown: str) -> None:
    # README, CLI: "1 bad input or usage"; click's own default would be 2, which powerconnect
    # keeps for an unreachable database
    result = CliRunner().invoke(main, args, prog_name="powerconnect")
    assert result.exit_code == 1, result.output
    assert shown in result.output
    assert "Traceback" not in result.output


def test_ctrl_c_while_the_cli_imports_is_exit_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import types

    from powerconnect.__main__ import main as entry

    class Interrupted(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt  # as if Ctrl-C came while pandas was importing

    monkeypatch.setitem(sys.modules, "powerconnect.cli", Interrupted("powerconnect.cli"))
    with pytest.raises(SystemExit) as ended:
        entry()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "Interrupted.\n"


def test_python_m_powerconnect_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "powerconnect", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and __version__ in done.stdout


def test_docstring_examples_hold() -> None:
    import doctest

    import powerconnect.options

    assert doctest.testmod(powerconnect.options).failed == 0


@pytest.mark.parametrize("command", ["status", "stop", "install"])
def test_server_options_a_command_ignores_are_hidden_but_still_accepted(command: str) -> None:
    shown = CliRunner().invoke(main, ["neo4j", command, "--help"]).output
    assert "--home" in shown
    assert "--heap" not in shown and "--bolt-port" not in shown
    if command == "status":  # accepted (a script written for `start` keeps working)
        result = CliRunner().invoke(
            main, ["neo4j", "status", "--home", "/nonexistent/powerconnect", "--heap", "2g"]
        )
        assert result.exit_code == 3, result.output
