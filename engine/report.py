"""The report of the last ranking run: a scatter of ties against mean tie strength, and tables.

The scatter is the picture of the difference between the two kinds of
connector. Each person is a point at (number of ties, mean tie strength),
coloured by role:

* **mega connectors** sit at the bottom right: many ties, mostly weak, so a low
  mean strength (Granovetter's weak ties, in bulk);
* **power connectors** sit above and to the left of them: fewer ties, mostly
  strong, reaching into several groups (Burt's brokers with strong ties on
  both sides of the hole);
* local hubs have many strong ties inside one group; everyone else is grey.

:func:`read_report` is the one read from Neo4j (the named query
``report_people``); the rest is pure: :func:`scatter_points` gives the data
behind the plot, :func:`figure` the matplotlib figure (no pyplot, no global
state), :func:`render_png` its PNG bytes and :func:`render_html` a
self-contained HTML page with the PNG embedded and the top tables.

References
----------
.. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
   Competition*. Harvard University Press.
.. [2] Granovetter, M. S. (1973). The strength of weak ties. *American Journal
   of Sociology* 78(6), 1360-1380.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter, StrMethodFormatter
from matplotlib.transforms import Bbox

from powerconnect.engine.analysis import settle
from powerconnect.engine.db import Database, stored_number
from powerconnect.engine.errors import UsageError

__all__ = [
    "PEOPLE_COLUMNS",
    "ROLE_COLOURS",
    "ROLE_ORDER",
    "ReportData",
    "RunInfo",
    "figure",
    "read_report",
    "render_html",
    "render_png",
    "role_label",
    "scatter_points",
]

#: Roles as ``powerconnect rank`` writes them, in drawing order (last on top); "" = no role.
ROLE_ORDER = ["", "local hub", "mega connector", "power connector"]
#: One colour per role (Okabe and Ito's colour-blind-safe palette), the same as in
#: ``cypher/browser/powerconnect.grass`` so that the report and Neo4j Browser agree.
ROLE_COLOURS = {
    "power connector": "#D55E00",
    "mega connector": "#0072B2",
    "local hub": "#009E73",
    "": "#BBBBBB",
}
#: The columns of :attr:`ReportData.people`, as ``report_people`` returns them.
PEOPLE_COLUMNS = [
    "rank",
    "id",
    "name",
    "role",
    "score",
    "ties",
    "mean_strength",
    "strong_ties",
    "weak_ties",
    "groups_bridged",
    "group",
    "explanation",
]
#: People named on the plot: the best power connectors and the biggest mega connectors.
NAMED_PER_ROLE = 5


@dataclass(frozen=True)
class RunInfo:
    """The ranking run a report describes."""

    id: str
    at: str
    strong: float  # the strong-tie cut-off of the run
    group_by: str | None  # the --group-by property, None when groups were detected


@dataclass(frozen=True)
class ReportData:
    """What crosses from Neo4j to the report: the run and one row per person, best first."""

    run: RunInfo
    people: pd.DataFrame  # columns PEOPLE_COLUMNS


def role_label(role: str) -> str:
    """The name of a role in legends and tables (``""`` is ``"no role"``).

    >>> role_label("mega connector"), role_label("")
    ('mega connector', 'no role')
    """
    return role if role else "no role"


def read_report(db: Database) -> ReportData:
    """Read the last run and everyone it ranked (query ``report_people``).

    Raises :class:`UsageError` when the database holds no ranking run.
    """
    settle(db)  # a ranking run stopped after it was published: finish it first
    df = db.query_df("report_people")
    if df.empty:
        raise UsageError("the database holds no ranking: run `powerconnect rank` first")
    first = df.iloc[0]
    group_by = first["group_by"]
    run = RunInfo(
        id=str(first["run_id"]),
        at=str(first["run_at"]),
        strong=stored_number(first["strong"], "Run.strong") or 0.5,
        group_by=None if _missing(group_by) else str(group_by),
    )
    people = df[PEOPLE_COLUMNS].copy()
    people["role"] = people["role"].fillna("").astype(str)
    people["name"] = people["name"].where(people["name"].notna(), people["id"]).astype(str)
    people["group"] = people["group"].fillna("").astype(str)
    people["explanation"] = people["explanation"].fillna("").astype(str)
    for column in _NUMBERS:  # stored values: their type is checked, not trusted
        people[column] = pd.Series(
            [stored_number(v, column) for v in people[column]], dtype="float64"
        )
    return ReportData(run=run, people=people.reset_index(drop=True))


def scatter_points(people: pd.DataFrame) -> pd.DataFrame:
    """The data behind the scatter: one row per person with at least one tie.

    Columns ``rank, id, name, role, ties, mean_strength, score``; people without ties
    have no mean strength and are left out.

    >>> people = pd.DataFrame({"rank": [1, 2], "id": ["a", "b"], "name": ["A", "B"],
    ...                        "role": ["", ""],
    ...                        "ties": [2, 0], "mean_strength": [0.5, float("nan")],
    ...                        "score": [0.0, 0.0]})
    >>> scatter_points(people)["id"].tolist()
    ['a']
    """
    cols = ["rank", "id", "name", "role", "ties", "mean_strength", "score"]
    points = people.loc[(people["ties"] > 0) & people["mean_strength"].notna(), cols]
    return points.reset_index(drop=True)


def figure(data: ReportData, *, width: float = 9.0, height: float = 6.0) -> Figure:
    """The scatter of ties (log scale) against mean tie strength, one colour per role.

    Each role is one scatter collection labelled ``"<role> (<count>)"``, drawn in
    :data:`ROLE_ORDER`; the dashed line is the run's strong-tie cut-off.
    """
    points = scatter_points(data.people)
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for role in ROLE_ORDER:
        rows = points[points["role"] == role]
        if rows.empty:
            continue
        plain = role == ""
        ax.scatter(
            rows["ties"],
            rows["mean_strength"],
            s=14 if plain else 46,
            c=ROLE_COLOURS[role],
            alpha=0.55 if plain else 0.95,
            edgecolors="none" if plain else "white",
            linewidths=0.6,
            label=f"{role_label(role)} ({len(rows)})",
            zorder=2 if plain else 3,
        )
    ax.axhline(data.run.strong, color="#888888", linestyle="--", linewidth=0.8, zorder=1)
    ax.text(
        0.995,
        data.run.strong,
        f"strong tie: strength ≥ {data.run.strong:g}",
        transform=ax.get_yaxis_transform(),
        ha="right",
        va="bottom",
        fontsize=7.5,
        color="#666666",
    )
    if not points.empty:
        ax.set_xscale("log")
        low, high = float(points["ties"].min()), float(points["ties"].max())
        ax.set_xlim(low / 1.25, high * 1.6)
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("ties (number of contacts, log scale)")
    ax.set_ylabel("mean tie strength")
    ax.set_title("Ties against mean tie strength, by role", loc="left", fontsize=12)
    ax.text(
        0.99,
        0.02,
        "many ties, mostly weak:\nmega connectors",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=8.5,
        color=ROLE_COLOURS["mega connector"],
    )
    ax.text(
        0.01,
        0.98,
        "fewer ties, mostly strong,\ninto several groups: power connectors",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8.5,
        color=ROLE_COLOURS["power connector"],
    )
    if not points.empty:  # a log locator on the linear axis of an empty plot fails
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        ax.text(
            0.5,
            0.5,
            "nobody in this run has a tie",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color="#666666",
        )
    ax.grid(True, which="major", color="#EEEEEE", linewidth=0.8, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    if len(ax.collections):
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper right", fontsize=8.5, frameon=False)
    fig.text(
        0.995,
        0.005,
        f"powerconnect run {data.run.id}, {data.run.at[:10]}",
        ha="right",
        va="bottom",
        fontsize=7,
        color="#999999",
    )
    _name_people(fig, ax, points)
    return fig


def _name_people(fig: Figure, ax: Axes, points: pd.DataFrame) -> None:
    """Name the best power connectors and the biggest mega connectors beside their points,
    trying a few positions around each point so that no two names overlap."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()  # fixes the layout, so that extents are final
    taken: list[Bbox] = []
    offsets = [(5, 3), (5, -10), (-5, 3), (-5, -10), (5, 12), (5, -19), (-5, 12), (-5, -19)]
    for role, order in (("power connector", "rank"), ("mega connector", "ties")):
        rows = points[points["role"] == role]
        rows = rows.sort_values(order, ascending=order == "rank").head(NAMED_PER_ROLE)
        names, xs, ys = rows["name"].astype(str), rows["ties"], rows["mean_strength"]
        for name, x, y in zip(names, xs, ys, strict=True):
            for dx, dy in offsets:
                label = ax.annotate(
                    name,
                    (float(x), float(y)),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha="left" if dx > 0 else "right",
                    fontsize=7.5,
                    color=ROLE_COLOURS[role],
                    zorder=4,
                )
                box = label.get_window_extent(renderer).expanded(1.05, 1.1)
                if not any(box.overlaps(other) for other in taken):
                    taken.append(box)
                    break
                label.remove()


