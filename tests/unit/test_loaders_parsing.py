"""Loaders without a database: reading files, the merge rules, the strength model.

Expected strengths are computed by hand from the formula in ``loaders/interactions.py``
(written out in each test), not by calling the function under test.
"""

from __future__ import annotations

import doctest
import math
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerconnect import loaders
from powerconnect.engine.errors import InvalidInput
from powerconnect.loaders.csv_files import read_people, read_ties
from powerconnect.loaders.interactions import (
    derive_ties,
    parse_timestamps,
    read_interaction_frame,
    read_interactions,
)
from powerconnect.loaders.linkedin import (
    Known,
    normalise_url,
    plan_linkedin,
    profile_id,
    read_export,
)
from powerconnect.loaders.model import (
    changed_properties,
    merge_duplicate_ties,
    tie_properties,
)
from powerconnect.loaders.tables import ProblemLog, read_table, rejects_path

DATA = Path(__file__).resolve().parent.parent / "data" / "loaders"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


@pytest.mark.parametrize(
    "module", [loaders.model, loaders.interactions, loaders.linkedin, loaders.tables]
)
def test_docstring_examples_hold(module: object) -> None:
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0


# ------------------------------------------------------------------------ reading tables
def test_plain_and_quoted_files_read_the_same_values_and_lines(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.csv", "id,name\na,Ann\n\nb,Bob\n")
    quoted = write(tmp_path / "quoted.csv", 'id,name\na,"Ann"\n\nb,Bob\n')
    fast = read_table(plain, ProblemLog())  # pandas' C reader (no quotes)
    slow = read_table(quoted, ProblemLog())  # the csv module
    for t in (fast, slow):
        assert t.columns["id"].tolist() == ["a", "b"]
        assert t.columns["name"].tolist() == ["Ann", "Bob"]
        assert t.lines.tolist() == [2, 4]  # header is line 1; the blank line 3 is skipped


def test_a_record_spanning_lines_is_numbered_where_it_starts() -> None:
    table = read_table(DATA / "linkedin" / "ann" / "messages.csv", ProblemLog())
    # line 2 holds a message whose CONTENT runs onto line 3
    assert table.lines.tolist() == [2, 4, 5, 6, 7]
    assert table.columns["CONTENT"][0] == 'Hi Bob,\nlunch next week? Say "Tuesday".'


def test_the_linkedin_notes_preamble_is_skipped_and_lines_stay_physical() -> None:
    problems = ProblemLog()
    export = read_export(DATA / "linkedin" / "ann", problems)
    assert len(problems) == 0
    # Notes:, the quoted note, a blank line, then the header on line 4
    assert [c.line for c in export.connections] == [5, 6, 7, 8]
    assert export.connections[2].contact.company == "Acme, Inc."
    assert export.connections[0].connected_on == date(2021, 3, 12)


def test_windows_line_ends_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", b"\xef\xbb\xbfid,name\r\na,Ann\r\nb,Bob\r\n")
    table = read_table(path, ProblemLog())
    assert table.header == ["id", "name"]
    assert table.columns["name"].tolist() == ["Ann", "Bob"]


@pytest.mark.parametrize("quote", ["", '"'])
def test_spaces_around_header_names_are_ignored(tmp_path: Path, quote: str) -> None:
    # "id, name" is how many spreadsheets and hand-written files put it
    path = write(tmp_path / "p.csv", f"id , name\na,{quote}Ann{quote}\n")
    table = read_table(path, ProblemLog())
    assert table.header == ["id", "name"]
    assert table.columns["name"].tolist() == ["Ann"]


@pytest.mark.parametrize(("sep", "shown"), [(";", "';'"), ("\t", "tab")])
def test_a_file_separated_by_something_else_says_so(tmp_path: Path, sep: str, shown: str) -> None:
    # what a spreadsheet saves in locales that write decimals with a comma
    path = write(tmp_path / "p.csv", f"id{sep}name\na{sep}Ann\n")
    with pytest.raises(InvalidInput, match=f"the columns seem separated by {shown}"):
        read_people(path, ProblemLog())


def test_values_are_stripped_only_of_surrounding_whitespace(tmp_path: Path) -> None:
    people = read_people(write(tmp_path / "p.csv", "id,name\n a , Ann  Lee \n"), ProblemLog())
    assert people.ids == ["a"]
    assert people.properties == [{"name": "Ann  Lee"}]


@pytest.mark.parametrize("quote", ["", '"'])
def test_rows_with_the_wrong_number_of_fields_are_problems(tmp_path: Path, quote: str) -> None:
    path = write(tmp_path / "p.csv", f"id,name\na,{quote}Ann{quote}\nb\nc,Cy,extra\nd,Dee\n")
    problems = ProblemLog()
    table = read_table(path, problems)
    assert table.columns["id"].tolist() == ["a", "d"]
    assert [(p.line, p.reason) for p in problems.problems] == [
        (3, "1 field, but the header has 2"),
        (4, "3 fields, but the header has 2"),
    ]


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", b"id,name\na,Ann\nb,Ren" + b"\xe9e\n")
    problems = ProblemLog()
    table = read_table(path, problems)
    assert table.columns["id"].tolist() == ["a"]
    [p] = problems.problems
    assert (p.line, p.reason) == (3, "bytes that are not UTF-8 (0xE9); save the file as UTF-8")


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", None, "the file is empty"),
        (b"\n \n", None, "the file is empty"),
        (b"id,name\n", None, "the file has a header but no rows"),
        (b"id,,name\na,,b\n", 1, "column 2 of the header has no name"),
        (b"id,name,id\na,b,c\n", 1, "column 'id' appears twice in the header"),
        (b"id,n\xe4me\na,b\n", 1, "bytes that are not UTF-8 (0xE4)"),
    ],
)
def test_whole_file_problems_raise(
    tmp_path: Path, content: bytes, line: int | None, reason: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        read_table(write(tmp_path / "f.csv", content), ProblemLog())
    assert exc.value.line == line
    assert exc.value.reason.startswith(reason)


def test_the_first_problem_refuses_the_load_and_says_how_many_more(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "source,target,strength\na,b,2\nc,c,0.5\nd,e,x\n")
    problems = ProblemLog()
    read_ties(path, problems, known={"a", "b", "c", "d", "e"})
    with pytest.raises(InvalidInput) as exc:
        problems.settle(skip_invalid=False)
    assert str(exc.value).startswith(
        f"{path}:2: strength 2 is out of range: it must be in (0, 1] (and 2 more problems;"
    )


def test_skip_invalid_writes_the_rejects_beside_the_input(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "source,target,strength\na,b,0.5\nc,c,0.5\nd,e,x\n")
    problems = ProblemLog()
    ties, _ = read_ties(path, problems, known={"a", "b", "c", "d", "e"})
    assert [(a, b) for a, b in zip(ties.a, ties.b, strict=True)] == [("a", "b")]
    [written] = problems.settle(skip_invalid=True)
    assert written == rejects_path(path) == tmp_path / "t.rejected.csv"
    assert written.read_text().splitlines() == [
        "line,reason,source,target,strength",
        "3,tie of 'c' to itself,c,c,0.5",
        "4,strength 'x' is not a number,d,e,x",
    ]


# ------------------------------------------------------------------------ people and ties
def test_people_columns_become_properties_and_empty_cells_remove_them() -> None:
    people = read_people(DATA / "people.csv", ProblemLog())
    assert people.ids == ["ann", "bob", "cy", "dee"]
    assert people.properties[1] == {
        "name": "Bob Stone",
        "email": "bob@example.org",
        "organization": "Globex",
        "title": None,
    }


def test_a_repeated_person_must_say_the_same_thing(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "id,name\na,Ann\na,Ann\nb,Bob\nb,Robert\n")
    problems = ProblemLog()
    people = read_people(path, problems)
    assert people.ids == ["a", "b"]
    assert [(p.line, p.reason) for p in problems.problems] == [
        (5, "id 'b' is already on line 4 with other values")
    ]


@pytest.mark.parametrize("header", ["id,name,Email Address", "id,name,2nd", "id,name,e-mail"])
def test_columns_that_are_not_property_names_are_refused(tmp_path: Path, header: str) -> None:
    path = write(tmp_path / "p.csv", f"{header}\na,Ann,x\n")
    with pytest.raises(InvalidInput, match="is not a usable property name") as exc:
        read_people(path, ProblemLog())
    assert exc.value.line == 1


def test_a_ties_file_cannot_set_the_properties_the_model_owns(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "source,target,strength,strength_linkedin\na,b,0.5,1\n")
    with pytest.raises(InvalidInput, match="powerconnect sets it itself"):
        read_ties(path, ProblemLog(), known={"a", "b"})


def test_ties_are_undirected_and_a_duplicate_keeps_its_largest_strength() -> None:
    ties, merged = read_ties(DATA / "ties.csv", ProblemLog(), known={"ann", "bob", "cy", "dee"})
    got = {
        (a, b): (s, p)
        for a, b, s, p in zip(ties.a, ties.b, ties.strength, ties.properties or [], strict=True)
    }
    assert merged == 1
    # "ann,bob,0.8,board" and "bob,ann,0.6,golf" are one tie: 0.8, with the context of its row
    assert got[("ann", "bob")] == (0.8, {"context": "board"})
    assert got[("bob", "dee")] == (1.0, {"context": None})  # written "dee,bob": stored a < b
    assert len(got) == 4


def test_equal_duplicates_keep_the_first_row() -> None:
    a = np.array(["x", "x", "x"], dtype=object)
    b = np.array(["y", "y", "y"], dtype=object)
    keep, merged = merge_duplicate_ties(a, b, np.array([0.5, 0.5, 0.4]))
    assert keep.tolist() == [0]
    assert merged == 2


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",b,0.5", "empty source id"),
        ("a,,0.5", "empty target id"),
        ("a,a,0.5", "tie of 'a' to itself"),
        ("a,b,", "empty strength"),
        ("a,b,high", "strength 'high' is not a number"),
        ("a,b,0", "strength 0 is out of range: it must be in (0, 1]"),
        ("a,b,-0.2", "strength -0.2 is out of range: it must be in (0, 1]"),
        ("a,b,1.01", "strength 1.01 is out of range: it must be in (0, 1]"),
        ("a,b,inf", "strength inf is out of range: it must be in (0, 1]"),
        (
            "a,zed,0.5",
            "person 'zed' is not in the people file; add them there, or use --create-missing",
        ),
    ],
)
def test_each_bad_tie_is_reported_with_its_line(tmp_path: Path, row: str, reason: str) -> None:
    path = write(tmp_path / "t.csv", f"source,target,strength\na,b,0.3\n{row}\n")
    problems = ProblemLog()
    read_ties(path, problems, known={"a", "b"})
    assert [(p.line, p.reason) for p in problems.problems] == [(3, reason)]


