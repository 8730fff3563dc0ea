"""Finding a person by id, LinkedIn profile URL, e-mail or name (engine/people.py), against
the real Neo4j, and through the commands that take a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError
from powerconnect.engine.paths import find_paths
from powerconnect.engine.people import find_person
from powerconnect.engine.recommend import recommend_database
from powerconnect.loaders import load_csv, load_linkedin

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "linkedin"


@pytest.fixture
def nora(db: Database) -> Database:
    """Nora Quill's 2024 export: Nora and four connections (José's URL percent-encoded)."""
    load_linkedin(db, [LAYOUTS / "2024"])
    return db


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("ref", "expected", "how"),
    [
        ("linkedin:nora-quill", "linkedin:nora-quill", "id"),
        ("https://www.linkedin.com/in/nora-quill", "linkedin:nora-quill", "url"),
        ("linkedin.com/in/Nora-Quill/", "linkedin:nora-quill", "url"),
        ("http://www.linkedin.com/in/nora-quill/?trk=people", "linkedin:nora-quill", "url"),
        ("https://www.linkedin.com/in/jos%C3%A9-ruiz-7a", "linkedin:josé-ruiz-7a", "url"),
        ("https://www.linkedin.com/in/josé-ruiz-7a/", "linkedin:josé-ruiz-7a", "url"),
        ("linkedin:josé-ruiz-7a", "linkedin:josé-ruiz-7a", "id"),
        ("Nora.Quill@Example.com", "linkedin:nora-quill", "email"),
        ("priya.raman@example.com", "linkedin:priya-raman", "email"),
        ("José Ruiz", "linkedin:josé-ruiz-7a", "name"),
        ("  sam  o'neill ", "linkedin:sam-oneill", "name"),
    ],
)
def test_a_person_is_found_by_id_url_email_or_name(
    nora: Database, ref: str, expected: str, how: str
) -> None:
    found = find_person(nora, ref)
    assert (found.id, found.matched) == (expected, how)


@pytest.mark.neo4j
def test_an_ambiguous_name_is_refused_with_the_candidates(nora: Database, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,organization\nom2,Omar Haddad,Globex\n")
    load_csv(nora, people, None)
    with pytest.raises(UsageError) as refused:
        find_person(nora, "Omar Haddad")
    message = str(refused.value)
    assert message.startswith("2 people are named 'Omar Haddad': ")
    assert "linkedin:omar-haddad-4b1a2c (Omar Haddad, Quillfeather AI)" in message
    assert "om2 (Omar Haddad, Globex)" in message
    # an id is never ambiguous
    assert find_person(nora, "om2").id == "om2"
    with pytest.raises(UsageError, match="no person with the id, LinkedIn profile URL"):
        find_person(nora, "Nobody Here")


@pytest.mark.neo4j
def test_introduce_and_recommend_take_any_form(nora: Database, cli_env: dict[str, str]) -> None:
    answer = find_paths(nora, "José Ruiz", "linkedin.com/in/omar-haddad-4b1a2c", max_hops=2)
    assert [p.path for p in answer.paths] == [
        ["linkedin:josé-ruiz-7a", "linkedin:nora-quill", "linkedin:omar-haddad-4b1a2c"]
    ]
    result = CliRunner().invoke(
        main,
        ["introduce", "-p", "priya.raman@example.com", "--to", "Sam O'Neill", "--format", "csv"],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    assert "linkedin:priya-raman" in result.stdout and "linkedin:sam-oneill" in result.stdout
    # the name reaches recommend as Nora's id (she, the member, has no organization)
    with pytest.raises(UsageError, match="^linkedin:nora-quill has no organization"):
        recommend_database(nora, person="Nora Quill", strong=0.05, write=False)
    # strong=0.05: every LinkedIn connection counts (a connection without messages gets
    # the prior loaders.linkedin.DEFAULT_STRENGTH, 0.05)
    run = recommend_database(nora, person="José Ruiz", strong=0.05, write=False)
    # Nora, José's one contact, can introduce him to her three other connections, each
    # in another organization and none tied to him
    assert sorted((i.broker, i.a, i.c) for i in run.introductions) == [
        ("linkedin:nora-quill", "linkedin:josé-ruiz-7a", c)
        for c in ("linkedin:omar-haddad-4b1a2c", "linkedin:priya-raman", "linkedin:sam-oneill")
    ]
    ambiguous = CliRunner().invoke(main, ["recommend", "--person", "omar"], env=cli_env)
    assert ambiguous.exit_code == 1
    assert "no person with the id, LinkedIn profile URL, e-mail or name 'omar'" in ambiguous.output
