"""The registry of named Cypher queries.

Each query lives in its own file ``cypher/<name>.cypher`` (``cypher/browser/``
holds the saved queries for Neo4j Browser), starts with a ``//`` comment that
says what it returns and which ``$parameters`` it takes, and uses parameters
only, so that the same text runs in Neo4j Browser after ``:param``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` (``name`` may be ``browser/<name>``).

    >>> "MERGE" in load("constraints") or "CONSTRAINT" in load("constraints")
    True
    """
    package, _, stem = name.rpartition("/")
    pkg = "cypher" + ("." + package.replace("/", ".") if package else "")
    path = resources.files(pkg).joinpath(f"{stem}.cypher")
    if not path.is_file():
        raise KeyError(f"no Cypher query named {name!r}")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    """Every query name, browser queries included (``browser/<name>``)."""
    out: list[str] = []
    for pkg, prefix in (("cypher", ""), ("cypher.browser", "browser/")):
        for entry in resources.files(pkg).iterdir():
            if entry.name.endswith(".cypher"):
                out.append(prefix + entry.name.removesuffix(".cypher"))
    return sorted(out)


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file (split on ``;`` at line ends), comments kept."""
    parts = [p.strip() for p in load(name).split(";\n")]
    return [p.rstrip(";").strip() for p in parts if _has_code(p)]


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("//") for line in text.splitlines())
