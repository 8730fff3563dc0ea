"""Connection settings, resolved the way Neo4j's own tools do.

Order: explicit value (a CLI option) > environment (``NEO4J_URI``,
``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) > the local server
started by ``powerconnect neo4j start`` (its URI and its generated password,
read from a file only the user can read). The password never appears in
``repr`` or in any message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URI = "neo4j://localhost:7687"
DEFAULT_USER = "neo4j"


@dataclass(frozen=True)
class ConnectionSettings:
    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        password_file: Path | None = None,
    ) -> ConnectionSettings:
        """Fill each setting from the argument, else the environment, else the default.

        ``password_file`` is the local server's generated password, used when
        neither the argument nor ``NEO4J_PASSWORD`` gives one.

        >>> ConnectionSettings.resolve(env={"NEO4J_URI": "bolt://db:7687"}).uri
        'bolt://db:7687'
        """
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        user = user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or DEFAULT_USER
        password = password or env.get("NEO4J_PASSWORD")
        if password is None and password_file is not None:
            try:
                password = password_file.read_text().strip() or None
            except OSError:
                password = None
        database = database or env.get("NEO4J_DATABASE") or None
        return cls(uri=uri, user=user, password=password, database=database)


#: URI schemes the Neo4j driver speaks Bolt with (``+s``: TLS, ``+ssc``: TLS with a
#: self-signed certificate).
BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def uri_problem(uri: str) -> str | None:
    """What is wrong with ``uri`` as a Bolt address, or None when nothing is.

    >>> uri_problem("neo4j://localhost:7687") is None
    True
    >>> uri_problem("localhost:7687")
    "the URI 'localhost:7687' has no scheme: write neo4j://localhost:7687"
    >>> print(uri_problem("http://localhost:7474"))  # doctest: +ELLIPSIS
    the URI 'http://localhost:7474' is a web address ...: write neo4j://localhost:7687
    >>> print(uri_problem("mongodb://db:27017"))  # doctest: +ELLIPSIS
    the URI 'mongodb://db:27017' is not a Neo4j one: its scheme must be one of neo4j, ...
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return f"the URI {uri!r} has no scheme: write neo4j://{uri}"
    if scheme.lower() in BOLT_SCHEMES:
        return None
    if scheme.lower() in ("http", "https"):
        host = rest.split("/", 1)[0].rsplit(":", 1)[0] or "localhost"
        return (
            f"the URI {uri!r} is a web address (Neo4j Browser's); powerconnect speaks Bolt: "
            f"write neo4j://{host}:7687"
        )
    return f"the URI {uri!r} is not a Neo4j one: its scheme must be one of " + ", ".join(
        BOLT_SCHEMES
    )
