"""How long the local Neo4j takes from `start` to Bolt answering a login, with the jars cached.

Run: .venv/bin/python bench/bench_startup.py [--runs 3]
Starts a throwaway server (temporary directory, free ports) several times; the first start
also creates the database, later ones reopen it. Prints one line per start and the median.
Each line says whether the install's class-data-sharing archive was there (the first stop
after an install writes it; delete <home>/neo4j-*/neo4j-classes.jsa to time a start without).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pc-startup-") as tmp:
        server = LocalServer(
            home=default_home(), server_dir=Path(tmp), bolt_port=free_port(), http_port=free_port()
        )
        server.install(print)
        times = []
        for i in range(args.runs):
            archive = server.class_archive.exists()
            t0 = time.perf_counter()
            server.start(password="startup-bench-pw")
            elapsed = time.perf_counter() - t0
            times.append(elapsed)
            print(
                f"start {i + 1} ({'new database' if i == 0 else 'existing data'}, "
                f"{'with' if archive else 'without'} the class archive): "
                f"{elapsed:.1f} s to Bolt ready"
            )
            server.stop()
    print(
        f"median {statistics.median(times):.1f} s over {len(times)} starts "
        f"({date.today()}, {os.cpu_count()} cores, {platform.machine()}, Neo4j jars cached)"
    )


if __name__ == "__main__":
    main()
