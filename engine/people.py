"""Finding a person the way a user names them: an id, a LinkedIn profile URL, an e-mail
address or a name.

Every command that takes a person (``introduce --person/--to``, ``recommend --person``)
passes the text through :func:`find_person`, which tries, in this order:

1. the person whose ``id`` is exactly the text;
2. a LinkedIn profile URL (any spelling: with or without ``https://``, ``www.``, a
   trailing slash, a query or percent-encoding): the person whose ``linkedin_url`` is
   that URL in :func:`normalise_url`'s spelling, which is how ``load-linkedin`` stores it;
3. an e-mail address (``@`` in the text): the person whose ``email`` is it, in any case;
4. a name: the people whose ``name`` is exactly the text, else the same name with case
   and spacing folded (:func:`normalise_name`).

The first step that finds exactly one person answers; a step that finds several refuses
with the candidates listed (id, name, organization), so that the user can give an id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError

__all__ = ["PersonMatch", "find_person", "normalise_name", "normalise_url", "resolve_person"]

#: Candidates listed when a name is ambiguous (the rest are counted).
MAX_CANDIDATES = 10
_LINKEDIN = re.compile(r"^(https?://)?([a-z]{2,3}\.)?(www\.)?linkedin\.com/", re.IGNORECASE)


def normalise_url(url: str) -> str | None:
    """A profile URL in one canonical spelling (``None`` for an empty text): lower
    case, ``https://www.``, no query, no trailing slash, percent-encoding decoded.

    >>> normalise_url(" HTTPS://LinkedIn.com/in/Ann-Lee/?trk=x ")
    'https://www.linkedin.com/in/ann-lee'
    >>> normalise_url("linkedin.com/in/jos%C3%A9-ruiz")
    'https://www.linkedin.com/in/josé-ruiz'
    """
    u = unquote(url.strip()).lower()
    if not u:
        return None
    u = re.sub(r"^https?://", "", u).split("?")[0].split("#")[0].rstrip("/")
    u = re.sub(r"^([a-z]{2,3}\.)?(www\.)?linkedin\.com", "www.linkedin.com", u)
    return "https://" + u


def normalise_name(name: str) -> str:
    """A name as compared loosely: Unicode NFKC, case folded, single spaces.

    >>> normalise_name(" Priyanka  BOSE ")
    'priyanka bose'
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class PersonMatch:
    """The person a reference names, and how it was matched (id, url, email, name)."""

    id: str
    name: str | None
    organization: str | None
    matched: str


def find_person(db: Database, ref: str) -> PersonMatch:
    """The one person ``ref`` names (see the module's docstring for the order).

    Raises :class:`UsageError` when nobody matches, or when several people do (the
    message lists them).
    """
    text = ref.strip()
    if not text:
        raise UsageError("no person given: give an id, a LinkedIn profile URL, an e-mail or a name")
    url = normalise_url(text) if _LINKEDIN.match(text) else None
    emails = sorted({text, text.lower()}) if "@" in text and url is None else []
    rows = [
        PersonMatch(r["id"], r["name"], r["organization"], r["matched"])
        for r in db.query("find_person", ref=text, urls=[url] if url else [], emails=emails)
    ]
    for how in ("id", "url", "email", "name"):
        hits = [r for r in rows if r.matched == how]
        if hits:
            return _one(text, hits)
    folded = [
        PersonMatch(r["id"], r["name"], r["organization"], "name")
        for r in db.query("find_person_by_folded_name", folded=normalise_name(text))
        if normalise_name(r["name"]) == normalise_name(text)
    ]
    if folded:
        return _one(text, folded)
    raise UsageError(
        f"no person with the id, LinkedIn profile URL, e-mail or name {text!r} in the database"
    )


def resolve_person(db: Database, ref: str) -> str:
    """The id of the person ``ref`` names (:func:`find_person`)."""
    return find_person(db, ref).id


def _one(text: str, hits: list[PersonMatch]) -> PersonMatch:
    if len(hits) == 1:
        return hits[0]
    hits = sorted(hits, key=lambda h: h.id)
    shown = "; ".join(
        h.id + (f" ({', '.join(x for x in (h.name, h.organization) if x)})" if h.name else "")
        for h in hits[:MAX_CANDIDATES]
    )
    more = f" and {len(hits) - MAX_CANDIDATES} more" if len(hits) > MAX_CANDIDATES else ""
    what = {"name": "are named", "email": "have the e-mail", "url": "have the profile URL"}
    raise UsageError(
        f"{len(hits)} people {what.get(hits[0].matched, 'match')} {text!r}: {shown}{more}; "
        "give one of these ids instead"
    )
