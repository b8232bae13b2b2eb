"""KoboToolbox exports: XLSX with one sheet per repeat group, or CSV (``;``, every value quoted).

Repeat-group sheets link to their parent row by ``_index`` / ``_parent_index`` and name
the parent sheet in ``_parent_table_name``; headers are group paths (``a/b/question``).
Select-multiple questions come as one space-joined column and/or ``question/option``
0–1 columns.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.cells import cell_text
from capeval.ingest.errors import ExportFormatError
from capeval.ingest.formats import ExportFormat, register
from capeval.ingest.sources import Export, read_table, read_xlsx_sheets

PARENT_SHEET = "_parent_table_name"
INDEX = "_index"
PARENT_INDEX = "_parent_index"


def read_kobo(path: Path) -> Export:
    """Read a KoboToolbox export; XLSX repeat sheets keep their link to the parent sheet."""
    if not path.is_file():
        raise ExportFormatError("export not found", file=str(path))
    if path.suffix.lower() != ".xlsx":
        export = read_table(path, "kobo")
        export.sheets[0].key = INDEX if INDEX in export.sheets[0].columns else None
        return export
    sheets = read_xlsx_sheets(path)
    names = {s.name for s in sheets}
    for position, sheet in enumerate(sheets):
        if INDEX in sheet.columns:
            sheet.key = INDEX
        if position == 0 or PARENT_SHEET not in sheet.columns:
            continue
        parents = {cell_text(v) for v in sheet.values(PARENT_SHEET)} - {""}
        if len(parents) > 1:
            raise ExportFormatError(f"repeat sheet links to several parents: {sorted(parents)}", file=sheet.label)
        parent = parents.pop() if parents else sheets[0].name
        if parent not in names:
            # Kobo truncates sheet names to 31 characters; fall back to the main sheet.
            parent = next((n for n in names if n.startswith(parent[:31])), sheets[0].name)
        sheet.parent = parent
        sheet.parent_key = PARENT_INDEX
    return Export(path=path, fmt="kobo", sheets=sheets, encoding="xlsx")


FORMAT = register(
    ExportFormat(
        name="kobo",
        read=read_kobo,
        meta_columns=frozenset(
            {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit"}
        ),
        meta_prefixes=("_", "$", "meta/", "formhub/"),
        personal_columns=frozenset(
            {"phonenumber", "username", "_submitted_by", "deviceid", "simserial", "subscriberid"}
        ),
        respondent_columns=("_uuid", "meta/instanceid", "_id"),
        multi_separator=" ",
        description="KoboToolbox XLSX (sheets per repeat group) or CSV (';', quoted)",
    )
)
