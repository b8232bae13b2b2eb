"""Columns the mapping forgot: an unmapped column whose cells look like answers is a Problem.

A column looks like an item when most of its filled cells are small numbers (a rating)
or common scale labels; free text, dates and ids do not.
"""

from __future__ import annotations

from collections.abc import Sequence

from capeval.errors import Problem
from capeval.ingest.cells import cell_text, normalise_label, parse_number
from capeval.ingest.formats import ExportFormat
from capeval.ingest.mapping import Mapping
from capeval.ingest.sources import Export, is_option_column

LIKERT_WORDS = {
    normalise_label(w)
    for w in (
        "helemaal mee eens",
        "mee eens",
        "neutraal",
        "niet mee eens",
        "helemaal niet mee eens",
        "oneens",
        "zeer tevreden",
        "tevreden",
        "ontevreden",
        "zeer ontevreden",
        "strongly agree",
        "agree",
        "neutral",
        "disagree",
        "strongly disagree",
        "very satisfied",
        "satisfied",
        "dissatisfied",
        "very dissatisfied",
        "excellent",
        "very good",
        "good",
        "fair",
        "poor",
        "goed",
        "slecht",
        "matig",
        "uitstekend",
        "ja",
        "nee",
        "yes",
        "no",
        "maybe",
        "misschien",
        "tout à fait d'accord",
        "d'accord",
        "pas d'accord",
    )
}
MIN_FILLED = 2
UNMAPPED = "looks like answers to a question but the mapping does not map it; add it under 'items:' or 'ignore:'"


def looks_like_item(cells: Sequence[object], decimal: str) -> bool:
    """True when most filled cells are ratings 0–10 or common scale labels."""
    texts = [cell_text(c) for c in cells]
    filled = [t for t in texts if t]
    if len(filled) < MIN_FILLED:
        return False
    hits = 0
    for text in filled:
        number = parse_number(text, decimal)
        if (number is not None and 0 <= number <= 10 and number.is_integer()) or normalise_label(text) in LIKERT_WORDS:
            hits += 1
    return hits >= 0.8 * len(filled)


def unmapped_item_problems(export: Export, fmt: ExportFormat, mapping: Mapping) -> list[Problem]:
    """One Problem (header row) per unmapped column that looks like answers to a question."""
    claimed = mapping.claimed_columns()
    problems: list[Problem] = []
    for sheet in export.sheets:
        for column in dict.fromkeys(sheet.columns):
            if not column or column in claimed or fmt.is_meta(column) or fmt.is_personal(column):
                continue
            if is_option_column(column, sheet):
                continue  # a KoboToolbox 'question/option' 0-1 column: its question is mapped or ignored
            if looks_like_item(sheet.values(column), export.decimal):
                problems.append(Problem(sheet.label, 1, column, UNMAPPED))
    return problems
