"""Validate a programme folder: typed tables kept, bad rows quarantined with their reason.

Nothing is dropped silently: every rejected row is in ``Validated.rejected`` (and in
``_rejected/<table>.csv`` once written) with its line and the reasons.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from capeval.csvfile import frame_csv_text
from capeval.disk import refuse_link_out, writing_in
from capeval.errors import Problem, ProgrammeError
from capeval.files import write_atomic
from capeval.folder import (
    CR_MARK,
    LINE,
    MAX_CELL,
    NUL_MARK,
    PARSE_ERROR,
    REPEATED,
    read_table_text,
    read_yaml_with_lines,
)
from capeval.narrative import read_narratives
from capeval.programme_file import load_programme_config
from capeval.schema import (
    FALSE_WORDS,
    TABLE_ORDER,
    TABLES,
    TOP_TWO_MIN_POINTS,
    TRUE_WORDS,
    Coded,
    Column,
    ProgrammeConfig,
    TableSpec,
)
from capeval.visible import quoted

REASON = "_reason"
# per-row messages, or a function making them for the flagged rows only (a table may have millions)
Messages: TypeAlias = "pd.Series | str | Callable[[pd.Series], pd.Series]"
# flag(mask, column, messages): record a problem for every row in mask
Flag = Callable[[pd.Series, str, Messages], None]
MAX_NUMBER = 2**53 - 1  # the largest whole number a float64 (and Int64) holds exactly
# A date is accepted within the waves' years widened by this many years (1900-2100 when no wave has a year).
DATE_MARGIN_YEARS = 5


@dataclass
class Validated:
    """A validated programme: the config, typed kept tables, quarantined rows, problems."""

    root: Path
    config: ProgrammeConfig
    tables: dict[str, pd.DataFrame]
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, tuple[int, int]]:
        """Rows kept and rejected per table that is present."""
        return {
            name: (len(self.tables[name]), len(self.rejected.get(name, ())))
            for name in TABLE_ORDER
            if name in self.present
        }


def validate_programme(root: str | Path) -> Validated:
    """Load and validate every table of the programme folder at ``root``."""
    root = Path(root)
    if not root.is_dir():
        raise ProgrammeError("programme folder not found", file=str(root))
    config = load_programme_config(root)
    result = Validated(root=root, config=config, tables={})
    readable: set[str] = set()  # tables read with their required columns: references into them are checked
    for name in TABLE_ORDER:
        spec = TABLES[name]
        path = root / spec.file
        if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            why = "a symbolic link to a file outside the programme folder; capeval does not read it: copy the file here"
            result.problems.append(Problem(spec.file, 0, "-", why))
            result.tables[name] = _empty(spec)
            continue
        if not path.is_file():
            if spec.required_table:
                result.problems.append(Problem(spec.file, 0, "-", "required table missing"))
            result.tables[name] = _empty(spec)
            continue
        result.present.add(name)
        raw, problems = read_table_text(path)
        result.problems.extend(problems)
        kept, rejected, row_problems = _check_table(spec, raw, config, result.tables, readable)
        whole = not raw.attrs.get(REPEATED)  # a table refused for its header has no rows to refer to
        if whole and LINE in raw.columns and {c.name for c in spec.columns if c.required} <= set(raw.columns):
            readable.add(name)
        result.tables[name] = kept
        if len(rejected):
            result.rejected[name] = rejected
        result.problems.extend(row_problems)
    if config.rating_item is not None and "items" in result.present:
        result.problems.extend(_check_rating_item(root, config.rating_item, result.tables["items"]))
    if "items" in result.present:
        result.problems.extend(_check_item_links(root, config, result.tables["items"]))
    partners, tracks = (set(result.tables[n][f"{n[:-1]}_id"].astype(str)) for n in ("partners", "tracks"))
    result.problems.extend(read_narratives(root, partners, tracks)[1])
    return result


def _check_item_links(root: Path, config: ProgrammeConfig, items: pd.DataFrame) -> list[Problem]:
    """programme.yaml's blocks name dimensions, and its priorities items, that items.csv has."""
    dimensions = set(items["dimension"].dropna().astype(str))
    item_ids = set(items["item_id"].dropna().astype(str))
    named: list[tuple[str, str, str, set[str]]] = [
        (key, entry.id, "dimension", dimensions)
        for key in ("commitments", "added_value")
        for entry in getattr(config, key)
    ]
    if config.event_feedback is not None:
        named += [("event_feedback", e.id, "dimension", dimensions) for e in config.event_feedback.dimensions]
    named += [("priorities", item, "item_id", item_ids) for p in config.priorities for item in p.items]
    missing = [(key, value, what) for key, value, what, known in named if value not in known]
    if not missing:
        return []
    lines = read_yaml_with_lines(root / "programme.yaml")[1]
    example = {
        "dimension": "a dimension of items.csv, e.g. keep_agreements",
        "item_id": "an item_id, e.g. L3_cooperation",
    }
    return [
        Problem(
            "programme.yaml",
            lines.get(key, 1),
            key,
            f"{value!r} is not a {what} of items.csv; expected {example[what]}",
        )
        for key, value, what in missing
    ]


