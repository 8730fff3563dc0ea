"""The local Neo4j launcher, against the real server it starts (no mocks)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

from powerconnect.server import LocalServer, _has_exited, _process_state, free_port


def _our_jvms(server: LocalServer) -> list[str]:
    """Command lines of the JVMs running this server. Read from /proc: `ps` cuts lines at
    80 columns when it has no terminal, as under pytest, and then would never match."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if f"--home-dir={server.root}" in args:
            found.append(" ".join(args))
    return found


def _second_server(local_server: LocalServer, tmp_path: Path) -> LocalServer:
    """A server of its own (new directory, free ports) beside the session's, same jar cache."""
    return LocalServer(
        home=local_server.home,
        server_dir=tmp_path / "srv",
        bolt_port=free_port(),
        http_port=free_port(),
        pagecache="64m",
    )


def _children_of(root: Path, seen: dict[str, tuple[bytes, bytes]], done: threading.Event) -> None:
    """Record the command line and environment of every process started for the server
    directory ``root`` (the launcher gives each NEO4J_HOME=root), until ``done``."""
    marker = f"NEO4J_HOME={root}".encode()
    while not done.is_set():
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                environ = (proc / "environ").read_bytes()
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in environ.split(b"\0"):
                seen[proc.name] = (cmdline, environ)
        time.sleep(0.02)


def _loose(root: Path) -> list[str]:
    """Paths under ``root`` that someone other than the user can read, write or enter."""
    return [
        f"{path} {stat.S_IMODE(path.lstat().st_mode):o}"
        for path in [root, *root.rglob("*")]
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077
    ]


def test_a_start_makes_what_an_older_version_left_private(tmp_path: Path) -> None:
    server = LocalServer(home=tmp_path / "home", server_dir=tmp_path / "srv")
    (server.logs_dir).mkdir(parents=True)
    (server.logs_dir / "neo4j.log").write_text("old log\n")
    for path, mode in ((server.root, 0o755), (server.logs_dir, 0o755)):
        os.chmod(path, mode)
    os.chmod(server.logs_dir / "neo4j.log", 0o644)
    assert len(_loose(server.root)) == 3
    server._make_private()  # what start() does first
    assert _loose(server.root) == []
    assert stat.S_IMODE(os.stat(server.logs_dir / "neo4j.log").st_mode) == 0o600


def test_a_process_whose_main_thread_ended_has_not_exited_while_its_threads_run() -> None:
    # A JVM being stopped looks like this for a moment: its main thread is a zombie while
    # other threads still shut down and hold the ports. stop() must wait for them.
    code = (
        "import ctypes, threading, time; "
        "threading.Thread(target=time.sleep, args=(60,)).start(); "
        "ctypes.CDLL(None).pthread_exit(None)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 10
        while _process_state(proc.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _process_state(proc.pid) == "Z"
        assert not _has_exited(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    assert _has_exited(proc.pid)
