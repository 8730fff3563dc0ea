"""Neo4j Browser: `powerconnect browser`, the style sheet, and the saved queries in a real
headless Chromium against the local server.

The last test logs in to the Neo4j Browser that the local server serves, applies
powerconnect.grass with `:style`, runs the top-connectors query and checks the graph
Browser draws: every node the query returns, each person coloured by the role the
ranking gave them and sized by their score tier (the top power connectors largest), ties
labelled with their strength. It needs Debian's chromium and the Python playwright package
(`tests/browser_setup.sh` installs both; never `playwright install`) and skips, saying so,
without them.
Set POWERCONNECT_SCREENSHOT_DIR to keep its screenshot (docs/ holds the README's).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from powerconnect.engine.report import ROLE_COLOURS
from powerconnect.report_commands import browser_url, saved_queries, style_text
from powerconnect.server import LocalServer
from unit.test_report import cli  # the same sample loader as the report tests

MY_QUERIES = ["browser/top_power_connectors", "browser/ego_network", "browser/mega_vs_power"]
LABEL_OF_ROLE = {
    "power connector": "PowerConnector",
    "mega connector": "MegaConnector",
    "local hub": "LocalHub",
}
#: The score-tier labels of a ranking run (cypher/write_scores.cypher), lowest first.
TIER_LABELS = ["ScoreLow", "ScoreMid", "ScoreHigh", "ScoreTop"]


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """GraSS as Neo4j Browser 5.24 reads it (a port of its ``parseGrass``): rules
    ``selector { key: value; ... }``, quotes (' or ") protect braces, no comments."""
    rules: dict[str, str] = {}
    in_quote = in_rule = False
    selector = body = ""
    for char in text:
        if char in "'\"":
            in_quote = not in_quote
        elif char == "{" and not in_quote:
            in_rule = True
        elif char == "}" and not in_quote:
            in_rule = False
            rules[selector] = body
            selector = body = ""
        elif in_rule:
            body += char
        elif not char.isspace():
            selector += char
    out: dict[str, dict[str, str]] = {}
    for sel, block in rules.items():
        pairs = [d.split(":") for d in block.split(";")]
        out[sel] = {p[0].strip(): p[1].strip() for p in pairs if len(p) == 2}
    return out


#: Stands for the colour Browser writes into a label's rule when none of the rules gives one
#: (5.24 derives it from the label's name: #4C8EDA is what it drew for ScoreTop).
PALETTE = "#4C8EDA"


def resolve(sheet: dict[str, dict[str, str]], labels: list[str]) -> dict[str, str]:
    """The style Browser 5.24 gives a node with ``labels`` in a result that shows them (a port
    of neo4j-browser's ``src/neo4j-arc/graph-visualization/models/GraphStyle.ts``).

    ``forNode`` first runs ``setDefaultNodeStyle``: when no rule with a label selector that
    matches gives a ``color``, it writes a palette colour into the rule for the node's first
    label (sorted), creating that rule at the end of the sheet if there is none. The result's
    label chips (``StyleableNodeLabel.tsx``) call ``forNode`` with each label alone, so every
    label the result shows gets this treatment. Then ``StyleElement.applyRules`` merges every
    rule whose tag is ``node`` and whose classes are all among the labels (so
    ``node.A.B`` works too), in the sheet's order, each one's properties over the earlier
    ones': the last rule to set a property wins, with no specificity as CSS has.
    """
    sheet = {sel: dict(rule) for sel, rule in sheet.items()}

    def for_node(node_labels: list[str]) -> dict[str, str]:
        matching = []  # (has a label selector, rule), in the sheet's order
        for selector, rule in sheet.items():
            tag, *classes = selector.split(".")
            if tag == "node" and set(classes) <= set(node_labels):
                matching.append((bool(classes), rule))
        if node_labels and not any(labelled and "color" in rule for labelled, rule in matching):
            sheet.setdefault(f"node.{sorted(node_labels)[0]}", {})["color"] = PALETTE
            return for_node(node_labels)
        props: dict[str, str] = {}
        for _, rule in matching:
            props |= rule
        return props

    for label in labels:  # the label chips
        for_node([label])
    return for_node(labels)


def diameter(rule: dict[str, str]) -> int:
    return int(rule["diameter"].removesuffix("px"))


# --------------------------------------------------------------------------- the style


def test_style_sheet_colours_roles_as_the_report_does() -> None:
    text = style_text()
    assert "/*" not in text and "//" not in text, "Browser's GraSS parser has no comments"
    sheet = parse_grass(text)
    assert list(sheet)[:2] == ["node", "relationship"]  # a full sheet: :style replaces all
    for role, label in LABEL_OF_ROLE.items():
        assert sheet[f"node.{label}"]["color"] == ROLE_COLOURS[role]
    assert sheet["node.Person"]["color"] == ROLE_COLOURS[""]
    # Role rules come after node.Person: Browser applies matching rules in order.
    order = list(sheet)
    assert all(
        order.index(f"node.{lb}") > order.index("node.Person") for lb in LABEL_OF_ROLE.values()
    )
    assert sheet["relationship.KNOWS"]["caption"] == "{strength}"
    # An empty caption crashes Browser 5.24 ("Cannot read properties of undefined").
    assert all(rule.get("caption", "x") for rule in sheet.values())


def test_style_sheet_sizes_people_by_score_tier_and_colours_them_by_role() -> None:
    sheet = parse_grass(style_text())
    order = list(sheet)
    size = {sel: diameter(rule) for sel, rule in sheet.items() if "diameter" in rule}
    tiers = [f"node.{label}" for label in TIER_LABELS]
    roles = [f"node.{label}" for label in LABEL_OF_ROLE.values()]
    # Unscored people (node.Person) smallest, then each tier larger than the one below.
    assert [size[t] for t in ["node.Person", *tiers]] == sorted(
        {size[t] for t in ["node.Person", *tiers]}
    )
    assert size["node.ScoreTop"] == max(size.values())
    # Size follows the score only: role rules give no size. Every label rule gives a colour,
    # else Browser writes a palette colour into it; tier rules give a plain person's, and
    # come before the role rules, which therefore win the colour.
    assert not any("diameter" in sheet[r] for r in roles)
    assert all("color" in rule for sel, rule in sheet.items() if sel.startswith("node."))
    plain = {k: v for k, v in sheet["node.Person"].items() if k not in ("diameter", "caption")}
    for tier in tiers:
        assert {k: sheet[tier][k] for k in plain} == plain, tier
        assert sheet[tier]["caption"] == "#{pc_rank} {name}"
        assert order.index("node.Person") < order.index(tier) < min(map(order.index, roles))
    # What Browser draws for people with a role and a tier, as Browser resolves them.
    for labels, colour, size_of in [
        (["Person", "PowerConnector", "ScoreTop"], "power connector", "node.ScoreTop"),
        (["Person", "ScoreHigh", "PowerConnector"], "power connector", "node.ScoreHigh"),
        (["Person", "ScoreLow"], "", "node.ScoreLow"),
        (["Person", "MegaConnector"], "mega connector", "node.Person"),
        (["Person", "MegaConnector", "ScoreLow"], "mega connector", "node.ScoreLow"),
        (["Person", "LocalHub", "ScoreMid"], "local hub", "node.ScoreMid"),
        (["Person"], "", "node.Person"),
    ]:
        style = resolve(sheet, labels)
        assert (style["color"], diameter(style)) == (ROLE_COLOURS[colour], size[size_of]), labels


def test_resolve_is_browser_5_24s_rule_resolution() -> None:
    """The port catches what the real Browser did to a first draft of the tier rules (in the
    Chromium test at the end of this file): tier rules that set only a size, after the role
    rules, let Browser paint the tier label its own colour, over the role's."""
    sheet = {
        "node": {"diameter": "50px", "color": "#A5ABB6"},
        "node.Person": {"diameter": "30px", "color": "#BBBBBB"},
        "node.PowerConnector": {"color": "#D55E00"},
        "node.ScoreTop": {"diameter": "85px"},
    }
    style = resolve(sheet, ["Person", "PowerConnector", "ScoreTop"])
    assert (style["color"], style["diameter"]) == (PALETTE, "85px")
    # Two classes in one selector: both labels needed; the later rule wins per property.
    sheet["node.PowerConnector.ScoreTop"] = {"color": "#000000"}
    assert resolve(sheet, ["PowerConnector", "ScoreTop"])["color"] == "#000000"
    assert resolve(sheet, ["Person", "ScoreTop"])["color"] == PALETTE


def test_browser_style_prints_one_style_command() -> None:
    result = CliRunner().invoke(cli(), ["browser", "--style"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(":style node {")
    assert parse_grass(result.output.removeprefix(":style")) == parse_grass(style_text())


# --------------------------------------------------------------------------- the guide


def test_browser_guide_for_a_remote_database(tmp_path: Path) -> None:
    env = {
        "NEO4J_URI": "bolt://db.example.org:7687",
        "NEO4J_USER": "analyst",
        "NEO4J_PASSWORD": "s3cret-never-printed",
        "POWERCONNECT_HOME": str(tmp_path),
    }
    result = CliRunner().invoke(cli(), ["browser"], env=env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "http://db.example.org:7474/browser/?dbms=bolt://analyst@db.example.org:7687" in out
    assert "User:        analyst" in out
    assert "NEO4J_PASSWORD" in out and "s3cret-never-printed" not in out
    assert "powerconnect.grass" in out and "powerconnect browser --style" in out
    # Every saved query is listed with a :param line for each of its parameters.
    for query in saved_queries():
        assert query.path.name in out
        for param in set(re.findall(r"\$(\w+)", query.code)):
            assert re.search(rf"^    :param {param} => ", out, re.M), (query.name, param)
    mine = [q for q in saved_queries() if q.name in MY_QUERIES]
    assert [q.name for q in mine] == MY_QUERIES
    assert not any("(set it)" in line for q in mine for line in q.params)


def test_browser_guide_for_a_stopped_local_server_gives_the_ports_a_start_would_use(
    tmp_path: Path,
) -> None:
    # it ran on other ports once (its neo4j.conf says so); `neo4j start` now uses the defaults
    server = LocalServer(home=tmp_path)
    server.conf_dir.mkdir(parents=True)
    (server.conf_dir / "neo4j.conf").write_text(
        "server.bolt.listen_address=127.0.0.1:17687\nserver.http.listen_address=127.0.0.1:17474\n"
    )
    server.password_file.write_text("generated-secret\n")
    env = {"POWERCONNECT_HOME": str(tmp_path), "NEO4J_URI": None, "NEO4J_PASSWORD": None}
    result = CliRunner().invoke(cli(), ["browser"], env=env)
    assert result.exit_code == 0, result.output
    assert "http://localhost:7474/browser/?dbms=neo4j://neo4j@localhost:7687" in result.output
    assert "Connect URL: neo4j://localhost:7687" in result.output
    assert str(server.password_file) in result.output
    assert "generated-secret" not in result.output
    assert "not running" in result.output


@pytest.mark.parametrize(
    ("uri", "url"),
    [
        (
            "neo4j://localhost:7687",
            "http://localhost:7474/browser/?dbms=neo4j://neo4j@localhost:7687",
        ),
        (
            "neo4j+s://abc.example.io",
            "https://abc.example.io:7473/browser/?dbms=neo4j+s://neo4j@abc.example.io",
        ),
    ],
)
def test_browser_url_is_derived_from_the_bolt_uri(uri: str, url: str) -> None:
    assert browser_url(uri, "neo4j", LocalServer()) == url


def test_browser_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli(), ["browser", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--style" in result.output
