"""Google Forms responses: CSV download (``Timestamp`` like ``2023/11/13 4:20:37 pm CET``,
checkboxes joined by ``;``) or the Sheets XLSX (real datetimes, checkboxes joined by ``, ``).

Headers are the full question text. There is no respondent id: the timestamp (or, when
collected, the e-mail address, which is personal data) identifies a response.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.formats import ExportFormat
from capeval.ingest.sources import Export, read_table


def read_googleforms(path: Path) -> Export:
    export = read_table(path, "googleforms")
    # The Sheets XLSX joins checkbox answers with ", ", the CSV download with ";".
    export.meta["multi_separator"] = ", " if export.encoding == "xlsx" else ";"
    return export


FORMAT = ExportFormat(
    name="googleforms",
    read=read_googleforms,
    meta_columns=frozenset({"timestamp", "tijdstempel", "score", "punten", "email address", "e-mailadres"}),
    personal_columns=frozenset({"email address", "e-mailadres", "username", "gebruikersnaam"}),
    respondent_columns=("timestamp", "tijdstempel"),
    multi_separator=";",
    description="Google Forms CSV or Google Sheets XLSX (Timestamp first, question text headers)",
)
