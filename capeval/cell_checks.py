"""Checks of single cells and their reading as a column's type: numbers, dates, yes/no, choices.

Each check flags the rows it rejects through ``flag`` (``capeval.validate`` collects the problems and
quarantines the rows) and returns the typed column; the table-level flow and the checks across rows and
tables are in :mod:`capeval.validate`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import cache, partial
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from capeval.folder import CR_MARK, LINE, MAX_CELL, NUL_MARK, PARSE_ERROR
from capeval.schema import FALSE_WORDS, TRUE_WORDS, Coded, ProgrammeConfig
from capeval.table_specs import Column

# per-row messages, or a function making them for the flagged rows only (a table may have millions)
Messages: TypeAlias = "pd.Series | str | Callable[[pd.Series], pd.Series]"
# flag(mask, column, messages): record a problem for every row in mask
Flag = Callable[[pd.Series, str, Messages], None]
MAX_NUMBER = 2**53 - 1  # the largest whole number a float64 (and Int64) holds exactly
# A date is accepted within the waves' years widened by this many years (1900-2100 when no wave has a year).
DATE_MARGIN_YEARS = 5


def check_cells(raw: pd.DataFrame, flag: Flag) -> None:
    """Checks of every cell, whatever its column: split errors, NUL bytes, size, formulas."""
    if PARSE_ERROR in raw.columns:
        flag(raw[PARSE_ERROR] != "", "-", raw[PARSE_ERROR])
    for name in raw.columns.drop([LINE, PARSE_ERROR], errors="ignore"):
        cells = raw[name]
        # pyarrow scans millions of cells fast; Python's own string methods decide on the few candidates
        arrow = _arrow(cells)
        flag(_series(pc.match_substring(arrow, NUL_MARK), cells), str(name), "contains a NUL byte; expected text")
        flag(
            _series(pc.match_substring(arrow, CR_MARK), cells),
            str(name),
            "contains a carriage return (CR) without a line feed, which some programs read as a new row; remove it",
        )
        lengths = pd.Series(pc.utf8_length(arrow).to_numpy(zero_copy_only=False), index=cells.index)
        too_long = lengths > MAX_CELL
        flag(too_long, str(name), partial(_too_long_message, lengths))
        candidates = cells[_series(pc.match_substring(arrow, "="), cells) & ~too_long]
        formula = pd.Series(False, index=cells.index)
        formula[candidates.index] = candidates.str.match(r"^\s*=[A-Za-z_(]").astype(bool)
        flag(formula, str(name), "starts with '=' (a spreadsheet formula?); expected plain text or a number")


def _arrow(cells: pd.Series) -> pa.Array:
    """Text cells as a pyarrow string array (missing cells stay missing)."""
    return pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def strip_cells(cells: pd.Series) -> pd.Series:
    """``cells.str.strip()``, calling Python only for the cells that start or end with whitespace."""
    arrow = _arrow(cells)
    edges = [pc.utf8_slice_codeunits(arrow, 0, 1), pc.utf8_slice_codeunits(arrow, -1, 2**31 - 1)]
    spaced = _series(pc.or_(*(pc.is_in(edge, value_set=_whitespace()) for edge in edges)), cells)
    stripped = cells.copy()
    stripped[spaced] = cells[spaced].str.strip()
    return stripped


@cache
def _whitespace() -> pa.Array:
    """The characters Python's ``str.strip()`` removes."""
    return pa.array(sorted(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()), type=pa.string())


def _decimal_comma_to_point(text: pd.Series) -> pd.Series:
    """'3,5' -> '3.5'; a cell with a point keeps its commas (thousands separators, for to_numeric to reject)."""
    arrow = _arrow(text)
    commas = pc.if_else(pc.match_substring(arrow, "."), arrow, pc.replace_substring(arrow, ",", "."))
    return pd.Series(commas.to_numpy(zero_copy_only=False), index=text.index, dtype=object)


def _series(mask: pa.Array, like: pd.Series) -> pd.Series:
    """A pyarrow boolean array as a boolean Series on ``like``'s index (missing = False)."""
    return pd.Series(mask.fill_null(False).to_numpy(zero_copy_only=False), index=like.index, dtype=bool)


def _too_long_message(lengths: pd.Series, mask: pd.Series) -> pd.Series:
    return lengths[mask].map(lambda n: f"cell of {n:,} characters; at most {MAX_CELL:,}")


