"""The one loader of a programme folder: programme.yaml and the tidy CSV tables, as text.

Every cell is read as text so that validation can quote what the user wrote; each row
keeps its line number in the file (``_line``, header = line 1) for error messages.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from capeval.errors import Problem, ProgrammeError

LINE = "_line"
PARSE_ERROR = "_parse_error"  # set on a row the CSV reader could not split into the header's fields
NUL_MARK = "\u2400"  # stands for a NUL byte read from the file
MAX_CELL = 100_000  # characters; a longer cell is rejected (it would swamp a report)
PARSE_ERROR = "_parse_error"  # set on a row the CSV reader could not split into the header's fields
MAX_CELL = 100_000  # characters; a longer cell is rejected (it would swamp a report)


def read_yaml_with_lines(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Return programme.yaml as a dict plus the line of each top-level key."""
    if not path.is_file():
        raise ProgrammeError("programme.yaml not found", file=str(path))
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProgrammeError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=path.name,
            row=(mark.line + 1) if mark is not None else None,
        ) from exc
    if not isinstance(data, dict):
        raise ProgrammeError("expected a mapping of keys (id, title, waves, ...)", file=path.name, row=1)
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return data, lines


def read_table_text(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV as strings with a ``_line`` column; unreadable files give a Problem."""
    name = path.name
    raw = path.read_bytes()
    problems: list[Problem] = []
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return pd.DataFrame(), [Problem(name, 1, "-", "a spreadsheet (XLSX/XLS), not CSV; use 'capeval import'")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Dutch and Belgian spreadsheets save Windows-1252: read it so no row is lost, and say so
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        problems.append(
            Problem(name, line, "-", f"not UTF-8 (byte 0x{raw[exc.start]:02x}); read as Windows-1252, save as UTF-8")
        )
    text = text.replace("\x00", NUL_MARK)  # the C parser would cut the cell; validation flags the row
    if not text.strip():
        return pd.DataFrame(), [Problem(name, 1, "-", "empty file; expected a header row")]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
        frame[LINE] = _record_start_lines(text, len(frame))
    except pd.errors.ParserError:
        frame = _read_ragged(text)
    frame.columns = [str(c).strip() for c in frame.columns]
    header = [c for c in frame.columns if c not in (LINE, PARSE_ERROR)]
    if len(header) == 1 and header[0].count(";") >= 2:
        problems.append(
            Problem(name, 1, "-", "looks ';'-separated; save as comma-separated CSV or use 'capeval import --from csv'")
        )
    return frame, problems


def _read_ragged(text: str) -> pd.DataFrame:
    """Read a CSV whose rows do not all have the header's number of fields.

    Rows that do are kept as they are; the others keep what fits and carry the reason in
    ``_parse_error`` so validation quarantines them instead of failing the whole file.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
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
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    frame[LINE] = lines
    frame[PARSE_ERROR] = errors
    return frame


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