def _check_rating_item(root: Path, item_id: str, items: pd.DataFrame) -> list[Problem]:
    """programme.yaml's rating_item must be an item of items.csv with a scale of TOP_TWO_MIN_POINTS or more."""
    found = items[items["item_id"].astype(str) == item_id]
    points = found["scale_max"].astype("float64") - found["scale_min"].astype("float64") + 1
    if len(found) and bool((points >= TOP_TWO_MIN_POINTS).all()):
        return []
    line = read_yaml_with_lines(root / "programme.yaml")[1].get("rating_item", 1)
    why = "is not an item_id of items.csv" if found.empty else f"has a scale of fewer than {TOP_TWO_MIN_POINTS} points"
    return [Problem("programme.yaml", line, "rating_item", f"{item_id!r} {why} (the rating question needs one)")]


def write_rejected(validated: Validated) -> Path | None:
    """Write quarantined rows to ``<root>/_rejected/<table>.csv``; remove stale ones."""
    folder = validated.root / "_rejected"
    refuse_link_out(folder, validated.root)
    with writing_in(folder):
        if folder.is_dir():  # only our own files: importers quarantine rows here too
            for name in TABLES:
                (folder / f"{name}.csv").unlink(missing_ok=True)
        if not validated.rejected:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
            return None
        folder.mkdir(exist_ok=True)
        for name, frame in validated.rejected.items():  # whole or absent, even on a full disk
            write_atomic(folder / f"{name}.csv", frame_csv_text(frame))
    return folder


def _empty(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in spec.columns})
    return frame


def _dtype(column: Column) -> str:
    return {"int": "Int64", "float": "float64", "bool": "boolean", "date": "datetime64[ns]"}.get(column.kind, "string")


def _check_table(
    spec: TableSpec, raw: pd.DataFrame, config: ProgrammeConfig, done: dict[str, pd.DataFrame], readable: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    if raw.empty and LINE not in raw.columns:
        return _empty(spec), pd.DataFrame(), []
    problems: list[Problem] = []
    repeated = raw.attrs.get(REPEATED, {})
    if repeated:
        problems += [
            Problem(
                spec.file,
                1,
                name,
                f"column given twice in the header (fields {' and '.join(map(str, at))}); "
                "keep one, or rename the other",
            )
            for name, at in repeated.items()
        ]
        rejected = raw.copy()
        rejected[REASON] = "table rejected: the header repeats " + ", ".join(f"'{name}'" for name in repeated)
        return _empty(spec), rejected, problems
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if c != LINE) or "none"
        problems += [
            Problem(spec.file, 1, name, f"required column missing (columns found: {found})") for name in missing
        ]
        rejected = raw.copy()
        rejected[REASON] = "table rejected: required column(s) missing: " + ", ".join(missing)
        return _empty(spec), rejected, problems

    reasons = pd.Series("", index=raw.index, dtype=object)
    typed = raw.copy()
    line_of = raw[LINE].astype(int)

    def flag(mask: pd.Series, column: str, messages: Messages) -> None:
        if not mask.any():
            return
        text = messages if isinstance(messages, str) else messages(mask) if callable(messages) else messages[mask]
        msgs = pd.Series(text, index=mask[mask].index)
        lines = line_of[msgs.index].tolist()
        for idx, line, msg in zip(msgs.index.tolist(), lines, msgs.tolist(), strict=True):
            problems.append(Problem(spec.file, line, column, str(msg)))
            previous = str(reasons.at[idx])
            reasons.at[idx] = f"{previous}; {column}: {msg}" if previous else f"{column}: {msg}"

    _check_cells(raw, flag)
    for column in spec.columns:
        if column.name not in raw.columns:
            typed[column.name] = pd.Series(index=raw.index, dtype=_dtype(column))  # all missing
            continue
        text = _strip(raw[column.name])
        empty = text == ""
        if not column.nullable and column.kind != "bool":
            flag(
                empty,
                column.name,
                f"empty; a value is required ({column.hint})" if column.hint else "empty; a value is required",
            )
        typed[column.name] = _coerce(column, text, empty, config, flag)

    for check in spec.extra_checks:
        _EXTRA[check](typed, reasons, flag, done)

    for ref in spec.references:
        if ref.table not in readable:
            continue  # an absent or unreadable table is reported once, not once per referring row
        target = done[ref.table][ref.target]
        values = typed[ref.column]
        bad = values.notna() & (values != "") & ~values.isin(set(target.dropna()))
        where = f" (not in {ref.table}.csv)"
        flag(bad & (reasons == ""), ref.column, partial(_unknown_message, f"unknown {ref.column} ", values, where))

    _check_duplicates(spec, typed.loc[reasons == ""], line_of, flag)

    valid = reasons == ""
    kept = typed.loc[valid].drop(columns=[LINE, PARSE_ERROR], errors="ignore").reset_index(drop=True)
    rejected = raw.loc[~valid].copy()
    rejected[REASON] = reasons[~valid]
    problems.sort(key=lambda p: (p.line, p.column))
    return kept, rejected.reset_index(drop=True), problems