def test_without_a_people_file_the_ties_people_are_looked_up_once(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "source,target,strength\na,b,0.3\n,b,0.3\nb,zed,0.3\n")
    asked: list[list[str]] = []

    def in_database(ids: list[str]) -> set[str]:
        asked.append(sorted(ids))
        return {"a", "b"}

    problems = ProblemLog()
    ties, _ = read_ties(path, problems, known=in_database, people_file_given=False)
    assert asked == [["a", "b", "zed"]]  # once, for every id named, but not the empty one
    assert [(p.line, p.reason) for p in problems.problems] == [
        (3, "empty source id"),
        (
            4,
            "person 'zed' is not in the database, and no people file was given; "
            "load them with --people, or use --create-missing",
        ),
    ]
    assert len(ties) == 1


def test_create_missing_accepts_people_not_in_the_people_file(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "source,target,strength\na,zed,0.3\n")
    problems = ProblemLog()
    ties, _ = read_ties(path, problems, known={"a"}, create_missing=True)
    assert len(problems) == 0
    assert len(ties) == 1


# ------------------------------------------------------------------------ model rules
def test_an_explicit_strength_wins_over_derived_ones() -> None:
    explicit = {"strength": 0.9, "strength_interactions": 0.2}  # no source: explicit
    assert tie_properties(explicit, "interactions", 0.3) == {"strength_interactions": 0.3}
    assert tie_properties(explicit, "linkedin", 0.1) == {"strength_linkedin": 0.1}
    # ties written by earlier versions say source='csv': explicit too
    legacy = {"strength": 0.9, "source": "csv"}
    assert tie_properties(legacy, "interactions", 0.3) == {"strength_interactions": 0.3}
    # a ties file sets it again, whatever was derived, and removes the derived source
    assert tie_properties({"source": "linkedin"}, "csv", 0.4) == {"strength": 0.4, "source": None}


