"""The one loader of a programme folder: programme.yaml and the tidy CSV tables, as text.

Every cell is read as text so that validation can quote what the user wrote; each row
keeps its line number in the file (``_line``, header = line 1) for error messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from capeval.csvfile import restore_cell, restore_column
from capeval.errors import Problem, ProgrammeError
from capeval.yamlfile import read_yaml

LINE = "_line"
_LONE_CR = re.compile(r"\r(?!\n)")
PARSE_ERROR = "_parse_error"  # set on a row the CSV reader could not split into the header's fields
NUL_MARK = "\u2400"  # stands for a NUL byte read from the file
CR_MARK = "\u240d"  # stands for a carriage return without a line feed (in a file of LF lines)
MAX_TABLE_BYTES = 256 * 2**20  # 256 MiB: some 8 million answers of responses.csv
REPEATED = "repeated_columns"  # frame.attrs key: header names given twice -> their positions
MAX_CELL = 100_000  # characters; a longer cell is rejected (it would swamp a report)
# a tidy table has a few dozen columns; 200,000 would take gigabytes in pandas before any row is checked
MAX_COLUMNS = 1_000


def read_yaml_with_lines(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """programme.yaml as a dict, read as YAML 1.2 (a key twice, text that is not UTF-8 and alias
    bombs refused: capeval.yamlfile), plus the line of each key (nested ones dotted: ``waves.0.id``)."""
    if not path.is_file():
        raise ProgrammeError("programme.yaml not found", file=str(path))
    data, lines = read_yaml(path, ProgrammeError)
    if not isinstance(data, dict):
        raise ProgrammeError(
            "expected keys with values (id, title, waves, ...), one per line, e.g. 'id: regional_networks'",
            file=path.name,
            row=1,
        )
    return data, lines


def _other_unicode(raw: bytes) -> str | None:
    """The codec a UTF-32 or UTF-16 byte-order mark at the start of ``raw`` names, else None."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def read_table_text(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV as strings with a ``_line`` column; unreadable files give a Problem."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:  # a hostile or mistaken file would take all memory before any row is checked
        raise ProgrammeError(
            f"file of {size:,} bytes; capeval reads tables of at most {MAX_TABLE_BYTES:,} bytes "
            "(is it the right file? split a larger programme into several)",
            file=name,
        )
    raw = path.read_bytes()
    problems: list[Problem] = []
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return pd.DataFrame(), [Problem(name, 1, "-", "a spreadsheet (XLSX/XLS), not CSV; use 'capeval import'")]
    unicode_bom = _other_unicode(raw)
    try:
        if unicode_bom is not None:  # a BOM of UTF-16 or UTF-32 says which it is: read it so, and say so
            text = raw.decode(unicode_bom)
            problems.append(
                Problem(
                    name,
                    1,
                    "-",
                    f"saved as {unicode_bom.upper()}, not UTF-8; read as {unicode_bom.upper()}, "
                    "save as UTF-8 (in Excel: Save as → CSV UTF-8)",
                )
            )
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Dutch and Belgian spreadsheets save Windows-1252: read it so no row is lost, and say so
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        problems.append(
            Problem(name, line, "-", f"not UTF-8 (byte 0x{raw[exc.start]:02x}); read as Windows-1252, save as UTF-8")
        )
    text = text.replace("\x00", NUL_MARK)  # the C parser would cut the cell; validation flags the row
    if "\r" in text and "\n" in text:  # a lone CR in a file of LF lines is no line end: it would invent a row
        text = _LONE_CR.sub(CR_MARK, text)
    if not text.strip():
        return pd.DataFrame(), [Problem(name, 1, "-", "empty file; expected a header row")]
    header = [c.strip() for c in _header_record(csv.reader(io.StringIO(text, newline="")))]
    if len(header) > MAX_COLUMNS:
        raise ProgrammeError(
            f"a header of {len(header):,} columns; capeval reads tables of at most {MAX_COLUMNS:,} columns "
            "(a tidy table has one column per field, e.g. respondent_id,partner_id,wave,item_id,value)",
            file=name,
            row=1,
        )
    repeated = repeated_columns(header)
    try:
        if repeated:  # pandas would rename the second 'x' to 'x.1' and keep it as an extra column
            raise pd.errors.ParserError
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
        frame[LINE] = _record_start_lines(text, len(frame))
        frame.columns = [str(c).strip() for c in frame.columns]
    except pd.errors.ParserError:
        frame = _read_ragged(text, _distinct(header))
    frame.attrs[REPEATED] = repeated
    header = [c for c in frame.columns if c not in (LINE, PARSE_ERROR)]
    for column in header:  # capeval wrote formula-like cells with a quote before them (capeval.csvfile)
        frame[column] = restore_column(frame[column])
    frame.columns = [c if c in (LINE, PARSE_ERROR) else restore_cell(str(c)) for c in frame.columns]
    if len(header) == 1 and header[0].count(";") >= 2:
        problems.append(
            Problem(name, 1, "-", "looks ';'-separated; save as comma-separated CSV or use 'capeval import --from csv'")
        )
    return frame, problems


