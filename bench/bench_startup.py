"""How long the local Neo4j takes from `start` to Bolt answering a login, with the jars cached,
with the install's class-data-sharing archive and without it, as a ratio.

Run: .venv/bin/python bench/bench_startup.py [--runs 3]

Starts two throwaway servers (temporary directories, free ports) in turns, ``--runs`` times
each, and times every start to Bolt ready:

* **with the archive**: the install in the user's home (``POWERCONNECT_HOME``), whose class
  archive the first stop after an install writes (``powerconnect neo4j install`` builds it);
* **without**: a temporary install that links to the same jars but has no archive, as on the
  first start of a new install. The archive its stop writes is deleted before its next
  start, so every one of its starts is a start without.

The first start of each server also creates its database; later ones reopen it. Prints one
line per start, the medians and their ratio (with / without: below 1 means the archive
helps). Starts in turns so that the machine's drift falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from powerconnect.server import LocalServer, default_home, free_port

PASSWORD = "startup-bench-pw"


def _timed_start(server: LocalServer) -> float:
    t0 = time.perf_counter()
    server.start(password=PASSWORD)
    elapsed = time.perf_counter() - t0
    server.stop()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    home = default_home()
    with tempfile.TemporaryDirectory(prefix="pc-startup-") as tmp:
        with_archive = LocalServer(
            home=home, server_dir=Path(tmp, "with"), bolt_port=free_port(), http_port=free_port()
        )
        with_archive.install(print)
        bare_home = Path(tmp, "home")
        bare_home.joinpath(with_archive.lib_dir.parent.name).mkdir(parents=True)
        bare_home.joinpath(with_archive.lib_dir.parent.name, "lib").symlink_to(with_archive.lib_dir)
        without = LocalServer(
            home=bare_home,
            server_dir=Path(tmp, "without"),
            bolt_port=free_port(),
            http_port=free_port(),
        )
        if not with_archive.class_archive.exists():
            print("No class archive in the home yet: run `powerconnect neo4j install` first.")
            raise SystemExit(1)
        times: dict[str, list[float]] = {"with": [], "without": []}
        for i in range(args.runs):
            for name, server in (("with", with_archive), ("without", without)):
                without.class_archive.unlink(missing_ok=True)
                elapsed = _timed_start(server)
                times[name].append(elapsed)
                print(
                    f"start {i + 1} {name} the class archive "
                    f"({'new database' if i == 0 else 'existing data'}): "
                    f"{elapsed:.1f} s to Bolt ready"
                )
    med = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"median over {args.runs} starts each: {med['with']:.1f} s with the archive, "
        f"{med['without']:.1f} s without; ratio {med['with'] / med['without']:.2f} "
        f"({date.today()}, {os.cpu_count()} cores, {platform.machine()}, Neo4j jars cached)"
    )


if __name__ == "__main__":
    main()
