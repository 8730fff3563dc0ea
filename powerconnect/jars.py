"""The Neo4j server jars, fetched straight from the Maven repository and verified: no Maven.

``neo4j/jars.lock`` lists every jar that the pinned ``neo4j/pom.xml`` resolves to, one a
line, as ``<sha256>  <path in the Maven repository>`` (the format of ``sha256sum``).
:func:`fetch_jars` downloads each into a directory and checks its SHA-256; a mismatch
is an error that names the jar. The lock is written once from the pom, by a maintainer
who has Maven, with ``make jars-lock`` (:func:`write_lock`), and kept in the repository.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from powerconnect.engine.errors import ServerError

#: Maven Central, as Maven itself uses it (no mirror is configured for this project).
#: ``POWERCONNECT_MAVEN_REPOSITORY`` names another repository with the same layout.
MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2"


@dataclass(frozen=True)
class LockedJar:
    sha256: str
    path: str  # "org/neo4j/neo4j/5.26.30/neo4j-5.26.30.jar"

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def repository() -> str:
    return os.environ.get("POWERCONNECT_MAVEN_REPOSITORY", MAVEN_CENTRAL).rstrip("/")


def read_lock(text: str | None = None) -> list[LockedJar]:
    """The jars of ``neo4j/jars.lock`` (or of ``text`` in its format)."""
    if text is None:
        text = resources.files("powerconnect").joinpath("neo4j/jars.lock").read_text()
    jars = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ServerError(f"jars.lock, line {number}: expected '<sha256>  <path>': {line!r}")
        jars.append(LockedJar(sha256=parts[0].lower(), path=parts[1]))
    return jars


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch_one(jar: LockedJar, dest: Path, base: str) -> None:
    url = f"{base}/{jar.path}"
    target = dest / jar.name
    try:
        with urllib.request.urlopen(url, timeout=120) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"could not download {jar.name} from {url}: {exc}") from exc
    got = _sha256(target)
    if got != jar.sha256:
        target.unlink(missing_ok=True)
        raise ServerError(
            f"checksum mismatch for {jar.name} (from {url}): "
            f"SHA-256 {got}, expected {jar.sha256} (jars.lock)"
        )


def fetch_jars(
    dest: Path,
    jars: list[LockedJar] | None = None,
    log: Callable[[str], None] = lambda _m: None,
    workers: int = 8,
) -> None:
    """Download every locked jar into ``dest`` (made, or emptied of partial files) and
    verify it; raises :class:`ServerError` naming the first jar that fails."""
    jars = read_lock() if jars is None else jars
    base = repository()
    dest.mkdir(parents=True, exist_ok=True)
    log(f"Downloading {len(jars)} jars from {base} (verified against jars.lock) ...")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(_fetch_one, jar, dest, base) for jar in jars]:
            future.result()


def write_lock(pom: Path, lock: Path) -> int:
    """Resolve ``pom`` with Maven and write the lock of its jars; returns how many.
    For maintainers, after a version bump in the pom (needs ``mvn``)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("writing jars.lock resolves the pom with Maven: mvn is not on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "deps.txt"
        subprocess.run(
            [mvn, "-q", "-B", "-f", str(pom), "dependency:list"]
            + [f"-DoutputFile={listing}", "-DoutputAbsoluteArtifactFilename=true"],
            check=True,
        )
        rows = []
        for line in listing.read_text().splitlines():
            # group:artifact:type[:classifier]:version:scope:/abs/path/in/local/repository
            fields = line.strip().split(":")
            if len(fields) < 6 or not fields[-1].endswith(".jar"):
                continue
            local = Path(fields[-1])
            group, artifact, version = fields[0], fields[1], fields[-3]
            rel = PurePosixPath(*group.split("."), artifact, version, local.name)
            rows.append(f"{_sha256(local)}  {rel}")
    rows.sort(key=lambda row: row.split()[1])
    header = (
        f"# Every jar of {pom.name}, as <sha256>  <path in the Maven repository>.\n"
        "# Generated by `make jars-lock` (powerconnect.jars.write_lock); do not edit.\n"
    )
    lock.write_text(header + "\n".join(rows) + "\n")
    return len(rows)
