"""The local Neo4j launcher, against the real server it starts (no mocks)."""

from __future__ import annotations

import os
import secrets
import stat
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from unit.test_local_server import _loose

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.engine.errors import DatabaseUnavailable, ServerError, database_failure
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.server import LocalServer, free_port


def test_bolt_answers_return_1_with_the_password(db: Database) -> None:
    assert db.query("database_counts")[0]["people"] == 0
    records, _, _ = db.driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1


def test_a_wrong_password_is_refused(neo4j_settings: ConnectionSettings) -> None:
    wrong = ConnectionSettings(
        uri=neo4j_settings.uri, user=neo4j_settings.user, password="not-the-password"
    )
    with pytest.raises(DatabaseUnavailable, match="refused the login"):
        Database.connect(wrong)


def test_too_many_wrong_passwords_say_to_wait(db: Database) -> None:
    # Neo4j locks a user out for 5 s after 3 failed logins in a row
    # (dbms.security.auth_max_failed_attempts / auth_lock_time); its own message says neither
    # what to do nor for how long. A user of this test's own, so the session's is not locked.
    user = "lockout_" + secrets.token_hex(4)
    db.driver.execute_query(
        "CREATE USER $user SET PASSWORD $pw CHANGE NOT REQUIRED",
        user=user,
        pw=secrets.token_urlsafe(12),
        database_="system",
    )
    try:
        wrong = ConnectionSettings(uri=db.settings.uri, user=user, password="not-the-password")
        messages = []
        for _ in range(4):
            with pytest.raises(DatabaseUnavailable) as caught:
                Database.connect(wrong)
            messages.append(str(caught.value))
        assert "refused the login" in messages[0]
        assert "wait a few seconds, and try again" in messages[-1]
    finally:
        db.driver.execute_query("DROP USER $user", user=user, database_="system")


def test_an_unknown_database_is_named(neo4j_settings: ConnectionSettings) -> None:
    nosuch = ConnectionSettings(
        uri=neo4j_settings.uri, password=neo4j_settings.password, database="nosuch"
    )
    with pytest.raises(DatabaseUnavailable, match="has no database 'nosuch': check NEO4J_DATA"):
        Database.connect(nosuch)


def test_neo4j_browser_is_served_over_http(local_server: LocalServer) -> None:
    with urllib.request.urlopen(local_server.browser_url, timeout=10) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "<title>Neo4j Browser</title>" in page


def test_starting_a_running_server_is_a_no_op(local_server: LocalServer) -> None:
    pid = local_server.pid()
    assert local_server.start() is False
    assert local_server.pid() == pid


def test_a_busy_port_is_a_clear_error(local_server: LocalServer, tmp_path: Path) -> None:
    other = LocalServer(
        home=local_server.home,
        server_dir=tmp_path / "other",
        bolt_port=local_server.bolt_port,
        http_port=free_port(),
    )
    with pytest.raises(
        ServerError, match=rf"port {local_server.bolt_port} \(Bolt\) is already in use"
    ):
        other.start()
    assert not other.running()


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


