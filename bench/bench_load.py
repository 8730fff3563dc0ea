"""Load benchmark: a 1M-tie network through `powerconnect load`, and through neo4j-admin import.

Run it as ``.venv/bin/python bench/bench_load.py`` (``make bench-load``); it takes a few
minutes and prints its figures. What it does:

1. generates a contact network (default 100k people, 1M ties) with heavy-tailed degrees:
   a Chung-Lu graph whose expected degrees follow a Pareto law (exponent 2.5), so a few
   hubs have thousands of ties and the median person about a dozen; strengths are drawn
   from Beta(2, 5). Written as the generic CSV pair (``id,name`` and
   ``source,target,strength``);
2. starts a throw-away local Neo4j (heap 4g, page cache 2g, free ports) and times:

   * **cold**: ``powerconnect load --people --ties`` as a subprocess, on the server just
     started (this is what a user does after ``powerconnect neo4j start``);
   * **reload**: the same command again: every tie is compared, nothing is written;
   * **warm**: on an emptied database after a small warm-up load (the JVM has compiled
     the write path, as on a server that has been up for a while);

3. stops the server and times ``neo4j-admin database import full`` (the offline bulk
   importer, same jars) on the same rows, and prints loader seconds / import seconds.

The figures depend on what else the machine runs: the load average at the start is
printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from powerconnect.engine.db import Database  # noqa: E402
from powerconnect.engine.settings import ConnectionSettings  # noqa: E402
from powerconnect.server import ADMIN_TOOL, LocalServer, default_home, free_port  # noqa: E402

CLI = (
    "from powerconnect.cli import main; from powerconnect.load_commands import register; "
    "register(main); main()"
)


# ------------------------------------------------------------------------ the network
def generate(
    people: int, ties: int, seed: int = 7, exponent: float = 2.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chung-Lu: endpoints drawn in proportion to Pareto weights; no loops, no repeats."""
    rng = np.random.default_rng(seed)
    weight = (1.0 - rng.random(people)) ** (-1.0 / (exponent - 1.0))
    p = weight / weight.sum()
    pairs = np.empty((0, 2), dtype=np.int64)
    while len(pairs) < ties:
        k = int((ties - len(pairs)) * 1.3) + 1000
        a, b = rng.choice(people, size=k, p=p), rng.choice(people, size=k, p=p)
        ok = a != b
        lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
        pairs = np.unique(np.concatenate([pairs, np.stack([lo, hi], axis=1)]), axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:ties]]
    flip = rng.random(ties) < 0.5  # files list ties in either direction
    src = np.where(flip, pairs[:, 1], pairs[:, 0])
    dst = np.where(flip, pairs[:, 0], pairs[:, 1])
    strength = np.clip(np.round(rng.beta(2.0, 5.0, ties), 4), 0.0001, 1.0)
    return src, dst, strength


def write_network(directory: Path, people: int, ties: int) -> tuple[Path, Path, np.ndarray]:
    src, dst, strength = generate(people, ties)
    ids = np.array([f"p{i:06d}" for i in range(people)], dtype=object)
    people_csv, ties_csv = directory / "people.csv", directory / "ties.csv"
    names = [f"Person {i}" for i in range(people)]
    pd.DataFrame({"id": ids, "name": names}).to_csv(people_csv, index=False)
    pd.DataFrame({"source": ids[src], "target": ids[dst], "strength": strength}).to_csv(
        ties_csv, index=False
    )
    degree = np.bincount(np.concatenate([src, dst]), minlength=people)
    return people_csv, ties_csv, degree


# ------------------------------------------------------------------------ the server
@dataclass
class Server:
    local: LocalServer
    password: str

    @property
    def settings(self) -> ConnectionSettings:
        return ConnectionSettings(
            uri=f"bolt://localhost:{self.local.bolt_port}", password=self.password
        )

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(NEO4J_URI=self.settings.uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=self.password)
        env.pop("NEO4J_DATABASE", None)
        return env

    def wipe(self) -> None:
        """Stop, delete the user database, start again (an empty store, a cold JVM)."""
        self.local.stop()
        for d in ("databases/neo4j", "transactions/neo4j"):
            shutil.rmtree(self.local.data_dir / d, ignore_errors=True)
        self.local.start(password=self.password)


