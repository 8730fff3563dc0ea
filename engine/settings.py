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
from urllib.parse import urlsplit

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
        uri = (uri or env.get("NEO4J_URI") or DEFAULT_URI).strip()
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
    """What is wrong with ``uri`` as a Bolt address, or None when nothing is. A user or
    password written into the URI is never repeated.

    >>> uri_problem("neo4j://localhost:7687") is None
    True
    >>> uri_problem("localhost:7687")
    "the URI 'localhost:7687' has no scheme: write neo4j://localhost:7687"
    >>> uri_problem("neo4j:localhost:7687")
    "the URI 'neo4j:localhost:7687' lacks the // after its scheme: write neo4j://localhost:7687"
    >>> print(uri_problem("http://localhost:7474"))  # doctest: +ELLIPSIS
    the URI 'http://localhost:7474' is a web address ...: write neo4j://localhost:7687
    >>> print(uri_problem("https://[::1]:7473"))  # doctest: +ELLIPSIS
    the URI 'https://[::1]:7473' is a web address ...: write neo4j+s://[::1]:7687
    >>> print(uri_problem("mongodb://db:27017"))  # doctest: +ELLIPSIS
    the URI 'mongodb://db:27017' is not a Neo4j one: its scheme must be one of neo4j, ...
    >>> uri_problem("neo4j://db:port")
    "the URI 'neo4j://db:port' has a host or port that cannot be read"
    >>> print(uri_problem("neo4j://neo4j:s3cret@db:7687"))  # doctest: +ELLIPSIS
    the URI 'neo4j://...@db:7687' carries a user or password: ...
    """
    text = uri.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        head, colon, tail = text.partition(":")
        if colon and head.lower() in (*BOLT_SCHEMES, "http", "https"):
            return (
                f"the URI {shown_uri(text)!r} lacks the // after its scheme: "
                f"write {head}://{shown_uri(tail.lstrip('/'))}"
            )
        return f"the URI {shown_uri(text)!r} has no scheme: write neo4j://{shown_uri(text)}"
    shown = shown_uri(text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # "db:port", "[::1" (urlsplit checks brackets and port numbers)
        return f"the URI {shown!r} has a host or port that cannot be read"
    if port == 0:
        return f"the URI {shown!r} has port 0"
    if scheme.lower() in ("http", "https"):
        host = parts.hostname or "localhost"
        host = f"[{host}]" if ":" in host else host
        bolt = "neo4j+s" if scheme.lower() == "https" else "neo4j"
        return (
            f"the URI {shown!r} is a web address (Neo4j Browser's); powerconnect speaks Bolt: "
            f"write {bolt}://{host}:7687"
        )
    if scheme.lower() not in BOLT_SCHEMES:
        return f"the URI {shown!r} is not a Neo4j one: its scheme must be one of " + ", ".join(
            BOLT_SCHEMES
        )
    if "@" in parts.netloc:
        return (
            f"the URI {shown!r} carries a user or password: give them with NEO4J_USER and "
            "NEO4J_PASSWORD (or --user and --password) instead"
        )
    return None


def shown_uri(uri: str) -> str:
    """``uri`` without what precedes an ``@`` in its authority (a user, a password)."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return "..." + uri[uri.rindex("@") :] if "@" in uri else uri
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "..." + authority[authority.rindex("@") :]
    return f"{scheme}{sep}{authority}{slash}{path}"