def test_a_derived_strength_is_the_largest_derived_value() -> None:
    linked = {"strength": 0.1, "source": "linkedin", "strength_linkedin": 0.1}
    assert tie_properties(linked, "interactions", 0.3) == {
        "strength_interactions": 0.3,
        "strength": 0.3,
        "source": "interactions",
    }


def test_changes_compare_values_and_types() -> None:
    assert changed_properties({"s": 1.0, "n": 3}, {"s": 1.0, "n": 3}) == {}
    assert changed_properties({"n": 3}, {"n": 3.0}) == {"n": 3.0}
    assert changed_properties({"c": ["a"]}, {"c": ["a", "b"], "gone": None}) == {"c": ["a", "b"]}
    assert changed_properties({"gone": "x"}, {"gone": None}) == {"gone": None}


# ------------------------------------------------------------------------ strength model
def test_timestamps_are_iso_8601_in_utc() -> None:
    ts = parse_timestamps(np.array(["2024-03-01", "2024-03-01T10:00:00+02:00", "1/3/24"]))
    assert ts[0] == pd.Timestamp("2024-03-01T00:00Z")
    assert ts[1] == pd.Timestamp("2024-03-01T08:00Z")
    assert pd.isna(ts[2])


def test_strengths_follow_the_documented_model_by_hand() -> None:
    problems = ProblemLog()
    ties = derive_ties(read_interactions([DATA / "interactions.csv"], problems))
    got = {(a, b): s for a, b, s in zip(ties.a, ties.b, ties.strength, strict=True)}
    # Reference date: the latest interaction, 2024-03-10T00:00Z. Half-life 180 days.
    # ann-bob: ann->bob 8.625 and 0 days old, bob->ann 7.625 days old, 2 channels.
    w_ab = 2 ** (-8.625 / 180) + 1.0
    w_ba = 2 ** (-7.625 / 180)
    w = w_ab + w_ba
    r = 2 * min(w_ab, w_ba) / w
    x = w * (1 + r) / 2 * (1 + (2 - 1) / 2)
    assert got[("ann", "bob")] == pytest.approx(1 - math.exp(-x / 10))
    # cy-dee: one email 4 days 13 hours old, one way, one channel
    w = 2 ** (-(4 + 13 / 24) / 180)
    assert got[("cy", "dee")] == pytest.approx(1 - math.exp(-(w * 0.5) / 10))
    # ann-eve: one call 30 days old
    assert got[("ann", "eve")] == pytest.approx(1 - math.exp(-(2 ** (-30 / 180) * 0.5) / 10))
    assert got[("ann", "eve")] == pytest.approx(0.043567, abs=1e-6)