@dataclass
class Run:
    seconds: float  # wall clock of the whole command, Python start-up included
    server_cpu: float  # CPU seconds the Neo4j JVM used meanwhile
    client_cpu: float  # CPU seconds of the powerconnect process
    summary: str

    def line(self, label: str, ties: int) -> str:
        return (
            f"{label:<16} {self.seconds:6.1f} s  {ties / self.seconds:9,.0f} ties/s  "
            f"(CPU: Neo4j {self.server_cpu:.1f} s, powerconnect {self.client_cpu:.1f} s; "
            f"load average {os.getloadavg()[0]:.1f})\n{'':<17}{self.summary}"
        )


def jvm_cpu(server: Server) -> float:
    pid = server.local.pid()
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reap_stopped_servers() -> None:
    """Collect the exit status of JVMs this script stopped, so that their CPU time is not
    counted as the next load's (it joins RUSAGE_CHILDREN when the child is reaped)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def powerconnect_load(server: Server, people: Path, ties: Path, *options: str) -> Run:
    reap_stopped_servers()
    server_before = jvm_cpu(server)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CLI, "load", "--people", str(people), "--ties", str(ties), *options],
        env=server.env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"powerconnect load failed ({proc.returncode}):\n{proc.stderr}")
    client = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (client.ru_utime - client_before.ru_utime) + (
        client.ru_stime - client_before.ru_stime
    )
    return Run(seconds, jvm_cpu(server) - server_before, client_cpu, proc.stdout.strip())


def counts(server: Server) -> tuple[int, int]:
    with Database.connect(server.settings) as db:
        row = db.query("database_counts")[0]
    return int(row["people"]), int(row["ties"])


def warm_up(server: Server, directory: Path) -> None:
    """A small load and a clear, so that the JVM has compiled the write path."""
    directory.mkdir(exist_ok=True)
    people, ties, _ = write_network(directory, 20_000, 100_000)
    powerconnect_load(server, people, ties)
    with Database.connect(server.settings) as db:
        db.clear()


def admin_import(server: Server, people: Path, ties: Path, work: Path) -> float:
    """neo4j-admin database import full, on the same rows (headers in separate files)."""
    headers = {
        "people": ("id:ID,name\n", people),
        "ties": (":START_ID,:END_ID,strength:double\n", ties),
    }
    files: dict[str, tuple[Path, Path]] = {}
    for name, (header, source) in headers.items():
        head, body = work / f"{name}_header.csv", work / f"{name}_body.csv"
        head.write_text(header)
        with source.open("rb") as src, body.open("wb") as out:
            src.readline()  # the loader's header line
            shutil.copyfileobj(src, out, 1 << 20)
        files[name] = (head, body)
    local = server.local
    cmd = [
        local._java(),
        "-cp",
        str(local.lib_dir / "*"),
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        f"--nodes=Person={files['people'][0]},{files['people'][1]}",
        f"--relationships=KNOWS={files['ties'][0]},{files['ties'][1]}",
        "--overwrite-destination=true",
        f"--report-file={work / 'import.report'}",
        "neo4j",
    ]
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, env=local._env(), cwd=local.root, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(
            f"neo4j-admin import failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
    return seconds


# ------------------------------------------------------------------------ main
def cpu_probe() -> float:
    """Seconds for a fixed pure-Python loop: how fast the cores are right now. On a shared
    VM the same loop varies by a third from minute to minute, and so do the loads."""
    started = time.perf_counter()
    sum(range(50_000_000))
    return time.perf_counter() - started


def say(text: str) -> None:
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="only the load on a server just started (about a minute; to repeat that figure)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="with --cold-only: this many cold loads, each on a server just restarted with an "
        "empty database (the VM's speed drifts; one run is one sample)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    load_before = os.getloadavg()
    probe_before = cpu_probe()
    say(f"date             {datetime.now().astimezone().isoformat(timespec='seconds')}")
    say(
        f"machine          {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    say(
        f"load average     {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
        "(other processes compete for the cores)"
    )

    t = time.perf_counter()
    people_csv, ties_csv, degree = write_network(work, args.people, args.ties)
    say(
        f"network          {args.people} people, {args.ties} ties, degree median "
        f"{int(np.median(degree))}, max {int(degree.max())} (generated in "
        f"{time.perf_counter() - t:.1f} s)"
    )

    local = LocalServer(
        home=default_home(),
        server_dir=work / "server",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="4g",
        pagecache="2g",
    )
    server = Server(local, secrets.token_urlsafe(12))
    say(
        "class archive    "
        + (
            "used (the JVM maps Neo4j's classes from it; see powerconnect.server)"
            if local.class_archive.exists()
            else "none yet: this server writes it when it stops"
        )
    )
    local.start(password=server.password)
    try:
        cold_run = powerconnect_load(server, people_csv, ties_csv)
        assert counts(server) == (args.people, args.ties), counts(server)
        say(cold_run.line("load (cold JVM)", args.ties))
        if args.cold_only:
            colds = [cold_run.seconds]
            for i in range(2, args.repeat + 1):
                server.wipe()
                probe = cpu_probe()
                again = powerconnect_load(server, people_csv, ties_csv)
                assert counts(server) == (args.people, args.ties), counts(server)
                say(f"cpu probe        {probe:.2f} s (before run #{i})")
                say(again.line(f"load (cold) #{i}", args.ties))
                colds.append(again.seconds)
            met = sum(s <= 30 for s in colds)
            say(
                f"target           <= 30 s on a server just started: met in {met} of "
                f"{len(colds)} (median {np.median(colds):.1f} s, {min(colds):.1f}-"
                f"{max(colds):.1f} s)"
            )

        else:
            again = powerconnect_load(server, people_csv, ties_csv)
            say(again.line("reload (no-op)", args.ties))
            synced = powerconnect_load(server, people_csv, ties_csv, "--sync")
            say(synced.line("reload --sync", args.ties))

            server.wipe()
            warm_up(server, work / "warmup")
            warm_run = powerconnect_load(server, people_csv, ties_csv)
            assert counts(server) == (args.people, args.ties)
            say(warm_run.line("load (warm JVM)", args.ties))
            cold, warm = cold_run.seconds, warm_run.seconds
    finally:
        local.stop()
    if args.cold_only:
        say(f"cpu probe        {probe_before:.2f} s at the start (sum(range(5e7)); lower: faster)")
        shutil.rmtree(work, ignore_errors=True)
        return

    imported = admin_import(server, people_csv, ties_csv, work)
    say(
        f"neo4j-admin      {imported:6.1f} s  {args.ties / imported:9,.0f} ties/s   "
        "(offline, server stopped, JVM start included)"
    )
    local.start(password=server.password)
    try:
        assert counts(server) == (args.people, args.ties), counts(server)
    finally:
        local.stop()
    say(f"ratio            load / import: {cold / imported:.1f}x cold, {warm / imported:.1f}x warm")
    verdict = ", ".join(
        f"{label} {'met' if s <= 30 else 'NOT met'} ({s:.1f} s)"
        for label, s in (("cold", cold), ("warm", warm))
    )
    say(f"target           {args.ties:,} ties in <= 30 s through powerconnect load: {verdict}")
    load_after = os.getloadavg()
    say(f"load average     {load_after[0]:.2f} at the end")
    say(
        f"cpu probe        {probe_before:.2f} s at the start, {cpu_probe():.2f} s at the end "
        "(sum(range(5e7)); lower is faster)"
    )
    if args.keep:
        say(f"kept             {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
