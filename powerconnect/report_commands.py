"""``powerconnect report`` and ``powerconnect browser``: look at the last ranking run.

``report`` writes a self-contained HTML page (and a PNG) from the ranking stored in
Neo4j; ``browser`` says how to look at it in Neo4j Browser: the address, the login,
the style sheet and the saved queries in ``cypher/browser/``. The commands are
registered on the main group by :func:`register`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import click

from powerconnect.engine import queries
from powerconnect.engine.errors import UsageError
from powerconnect.engine.settings import DEFAULT_USER, ConnectionSettings, uri_problem
from powerconnect.options import connection_options, info, open_database
from powerconnect.server import LocalServer

#: The saved queries for Neo4j Browser, in the order ``powerconnect browser`` lists them
#: (any other file in ``cypher/browser/`` follows, by name).
SAVED_QUERIES = (
    "browser/top_power_connectors",
    "browser/ego_network",
    "browser/recommended_introductions",
    "browser/mega_vs_power",
    "browser/structural_holes",
)
STYLE_FILE = "powerconnect.grass"
BROWSER_HTTP_PORT = 7474
BROWSER_HTTPS_PORT = 7473


def register(group: click.Group) -> None:
    """Add ``report`` and ``browser`` to ``group`` (the ``powerconnect`` command)."""
    group.add_command(report_cmd)
    group.add_command(browser_cmd)


# --------------------------------------------------------------------------- report
@click.command("report")
@connection_options
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the report here: FILE.html (self-contained, with FILE.png beside it) "
    "or FILE.png (the figure alone).",
)
@click.option(
    "--png",
    "png_path",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    default=None,
    help="Where to write the figure [default: the --out path with .png]",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows in each table of the HTML report.",
)
@click.option("--force", is_flag=True, help="Overwrite --out (and --png) if they exist.")
def report_cmd(
    settings: ConnectionSettings, out: Path, png_path: Path | None, top: int, force: bool
) -> None:
    """Report the last ranking run: a scatter of each person's ties against their mean
    tie strength, coloured by role, and the top tables.

    Mega connectors fall at the bottom right (many ties, mostly weak), power
    connectors above and left of them (fewer ties, mostly strong). The HTML page
    needs nothing else to open: the figure is embedded in it, and also written
    as a PNG beside it. Run `powerconnect rank` first.

    Example:

        powerconnect report --out report.html
    """
    from powerconnect.engine.report import (  # matplotlib: only here
        read_report,
        render_html,
        render_png,
    )

    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".png"):
        raise click.BadParameter("must end in .html or .png", param_hint="--out")
    if suffix == ".png" and png_path is not None:
        raise click.BadParameter(
            "goes with an HTML --out; a .png --out is the figure", param_hint="--png"
        )
    targets = [out] if suffix == ".png" else [out, png_path or out.with_suffix(".png")]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        verb = "exists" if len(existing) == 1 else "exist"
        raise UsageError(f"{' and '.join(existing)} already {verb}: pass --force to overwrite")
    with open_database(settings) as db:
        data = read_report(db)
    png = render_png(data)
    files: dict[Path, bytes] = {}
    if suffix != ".png":
        files[out] = render_html(data, png, top=top).encode("utf-8")
    files[png_path or out.with_suffix(".png")] = png
    for path, content in files.items():
        _write(path, content)
    written = list(files)
    info(
        f"Report of run {data.run.id} ({len(data.people)} people) written to "
        + " and ".join(str(p) for p in written)
        + "."
    )


def _write(path: Path, content: bytes) -> None:
    """Write a file, creating its directory; a failure is one line, not a traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from exc


# --------------------------------------------------------------------------- browser
@dataclass(frozen=True)
class SavedQuery:
    """A query of ``cypher/browser/`` as ``powerconnect browser`` shows it."""

    name: str  # "browser/<stem>"
    summary: str  # the header's first sentence
    params: list[str]  # ":param name => value" lines, one per $parameter
    code: str  # the query without its header comments
    path: Path


def style_text() -> str:
    """The GraSS style sheet ``cypher/browser/powerconnect.grass``."""
    return (
        resources.files("powerconnect.cypher.browser")
        .joinpath(STYLE_FILE)
        .read_text(encoding="utf-8")
    )


def style_path() -> Path:
    return Path(str(resources.files("powerconnect.cypher.browser").joinpath(STYLE_FILE)))


def saved_queries() -> list[SavedQuery]:
    """Every query in ``cypher/browser/``, in :data:`SAVED_QUERIES` order, then by name."""
    present = [n for n in queries.names() if n.startswith("browser/")]
    ordered = [n for n in SAVED_QUERIES if n in present]
    ordered += sorted(n for n in present if n not in SAVED_QUERIES)
    return [_saved_query(name) for name in ordered]


def _saved_query(name: str) -> SavedQuery:
    query = queries.get(name)
    params = [f":param {p} => {query.examples.get(p, '...  (set it)')}" for p in query.parameters]
    return SavedQuery(
        name=name, summary=query.summary, params=params, code=query.code, path=query.path
    )