def test_a_second_server_generates_a_private_password_keeps_data_and_stops_cleanly(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    server = _second_server(local_server, tmp_path)
    try:
        assert server.start() is True
        password = server.password()
        assert password and len(password) >= 16
        assert stat.S_IMODE(os.stat(server.password_file).st_mode) == 0o600
        settings = ConnectionSettings(uri=server.bolt_uri, password=password)
        with Database.connect(settings) as db:
            db.driver.execute_query("CREATE (:Person {id: 'kept'})")
        assert server.stop() is True
        assert _our_jvms(server) == []
        # stop() waits for the JVM's last thread, not just its main thread, so the ports are
        # already free for a start right after it
        assert not server._port_busy(server.bolt_port)
        assert not server._port_busy(server.http_port)
        # the first stop of an install leaves the class-data-sharing archive; starts use it
        assert server.class_archive.stat().st_size > 0
        assert server.start() is True  # the data directory survives a restart
        assert "-XX:SharedArchiveFile=" in _our_jvms(server)[0]
        with Database.connect(settings) as db:
            records, _, _ = db.driver.execute_query("MATCH (p:Person) RETURN p.id AS id")
        assert [r["id"] for r in records] == ["kept"]
    finally:
        server.stop()
    assert not server.running()
    assert _our_jvms(server) == []


def test_status_never_prints_the_password(local_server: LocalServer) -> None:
    result = CliRunner().invoke(
        main,
        [
            "neo4j",
            "status",
            "--home",
            str(local_server.home),
            "--bolt-port",
            str(local_server.bolt_port),
            "--http-port",
            str(local_server.http_port),
        ],
        env={"POWERCONNECT_HOME": str(local_server.home)},
    )
    # The session server lives in its own directory, so status of the default one reports
    # "not running" (exit 3) or the user's server: either way, no secret is printed.
    assert result.exit_code in (0, 3)
    for secret in filter(None, [local_server.password(), os.environ.get("NEO4J_PASSWORD")]):
        assert secret not in result.output


def test_status_reports_the_ports_the_server_runs_on_whatever_the_options_say(
    local_server: LocalServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "server").symlink_to(local_server.root)  # `--home` finds the session's server
    result = CliRunner().invoke(
        main,
        ["neo4j", "status", "--home", str(home), "--bolt-port", "1", "--http-port", "2"],
    )
    assert result.exit_code == 0, result.output
    assert f"neo4j://localhost:{local_server.bolt_port}" in result.output
    assert f"http://localhost:{local_server.http_port}/browser/" in result.output
    assert "localhost:1" not in result.output and "localhost:2/" not in result.output
    # starting it again keeps it, and warns only about ports given that differ
    for port, warned in ((local_server.bolt_port, False), (1, True)):
        again = CliRunner().invoke(
            main, ["neo4j", "start", "--home", str(home), "--bolt-port", str(port)]
        )
        assert again.exit_code == 0, again.output
        assert "already running" in again.output
        assert ("stop it first to start it on other ports" in again.output) is warned
    guide = CliRunner().invoke(
        main, ["browser"], env={"POWERCONNECT_HOME": str(home), "NEO4J_URI": None}
    )
    assert guide.exit_code == 0, guide.output
    assert f"Connect URL: neo4j://localhost:{local_server.bolt_port}" in guide.output
    assert f"http://localhost:{local_server.http_port}/browser/" in guide.output


def test_the_default_uri_is_the_port_the_local_server_runs_on(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from powerconnect.options import resolve_settings

    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("POWERCONNECT_HOME", str(home))
    # a server that ran on 7690 once and is stopped: the defaults, as a new start would use
    stopped_server = LocalServer(home=home, bolt_port=7690, http_port=7480)
    stopped_server._write_conf()
    stopped_server.password_file.write_text("local-secret\n")
    local = resolve_settings(None, None, None, None)
    assert (local.uri, local.password) == ("neo4j://localhost:7687", "local-secret")
    # another database named: its own URI, and never the local server's password
    other = resolve_settings("bolt://db:7687", None, None, None)
    assert (other.uri, other.password) == ("bolt://db:7687", None)
    assert resolve_settings("bolt://localhost:7687", None, None, None).password == "local-secret"
    # a running one, on free ports (the session's, found through the home)
    stopped = home / "server"
    stopped.rename(home / "old")
    stopped.symlink_to(local_server.root)
    got = resolve_settings(None, None, None, None)
    assert got.uri == f"neo4j://localhost:{local_server.bolt_port}"
    assert got.password == local_server.password()
    # naming the local server by its URI still finds its password
    assert resolve_settings(got.uri, None, None, None).password == got.password


def test_the_page_cache_runs_with_direct_memory_access(local_server: LocalServer) -> None:
    # Without Neo4j's --add-opens JVM options (powerconnect.server.JVM_OPTIONS) the page
    # cache falls back to a slower mode and says so in debug.log.
    log = (local_server.logs_dir / "debug.log").read_text(encoding="utf-8", errors="replace")
    assert "Started." in log or "Bolt enabled" in log
    assert "using fallback mode" not in log


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


def test_the_password_is_in_no_child_process_command_line_or_environment(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16: `neo4j start` ran `AdminTool dbms set-initial-password -- <password>`, so `ps`
    # showed the password to every local user while it ran. A dash first (neo4j-admin once
    # read one as an option), a space, quotes, a "#" and non-ASCII: all must still log in.
    password = "-pc " + secrets.token_urlsafe(12) + " \"q'#é"
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    server = _second_server(local_server, tmp_path)
    seen: dict[str, tuple[bytes, bytes]] = {}
    done = threading.Event()
    watcher = threading.Thread(target=_children_of, args=(server.root, seen, done))
    watcher.start()
    try:
        assert server.start(password=password) is True
        with Database.connect(ConnectionSettings(uri=server.bolt_uri, password=password)) as db:
            records, _, _ = db.driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
    finally:
        done.set()
        watcher.join()
        server.stop()
    assert any(b"CommunityEntryPoint" in cmdline for cmdline, _ in seen.values())
    secret = password.encode()
    for pid, (cmdline, environ) in seen.items():
        assert secret not in cmdline, f"process {pid} has the password in its command line"
        assert secret not in environ, f"process {pid} has the password in its environment"
        assert b"NEO4J_PASSWORD=" not in environ


def test_a_started_server_directory_is_the_users_only(local_server: LocalServer) -> None:
    # Issue 16: the stores, data/dbms/auth.ini (the password hash), the logs and neo4j.conf
    # were 644 in a 755 directory. The session's server was started by the launcher.
    assert (local_server.data_dir / "dbms" / "auth.ini").exists()
    assert (local_server.logs_dir / "neo4j.log").exists()
    assert _loose(local_server.root) == []


def test_install_builds_the_class_archive_once(local_server: LocalServer) -> None:
    # `make test` runs `powerconnect neo4j install` first, whose training run left the
    # archive (powerconnect.class_archive); a second install keeps it and starts nothing.
    from powerconnect.class_archive import build_class_archive

    assert local_server.class_archive.stat().st_size > 0
    assert build_class_archive(local_server.home) is False


def test_a_server_stopped_under_a_command_is_reported_as_gone_not_busy(
    local_server: LocalServer, tmp_path: Path
) -> None:
    # Issue 16, defect 14: a real server stopped while a client holds a connection to it.
    server = _second_server(local_server, tmp_path)
    password = secrets.token_urlsafe(12)
    server.start(password=password)
    db = Database.connect(
        ConnectionSettings(uri=f"bolt://localhost:{server.bolt_port}", password=password)
    )
    try:
        assert db.query("database_counts")  # connected, and answering
        server.stop()
        with pytest.raises(Exception) as raised:
            db.query("database_counts")
        message = str(database_failure(raised.value))
        assert "went away" in message and "busy" not in message
    finally:
        db.close()
        server.stop()


def test_the_demo_finds_the_local_server_through_home_and_keeps_its_ports(
    local_server: LocalServer,
    neo4j_settings: ConnectionSettings,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the demo used to ignore --home and the port options: it went to the default server
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password or "")
    home = tmp_path / "home"
    home.mkdir()
    (home / "server").symlink_to(local_server.root)  # `--home` finds the session's server
    result = CliRunner().invoke(
        main, ["demo", "--top", "3", "--home", str(home), "--bolt-port", "1"]
    )
    assert result.exit_code == 0, result.output
    assert f"Using the local Neo4j at neo4j://localhost:{local_server.bolt_port}" in result.output
    assert "stop it first to start it on other ports" in result.output
    assert f"http://localhost:{local_server.http_port}/browser/" in result.output
    records, _, _ = db.driver.execute_query("MATCH (r:Run) RETURN count(r) AS runs")
    assert records[0]["runs"] == 1


def test_a_failed_training_run_keeps_its_servers_logs(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The class archive's training run deletes its server directory; when it fails, the
    # server's logs are what says why, so they are kept (a CI run once failed there with
    # nothing left to read).
    from powerconnect import demo
    from powerconnect.class_archive import build_class_archive

    home = tmp_path / "home"
    (home / local_server.lib_dir.parent.name).mkdir(parents=True)
    (home / local_server.lib_dir.parent.name / "lib").symlink_to(local_server.lib_dir)

    def broken(db: Database, **_: object) -> None:
        raise RuntimeError("the training broke")

    monkeypatch.setattr(demo, "run_demo", broken)
    said: list[str] = []
    with pytest.raises(RuntimeError, match="the training broke"):
        build_class_archive(home, log=said.append)
    kept = home / local_server.lib_dir.parent.name / "training-failed-logs"
    assert (kept / "neo4j.log").is_file()
    assert any(f"logs are kept in {kept}" in line for line in said)
    left = {p.name for p in (home / local_server.lib_dir.parent.name).glob("training-*")}
    assert left == {"training-failed-logs"}  # the server directory itself is gone
