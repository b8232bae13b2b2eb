"""Spreadsheets saved in Dutch or Belgian settings: ``;`` separator, decimal comma,
cp1252 or UTF-8 with BOM, dates ``21-11-2026``. All of it is detected, never asked.

The generic ``csv`` format: any CSV (or a first XLSX sheet) with a header row.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.formats import ExportFormat
from capeval.ingest.sources import Export, read_table


def read_csv_export(path: Path) -> Export:
    return read_table(path, "csv")


FORMAT = ExportFormat(
    name="csv",
    read=read_csv_export,
    respondent_columns=("respondent_id", "respondent", "respondentnummer", "id", "nr"),
    multi_separator=";",
    description="CSV or XLSX with a header row; separator, encoding, decimal comma and dates detected",
)
