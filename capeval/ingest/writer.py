"""Append planned rows to a programme folder, idempotently.

A row whose key (the table's key in :mod:`capeval.table_specs`) is already in the file is
counted as already present and not written again, so importing the same export twice
adds nothing. One import is one transaction (:mod:`capeval.ingest.transaction`): every
file is staged first and the folder changes only when all of it is written.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from capeval.csvfile import read_rows, write_rows
from capeval.files import write_atomic
from capeval.folder import read_yaml_with_lines
from capeval.ingest.plan import Planned, Row
from capeval.ingest.pseudonym import write_salt
from capeval.ingest.transaction import FolderTransaction
from capeval.shortforms import coded_entry, expand, slug_id
from capeval.table_specs import TABLE_ORDER, TABLES

# Tables outside the validated contract that an import may write (TMD demographics).
EXTRA_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "demographics": (
        ("respondent_id", "partner_id", "activity_id", "wave", "question_id", "answer"),
        ("respondent_id", "wave", "question_id", "answer"),
    ),
}
REJECTED = "_rejected"
# Columns an earlier import may have left empty ("EDIT: scale") and a later one fills in.
FILLED_LATER: dict[str, tuple[str, ...]] = {"items": ("scale_min", "scale_max")}


def cell(value: object) -> str:
    """How a value is written to a tidy CSV: ``4.0`` as ``4``, None and NaN as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    return str(value)


def write_planned(root: Path, planned: Planned, salt: bytes) -> tuple[dict[str, int], dict[str, int], list[Path]]:
    """Write everything planned into ``root`` as one transaction (all of it or nothing); return rows
    added and already present per table, and the quarantine files written."""
    with FolderTransaction(root) as staging:
        added, present, written = _write_planned(staging, planned, salt)
    return added, present, [root / path.relative_to(staging) for path in written]


def _write_planned(root: Path, planned: Planned, salt: bytes) -> tuple[dict[str, int], dict[str, int], list[Path]]:
    write_salt(root, salt)
    _write_programme(root, planned)
    added: dict[str, int] = {}
    present: dict[str, int] = {}
    for name in (*TABLE_ORDER, *EXTRA_TABLES):
        rows = planned.tables.get(name, [])
        if not rows:
            continue
        columns, key = _table_shape(name)
        added[name], present[name] = _merge_table(root / f"{name}.csv", columns, key, rows)
    written = _write_side_files(root, planned)
    for hook in planned.after_write:
        hook(root)
    return added, present, written


def _table_shape(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if name in TABLES:
        spec = TABLES[name]
        return tuple(c.name for c in spec.columns), spec.key
    return EXTRA_TABLES[name]


def _merge_table(path: Path, spec_columns: tuple[str, ...], key: tuple[str, ...], new: list[Row]) -> tuple[int, int]:
    header, rows = read_rows(path)
    # Every column of the spec, optional ones too: validate_programme needs them (see report).
    columns = list(header) or list(spec_columns)
    for row in new:
        columns += [c for c in row if c not in columns]
    keys = {tuple(r.get(k, "") for k in key): r for r in rows}
    added = present = filled = 0
    for row in new:
        text = {k: cell(v) for k, v in row.items()}
        row_key = tuple(text.get(k, "") for k in key)
        if row_key in keys:
            present += 1
            filled += _fill_blanks(keys[row_key], text, FILLED_LATER.get(path.stem, ()))
            continue
        keys[row_key] = text
        rows.append(text)
        added += 1
    if added or filled or not path.is_file():
        write_rows(path, columns, rows)
    return added, present


def _fill_blanks(existing: dict[str, str], new: dict[str, str], columns: tuple[str, ...]) -> int:
    """Set ``columns`` of a row already present where they are empty and the new import knows them."""
    changed = 0
    for column in columns:
        if not existing.get(column) and new.get(column):
            existing[column] = new[column]
            changed = 1
    return changed


def _write_programme(root: Path, planned: Planned) -> None:
    path = root / "programme.yaml"
    if not path.is_file():
        if planned.programme is None:
            return
        _dump_yaml(path, planned.programme)
    if not planned.new_waves and not planned.new_activity_types:
        return
    data = expand(read_yaml_with_lines(path)[0])  # short forms written out, so new entries can join them
    waves = data.setdefault("waves", [])
    known = {w.get("id") for w in waves if isinstance(w, dict)}
    waves.extend(w for w in planned.new_waves if w.get("id") not in known)
    types = data.get("activity_types") or []
    if types:
        ids = {t.get("id") for t in types if isinstance(t, dict)}
        types.extend(coded_entry(t) for t in planned.new_activity_types if slug_id(t) not in ids and t not in ids)
    _dump_yaml(path, data)


def _dump_yaml(path: Path, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    write_atomic(path, text)


def _write_side_files(root: Path, planned: Planned) -> list[Path]:
    """Quarantined rows to ``_rejected/import_<stem>.csv``, incomplete ones to ``incomplete_<stem>.csv``."""
    written: list[Path] = []
    folder = root / REJECTED
    for prefix, groups in (("import", planned.quarantined), ("incomplete", planned.incomplete)):
        for stem in planned.stems:
            stale = folder / f"{prefix}_{stem}.csv"
            if stem not in groups and stale.is_file():
                stale.unlink()  # an earlier import of this export left rows that now import
        for stem, rows in groups.items():
            if not rows:
                continue
            folder.mkdir(exist_ok=True)
            columns: list[str] = []
            for row in rows:
                columns += [c for c in row if c not in columns]
            path = folder / f"{prefix}_{stem}.csv"
            write_rows(path, columns, [{k: cell(v) for k, v in r.items()} for r in rows])
            written.append(path)
    return written
