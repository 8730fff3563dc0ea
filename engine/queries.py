"""The registry of named Cypher queries.

Each query lives in its own file ``cypher/<name>.cypher`` (``cypher/browser/``
holds the saved queries for Neo4j Browser) and uses ``$parameters`` only, so that
the same text runs in Neo4j Browser after ``:param``. The file starts with a header
of ``//`` comments, read once here (as aiosql's query loader does) into a
:class:`Query` that every caller shares::

    // <name>: <summary sentence> <more description ...>
    // Returns: <columns> (optional; may share a line with what follows)
    // Parameters: $a (type), $b (type)   ("Parameters: none" when there are none)
    // Example in Browser: :param a => 'x'; :param b => 1      (optional)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
_EXAMPLE = re.compile(r":param\s+([A-Za-z_]\w*)\s*=>\s*(.+?)\s*(?=;\s*:param\b|$)")


@dataclass(frozen=True)
class Query:
    """One ``.cypher`` file, its header parsed.

    ``parameters`` are the ``$names`` the code uses, in order of first use;
    ``documented`` those the header names; ``examples`` the header's
    ``:param name => value`` values.
    """

    name: str
    text: str
    header: tuple[str, ...]  # the header comment lines, without "//"
    code: str  # the query without its comment lines
    summary: str  # the header's first sentence, after "<name>:"
    returns: str | None  # what follows "Returns:", when the header says
    parameters: tuple[str, ...]
    documented: frozenset[str]
    examples: dict[str, str]
    path: Path

    @property
    def stem(self) -> str:
        return self.name.rpartition("/")[2]


def _package(name: str) -> tuple[str, str]:
    package, _, stem = name.rpartition("/")
    return "powerconnect.cypher" + ("." + package.replace("/", ".") if package else ""), stem


@cache
def get(name: str) -> Query:
    """The query ``cypher/<name>.cypher`` (``name`` may be ``browser/<name>``), parsed once.

    >>> q = get("strong_open_pairs")
    >>> q.parameters[:2], q.summary.split()[:2]
    (('id', 'strong'), ['The', 'structural'])
    """
    pkg, stem = _package(name)
    resource = resources.files(pkg).joinpath(f"{stem}.cypher")
    if not resource.is_file():
        raise KeyError(f"no Cypher query named {name!r}")
    text = resource.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = tuple(line.lstrip()[2:].strip() for line in lines if line.lstrip().startswith("//"))
    code = "\n".join(line for line in lines if not line.lstrip().startswith("//")).strip()
    first = " ".join(header)
    described = first.removeprefix(f"{stem}:").strip() if first.startswith(f"{stem}:") else ""
    summary = re.split(r"(?<=[.)]) (?=[A-Z(])|\bReturns\b", described, maxsplit=1)[0].strip()
    joined = "\n".join(header)
    at = joined.find("Parameters")
    documented = set(_PARAMETER.findall(joined[at:])) if at >= 0 else set()
    said = re.search(r"\bReturns:?\s*(.+?)\s*(?=\bParameters\b|\bExample\b|$)", joined, re.S)
    returns = " ".join(said.group(1).split()).rstrip(".") if said else None
    examples: dict[str, str] = {}
    for line in header:
        for match in _EXAMPLE.finditer(line):
            examples.setdefault(match.group(1), match.group(2).rstrip(";").strip())
    return Query(
        name=name,
        text=text,
        header=header,
        code=code,
        summary=summary[:1].upper() + summary[1:],
        returns=returns,
        parameters=tuple(dict.fromkeys(_PARAMETER.findall(code))),
        documented=frozenset(documented),
        examples=examples,
        path=Path(str(resource)),
    )


def load(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` (``name`` may be ``browser/<name>``).

    >>> "CONSTRAINT" in load("constraints")
    True
    """
    return get(name).text


def names() -> list[str]:
    """Every query name, browser queries included (``browser/<name>``)."""
    out: list[str] = []
    for pkg, prefix in (("powerconnect.cypher", ""), ("powerconnect.cypher.browser", "browser/")):
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