def render_png(data: ReportData, *, dpi: int = 120) -> bytes:
    """The scatter as PNG bytes (matplotlib's Agg renderer; no display needed)."""
    buffer = io.BytesIO()
    figure(data).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# --------------------------------------------------------------------------- HTML
_TABLE_COLUMNS = [
    ("rank", "rank"),
    ("name", "name"),
    ("id", "id"),
    ("role", "role"),
    ("score", "score"),
    ("ties", "ties"),
    ("mean_strength", "mean strength"),
    ("strong_ties", "strong"),
    ("weak_ties", "weak"),
    ("groups_bridged", "groups bridged"),
    ("group", "group"),
    ("explanation", "why"),
]

_NUMBERS = ("rank", "score", "ties", "mean_strength", "strong_ties", "weak_ties", "groups_bridged")

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
p.meta { color: #666; margin-top: 0; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e5e5e5;
         vertical-align: top; }
th { background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name, td.role { white-space: nowrap; }
.dot { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%;
       margin-right: 0.35em; vertical-align: baseline; }
"""


def render_html(data: ReportData, png: bytes, *, top: int = 20) -> str:
    """A self-contained HTML page: the scatter (``png``, embedded as base64) and the tables.

    Tables: the ``top`` people by power-connector score, then the mega connectors
    (most ties first) and the local hubs (best rank first), at most ``top`` rows each.
    Every value is HTML-escaped; the page loads nothing from elsewhere.
    """
    people = data.people
    run = data.run
    counts = people["role"].value_counts()
    grouping = (
        f"groups: the person property {run.group_by!r}"
        if run.group_by
        else "groups: communities detected in the strong ties"
    )
    meta = (
        f"Run {run.id} at {run.at}; {len(people)} people; strong tie: strength ≥ "
        f"{run.strong:g}; {grouping}."
    )
    summary = ", ".join(
        f"{int(counts.get(role, 0))} {role_label(role)}s" for role in reversed(ROLE_ORDER[1:])
    )
    tables = [
        (f"Top {top} by power-connector score", people.sort_values("rank").head(top)),
        (
            "Mega connectors (most ties first)",
            people[people["role"] == "mega connector"]
            .sort_values(["ties", "rank"], ascending=[False, True])
            .head(top),
        ),
        (
            "Local hubs",
            people[people["role"] == "local hub"].sort_values("rank").head(top),
        ),
    ]
    image = base64.b64encode(png).decode("ascii")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>powerconnect report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>Power connectors and mega connectors</h1>",
        f'<p class="meta">{_e(meta)}</p>',
        f"<p>{_e(summary)}. Power connectors have strong ties on both sides of structural "
        "holes; mega connectors have many ties, mostly weak.</p>",
        "<img alt=\"Scatter of each person's number of ties against their mean tie strength, "
        f'coloured by role" src="data:image/png;base64,{image}">',
    ]
    if scatter_points(people).empty:
        parts.append(
            "<p>Nobody in this run has a tie (with a positive strength), so the figure has no "
            "points: load ties (<code>powerconnect load --ties</code>) and rank again.</p>"
        )
    for title, rows in tables:
        parts.append(f"<h2>{_e(title)}</h2>")
        parts.append(_table(rows) if not rows.empty else "<p>Nobody in this run.</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _table(rows: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(label)}</th>" for _, label in _TABLE_COLUMNS)
    body = []
    for record in rows.to_dict("records"):
        cells = []
        for key, _ in _TABLE_COLUMNS:
            value = record.get(key)
            if key == "role":
                role = "" if _missing(value) else str(value)
                dot = f'<span class="dot" style="background:{ROLE_COLOURS.get(role, "#BBB")}">'
                cells.append(f'<td class="role">{dot}</span>{_e(role_label(role))}</td>')
            elif key in _NUMBERS:
                cells.append(f'<td class="num">{_e(_number(key, value))}</td>')
            else:
                text = _e("" if _missing(value) else str(value))
                cells.append(
                    f'<td class="{key}">{text}</td>' if key == "name" else f"<td>{text}</td>"
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(body) + "\n</table>"


def _number(key: str, value: Any) -> str:
    if _missing(value):
        return ""
    if key == "score":
        return f"{float(value):.3f}"
    if key == "mean_strength":
        return f"{float(value):.2f}"
    return str(int(value))


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