def test_recency_halves_an_interaction_per_half_life() -> None:
    events = read_interactions([DATA / "interactions.csv"], ProblemLog())
    late = derive_ties(events, as_of=datetime(2024, 9, 6, tzinfo=UTC), half_life_days=180)
    got = {(a, b): s for a, b, s in zip(late.a, late.b, late.strength, strict=True)}
    # ann-eve's call (2024-02-09) is 210 days old on 2024-09-06
    assert got[("ann", "eve")] == pytest.approx(1 - math.exp(-(2 ** (-210 / 180) * 0.5) / 10))


def test_reciprocity_and_more_channels_make_a_stronger_tie(tmp_path: Path) -> None:
    log = write(
        tmp_path / "log.csv",
        "from,to,timestamp,channel\n"
        "a,b,2024-01-01,email\na,b,2024-01-01,email\n"  # one way, one channel
        "c,d,2024-01-01,email\nd,c,2024-01-01,email\n"  # both ways
        "e,f,2024-01-01,email\nf,e,2024-01-01,call\n",  # both ways, two channels
    )
    ties = derive_ties(read_interactions([log], ProblemLog()))
    s = dict(zip(zip(ties.a, ties.b, strict=True), ties.strength, strict=True))
    assert s[("a", "b")] == pytest.approx(1 - math.exp(-2 * 0.5 / 10))
    assert s[("c", "d")] == pytest.approx(1 - math.exp(-2 * 1.0 / 10))
    assert s[("e", "f")] == pytest.approx(1 - math.exp(-2 * 1.0 * 1.5 / 10))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("a,b,last tuesday,email", "timestamp 'last tuesday' is not an ISO 8601 date or date-time"),
        ("a,b,,email", "empty timestamp"),
        ("a,b,2099-01-01,email", "timestamp '2099-01-01' is in the future"),
    ],
)
def test_bad_interactions_are_reported(tmp_path: Path, row: str, reason: str) -> None:
    log = write(tmp_path / "log.csv", f"from,to,timestamp,channel\nx,y,2024-01-01,call\n{row}\n")
    problems = ProblemLog()
    read_interaction_frame([log], problems, now=datetime(2026, 12, 3, tzinfo=UTC))
    [p] = problems.problems
    assert p.line == 3
    assert p.reason.startswith(reason)


