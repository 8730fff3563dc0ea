"""A training run that builds the local Neo4j's class-data-sharing archive.

The JVM can map classes, already parsed and verified, from an archive written when an
earlier JVM exited (``-XX:ArchiveClassesAtExit``, see :meth:`LocalServer._cds_options`).
The archive holds only the classes that JVM had loaded, so the best one comes from a run
that does what powerconnect does: this one starts a throwaway server, loads the bundled
sample (twice: the second load takes the compare-and-update path), ranks it, recommends
introductions, finds a path, and stops; the archive then holds the Cypher compiler and the
write paths as well as the server. ``powerconnect neo4j install`` (and so ``make demo``
and ``make test``) runs it once per install.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from powerconnect.engine.db import Database
from powerconnect.engine.paths import find_paths
from powerconnect.engine.settings import ConnectionSettings
from powerconnect.server import LocalServer, free_port


def build_class_archive(home: Path, log: Callable[[str], None] = lambda _m: None) -> bool:
    """Build ``<home>/neo4j-<version>/neo4j-classes.jsa`` if it is missing; False if it
    was there already. Takes about half a minute, once."""
    from powerconnect.demo import run_demo  # noqa: PLC0415 (demo imports the loaders)

    probe = LocalServer(home=home)
    if probe.class_archive.exists():
        return False
    probe.install(log)
    work = Path(tempfile.mkdtemp(prefix="training-", dir=probe.lib_dir.parent))
    server = LocalServer(home=home, server_dir=work, bolt_port=free_port(), http_port=free_port())
    password = secrets.token_urlsafe(18)
    log("Preparing the class archive for faster starts and first queries (once) ...")
    failed = True
    try:
        server.start(password=password)
        settings = ConnectionSettings(uri=server.bolt_uri, password=password)
        with Database.connect(settings) as db:
            result = run_demo(db)
            run_demo(db)  # again: the lookups and updates of a reload
            top = result.run.table["id"].tolist()
            find_paths(db, top[0], top[-1])
        failed = False
    finally:
        server.stop()  # the JVM writes the archive as it exits
        if failed and server.logs_dir.is_dir():
            # keep the training server's logs (its data goes): they say why it failed
            kept = probe.lib_dir.parent / "training-failed-logs"
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(server.logs_dir, kept)
            log(f"The training run failed; its server's logs are kept in {kept}.")
        shutil.rmtree(work, ignore_errors=True)
    return server.class_archive.exists()
