"""A non-editable install carries the Cypher files and the server pom, and finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from powerconnect.engine import queries

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_wheel_install_finds_every_cypher_query(tmp_path: Path) -> None:
    # built from a copy: setuptools would reuse a checkout's stale build/ directory
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".ci-home", "build", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("powerconnect-*.whl")
    members = set(zipfile.ZipFile(wheel).namelist())
    assert "powerconnect/neo4j/pom.xml" in members
    for name in queries.names():
        assert f"powerconnect/cypher/{name}.cypher" in members, name
    # One installed namespace: nothing but powerconnect (and its metadata) at the top.
    assert {m.split("/")[0] for m in members if not m.startswith("powerconnect-")} == {
        "powerconnect"
    }

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    probe = (
        "import powerconnect.engine.queries as q, powerconnect.server as s;"
        "import importlib.resources as r;"
        "print(q.__file__); print(len(q.names()));"
        "print(len(r.files('powerconnect').joinpath('neo4j/pom.xml').read_text()) > 0);"
        "import importlib.util as u; print(u.find_spec('engine') is None)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out[0].startswith(str(target))  # the installed copy, not the checkout
    assert int(out[1]) == len(queries.names())
    assert out[2] == "True"
    assert out[3] == "True"  # `import engine` finds nothing: the wheel takes no generic name