# ------------------------------------------------------------------------ LinkedIn
def test_profile_urls_are_normalised_into_ids() -> None:
    assert normalise_url("https://linkedin.com/in/Carla-Diaz/") == (
        "https://www.linkedin.com/in/carla-diaz"
    )
    assert profile_id(normalise_url("https://de.linkedin.com/in/x-1?trk=a"), None) == "linkedin:x-1"


def test_the_member_is_the_url_in_their_messages_who_is_not_a_connection() -> None:
    ann = read_export(DATA / "linkedin" / "ann", ProblemLog())
    bob = read_export(DATA / "linkedin" / "bob", ProblemLog())
    assert ann.member.url == "https://www.linkedin.com/in/ann-lee"
    assert ann.member.name == "Ann Lee"  # from Profile.csv
    assert bob.member.url == "https://www.linkedin.com/in/bob-stone"
    assert bob.member.name == "Bob Stone"  # from the FROM column of his messages


def test_linkedin_messages_after_as_of_are_left_out_and_counted() -> None:
    export = read_export(DATA / "linkedin" / "ann", ProblemLog())
    # by hand: ann's messages with her connections are to bob on May 1st (09:00, his
    # answer at 10:00) and May 3rd, and to carla on April 3rd; Eve is no connection
    plan = plan_linkedin([export], as_of=datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert plan.after_as_of == 1
    assert plan_linkedin([export]).after_as_of == 0


def test_exports_merge_people_by_url_else_email() -> None:
    exports = [read_export(DATA / "linkedin" / d, ProblemLog()) for d in ("ann", "bob")]
    plan = plan_linkedin(exports)
    people = dict(zip(plan.people.ids, plan.people.properties, strict=True))
    assert sorted(people) == [
        "linkedin:ann-lee",
        "linkedin:bob-stone",
        "linkedin:carla-diaz",  # "https://linkedin.com/in/Carla-Diaz" in bob's export
        "linkedin:dev-patel",
        "linkedin:frank-ng",  # by email only in bob's export
    ]
    # the directory given last wins; an empty cell never erases
    assert people["linkedin:carla-diaz"]["title"] == "Senior Engineer"
    assert people["linkedin:frank-ng"]["title"] == "Product Manager"
    pairs = set(zip(plan.ties.a, plan.ties.b, strict=True))
    assert ("linkedin:bob-stone", "linkedin:frank-ng") in pairs
    assert len(pairs) == 6


def test_a_person_already_in_the_database_absorbs_their_linkedin_self() -> None:
    exports = [read_export(DATA / "linkedin" / "ann", ProblemLog())]
    plan = plan_linkedin(exports, known=[Known("c1", None, "Carla@Example.org")])
    assert "c1" in plan.people.ids
    assert "linkedin:carla-diaz" not in plan.people.ids


def test_a_connection_nobody_can_identify_is_a_problem(tmp_path: Path) -> None:
    export = tmp_path / "zoe"
    export.mkdir()
    write(
        export / "Connections.csv",
        'Notes:\n"some note"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,'
        "Connected On\nAl,Bo,,,X,Y,\nCe,Do,https://www.linkedin.com/in/ce,,X,Y,"
        "31 Feb 2020\n",
    )
    problems = ProblemLog()
    read_export(export, problems)
    assert [(p.line, p.reason) for p in problems.problems] == [
        (
            5,
            "no profile URL, no e-mail address and no name with a Connected On date: "
            "cannot tell who this is",
        ),
        (6, "Connected On '31 Feb 2020' is not a date like '12 Mar 2021'"),
    ]


def test_a_directory_without_connections_is_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no Connections.csv here"):
        read_export(tmp_path, ProblemLog())


# ------------------------------------------------------------------------ progress
def test_long_stages_get_a_progress_bar_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from powerconnect import load_commands

    err = io.StringIO()
    monkeypatch.setattr(load_commands.sys, "stderr", err)
    bars = load_commands._Bars()
    bars("people", 10, 10)  # short: no bar
    for done in range(20_000, 100_001, 20_000):
        bars("ties", done, 100_000)
    bars.close()
    assert "Writing people" not in err.getvalue()
    assert "Writing ties" in err.getvalue()