def coerce_column(column: Column, text: pd.Series, empty: pd.Series, config: ProgrammeConfig, flag: Flag) -> pd.Series:
    """``text`` read as ``column``'s kind (a bad cell flagged and left missing); returns the typed column."""
    kind = column.kind
    if kind in ("int", "float"):
        numbers = pd.to_numeric(_decimal_comma_to_point(text), errors="coerce")
        bad = ~empty & numbers.isna()
        expected = "a whole number" if kind == "int" else "a number"
        flag(bad, column.name, lambda m: f"expected {expected}, got '" + text[m] + "'")
        endless = ~bad & ~empty & ~np.isfinite(numbers.astype("float64"))  # 'inf', '1e999'
        flag(endless, column.name, lambda m: f"expected a finite {expected[2:]}, got '" + text[m] + "'")
        huge = ~bad & ~endless & (numbers.abs() > MAX_NUMBER)  # beyond it, sums and counts lose digits
        flag(huge, column.name, lambda m: f"expected {expected} up to {MAX_NUMBER:,}, got '" + text[m] + "'")
        numbers = numbers.astype("float64").where(~endless & ~huge)
        bad = bad | endless | huge
        if kind == "int":
            fractional = ~bad & numbers.notna() & (numbers != np.floor(numbers))
            flag(fractional, column.name, lambda m: "expected a whole number, got '" + text[m] + "'")
            numbers = numbers.where(~fractional)
        _range(column, numbers, text, flag)
        if kind == "int":
            _choice(column, numbers.astype("Int64").astype(str), ~numbers.isna(), text, config=config, flag=flag)
            return numbers.round().astype("Int64")
        return numbers.astype("float64")
    if kind == "bool":
        lowered = text.str.lower()
        truth = lowered.isin(TRUE_WORDS)
        bad = ~truth & ~lowered.isin(FALSE_WORDS)
        flag(bad, column.name, lambda m: "expected yes/no (or 1/0, true/false, ja/nee), got '" + text[m] + "'")
        return truth.astype("boolean")
    if kind == "date":
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = ~empty & dates.isna()
        serial = bad & text.str.fullmatch(r"\d{5}(\.\d+)?")
        real = bad & ~serial & text.map(_is_calendar_date).astype(bool)  # beyond pandas' years 1677-2262
        first, last, why = _date_years(config)
        years = dates.dt.year
        outside = real | (dates.notna() & ((years < first) | (years > last)))
        flag(
            outside,
            column.name,
            lambda m: f"outside the programme's years ({first}-{last}{why}), got '" + text[m] + "'",
        )
        dates = dates.where(~outside)
        flag(bad & ~serial & ~real, column.name, lambda m: "expected a date YYYY-MM-DD, got '" + text[m] + "'")
        flag(serial, column.name, lambda m: "expected a date YYYY-MM-DD, got '" + text[m] + "' (an Excel date number?)")
        return dates
    if kind == "id":
        bad = _series(pc.match_substring_regex(_arrow(text), "[\x00-\x1f\x7f]"), text)
        flag(bad, column.name, "contains control characters")
    text = _choice(column, text, ~empty, text, config=config, flag=flag)
    result: pd.Series = text.astype("string").mask(empty)
    return result


def _is_calendar_date(text: str) -> bool:
    """Whether ``text`` is a real YYYY-MM-DD date, whatever its year."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _date_years(config: ProgrammeConfig) -> tuple[int, int, str]:
    """The first and last year a date of the programme may have, and where they come from."""
    years = [w.year for w in config.waves if w.year is not None]
    if not years:
        return 1900, 2100, "; give the waves a year in programme.yaml to narrow it"
    why = f": the waves' years and {DATE_MARGIN_YEARS} either side"
    return min(years) - DATE_MARGIN_YEARS, max(years) + DATE_MARGIN_YEARS, why


def _range(column: Column, numbers: pd.Series, text: pd.Series, flag: Flag) -> None:
    if column.minimum is not None:
        if column.maximum is not None:
            expected = f"between {column.minimum:g} and {column.maximum:g}"
        else:
            expected = f"at least {column.minimum:g}"
        flag(numbers < column.minimum, column.name, lambda m: f"expected {expected}, got '" + text[m] + "'")
    if column.maximum is not None:
        expected = (
            f"between {column.minimum:g} and {column.maximum:g}"
            if column.minimum is not None
            else f"at most {column.maximum:g}"
        )
        flag(numbers > column.maximum, column.name, lambda m: f"expected {expected}, got '" + text[m] + "'")


def _choice(
    column: Column, values: pd.Series, present: pd.Series, text: pd.Series, *, config: ProgrammeConfig, flag: Flag
) -> pd.Series:
    """Flag values not in the column's choices; return ``values`` with a programme list's labels as their ids."""
    if column.choices is None:
        return values
    if isinstance(column.choices, str):
        listed = getattr(config, column.choices)
        allowed = [str(x) for x in listed] if column.choices == "wave_ids" else [c.id for c in listed]
        source = (
            f"programme.yaml {column.choices.removesuffix('_ids')}s"
            if column.choices == "wave_ids"
            else f"programme.yaml {column.choices}"
        )
        if not allowed and column.choices != "wave_ids":
            return values  # the programme declares no list: any value is accepted
        if column.choices != "wave_ids":
            values = _labels_as_ids(values, present & ~values.isin(set(allowed)), listed)
    else:
        allowed = list(column.choices)
        source = "one of " + ", ".join(allowed)
    shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
    bad = present & ~values.isin(set(allowed))
    expected = f"{source}: {shown}" if isinstance(column.choices, str) else source
    flag(bad, column.name, lambda m: "unknown value '" + text[m] + f"' (expected {expected})")
    return values


def _labels_as_ids(values: pd.Series, candidates: pd.Series, listed: list[Coded]) -> pd.Series:
    """A table may name a service, ingredient or activity type by its label (any case): read as its id."""
    if not candidates.any():
        return values
    by_label = {entry.label.casefold(): entry.id for entry in listed}
    named = values[candidates].astype(str).str.casefold().map(by_label)
    return values.where(~candidates | named.reindex(values.index).isna(), named.reindex(values.index))
