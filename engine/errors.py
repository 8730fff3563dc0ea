"""Domain errors. The library raises them; the CLI maps each to one message and an exit code."""

from __future__ import annotations


class PowerConnectError(Exception):
    """Base class for every error powerconnect reports to a user."""

    exit_code = 1


class InvalidInput(PowerConnectError):
    """A problem in a user's input file, with where it is and what is wrong.

    ``line`` is 1-based and counts the header as line 1; ``None`` when the
    problem concerns the file as a whole (empty file, missing column).
    """

    exit_code = 1

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {reason}")


class UsageError(PowerConnectError):
    """The request itself cannot be answered (unknown person, bad option value)."""

    exit_code = 1


class DatabaseUnavailable(PowerConnectError):
    """Neo4j cannot be reached, or refuses the login."""

    exit_code = 2


class ServerError(PowerConnectError):
    """The local Neo4j server could not be installed, started or stopped."""

    exit_code = 2
