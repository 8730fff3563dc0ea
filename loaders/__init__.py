"""Loaders: people and tie strengths from files into Neo4j.

Several formats, one graph model (see ``loaders/README.md``):

* :func:`load_csv`: a people file (``id,name,...``) and a ties file
  (``source,target,strength,...``), with explicit strengths;
* :func:`load_interactions`: interaction logs (``from,to,timestamp[,channel,duration,
  group,message_id]``), with strengths derived as P(close) (:func:`derive_strengths`;
  :func:`load_interaction_frame` for a DataFrame of interactions);
* :func:`load_linkedin`: LinkedIn data exports, one directory per team member;
* :func:`load_mail`, :func:`load_calendar`, :func:`load_contacts`: mailboxes (mbox,
  maildir), calendars (.ics) and address books (vCard, Google/Outlook CSV).

Each validates its whole input before writing anything, raises
:class:`engine.errors.InvalidInput` (file, line, reason) on bad input, writes in
batched ``UNWIND`` transactions, and returns a :class:`LoadSummary`.
"""

from powerconnect.loaders.calendars import load_calendar
from powerconnect.loaders.contacts import load_contacts
from powerconnect.loaders.csv_files import load_csv, read_people, read_ties
from powerconnect.loaders.interactions import (
    derive_strengths,
    derive_ties,
    load_interaction_frame,
    load_interactions,
    strength_from_signals,
)
from powerconnect.loaders.linkedin import load_linkedin, plan_linkedin, read_export
from powerconnect.loaders.mail import load_mail
from powerconnect.loaders.model import (
    LoadSummary,
    People,
    Progress,
    Ties,
    canonical,
    tie_properties,
)
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, write_people, write_ties

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "LoadSummary",
    "People",
    "Progress",
    "Ties",
    "canonical",
    "derive_strengths",
    "derive_ties",
    "load_calendar",
    "load_contacts",
    "load_csv",
    "load_interaction_frame",
    "load_interactions",
    "load_linkedin",
    "load_mail",
    "plan_linkedin",
    "read_export",
    "read_people",
    "read_ties",
    "strength_from_signals",
    "tie_properties",
    "write_people",
    "write_ties",
]