def _unknown_message(before: str, values: pd.Series, after: str, mask: pd.Series) -> pd.Series:
    return before + values[mask].astype(str).map(quoted) + after  # 'Р1' is named as not the Latin 'P1'


def _check_cells(raw: pd.DataFrame, flag: Flag) -> None:
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


def _strip(cells: pd.Series) -> pd.Series:
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


def _check_duplicates(spec: TableSpec, valid: pd.DataFrame, line_of: pd.Series, flag: Flag) -> None:
    """Every row whose key repeats an earlier valid row's, naming the first one's line."""
    keys = valid[list(spec.key)].astype(object).where(valid[list(spec.key)].notna(), "")
    dup = keys.duplicated(keep=False)
    if not dup.any():
        return
    label = "+".join(spec.key)
    for _, group in keys[dup].groupby(list(spec.key), sort=False, dropna=False):
        first = group.index[0]
        for idx in group.index[1:]:
            shown = _show_key(group.loc[idx].tolist())
            flag(pd.Series(True, index=[idx]), label, f"duplicate value {shown} (first at line {line_of[first]})")


def _show_key(values: list[object]) -> str:
    shown = [f"'{v}'" if isinstance(v, str) else str(v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def _coerce(column: Column, text: pd.Series, empty: pd.Series, config: ProgrammeConfig, flag: Flag) -> pd.Series:
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


def _check_item_scale(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    ok = typed["scale_min"].notna() & typed["scale_max"].notna()
    bad = ok & (typed["scale_max"] <= typed["scale_min"])
    flag(
        bad.fillna(False).astype(bool),
        "scale_max",
        "expected scale_max above scale_min, got " + typed["scale_max"].astype(str),
    )


def _check_item_text(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    bad = typed["text_nl"].isna() & typed["text_en"].isna()
    flag(bad.astype(bool), "text_en", "an item needs text_nl or text_en")


def _check_value_in_scale(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    items = done["items"].set_index("item_id")
    lo = typed["item_id"].map(items["scale_min"]).astype("float64")
    hi = typed["item_id"].map(items["scale_max"]).astype("float64")
    value = typed["value"]
    bad = lo.notna() & value.notna() & ((value < lo) | (value > hi))
    flag(
        bad.astype(bool),
        "value",
        lambda m: (
            "expected a value on the scale "
            + lo[m].map(lambda x: f"{x:g}")
            + "–"
            + hi[m].map(lambda x: f"{x:g}")
            + " of item '"
            + typed["item_id"][m].astype(str)
            + "', got "
            + value[m].map(lambda x: f"{x:g}")
        ),
    )


def _check_unit_exists(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    units = set(done["partners"]["partner_id"].dropna()) | set(done["tracks"]["track_id"].dropna())
    bad = typed["unit_id"].notna() & ~typed["unit_id"].isin(units) & (reasons == "")
    flag(
        bad.astype(bool),
        "unit_id",
        lambda m: "unknown unit_id " + typed["unit_id"][m].astype(str).map(quoted) + " (not a partner_id or track_id)",
    )


def _check_milestone_status(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    achieved = typed["achieved"].notna()
    status = typed["status"].astype("string")
    flag(
        (status == "achieved").fillna(False).astype(bool) & ~achieved,
        "achieved",
        "empty while status is 'achieved'; expected the date it was achieved, e.g. 2025-03-14",
    )
    flag(
        status.isin(["planned", "dropped"]).fillna(False).astype(bool) & achieved,
        "status",
        lambda m: "'" + status[m].astype(str) + "' while an achieved date is given; expected achieved (or no date)",
    )


_EXTRA = {
    "item_scale": _check_item_scale,
    "item_text": _check_item_text,
    "value_in_item_scale": _check_value_in_scale,
    "unit_exists": _check_unit_exists,
    "milestone_status": _check_milestone_status,
}
