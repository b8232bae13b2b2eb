"""Every CSV capeval writes, with spreadsheet injection neutralised (and undone on read).

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``), and a leading tab or carriage return
hides such a start. Some spreadsheets (by their import settings) also skip leading spaces
and read the full-width ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D, U+FF20) of East Asian input
as the ASCII ones, so those starts count too. OWASP's rule: prefix such a cell with a single
quote, so the spreadsheet shows it as text. capeval applies it to every cell it writes (the programme folder's tables,
``_rejected/``, the demo), except a cell that is a plain decimal number such as ``-3`` or
``+2.5``, which a spreadsheet reads as that number and never as a formula.

The programme folder is capeval's own data as well as a file people open, so the rule is
made reversible: a cell that already starts with quotes before one of those characters
gets one quote more, and :func:`restore_cell` (used by every reader of capeval's own
files) takes exactly one away. Nothing is lost: ``=x`` → ``'=x`` → ``=x``, ``'=x`` →
``''=x`` → ``'=x``, ``'hello`` and ``-3`` are written and read as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from capeval.files import replacing

FORMULA_START = "=+-@\t\r"
FULL_WIDTH_START = "\uff1d\uff0b\uff0d\uff20"  # ＝ ＋ － ＠
CR_READ_MARK = "\u240d"  # how capeval's loader shows a lone CR (capeval.folder.CR_MARK)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
# A start a spreadsheet may run: a tab or CR, or a formula sign after any leading white space.
_RISKY = r"(?:[\t\r" + CR_READ_MARK + r"]|\s*[" + re.escape("=+-@" + FULL_WIDTH_START) + "])"
_RISKY_START = re.compile(_RISKY)
# Quotes before a formula start: neutralised by capeval (read) or to be kept as written (write).
_QUOTED_START = re.compile("'+" + _RISKY)


def neutralise_cell(text: str) -> str:
    """``text`` as written to a CSV: a single quote before a formula start; a plain number as it is."""
    if not text:
        return text
    if text[0] != CR_READ_MARK and _RISKY_START.match(text):
        return text if _NUMBER.fullmatch(text) else "'" + text
    if text[0] == "'" and _QUOTED_START.match(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """A cell read from a CSV capeval wrote, as it was before :func:`neutralise_cell`."""
    return text[1:] if text[:1] == "'" and _QUOTED_START.match(text) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised; numeric, boolean and date columns unchanged."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype):
            text = column.map(lambda v: neutralise_cell(v) if isinstance(v, str) else v)
            out[name] = text.astype(column.dtype)
    return out


def restore_column(cells: pd.Series) -> pd.Series:
    """:func:`restore_cell` on a column of text read from a CSV (only cells that start with a quote are looked at)."""
    arrow = pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    quoted = pc.fill_null(pc.starts_with(arrow, "'"), False).to_numpy(zero_copy_only=False)
    if not quoted.any():  # the usual case: a vectorised scan, no Python per cell
        return cells
    restored = cells.copy()
    restored[quoted] = cells[quoted].map(restore_cell)
    return restored


def frame_csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index, LF line ends), neutralised."""
    out = neutralise_frame(frame)
    text_columns = [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c].dtype)]
    has_cr = any(out[c].astype("string").str.contains("\r", regex=False).any() for c in text_columns)
    # the csv module quotes a cell for the line terminator's characters only: a CR cell must be quoted by hand
    if has_cr:
        return str(out.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC))
    return str(out.to_csv(index=False, lineterminator="\n"))


def write_rows(path: Path, columns: list[str], rows: Iterable[Mapping[str, str]]) -> None:
    """Write text rows as a CSV atomically (a temporary file replaced in one step), neutralised."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([neutralise_cell(c) for c in columns])
        for row in rows:
            cells = [neutralise_cell(row.get(c, "") or "") for c in columns]
            if any("\r" in c for c in cells):
                handle.write(_record_with_cr(cells))
            else:
                writer.writerow(cells)


def _record_with_cr(cells: list[str]) -> str:
    """One CSV record whose cells hold a CR: quoted, as the csv module does only for its line terminator."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + "\n"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV capeval wrote: its header and rows as text, restored (empty when the file does not exist)."""
    if not path.is_file():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = [[restore_cell(c) for c in record] for record in csv.reader(handle) if record]
    if not records:
        return [], []
    header, width = records[0], len(records[0])
    return header, [dict(zip(header, (record + [""] * width)[:width], strict=True)) for record in records[1:]]
