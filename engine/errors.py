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


def database_failure(exc: Exception) -> DatabaseUnavailable:
    """A one-line :class:`DatabaseUnavailable` for a driver error met in the middle of a
    command (the connection lost, a write refused by a constraint, a transient failure)."""
    from neo4j.exceptions import (  # noqa: PLC0415 (the driver is heavy; errors are rare)
        ConstraintError,
        ServiceUnavailable,
        SessionExpired,
        TransientError,
    )

    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return DatabaseUnavailable(
            "lost the connection to Neo4j: check that it is still running "
            "(`powerconnect neo4j status`) and run the command again"
        )
    message = getattr(exc, "message", None) or str(exc)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    if isinstance(exc, ConstraintError):
        return DatabaseUnavailable(
            f"Neo4j refused a write: {first} (another load running at the same time, or a "
            "constraint of your own on :Person?); nothing of the refused batch was written"
        )
    if isinstance(exc, TransientError):
        return DatabaseUnavailable(f"Neo4j is busy: {first}; run the command again")
    return DatabaseUnavailable(f"Neo4j refused: {first}")
