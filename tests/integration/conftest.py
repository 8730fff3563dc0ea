"""Test fixtures: one real Neo4j per session, an empty database per test.

Where the server comes from, in order:

1. ``NEO4J_URI`` is set: that server (with ``NEO4J_USER``/``NEO4J_PASSWORD``).
   Its database is emptied before each test, so never point it at real data.
2. A Docker engine answers: pytest-docker runs ``docker-compose.yml``.
3. Otherwise: powerconnect's own launcher starts Neo4j Community on the local
   JVM, in a temporary directory on free ports, and stops it at the end.

Tests that need no database (the maths, the parsing) do not use these
fixtures and run without a server.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from powerconnect.engine.db import Database
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.server import LocalServer, default_home, free_port

ROOT = Path(__file__).resolve().parent.parent.parent


def _docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(ROOT / "docker-compose.yml")


@pytest.fixture(scope="session")
def neo4j_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConnectionSettings]:
    """Connection settings of a running Neo4j for the whole session."""
    if os.environ.get("NEO4J_URI"):
        yield ConnectionSettings.resolve()
        return
    if _docker_engine_answers():
        password = os.environ.setdefault("NEO4J_PASSWORD", "powerconnect-test")
        services = request.getfixturevalue("docker_services")
        ip = request.getfixturevalue("docker_ip")
        port = services.port_for("neo4j", 7687)
        settings = ConnectionSettings(uri=f"bolt://{ip}:{port}", password=password)
        services.wait_until_responsive(check=lambda: _answers(settings), timeout=120.0, pause=1.0)
        yield settings
        return
    server = LocalServer(
        home=default_home(),  # shares the jar cache with the user's server
        server_dir=tmp_path_factory.mktemp("neo4j-server"),
        bolt_port=free_port(),
        http_port=free_port(),
        heap="1g",
        pagecache="256m",
    )
    password = secrets.token_urlsafe(12)
    server.start(password=password)
    request.config.stash[LOCAL_SERVER] = server
    try:
        yield ConnectionSettings(uri=f"neo4j://localhost:{server.bolt_port}", password=password)
    finally:
        server.stop()


LOCAL_SERVER = pytest.StashKey[LocalServer]()


def _answers(settings: ConnectionSettings) -> bool:
    try:
        Database.connect(settings).close()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def local_server(request: pytest.FixtureRequest, neo4j_settings: ConnectionSettings) -> LocalServer:
    """The launcher's server, for tests of the launcher itself (skipped on other servers)."""
    server = request.config.stash.get(LOCAL_SERVER, None)
    if server is None:
        pytest.skip("the session uses NEO4J_URI or Docker, not powerconnect's own launcher")
    return server


@pytest.fixture(scope="session")
def _session_db(neo4j_settings: ConnectionSettings) -> Iterator[Database]:
    db = Database.connect(neo4j_settings)
    db.setup_schema()
    yield db
    db.close()


@pytest.fixture
def db(_session_db: Database) -> Database:
    """The session's database, emptied before the test (constraints kept)."""
    _session_db.clear()
    return _session_db


@pytest.fixture
def cli_env(neo4j_settings: ConnectionSettings) -> dict[str, str]:
    """Environment for CliRunner so that the CLI talks to the test database."""
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password or "",
    }
    if neo4j_settings.database:
        env["NEO4J_DATABASE"] = neo4j_settings.database
    return env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/integration/ needs the database: mark it so (``-m "not neo4j"``)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.neo4j)
