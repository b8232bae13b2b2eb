"""Raw exports as sheets of cells: CSV sniffing (encoding, separator, decimal mark) and XLSX.

A :class:`Sheet` keeps every cell as the reader gave it (text from CSV, numbers and
datetimes from XLSX) and the row number of each record in the file (header = 1, or the
sheet row for XLSX), so that every problem can name the file, row and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from capeval.ingest.cells import cell_text, parse_number
from capeval.ingest.errors import ExportFormatError

ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass
class Sheet:
    """One table of an export: header, rows of cells, the line of each row in the file.

    ``parent`` names the sheet a repeat group hangs from (KoboToolbox); ``key`` and
    ``parent_key`` are the columns that link a row to its parent row.
    """

    name: str
    label: str
    columns: list[str]
    rows: list[list[object]]
    lines: list[int]
    parent: str | None = None
    key: str | None = None
    parent_key: str | None = None
    repeated: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.repeated = number_repeated_headers(self.columns)

    def column_index(self) -> dict[str, int]:
        """Column name -> position (repeated header names are numbered: ``name``, ``name#2``, ...)."""
        index: dict[str, int] = {}
        for position, name in enumerate(self.columns):
            index.setdefault(name, position)
        return index

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        """Each row as (line, {column: cell})."""
        index = self.column_index()
        for line, row in zip(self.lines, self.rows, strict=True):
            yield line, {name: (row[i] if i < len(row) else None) for name, i in index.items()}

    def values(self, column: str) -> list[object]:
        position = self.column_index().get(column)
        if position is None:
            return []
        return [row[position] if position < len(row) else None for row in self.rows]


REPEAT_MARK = "#"


def number_repeated_headers(columns: list[str]) -> dict[str, int]:
    """Rename the 2nd, 3rd, ... column of a repeated header to ``name#2``, ``name#3`` in place, so
    that each can be mapped; return how often each repeated name occurs."""
    counts: dict[str, int] = {}
    taken = set(columns)
    for position, name in enumerate(columns):
        if not name:
            continue
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > 1:
            numbered = f"{name}{REPEAT_MARK}{counts[name]}"
            while numbered in taken:
                numbered += "'"
            taken.add(numbered)
            columns[position] = numbered
    return {name: n for name, n in counts.items() if n > 1}


def repeat_of(column: str) -> tuple[str, int]:
    """``("name", 2)`` for ``"name#2"``; ``(column, 1)`` for a header that is not a repeat."""
    base, mark, number = column.rpartition(REPEAT_MARK)
    if mark and number.isdigit() and base:
        return base, int(number)
    return column, 1


def kobo_option_columns(column: str, sheet: Sheet) -> list[str]:
    """The option labels of a KoboToolbox select-multiple ``column`` from its ``column/option`` 0–1 columns."""
    base, number = repeat_of(column)
    options = []
    for other in sheet.columns:
        other_base, other_number = repeat_of(other)
        if other_number == number and other_base.startswith(base + "/") and other != column:
            options.append(other_base[len(base) + 1 :])
    return options


def is_option_column(column: str, sheet: Sheet) -> bool:
    """A KoboToolbox ``question/option`` 0–1 column next to its space-joined ``question`` column."""
    base, number = repeat_of(column)
    position = sheet.columns.index(column) if column in sheet.columns else -1
    for other in sheet.columns[:position]:
        other_base, other_number = repeat_of(other)
        if other_number == number and base.startswith(other_base + "/"):
            return True
    return False


@dataclass
class Export:
    """A survey export read from disk: its sheets and how its numbers and dates are written."""

    path: Path
    fmt: str
    sheets: list[Sheet]
    decimal: str = "."
    encoding: str = "utf-8"
    separator: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    form_sheets: list[Sheet] = field(default_factory=list)  # an XLSForm's survey/choices sheets in the workbook

    @property
    def main(self) -> Sheet:
        return self.sheets[0]

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def decode(path: Path) -> tuple[str, str]:
    """The text of a file and the encoding that read it: UTF-8 (with or without BOM), else cp1252."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportFormatError(f"cannot read the export: {exc.strerror or exc}", file=str(path)) from exc
    if b"\x00" in raw[:4096]:
        raise ExportFormatError("looks like a binary file, not CSV text", file=path.name)
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ExportFormatError("not readable as UTF-8 or Windows-1252 text", file=path.name)  # pragma: no cover


def sniff_separator(text: str) -> str:
    """The field separator of a CSV text: the one of ``; , \\t |`` that splits the header most."""
    header = next(iter(text.splitlines()), "")
    counts = {sep: _count_outside_quotes(header, sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, sep: str) -> int:
    quoted = False
    count = 0
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def sniff_decimal(sheet: Sheet, separator: str) -> str:
    """``","`` when numbers in the sheet are written with a decimal comma, else ``"."``."""
    comma = point = 0
    for row in sheet.rows:
        for cell in row:
            text = cell_text(cell)
            if not text or not any(c.isdigit() for c in text) or len(text) > 20:
                continue
            if parse_number(text, ",") is not None and "," in text:
                comma += 1
            elif parse_number(text, ".") is not None and "." in text:
                point += 1
    if comma > point:
        return ","
    return "," if separator == ";" and comma and not point else "."


def read_csv_sheet(path: Path, name: str = "main") -> tuple[Sheet, str, str]:
    """Read a CSV export: returns the sheet, its encoding and its separator."""
    text, encoding = decode(path)
    if not text.strip():
        raise ExportFormatError("empty file; expected a header row", file=path.name, row=1)
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    columns: list[str] | None = None
    rows: list[list[object]] = []
    lines: list[int] = []
    previous_end = 0
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if columns is None:
                columns = [c.strip() for c in row]
                continue
            if not any(cell.strip() for cell in row):
                continue
            rows.append([cell.strip() for cell in row])
            lines.append(start)
    except csv.Error as exc:
        raise ExportFormatError(f"not valid CSV: {exc}", file=path.name, row=reader.line_num) from exc
    sheet = Sheet(name=name, label=path.name, columns=columns or [], rows=rows, lines=lines)
    return sheet, encoding, separator


def _unreadable_xlsx(exc: Exception) -> str:
    """Why openpyxl could not read a workbook, in capeval's words (no Python exception name)."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        why = "it is not a ZIP archive, as every .xlsx file is"
    elif isinstance(exc, KeyError):  # openpyxl looks up the workbook's parts by name in the archive
        why = "a ZIP archive without the parts of a workbook (was it renamed from another file?)"
    else:
        why = "its contents are damaged or not those of a workbook"
    return f"not a readable XLSX workbook: {why}; open it in Excel or LibreOffice and save it again as .xlsx"


def read_xlsx_sheets(path: Path) -> list[Sheet]:
    """Every worksheet of an XLSX export, blank rows skipped, row numbers kept."""
    import openpyxl  # slow import, needed only for XLSX

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise ExportFormatError("export not found", file=str(path)) from exc
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise ExportFormatError(_unreadable_xlsx(exc), file=path.name) from exc
    sheets: list[Sheet] = []
    try:
        for worksheet in workbook.worksheets:
            columns: list[str] | None = None
            rows: list[list[object]] = []
            lines: list[int] = []
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = list(row)
                if columns is None:
                    if not any(cell_text(c) for c in cells):
                        continue
                    columns = [cell_text(c) for c in cells]
                    continue
                if not any(cell_text(c) for c in cells):
                    continue
                rows.append(cells)
                lines.append(number)
            if columns is None:
                continue
            while columns and not columns[-1]:
                columns.pop()
            label = f"{path.name}[{worksheet.title}]"
            sheets.append(Sheet(name=worksheet.title, label=label, columns=columns, rows=rows, lines=lines))
    finally:
        workbook.close()
    if not sheets:
        raise ExportFormatError("the workbook has no sheet with a header row", file=path.name)
    return sheets


def read_table(path: Path, fmt: str) -> Export:
    """A one-table export (CSV or the first XLSX sheet) for formats without repeat groups."""
    if not path.is_file():
        raise ExportFormatError("export not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path)
        return Export(path=path, fmt=fmt, sheets=sheets[:1], decimal=".", encoding="xlsx")
    sheet, encoding, separator = read_csv_sheet(path)
    decimal = sniff_decimal(sheet, separator)
    return Export(path=path, fmt=fmt, sheets=[sheet], decimal=decimal, encoding=encoding, separator=separator)
