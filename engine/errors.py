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

    message = getattr(exc, "message", None) or str(exc)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, ServiceUnavailable | SessionExpired | ConnectionError) or went_away(exc):
        return DatabaseUnavailable(
            "the database went away in the middle of the command (Neo4j stopped, or the "
            "connection was lost): check that it runs (`powerconnect neo4j status`) and run "
            "the command again; what it wrote before stays, and running it again completes it"
        )
    if isinstance(exc, ConstraintError):
        return DatabaseUnavailable(
            f"Neo4j refused a write: {first} (another load running at the same time, or a "
            "constraint of your own on :Person?); nothing of the refused batch was written"
        )
    if code in STOPPED_CODES:
        return DatabaseUnavailable(
            "Neo4j stopped a write that waited too long for locks, after several tries: another "
            "transaction holds them (a load or rank running at the same time, or a transaction "
            "the server failed to roll back after an error: restart Neo4j); run the command "
            "again"
        )
    if isinstance(exc, TransientError):
        return DatabaseUnavailable(
            f"Neo4j is busy (tried several times): {first}; run the command again"
        )
    return DatabaseUnavailable(f"Neo4j refused: {first}")


#: Codes of a transaction stopped while it waited (its timeout ran out, or a lock wait was
#: stopped): worth another try, like a TransientError.
STOPPED_CODES = (
    "Neo.ClientError.Transaction.LockClientStopped",
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)


def went_away(exc: Exception) -> bool:
    """Whether a driver error says the database is stopping (not that it is busy)."""
    code = getattr(exc, "code", None) or ""
    message = (getattr(exc, "message", None) or "").lower()
    if code in STOPPED_CODES:  # its message lists shutting down among the possible causes
        return False
    return code.endswith(("DatabaseUnavailable", "DatabaseShutdown")) or (
        "shutting down" in message
    )
