"""Issue 16, "Nothing half-written, nothing leaked": the part of the write path that needs
no database (how a lost database is reported); the rest is in
``tests/integration/test_write_defects.py``.

"""

from __future__ import annotations

from powerconnect.engine.errors import database_failure


def test_the_database_going_away_mid_command_is_not_called_busy() -> None:
    """What the driver raises when the server stops under a command: a transient 'database
    shutting down' error, a lost connection, or a reset socket (neo4j 5 codes)."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

    shutdown = TransientError._hydrate_neo4j(  # type: ignore[attr-defined]
        code="Neo.TransientError.General.DatabaseUnavailable",
        message="Database 'neo4j' is unavailable. Database is shutting down.",
    )
    for exc in (
        shutdown,
        ServiceUnavailable("gone"),
        SessionExpired("gone"),
        ConnectionResetError(104, "Connection reset by peer"),
    ):
        message = str(database_failure(exc))
        assert "went away" in message and "busy" not in message
