"""Draft a mapping from an export: guess the id columns, the item columns and their scales.

The draft is a starting point the analyst edits: every guess is marked in the YAML's
header, and nothing guessed is hidden (unknown columns land under ``ignore:``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from capeval.ingest.cells import cell_text, normalise_label, parse_datetime, parse_number, slug
from capeval.ingest.formats import ExportFormat, get_format
from capeval.ingest.sources import Export, Sheet
from capeval.ingest.unmapped import looks_like_item

# Common answer scales, with the value each label usually carries.
KNOWN_LABELS: dict[str, float] = {
    normalise_label(k): v
    for k, v in {
        "helemaal niet mee eens": 1,
        "helemaal mee oneens": 1,
        "niet mee eens": 2,
        "mee oneens": 2,
        "oneens": 2,
        "neutraal": 3,
        "niet eens, niet oneens": 3,
        "mee eens": 4,
        "eens": 4,
        "helemaal mee eens": 5,
        "zeer ontevreden": 1,
        "ontevreden": 2,
        "tevreden": 4,
        "zeer tevreden": 5,
        "strongly disagree": 1,
        "disagree": 2,
        "neutral": 3,
        "agree": 4,
        "strongly agree": 5,
        "very dissatisfied": 1,
        "dissatisfied": 2,
        "satisfied": 4,
        "very satisfied": 5,
        "poor": 1,
        "fair": 2,
        "good": 3,
        "very good": 4,
        "excellent": 5,
        "slecht": 1,
        "matig": 2,
        "voldoende": 3,
        "goed": 4,
        "uitstekend": 5,
    }.items()
}
PERSONAL_NAME = re.compile(r"(^|[^a-z])(e-?mail|naam|name|phone|telefoon|gsm|adres|address)([^a-z]|$)", re.I)
PARTNER_NAME = re.compile(r"^(partner|organisat(ie|ion)|organi[sz]ation|gemeente|municipality|school|node)\b", re.I)
FREE_TEXT_LENGTH = 25


def suggest_mapping(fmt: str, export: str | Path) -> str:
    """YAML text of a draft mapping for ``export`` read as ``fmt``."""
    export_format = get_format(fmt)
    path = Path(export)
    if not export_format.needs_mapping:
        return f"# --from {fmt} needs no mapping: capeval ships the questions and their scales.\n"
    data = draft_mapping(export_format, export_format.read(path))
    header = (
        f"# Draft mapping for {path.name} (--from {fmt}), written by capeval --suggest-mapping.\n"
        "# Check: the programme block, the partner, each item's level/dimension/criterion and the\n"
        "# label values (ordered by guess), and which columns are personal. See docs/mapping.md.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def draft_mapping(fmt: ExportFormat, export: Export) -> dict[str, Any]:
    """The draft mapping as a dict (what :func:`suggest_mapping` prints)."""
    main = export.main
    lowered = {c.casefold(): c for c in main.columns}
    respondent = next((lowered[c] for c in fmt.respondent_columns if c in lowered), None)
    partner_column = next((c for c in main.columns if PARTNER_NAME.match(c)), None)
    stem = slug(export.path.stem, max_length=40)
    data: dict[str, Any] = {
        "programme": {"id": stem, "title": export.path.stem, "language": "en", "waves": [{"id": 1, "label": "wave 1"}]},
    }
    items: list[dict[str, Any]] = []
    lessons: list[dict[str, Any]] = []
    personal: list[str] = []
    ignore: list[str] = []
    dutch = 0
    for sheet in export.sheets:
        for column in dict.fromkeys(sheet.columns):
            if not column or column in (respondent, partner_column):
                continue
            if fmt.is_personal(column) or (not fmt.is_meta(column) and PERSONAL_NAME.search(column)):
                personal.append(column)
                continue
            if fmt.is_meta(column):
                continue  # the tool's own bookkeeping is never an item; no need to list it
            if _is_option_column(column, sheet):
                ignore.append(column)
                continue
            kind, spec = _guess_column(column, sheet, export, fmt)
            dutch += int(spec.pop("_dutch", 0))
            if kind == "item":
                items.append(spec)
            elif kind == "lesson":
                lessons.append({"fields": {"what_changed": column}, "method": "free"})
            else:
                ignore.append(column)
    if dutch:
        data["programme"]["language"] = "nl"
    if partner_column:
        values = sorted({cell_text(v) for v in main.values(partner_column)} - {""})
        data["partners"] = [{"partner_id": slug(v, max_length=30).upper(), "name": v} for v in values]
        data["partner"] = {"column": partner_column, "values": {v: slug(v, max_length=30).upper() for v in values}}
    else:
        data["partners"] = [{"partner_id": "P1", "name": "EDIT: partner name"}]
        data["partner"] = {"value": "P1"}
    data["respondent"] = {"column": respondent} if respondent else {}
    data["wave"] = {"value": 1}
    data["items"] = items
    data["lessons"] = lessons
    data["personal"] = personal
    data["ignore"] = ignore
    return data


def _is_option_column(column: str, sheet: Sheet) -> bool:
    """A KoboToolbox ``question/option`` 0–1 column next to its space-joined ``question`` column."""
    return "/" in column and column.rsplit("/", 1)[0] in sheet.columns


def _select_multiple_options(column: str, sheet: Sheet, filled: list[str], separator: str) -> list[str]:
    """The options of a select-multiple column, or [] when the column does not look like one."""
    kobo_options = [c.rsplit("/", 1)[1] for c in sheet.columns if c.startswith(column + "/")]
    if kobo_options:
        return kobo_options
    sep = separator.strip()
    if not sep or any(parse_datetime(c) is not None or parse_number(c) is not None for c in filled):
        return []  # a space-joined list cannot be told from prose without Kobo's option columns
    pieces = Counter(p.strip() for c in filled for p in c.split(sep) if p.strip())
    joined = sum(1 for c in filled if sep in c)
    if joined and len(pieces) <= 20 and sum(pieces.values()) > len(pieces):
        return sorted(pieces)
    return []


def _guess_column(column: str, sheet: Sheet, export: Export, fmt: ExportFormat) -> tuple[str, dict[str, Any]]:
    cells = [cell_text(v) for v in sheet.values(column)]
    filled = [c for c in cells if c]
    item_id = slug(column.rsplit("/", 1)[-1], max_length=40)
    base: dict[str, Any] = {
        "column": column,
        "item_id": item_id,
        "text_en": column,
        "level": "L1",
        "dimension": item_id,
    }
    if not filled:
        return "ignore", {}
    separator = export.meta.get("multi_separator", fmt.multi_separator)
    if looks_like_item(filled, export.decimal):
        numbers = [parse_number(c, export.decimal) for c in filled]
        labels = sorted({c for c, n in zip(filled, numbers, strict=True) if n is None})
        known = [normalise_label(c) in KNOWN_LABELS for c in labels]
        spec = dict(base)
        if labels:
            if all(known):
                spec["labels"] = {c: KNOWN_LABELS[normalise_label(c)] for c in labels}
            else:
                spec["labels"] = {c: i for i, c in enumerate(labels, start=1)}
        values = [n for n in numbers if n is not None] + [float(v) for v in spec.get("labels", {}).values()]
        spec["scale_min"] = int(min(values)) if min(values) <= 1 else 1
        spec["scale_max"] = max(int(max(values)), 2)
        spec["_dutch"] = any(c.casefold() in {"ja", "nee", "eens", "mee eens", "tevreden"} for c in labels)
        return "item", spec
    options = _select_multiple_options(column, sheet, filled, separator)
    if options:
        return "item", {**base, "multiple": {"options": {o: slug(o, max_length=30) for o in options}}}
    letters = sum(ch.isalpha() for c in filled for ch in c) / max(1, sum(len(c) for c in filled))
    if sum(len(c) for c in filled) / len(filled) >= FREE_TEXT_LENGTH and letters > 0.6:
        return "lesson", {}
    return "ignore", {}
