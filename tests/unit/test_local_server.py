"""The local Neo4j launcher, against the real server it starts (no mocks)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from powerconnect.server import LocalServer, _has_exited, _process_state


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