def _header_record(reader: Iterator[list[str]]) -> list[str]:
    """The first non-blank record (pandas skips blank lines before the header too)."""
    return next((row for row in reader if row), [])


def repeated_columns(header: list[str]) -> dict[str, list[int]]:
    """The column names the header holds more than once, with their 1-based field positions; names that
    differ only in case (``value``, ``VALUE``) count as one, keyed by the spellings as written
    (``value' and 'VALUE``), since one of them would be read silently and the other ignored."""
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(header, start=1):
        positions.setdefault(name.casefold(), []).append(number)
    return {
        "' and '".join(dict.fromkeys(header[p - 1] for p in found)): found
        for found in positions.values()
        if len(found) > 1
    }


def _distinct(header: list[str]) -> list[str]:
    """The header with a repeated name numbered (``name``, ``name.1``), so every column can be read."""
    seen: set[str] = set()
    names = []
    for name in header:
        unique, k = name, 0
        while unique in seen:
            k += 1
            unique = f"{name}.{k}"
        seen.add(unique)
        names.append(unique)
    return names


def _read_ragged(text: str, header: list[str]) -> pd.DataFrame:
    """Read a CSV whose rows do not all have the header's number of fields.

    Rows that do are kept as they are; the others keep what fits and carry the reason in
    ``_parse_error`` so validation quarantines them instead of failing the whole file.
    ``header`` names the columns (the file's own header, stripped, each name distinct).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    _header_record(reader)
    rows: list[list[str]] = []
    lines: list[int] = []
    errors: list[str] = []
    previous_end = reader.line_num
    for row in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not row:
            continue
        error = "" if len(row) == len(header) else f"expected {len(header)} fields (as in the header), found {len(row)}"
        rows.append((row + [""] * len(header))[: len(header)])
        lines.append(start)
        errors.append(error)
    if lines and _ends_inside_quote(text, lines[-1]):  # the csv module keeps such a record as if it were closed
        errors[-1] = "a quote opened here is never closed (is the file cut short?)"
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    frame[LINE] = lines
    frame[PARSE_ERROR] = errors
    return frame


def _ends_inside_quote(text: str, start: int) -> bool:
    """Whether the record starting on line ``start`` (1-based) runs to the end of ``text`` inside a quoted cell."""
    tail = "".join(io.StringIO(text, newline="").readlines()[start - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _record_start_lines(text: str, n_rows: int) -> list[int]:
    """Line number where each data record starts (records may span lines in quoted cells)."""
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical == n_rows + 1:
        return list(range(2, n_rows + 2))
    reader = csv.reader(io.StringIO(text, newline=""))
    starts: list[int] = []
    previous_end = 0
    for index, row in enumerate(reader):
        start = previous_end + 1
        previous_end = reader.line_num
        if index == 0 or not row:
            continue
        starts.append(start)
    if len(starts) != n_rows:  # blank lines are skipped the same way by both readers
        return list(range(2, n_rows + 2))
    return starts
