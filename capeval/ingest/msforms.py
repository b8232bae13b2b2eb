"""Microsoft Forms XLSX: ``ID, Start time, Completion time, Email, Name``, headers in the form's language.

Email and Name are personal data: never written to the programme folder in clear.
Multiple-answer questions are joined by ``;``.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.formats import ExportFormat
from capeval.ingest.sources import Export, read_table

# The bookkeeping columns in the languages Microsoft Forms exports in (English, Dutch, French, German).
META = {
    "id",
    "start time",
    "completion time",
    "last modified time",
    "begintijd",
    "tijd van voltooien",
    "voltooiingstijd",
    "tijd van laatste wijziging",
    "heure de début",
    "heure de fin",
    "startzeit",
    "fertigstellungszeit",
}
PERSONAL = {"email", "e-mail", "name", "naam", "nom", "courrier", "adresse de messagerie"}


def read_msforms(path: Path) -> Export:
    return read_table(path, "msforms")


FORMAT = ExportFormat(
    name="msforms",
    read=read_msforms,
    meta_columns=frozenset(META | PERSONAL),
    personal_columns=frozenset(PERSONAL),
    respondent_columns=("id",),
    multi_separator=";",
    description="Microsoft Forms XLSX (ID, Start time, Completion time, Email, Name; localised headers)",
)
