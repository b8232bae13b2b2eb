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
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return pd.DataFrame(), [
            Problem(name, line, "-", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 CSV")
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return pd.DataFrame(), [Problem(name, line, "-", "contains a NUL byte; is this a binary file?")]
    if not text.strip():
        return pd.DataFrame(), [Problem(name, 1, "-", "empty file; expected a header row")]
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[LINE] = _record_start_lines(text, len(frame))
    return frame, []


def _record_start_lines(text: str, n_rows: int) -> list[int]:
    """Line number where each data record starts (records may span lines in quoted cells)."""
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical == n_rows + 1:
        return list(range(2, n_rows + 2))
    reader = csv.reader(io.StringIO(text))
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
