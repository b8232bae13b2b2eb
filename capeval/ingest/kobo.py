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
from capeval.ingest.formats import ExportFormat
from capeval.ingest.forms import is_xlsform
from capeval.ingest.sources import Export, Sheet, read_table, read_xlsx_sheets

XLSFORM_SHEETS = {"survey", "choices", "settings", "external_choices"}
KOBO_MARKS = {"_uuid", "_id", "_submission_time", "_index", "meta/instanceid", "__version__", "_submission__uuid"}
PARENT_SHEET = "_parent_table_name"
INDEX = "_index"
PARENT_INDEX = "_parent_index"


def read_kobo(path: Path) -> Export:
    """Read a KoboToolbox export; XLSX repeat sheets keep their link to the parent sheet."""
    if not path.is_file():
        raise ExportFormatError("export not found", file=str(path))
    if path.suffix.lower() != ".xlsx":
        export = read_table(path, "kobo")
        _check_kobo(export.sheets[0], path)
        export.sheets[0].key = INDEX if INDEX in export.sheets[0].columns else None
        return export
    everything = read_xlsx_sheets(path)
    form_sheets = [s for s in everything if s.name.strip().casefold() in XLSFORM_SHEETS]
    sheets = [s for s in everything if s not in form_sheets]
    if not sheets and is_xlsform(form_sheets):
        raise ExportFormatError(
            "this is an XLSForm (the form itself), not an export of responses: give it with --form beside the "
            "export (KoboToolbox: Downloads → XLS or CSV)",
            file=path.name,
        )
    if not sheets:
        raise ExportFormatError("the workbook has no sheet of responses", file=path.name)
    _check_kobo(sheets[0], path)
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
    form = form_sheets if is_xlsform(form_sheets) else []
    return Export(path=path, fmt="kobo", sheets=sheets, encoding="xlsx", form_sheets=form)


def _check_kobo(main: Sheet, path: Path) -> None:
    """A KoboToolbox export always carries some of its bookkeeping columns; refuse a file without any."""
    lowered = {c.strip().casefold() for c in main.columns}
    if lowered & KOBO_MARKS:
        return
    shown = ", ".join(main.columns[:6]) or "none"
    raise ExportFormatError(
        f"not a KoboToolbox export: none of its columns {', '.join(sorted(KOBO_MARKS))} is here "
        f"(columns found: {shown}); choose the export format that wrote this file (--from csv for any table)",
        file=path.name,
    )


FORMAT = ExportFormat(
    name="kobo",
    read=read_kobo,
    meta_columns=frozenset(
        {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit"}
    ),
    meta_prefixes=("_", "$", "meta/", "formhub/"),
    personal_columns=frozenset({"phonenumber", "username", "_submitted_by", "deviceid", "simserial", "subscriberid"}),
    respondent_columns=("_uuid", "meta/instanceid", "_id"),
    multi_separator=" ",
    description="KoboToolbox XLSX (sheets per repeat group) or CSV (';', quoted)",
)