def browser_url(uri: str | None, user: str, server: LocalServer) -> str:
    """The Neo4j Browser address for the database at ``uri`` (None: the local server),
    with the connect form filled in (``?dbms=``) but for the password.

    >>> browser_url("bolt://db.example.org:7687", "neo4j", LocalServer())
    'http://db.example.org:7474/browser/?dbms=bolt://neo4j@db.example.org:7687'
    """
    if uri is None:
        started = server.as_running()
        http_port, bolt_port = started.http_port, started.bolt_port
        return f"http://localhost:{http_port}/browser/?dbms=neo4j://{user}@localhost:{bolt_port}"
    parts = urlsplit(uri)
    host = parts.hostname or "localhost"
    secure = parts.scheme.endswith(("+s", "+ssc"))
    web = f"https://{host}:{BROWSER_HTTPS_PORT}" if secure else f"http://{host}:{BROWSER_HTTP_PORT}"
    port = f":{parts.port}" if parts.port else ""
    return f"{web}/browser/?dbms={parts.scheme}://{user}@{host}{port}"


def password_hint(env: Mapping[str, str], uri: str | None, server: LocalServer) -> str:
    """Where the password comes from (never the password itself)."""
    if env.get("NEO4J_PASSWORD"):
        return "the value of NEO4J_PASSWORD"
    if uri is None and server.password_file.exists():
        return f"generated by powerconnect, in {server.password_file} (readable by you only)"
    if uri is None:
        return "NEO4J_PASSWORD as it was set at the local server's first start"
    return "the password of that database (set NEO4J_PASSWORD for powerconnect itself)"


def browser_guide(
    uri: str | None,
    user: str,
    env: Mapping[str, str],
    server: LocalServer,
    url: str | None = None,
) -> str:
    """What ``powerconnect browser`` prints: address, login, style step and saved queries."""
    url = url or browser_url(uri, user, server)
    lines = [
        f"Neo4j Browser for {'the local server' if uri is None else uri}:",
        f"  {url}",
        f"  Connect URL: {uri or server.as_running().bolt_uri}",
        f"  User:        {user}",
        f"  Password:    {password_hint(env, uri, server)}",
    ]
    if uri is None and not server.running():
        lines.append(
            "  (the local server is not running: start it with `powerconnect neo4j start`)"
        )
    lines += [
        "",
        "Style, once per browser (Browser keeps it):",
        f"  drag {style_path()} onto the Browser window,",
        "  or paste the output of `powerconnect browser --style` into the editor and run it",
        "  (Ctrl+Enter). People are coloured by role: power connectors orange, mega",
        "  connectors blue, local hubs green, others grey, organizations yellow; sized by",
        "  score (four sizes, by share of the best score) with '#rank name' captions. Each",
        "  tie shows its strength. `:style reset` undoes it.",
        "",
        "Saved queries (run the :param lines first; to keep one, drag its .cypher file onto",
        "the Browser window and choose 'Save to favorites'). Run `powerconnect rank` first.",
    ]
    for query in saved_queries():
        lines += ["", f"* {query.summary}  [{query.path.name}]"]
        lines += [f"    {line}" for line in query.params]
        lines += [f"    {line}" for line in query.code.splitlines()]
    return "\n".join(lines)


@click.command("browser")
@click.option(
    "--uri",
    envvar="NEO4J_URI",
    default=None,
    show_envvar=True,
    help="Bolt URI of the database [default: the local server]",
)
@click.option(
    "--user",
    envvar="NEO4J_USER",
    default=DEFAULT_USER,
    show_envvar=True,
    show_default=True,
    help="Database user to log in as.",
)
@click.option(
    "--browser-url",
    "url",
    default=None,
    metavar="URL",
    help="Neo4j Browser's address, when it is not on the database host's port 7474.",
)
@click.option(
    "--style",
    "style_only",
    is_flag=True,
    help="Print only the `:style` command that applies powerconnect's style in Browser.",
)
def browser_cmd(uri: str | None, user: str, url: str | None, style_only: bool) -> None:
    """Say how to look at the ranking in Neo4j Browser: address, login, style, saved queries.

    The style (cypher/browser/powerconnect.grass) colours people by role (power
    connectors orange, mega connectors blue, local hubs green, others grey,
    organizations yellow), sizes them by score with their rank in the caption,
    and labels each tie with its strength. Apply it once per browser:
    drag the .grass file onto Browser, or paste the output of
    `powerconnect browser --style` into Browser's editor and run it. The password
    is never printed, only where it comes from.

    Example:

        powerconnect browser && powerconnect browser --style
    """
    if style_only:
        click.echo(":style " + style_text().rstrip())
        return
    if uri is not None:
        uri = uri.strip()
        problem = uri_problem(uri)
        if problem:
            raise UsageError(problem)
    click.echo(browser_guide(uri, user, os.environ, LocalServer(), url))
